/**
 * The event pipeline's governance figures against real PostgreSQL: each stage's coverage,
 * p95 and the attribution drift move with the log rows they count, the ingest error rate
 * with refused batches, open events past the SLA are listed until someone finalises them,
 * the rollups equal a recomputation from the logs after any mix of writes, only people who
 * may see dashboards (and read tokens) read them, and the API names a bad parameter.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as apiGet } from "@/app/api/v1/governance/events/route";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import { histogramQuantile, LATENCY_EDGES_SECONDS, NOT_YET_BUCKET, stageFigures, unknownParam } from "@/lib/governance/event-pipeline";
import { addDays, parseDays } from "@/lib/governance/window";
import { CAUSE_CATEGORIES, eventId, reportId, type CauseCategory } from "@/lib/mrs";
import { createToken, ensureBuiltinServiceAccount } from "../tokens";
import { seedDemoEvents } from "@/prisma/demo-events";
import { createUser, findUserByEmail } from "../users";
import { actOnEvent } from "./actions";
import { eventPipelineGovernance, eventPipelineReports, eventRollupsAgainstBase } from "./governance";
import { ingestEventLogRows } from "./ingest";

withTestDatabase();
const prefix = randomUUID().slice(0, 6);
const sender: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["events:ingest"] };
const manager: Actor = { kind: "user", id: randomUUID(), email: "m@x", name: "M", role: "manager" };
let lead: Extract<Actor, { kind: "user" }>;

beforeAll(async () => {
  const user = await createUser(OPERATOR, { email: `lee-${prefix}@example.test`, name: "Lee", role: "lead", password: "correct horse battery" });
  lead = { kind: "user", id: user.id, email: user.email, name: "Lee", role: "lead" };
  // The demo's events first: their seed writes its edit-log entries only into a log without event entries.
  for (const [email, name, role] of [
    ["analyst@demo.local", "Ada Analyst", "analyst"],
    ["lead@demo.local", "Lena Lead", "lead"],
  ] as const) {
    if (!(await findUserByEmail(OPERATOR, email))) await createUser(OPERATOR, { email, name, role, password: "correct horse battery" });
  }
  await seedDemoEvents();
}, 120_000);

const at = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00.000Z`);
const iso = (day: string, hhmm: string) => at(day, hhmm).toISOString();

function detected(store: string, day: string, writtenAt: string) {
  const sku = `SKU-${prefix}`;
  const windowStart = `${day}T06:00:00.000Z`;
  return { reportId: reportId(store, sku, windowStart), storeId: store, retailer: "Tesco", sku, windowStart, baseline: 1000, actual: 1500, uplift: 500, writtenAt };
}
const clustered = (id: string, clusterId: string | null, writtenAt: string, run = "c1") => ({ reportId: id, clusterRunId: run, clusterId, similarityFeatures: { sales: 1 }, writtenAt });
const attribution = (id: string, category: CauseCategory, confidence: number | null, writtenAt: string, run = "a1") => ({
  reportId: id,
  attributionRunId: run,
  cause_1: { category: confidence === null ? "unknown" : category, label: "cause" },
  confidence_1: confidence,
  narrative: "n",
  evidence: [],
  writtenAt,
});
const send = (log: string, rows: unknown[], now: Date) => ingestEventLogRows(sender, log, { rows }, now);

/** A UTC day long ago that nothing else has written to (the test database outlives runs). */
async function quietDay(): Promise<string> {
  for (;;) {
    const day = addDays("2001-01-01", Math.floor(Math.random() * 6000));
    const figures = await eventPipelineGovernance(manager, { days: 1, now: at(day, "23:59") });
    if (figures.stages[0]!.figures.reports === 0 && figures.drift.total.proposals === 0) return day;
  }
}

