/**
 * Routing health against real PostgreSQL: the rollup the ingest triggers keep equals a
 * recomputation over the base tables after random ingests (batches of one, fragile records,
 * canaries, re-sends); the day's figures move with an ingest; §11 quality reads label
 * feedback first and analyst decisions else, and its rollup gives the figures the
 * per-record recomputation gives.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError } from "@/lib/errors";
import { assessRecord, compilePolicy, SEED_CANARY_IDS, type ScoredRecord } from "@/lib/gating";
import { readPolicyFile, scoredReferenceData } from "@/lib/reference-data";
import { driftRollupAgainstBase } from "./drift";
import { ingestBatch } from "./ingest";
import { ingestLabels } from "./labels";
import { binomialBand, labelledRoutingQuality, labelledRoutingQualityFromBase, routingHealth, routingRollupAgainstBase } from "./routing-health";

withTestDatabase();
const prefix = `r${randomUUID().slice(0, 6)}`;
const governance: Actor = { kind: "user", id: randomUUID(), email: "g@x", name: "G", role: "governance" };
let fragile: ScoredRecord[] = [];
let plain: ScoredRecord[] = [];
let canary: ScoredRecord;
let sent = 0;

beforeAll(() => {
  const policy = readPolicyFile();
  const compiled = compilePolicy(policy);
  const scored = scoredReferenceData();
  fragile = scored.filter((r) => assessRecord(r, compiled).fragilityScore >= policy.theta && !(SEED_CANARY_IDS as readonly string[]).includes(r.recordId)).slice(0, 40);
  plain = scored.filter((r) => r.pModel < 0.05 && assessRecord(r, compiled).fragilityScore < policy.theta).slice(0, 200);
  canary = scored.find((r) => r.recordId === SEED_CANARY_IDS[0])!;
});

async function send(records: ScoredRecord[]): Promise<void> {
  const renamed = records.map((r) => ({ ...r, recordId: `${prefix}-${sent++}` }));
  const res = await ingestBatch(OPERATOR, { body: JSON.stringify({ batchId: `${prefix}-b${sent}`, records: renamed }), contentType: "application/json", idempotencyKey: null });
  expect(res.status).toBe(201);
}

describe("routing health", () => {
  it("the 95 % binomial band holds the expected share and widens for small days", () => {
    const small = binomialBand(0.05, 20);
    const large = binomialBand(0.05, 2000);
    expect(small.low).toBeLessThanOrEqual(0.05);
    expect(small.high).toBeGreaterThan(0.05);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    expect(large.low).toBeGreaterThan(0.035);
    expect(large.high).toBeLessThan(0.065);
  });

  it("the routing and drift rollups equal a recomputation from the base tables after random ingests of every shape", async () => {
    const batch = fc.record({ fragile: fc.nat(3), plain: fc.nat(6), canary: fc.boolean() }).filter((b) => b.fragile + b.plain + (b.canary ? 1 : 0) > 0);
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 5 }), async (batches) => {
        for (const b of batches) {
          const records = [...fragile.slice(0, b.fragile), ...plain.slice(sent % 150, (sent % 150) + b.plain)];
          // A canary under its own id (a re-send: a new version of the same record).
          if (b.canary) {
            const res = await ingestBatch(OPERATOR, { body: JSON.stringify({ records: [canary] }), contentType: "application/json", idempotencyKey: null });
            expect(res.status).toBe(201);
          }
          if (records.length > 0) await send(records);
        }
        const { stored, recomputed } = await routingRollupAgainstBase();
        expect(stored).toEqual(recomputed);
        // Drift's bins (lib/data/drift.ts) are kept by a trigger on the same inserts.
        const drift = await driftRollupAgainstBase();
        expect(drift.stored).toEqual(drift.recomputed);
      }),
      { numRuns: 10 },
    );
  });

  it("counts a batch of one fragile record as n == 1-fragile, sent to audit; canaries go to audit; needs dashboards:read", async () => {
    await expect(routingHealth({ kind: "user", id: randomUUID(), email: "a@x", name: "A", role: "analyst" }, { days: 7 })).rejects.toBeInstanceOf(ForbiddenError);
    const before = await routingHealth(governance, { days: 7 });
    await send([fragile[0]!]);
    await send(plain.slice(0, 10));
    const after = await routingHealth(governance, { days: 7 });
    expect(after.total.single - before.total.single).toBe(1);
    expect(after.total.singleFragile - before.total.singleFragile).toBe(1);
    expect(after.total.singleFragileAuto).toBe(0);
    expect(after.total.results - before.total.results).toBe(11);
    expect(after.total.batches - before.total.batches).toBe(2);
    expect(after.series).toHaveLength(7);
    expect(after.series.at(-1)!.day).toBe(new Date().toISOString().slice(0, 10));
    expect(after.series.at(-1)!.fragileBand).not.toBeNull();
    expect(after.total.canaryAuto).toBe(0);
    expect(after.canaries.map((c) => c.recordId)).toEqual([...SEED_CANARY_IDS]);
    expect(after.policy.expectedFragileShare).toBe(0.05);
  });

  it("§11 quality counts label feedback before decisions and leaves disputed records out", async () => {
    const ids = [`${prefix}-${sent}`, `${prefix}-${sent + 1}`];
    await send(plain.slice(20, 22));
    const before = await routingHealth(governance, { days: 1 });
    const label = (recordId: string, value: boolean, source: string) => ({ recordId, label: value, observedAt: "2026-12-01T00:00:00Z", source });
    await ingestLabels(OPERATOR, { body: JSON.stringify({ labels: [label(ids[0]!, false, "a"), label(ids[1]!, true, "a"), label(ids[1]!, false, "b")] }), contentType: "application/json" });
    const after = await routingHealth(governance, { days: 1 });
    expect(after.quality.labelled.feedback - before.quality.labelled.feedback).toBe(1);
    expect(after.quality.labelled.disputed - before.quality.labelled.disputed).toBe(1);
    expect(after.quality.figures!.records - (before.quality.figures?.records ?? 0)).toBe(1);
  });

  it("§11 figures from the rollup equal the per-record recomputation: counts, per reason and flag, the released error bound and the full-coverage risk", async () => {
    // Label a spread of this file's records, some against the machine (errors), some by two agreeing sources.
    await send([...fragile.slice(10, 30), ...plain.slice(30, 70)]);
    const ids = Array.from({ length: 60 }, (_, i) => `${prefix}-${sent - 60 + i}`);
    const labels = ids.flatMap((recordId, i) => {
      const l = { recordId, label: i % 3 === 0, observedAt: "2026-12-01T00:00:00Z", source: "exact" };
      return i % 4 === 0 ? [l, { ...l, source: "exact-2" }] : [l];
    });
    expect((await ingestLabels(OPERATOR, { body: JSON.stringify({ labels }), contentType: "application/json" })).status).toBe(201);
    const from = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    // Other test files write to the same database: compare reads between which the base did not change.
    let rollup: Awaited<ReturnType<typeof labelledRoutingQuality>>;
    let base: Awaited<ReturnType<typeof labelledRoutingQuality>>;
    for (let attempt = 1; ; attempt++) {
      base = await labelledRoutingQualityFromBase(from);
      rollup = await labelledRoutingQuality(from);
      if (JSON.stringify(await labelledRoutingQualityFromBase(from)) === JSON.stringify(base) || attempt === 5) break;
    }
    expect(rollup.labelled).toEqual(base.labelled);
    const r = rollup.figures!;
    const b = base.figures!;
    expect(r.errors).toBeGreaterThan(0);
    for (const key of ["records", "errors", "audited", "caught", "released", "releasedErrors", "releasedErrorUpper", "errorCapture", "lift"] as const) expect(r[key], key).toEqual(b[key]);
    expect(r.byReason).toEqual(b.byReason);
    expect(r.byFlag).toEqual(b.byFlag);
    expect(r.operatingPoint).toEqual(b.operatingPoint);
    // The baseline and the curve take records by confidence band, pro rata within the band
    // where a share ends (the band arithmetic is pinned in lib/gating/routing-quality.test.ts);
    // releasing every record is exact whatever the bands.
    expect(r.riskCoverage.at(-1)).toEqual(b.riskCoverage.at(-1));
    expect(r.baseline.caught).toBeGreaterThanOrEqual(0);
    expect(r.baseline.caught).toBeLessThanOrEqual(Math.min(r.errors, r.audited));
  });
});
