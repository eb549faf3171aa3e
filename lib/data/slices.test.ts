/**
 * Slice KPIs against real PostgreSQL: a slice's figures move with each kind of write the
 * rollup follows (a result, a decision, a label on a record nobody decided), the drill-down
 * lists the records counted, a slice nobody has is a 400 naming `slice`, and only people
 * who may see dashboards read them.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { withTestDatabase } from "@/lib/db/test-database";
import { BadRequestError, ForbiddenError } from "@/lib/errors";
import { assessRecord, compilePolicy, type ScoredRecord } from "@/lib/gating";
import { MIN_BUCKET_LABELLED, parseSlice, reliability, sliceFigures, type SliceRef } from "@/lib/governance/slices";
import { readPolicyFile, scoredReferenceData } from "@/lib/reference-data";
import { OVERRIDE_REASONS } from "@/lib/validations/decision-labels";
import { decideRecord } from "./decisions";
import { ingestBatch } from "./ingest";
import { ingestLabels } from "./labels";
import { getRecordResult } from "./results";
import { sliceKpis, sliceRecordFacts, sliceRollupAgainstBase } from "./slices";
import { createUser } from "./users";

withTestDatabase();
const prefix = `s${randomUUID().slice(0, 6)}`;
/** A CabinDeck no other test uses, so this file's slice holds only its own records. */
const deck = `D${prefix}`;
const slice: SliceRef = { dimension: "cabin_deck", key: deck };
const manager: Actor = { kind: "user", id: randomUUID(), email: "m@x", name: "M", role: "manager" };
let analyst: Extract<Actor, { kind: "user" }>;
let audited: ScoredRecord[] = [];
let released: ScoredRecord[] = [];

beforeAll(async () => {
  const user = await createUser(OPERATOR, { email: `ann-${prefix}@example.test`, name: "Ann", role: "analyst", password: "correct horse battery" });
  analyst = { kind: "user", id: user.id, email: user.email, name: "Ann", role: "analyst" };
  const policy = readPolicyFile();
  const compiled = compilePolicy(policy);
  const scored = scoredReferenceData().filter((r) => r.context.HomePlanet !== null && r.context.Destination !== null);
  audited = scored.filter((r) => Math.abs(r.pModel - 0.5) < 0.04 && assessRecord(r, compiled).fragilityScore < policy.theta).slice(0, 3);
  released = scored.filter((r) => r.pModel < 0.05 && assessRecord(r, compiled).fragilityScore < policy.theta).slice(0, 4);
  expect(audited).toHaveLength(3);
  expect(released).toHaveLength(4);
});

const label = (recordId: string, value: boolean, source = "outcomes") =>
  ingestLabels(OPERATOR, { body: JSON.stringify({ labels: [{ recordId, label: value, observedAt: "2026-12-01T00:00:00Z", source }] }), contentType: "application/json" });

async function row() {
  const kpis = await sliceKpis(manager, { days: 7, slice });
  return kpis.selected;
}

