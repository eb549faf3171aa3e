/**
 * Drift against real PostgreSQL: the SQL bins are the pure rule's, an ingest moves the
 * window's bins by exactly its records' bins (a missing spend in the missing bin, never
 * zero), and a window of shifted spends is significant drift.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError } from "@/lib/errors";
import { DRIFT_VARIABLES, driftBin, driftFigure } from "@/lib/governance/drift";
import { scoredReferenceData } from "@/lib/reference-data";
import { db } from "./db";
import { referenceBins, routingDrift } from "./drift";
import { ingestBatch } from "./ingest";

withTestDatabase();
const prefix = `d${randomUUID().slice(0, 6)}`;
const manager: Actor = { kind: "user", id: randomUUID(), email: "m@x", name: "M", role: "manager" };

describe("drift", () => {
  it("bins a value in SQL as the pure rule does", async () => {
    const spends = [0, 1e-9, 0.5, 1, 1.5, 3, 3.16, 3.17, 9.99, 10, 10.01, 31, 32, 99, 100, 101, 316, 317, 999, 1000, 1001, 3162, 3163, 9999, 10000, 10001, 31622, 31623, 1e6];
    const probabilities = [0, 0.01, 0.049999, 0.05, 0.1, 0.35, 0.5, 0.95, 0.999999, 1];
    const { rows } = await db().pool.query<{ s: number[]; p: number[] }>(
      "SELECT array(SELECT drift_bin_spend(v) FROM unnest($1::float8[]) v) AS s, array(SELECT drift_bin_probability(v) FROM unnest($2::float8[]) v) AS p",
      [spends, probabilities],
    );
    expect(rows[0]!.s).toEqual(spends.map((v) => driftBin("Spa", v)));
    expect(rows[0]!.p).toEqual(probabilities.map((v) => driftBin("pModel", v)));
    expect((await db().pool.query("SELECT drift_bin_spend(NULL) AS b")).rows[0].b).toBe(0);
  });

  it("an ingest moves the window's bins by exactly its records' bins, a missing spend as missing", async () => {
    const before = await routingDrift(manager, { days: 1 });
    const records = scoredReferenceData()
      .slice(0, 120)
      .map((r, i) => ({ ...r, recordId: `${prefix}-${i}`, spend: { ...r.spend, Spa: i % 4 === 0 ? null : (r.spend.Spa ?? null), VRDeck: r.spend.VRDeck == null ? null : r.spend.VRDeck * 1000 } }));
    const res = await ingestBatch(OPERATOR, { body: JSON.stringify({ batchId: `${prefix}-b`, records }), contentType: "application/json", idempotencyKey: null });
    expect(res.status).toBe(201);
    const after = await routingDrift(manager, { days: 1 });
    const expected = referenceBins(records);
    for (const v of DRIFT_VARIABLES) {
      const moved = after.variables.find((x) => x.variable === v)!.bins.map((n, i) => n - before.variables.find((x) => x.variable === v)!.bins[i]!);
      expect(moved, v).toEqual(expected[v]);
    }
    expect(expected.Spa[0]).toBeGreaterThanOrEqual(30);
  });

  it("reads the policy's reference bins once stored, and judges shifted spends as significant drift", async () => {
    const drift = await routingDrift(manager, { days: 1 });
    expect(drift.reference.rows).toBe(5237);
    const stored = await db().pool.query("SELECT count(DISTINCT variable)::int AS n FROM drift_reference WHERE policy_id = $1", [drift.reference.policyId]);
    expect(stored.rows[0].n).toBe(DRIFT_VARIABLES.length);
    const spa = drift.variables.find((x) => x.variable === "Spa")!;
    const shifted = referenceBins(scoredReferenceData().slice(0, 500).map((r) => ({ ...r, spend: { ...r.spend, Spa: r.spend.Spa == null ? null : r.spend.Spa * 1000 + 50 } })));
    expect(driftFigure(spa.referenceBins, shifted.Spa).level).toBe("significant");
    const same = referenceBins(scoredReferenceData().slice(0, 2000));
    expect(driftFigure(spa.referenceBins, same.Spa).level).toBe("stable");
  });

  it("only people who may see dashboards read drift", async () => {
    const analyst: Actor = { kind: "user", id: randomUUID(), email: "a@x", name: "A", role: "analyst" };
    await expect(routingDrift(analyst, { days: 1 })).rejects.toThrow(ForbiddenError);
  });
});