describe("event pipeline figures", () => {
  it("reads p95 from the histogram with stages not yet reached ranked last, and coverage within the SLO", () => {
    const h = new Map([
      [0, 90],
      [3, 5],
      [6, 4],
      [NOT_YET_BUCKET, 1],
    ]);
    expect(histogramQuantile(h, 0.95)).toBe(LATENCY_EDGES_SECONDS[3]);
    expect(histogramQuantile(h, 0.99)).toBe(LATENCY_EDGES_SECONDS[6]);
    expect(histogramQuantile(h, 1)).toBe("not-yet");
    expect(histogramQuantile(new Map(), 0.95)).toBeNull();
    expect(histogramQuantile(new Map([[LATENCY_EDGES_SECONDS.length, 3]]), 0.95)).toBe("over");
    expect(stageFigures("clustering", h)).toEqual({ reports: 100, done: 99, withinSlo: 95, coverage: 0.95, p95: 1800, meetsSlo: true });
    expect(stageFigures("clustering", new Map([...h, [0, 89], [4, 1]]))).toMatchObject({ withinSlo: 94, p95: 3600, meetsSlo: false });
    expect(stageFigures("attribution", h)).toMatchObject({ withinSlo: 99, meetsSlo: true });
  });

  it("each stage's coverage and p95, and the drift, move with the rows they count", async () => {
    const day = await quietDay();
    const end = at(day, "23:59");
    const figures = () => eventPipelineGovernance(manager, { days: 1, now: end });
    const stage = async (name: "detection" | "clustering" | "attribution") => (await figures()).stages.find((s) => s.stage === name)!.figures;

    const a = detected(`S-${prefix}-a`, day, iso(day, "10:00"));
    const b = detected(`S-${prefix}-b`, day, iso(day, "10:00"));
    // a arrives 5 min after it was written, b 2 h after: b misses the detection SLO.
    await send("detected", [a], at(day, "10:05"));
    await send("detected", [b], at(day, "12:00"));
    expect(await stage("detection")).toMatchObject({ reports: 2, done: 2, withinSlo: 1, coverage: 0.5, p95: 7200, meetsSlo: false });
    expect(await stage("clustering")).toMatchObject({ reports: 2, done: 0, withinSlo: 0, p95: "not-yet" });

    // a is clustered 20 min after detection; b's clustering failed (no cluster id).
    await send("clustered", [clustered(a.reportId, "K1", iso(day, "10:20")), clustered(b.reportId, null, iso(day, "10:20"))], at(day, "10:30"));
    expect(await stage("clustering")).toMatchObject({ done: 1, withinSlo: 1, coverage: 0.5, p95: "not-yet" });
    // b's re-run succeeds 50 min after detection: both clustered, one beyond 30 min.
    await send("clustered", [clustered(b.reportId, "K2", iso(day, "10:50"), "c2")], at(day, "11:00"));
    expect(await stage("clustering")).toMatchObject({ done: 2, withinSlo: 1, p95: 3600, meetsSlo: false });

    // Attribution: a within 4 h at 0.8, b after 8 h at 0.4; then a refresh of a moves the mix.
    await send("attribution", [attribution(a.reportId, "promotion", 0.8, iso(day, "13:00"))], at(day, "13:05"));
    await send("attribution", [attribution(b.reportId, "data_error", 0.4, iso(day, "17:30"))], at(day, "17:35"));
    expect(await stage("attribution")).toMatchObject({ done: 2, withinSlo: 1, coverage: 0.5, p95: 28800 });
    let drift = (await figures()).drift.total;
    expect(drift).toMatchObject({ proposals: 2, confident: 2, mix: { promotion: 1, data_error: 1 } });
    expect(drift.meanConfidence).toBeCloseTo(0.6);
    await send("attribution", [attribution(a.reportId, "social_viral", null, iso(day, "18:00"), "a2")], at(day, "18:05"));
    drift = (await figures()).drift.total;
    expect(drift).toMatchObject({ proposals: 3, confident: 2, mix: { promotion: 1, data_error: 1, unknown: 1 } });
    expect((await figures()).drift.days).toHaveLength(1);

    // The drill-down lists the reports counted with their latencies.
    const facts = [];
    for await (const f of eventPipelineReports(manager, { days: 1, now: end })) facts.push(f);
    expect(facts.map((f) => [f.reportId, f.detectionSeconds, f.clusteringSeconds, f.attributionSeconds]).sort()).toEqual(
      [
        [a.reportId, 300, 1200, 3 * 3600],
        [b.reportId, 7200, 3000, 7.5 * 3600],
      ].sort(),
    );
    // Freshness is read from the logs' newest writtenAt.
    const now = (await figures()).freshnessSeconds;
    expect(now.clustered).not.toBeNull();
  });

  it("counts refused rows against the 1 % error-rate SLO", async () => {
    const before = (await eventPipelineGovernance(manager, { days: 1 })).ingest;
    const good = detected(`S-${prefix}-e`, "2026-11-20", "2026-11-20T10:00:00.000Z");
    await send("detected", [good, detected(`S-${prefix}-x`, "2026-11-20", "2026-11-20T10:00:00.000Z")], new Date());
    await expect(send("detected", [{ ...good, reportId: undefined }, good, good], new Date())).rejects.toBeInstanceOf(ValidationError);
    const after = (await eventPipelineGovernance(manager, { days: 1 })).ingest;
    expect(after.requests - before.requests).toBe(2);
    expect(after.received - before.received).toBe(5);
    expect(after.rejected - before.rejected).toBe(3);
    expect(after.errorRate).toBe(after.rejected / after.received);
    // Enough refused rows to break the SLO whatever else arrived today.
    const bad = Array.from({ length: Math.ceil(after.received / 10) }, () => ({ reportId: "nope" }));
    await expect(send("detected", bad, new Date())).rejects.toBeInstanceOf(ValidationError);
    const breached = (await eventPipelineGovernance(manager, { days: 1 })).ingest;
    expect(breached.errorRate).toBeGreaterThan(0.01);
    expect(breached.meetsSlo).toBe(false);
  });

  it("lists open events past the SLA until they are finalised", async () => {
    const day = "2026-10-01";
    const group = `G-${prefix}-stale`;
    const r = detected(`S-${prefix}-s`, day, iso(day, "09:00"));
    await send("detected", [r], at(day, "09:01"));
    await send("cohort", [{ reportId: r.reportId, reportGroupId: group, cohortSize: 1, cohortConfidence: 0.5, writtenAt: iso(day, "09:30") }], at(day, "09:31"));
    const id = eventId(group);
    const stale = (await eventPipelineGovernance(manager, { days: 7 })).stale;
    expect(stale.slaHours).toBe(72);
    expect(stale.events.find((e) => e.eventId === id)).toMatchObject({ reportGroupId: group, reportCount: 1, openSince: iso(day, "09:00") });
    // Within the SLA of its detection, not stale.
    const early = await eventPipelineGovernance(manager, { days: 7, now: at("2026-10-02", "09:00") });
    expect(early.stale.events.map((e) => e.eventId)).not.toContain(id);
    await actOnEvent(lead, { eventId: id, ledgerVersion: 0, action: "finalise", outcome: "dismissed", reasonCode: "evidence_corroborates", requestId: randomUUID() });
    expect((await eventPipelineGovernance(manager, { days: 7 })).stale.events.map((e) => e.eventId)).not.toContain(id);
  });

  it("keeps the rollups equal to a recomputation from the logs after any mix of writes", async () => {
    type Step =
      | { op: "detect"; store: number; day: number; lagMin: number }
      | { op: "cluster"; pick: number; ok: boolean; afterMin: number; run: number }
      | { op: "attribute"; pick: number; category: number; confidence: number | null; afterMin: number; run: number }
      | { op: "refuse"; n: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ op: fc.constant("detect" as const), store: fc.nat(5), day: fc.nat(2), lagMin: fc.nat(200) }),
      fc.record({ op: fc.constant("cluster" as const), pick: fc.nat(20), ok: fc.boolean(), afterMin: fc.nat(120), run: fc.nat(1) }),
      fc.record({
        op: fc.constant("attribute" as const),
        pick: fc.nat(20),
        category: fc.nat(CAUSE_CATEGORIES.length - 1),
        confidence: fc.option(fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000)),
        afterMin: fc.nat(600),
        run: fc.nat(2),
      }),
      fc.record({ op: fc.constant("refuse" as const), n: fc.integer({ min: 1, max: 3 }) }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 12 }), async (steps) => {
        run++;
        const base = addDays("2026-09-01", -(run % 40));
        const known: { id: string; day: string }[] = [];
        for (const s of steps) {
          if (s.op === "detect") {
            const day = addDays(base, s.day);
            const row = detected(`P-${prefix}-${run}-${s.store}`, day, iso(day, "08:00"));
            await send("detected", [row], new Date(at(day, "08:00").getTime() + s.lagMin * 60_000));
            known.push({ id: row.reportId, day });
          } else if (known.length === 0) {
            continue;
          } else if (s.op === "cluster") {
            const r = known[s.pick % known.length]!;
            const written = new Date(at(r.day, "08:00").getTime() + s.afterMin * 60_000);
            await send("clustered", [clustered(r.id, s.ok ? `K${s.run}` : null, written.toISOString(), `c${s.run}`)], new Date(written.getTime() + 60_000));
          } else if (s.op === "attribute") {
            const r = known[s.pick % known.length]!;
            const written = new Date(at(r.day, "08:00").getTime() + s.afterMin * 60_000);
            await send("attribution", [attribution(r.id, CAUSE_CATEGORIES[s.category]!, s.confidence, written.toISOString(), `a${s.run}`)], new Date(written.getTime() + 60_000));
          } else {
            await send("detected", Array.from({ length: s.n }, () => ({ reportId: "nope" })), new Date()).catch(() => undefined);
          }
        }
        const { stored, recomputed } = await eventRollupsAgainstBase();
        expect(stored).toEqual(recomputed);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) >= 1000 ? 40 : 8 },
    );
  });

  it("is read by people who may see dashboards and by read tokens only", async () => {
    for (const role of ["analyst", "lead", "admin"] as const) {
      const actor: Actor = { kind: "user", id: randomUUID(), email: `${role}@x`, name: role, role };
      await expect(eventPipelineGovernance(actor, { days: 7 })).rejects.toBeInstanceOf(ForbiddenError);
    }
    await expect(eventPipelineGovernance(sender, { days: 7 })).rejects.toBeInstanceOf(ForbiddenError);
    const reader: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "r@x", scopes: ["read"] };
    await expect(eventPipelineGovernance(reader, { days: 7 })).resolves.toMatchObject({ days: 7 });
    await expect(eventPipelineGovernance(OPERATOR, { days: 7 })).resolves.toMatchObject({ days: 7 });
  });

  it("the API answers with the page's figures and names a bad or unknown parameter in a 400", async () => {
    expect(parseDays("0")).toMatchObject({ ok: false });
    expect(unknownParam(["days", "stage"], ["days"])).toBe("stage");
    const owner = await ensureBuiltinServiceAccount(OPERATOR, ["read"]);
    const { token } = await createToken(OPERATOR, { ownerId: owner, name: `events-${prefix}`, scopes: ["read"] });
    const get = (query: string) =>
      apiGet(new NextRequest(`http://localhost/api/v1/governance/events${query}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({}) });
    const ok = await get("?days=7");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ days: 7, stages: [{ stage: "detection" }, { stage: "clustering" }, { stage: "attribution" }], ingest: { slo: 0.01 } });
    for (const [query, named] of [
      ["?days=0", /^days must be a whole number of days/],
      ["?days=abc", /^days /],
      ["?days=7&stage=clustering", /^stage is not a parameter/],
    ] as const) {
      const res = await get(query);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(named);
    }
    const anonymous = await apiGet(new NextRequest("http://localhost/api/v1/governance/events"), { params: Promise.resolve({}) });
    expect(anonymous.status).toBe(401);
  });
});