describe("slice KPIs", () => {
  it("parses a slice from the address and names the rule when it does not", () => {
    expect(parseSlice(undefined)).toEqual({ ok: true, slice: { dimension: "all", key: "" } });
    expect(parseSlice("flag:SUPER_DOMINANT")).toEqual({ ok: true, slice: { dimension: "flag", key: "SUPER_DOMINANT" } });
    expect(parseSlice("home_planet:∅")).toEqual({ ok: true, slice: { dimension: "home_planet", key: "∅" } });
    expect(parseSlice("planet:Earth")).toMatchObject({ ok: false, message: expect.stringContaining("dimension one of flag, fragility, home_planet") });
    expect(parseSlice("flag:NOT_A_FLAG")).toMatchObject({ ok: false, message: expect.stringContaining("names no flag") });
    expect(parseSlice("destination:")).toMatchObject({ ok: false });
    expect(parseSlice("fragility:fragile")).toEqual({ ok: true, slice: { dimension: "fragility", key: "fragile" } });
    expect(parseSlice("fragility:brittle")).toMatchObject({ ok: false, message: expect.stringContaining("names no fragility") });
  });

  it("judges a bucket's coverage only from ten labelled records, by whether the observed rate lies in its mean [p10, p90]", () => {
    const buckets = [
      { bucket: 3, labelled: MIN_BUCKET_LABELLED, positives: 3, p10Sum: 2, p50Sum: 3.5, p90Sum: 5 },
      { bucket: 8, labelled: MIN_BUCKET_LABELLED, positives: 4, p10Sum: 7.5, p50Sum: 8.5, p90Sum: 9.5 },
      { bucket: 5, labelled: MIN_BUCKET_LABELLED - 1, positives: 0, p10Sum: 4, p50Sum: 5, p90Sum: 6 },
    ];
    const r = reliability(buckets);
    expect(r.map((b) => [b.bucket, b.covered])).toEqual([
      [3, true],
      [5, null],
      [8, false],
    ]);
    expect(r[0]).toMatchObject({ range: [0.3, 0.4], observed: 0.3, meanP10: 0.2, meanP90: 0.5 });
    const c = { records: 40, audit: 10, decided: 4, overrides: 1, labelled: 20, positives: 5, falsePos: 3, falseNeg: 2, disputed: 0 };
    expect(sliceFigures(c, buckets)).toEqual({ auditRate: 0.25, overrideRate: 0.25, fpRate: 3 / 15, fnRate: 2 / 5, coverage: { covered: 1, judged: 2 } });
  });

  it("a slice's figures move with each result, decision and label, even a label on a record nobody decided", async () => {
    const records = [...audited, ...released].map((r, i) => ({ ...r, recordId: `${prefix}-${i}`, context: { ...r.context, Cabin: `${deck}/${i}/P` } }));
    const res = await ingestBatch(OPERATOR, { body: JSON.stringify({ batchId: `${prefix}-b`, records }), contentType: "application/json", idempotencyKey: null });
    expect(res.status).toBe(201);

    let selected = await row();
    expect(selected.row).toMatchObject({ dimension: "cabin_deck", key: deck, records: 7, audit: 3, decided: 0, labelled: 0 });
    // Every record is fragile or not: the two fragility slices add up to all records.
    const kpis = await sliceKpis(manager, { days: 7, slice: { dimension: "fragility", key: "fragile" } });
    const count = (dimension: string, key: string) => kpis.slices.find((s) => s.dimension === dimension && s.key === key)?.records ?? 0;
    expect(count("fragility", "fragile") + count("fragility", "not fragile")).toBe(count("all", ""));
    expect(count("fragility", "not fragile")).toBeGreaterThanOrEqual(7);
    expect(selected.row!.figures.auditRate).toBeCloseTo(3 / 7);

    // The drill-down lists exactly the records counted, with their machine labels.
    const facts = [];
    for await (const f of sliceRecordFacts(manager, { days: 7, slice })) facts.push(f);
    expect(facts.map((f) => f.recordId).sort()).toEqual(records.map((r) => r.recordId).sort());
    const machine = new Map(facts.map((f) => [f.recordId, f.machineLabel]));

    // An analyst overrides one audited record: a decision, an override, and its truth.
    const first = records[0]!.recordId;
    const r = await getRecordResult(analyst, first);
    await decideRecord(analyst, {
      recordId: first,
      resultVersion: r.current.version,
      ledgerVersion: r.ledgerVersion,
      machineLabel: r.current.decision,
      action: "override",
      reasonCode: OVERRIDE_REASONS[0],
      reasonText: "The evidence says otherwise.",
      requestId: randomUUID(),
    });
    selected = await row();
    expect(selected.row).toMatchObject({ decided: 1, overrides: 1, labelled: 1 });
    expect(selected.row!.figures.overrideRate).toBe(1);

    // Feedback on a released record nobody decided, contradicting the machine: a model error.
    const auto = records[4]!.recordId;
    expect((await label(auto, !machine.get(auto))).status).toBe(201);
    selected = await row();
    expect(selected.row).toMatchObject({ decided: 1, labelled: 2 });
    const errors = selected.row!.falsePos + selected.row!.falseNeg;
    expect(errors).toBe(2);
    expect(selected.reliability.reduce((n, b) => n + b.labelled, 0)).toBe(2);

    // A second source disagreeing makes the record disputed: no longer labelled.
    await label(auto, machine.get(auto)!, "second-source");
    selected = await row();
    expect(selected.row).toMatchObject({ labelled: 1, disputed: 1 });

    const check = await sliceRollupAgainstBase();
    expect(check.stored).toEqual(check.recomputed);
  });

  it("a slice that no record has is a 400 naming slice; a flag slice with no record is just empty", async () => {
    await expect(sliceKpis(manager, { days: 7, slice: { dimension: "destination", key: `nowhere-${prefix}` } })).rejects.toThrow(BadRequestError);
    await expect(sliceKpis(manager, { days: 7, slice: { dimension: "destination", key: `nowhere-${prefix}` } })).rejects.toThrow(/^slice names no slice/);
    const kpis = await sliceKpis(manager, { days: 1, slice: { dimension: "flag", key: "CRYO_CONFLICT" } });
    expect(kpis.slices[0]).toMatchObject({ dimension: "all" });
  });

  it("only people who may see dashboards read slice KPIs", async () => {
    await expect(sliceKpis(analyst, { days: 7, slice })).rejects.toThrow(ForbiddenError);
    const lead: Actor = { kind: "user", id: randomUUID(), email: "l@x", name: "L", role: "lead" };
    await expect(sliceKpis(lead, { days: 7, slice })).rejects.toThrow(ForbiddenError);
    const governance: Actor = { kind: "user", id: randomUUID(), email: "g@x", name: "G", role: "governance" };
    await expect(sliceKpis(governance, { days: 7, slice })).resolves.toMatchObject({ days: 7 });
  });
});
