/**
 * The database crashing (`kill -9` of the postmaster) during a storm of decisions from 16
 * clients, on a private embedded PostgreSQL server (its own folder and port; never the
 * machine's shared server). After crash recovery the app's own pool, never replaced,
 * serves again; every acknowledged decision is in the log exactly once, retries of the
 * unacknowledged ones (same request ids) never write twice, the chain verifies with no gap
 * and no fork.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withPrivateServer } from "@/lib/db/private-server";
import type { ScoredRecord } from "@/lib/gating";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { decideRecord } from "./decisions";
import { ingestBatch } from "./ingest";
import { verifyLedger } from "./ledger";
import { listQueue, queueQuery, type QueueItem } from "./queue";
import { createUser } from "./users";

const db = withPrivateServer("decision-fault", 16);
let analyst: Actor;

const ingestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["ingest"] };

/** Uncertain records (p ≈ 0.5): routed to audit for low confidence. */
function record(i: number): ScoredRecord {
  const p = 0.47 + ((i * 7) % 7) / 100;
  return {
    recordId: `storm-${i}`,
    spend: { RoomService: i % 5 === 0 ? null : (i * 13) % 300, FoodCourt: (i * 7) % 400, ShoppingMall: 0, Spa: (i * 3) % 200, VRDeck: 0 },
    context: { HomePlanet: ["Earth", "Europa", "Mars"][i % 3]!, Destination: "TRAPPIST-1e", Cabin: `F/${i}/P`, CryoSleep: false },
    pModel: p,
    ensemble: Array.from({ length: 10 }, (_, m) => p + (m - 5) * 0.005),
    scorerVersion: "storm-1",
  };
}

beforeAll(async () => {
  const user = await createUser(OPERATOR, { email: "storm@example.test", name: "Storm Analyst", role: "analyst", password: "correct horse battery" });
  analyst = { kind: "user", id: user.id, email: user.email, name: user.name, role: "analyst" };
  await ingestBatch(ingestor, { body: JSON.stringify({ batchId: "storm", records: Array.from({ length: 600 }, (_, i) => record(i)) }), contentType: "application/json", idempotencyKey: null });
}, 120_000);

describe("decisions when the database crashes mid-storm", () => {
  it("keeps every acknowledged decision exactly once; retries never duplicate; the chain verifies", async () => {
    const queued: QueueItem[] = (await listQueue(analyst, queueQuery({ batch: "storm", limit: "200" }))).items;
    expect(queued.length).toBeGreaterThanOrEqual(150);
    const inputs = queued.map((i) => ({ recordId: i.recordId, resultVersion: i.version, ledgerVersion: 0, machineLabel: i.decision, action: "confirm", requestId: randomUUID() }));
    const acknowledged = new Set<string>();
    const failed: typeof inputs = [];
    // Sixteen clients' decisions in flight at a time; the postmaster is killed under them.
    let next = 0;
    const worker = async () => {
      while (next < inputs.length) {
        const input = inputs[next++]!;
        try {
          await decideRecord(analyst, input);
          acknowledged.add(input.recordId);
        } catch {
          failed.push(input);
        }
      }
    };
    const pool = db.handle().pool;
    const storm = Promise.all(Array.from({ length: 16 }, worker));
    while (acknowledged.size < 20) await new Promise((r) => setTimeout(r, 5));
    await db.crash();
    await storm;
    expect(failed.length).toBeGreaterThan(0);

    await db.recover();
    // The same pool the storm used: it drops its dead connections and opens new ones.
    expect(db.handle().pool).toBe(pool);
    const counts = async () =>
      new Map(
        (await db.handle().pool.query<{ subject_id: string; n: number }>("SELECT subject_id, count(*)::int AS n FROM edit_log WHERE subject_type = 'record' GROUP BY subject_id")).rows.map((r) => [
          r.subject_id,
          r.n,
        ]),
      );
    const before = await counts();
    for (const id of acknowledged) expect(before.get(id), id).toBe(1);
    for (const n of before.values()) expect(n).toBe(1);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true, count: before.size });

    // The unacknowledged are retried as the browser would (same request ids): each lands once.
    for (const input of failed) {
      const outcome = await decideRecord(analyst, input);
      if (before.has(input.recordId)) expect(outcome.replayed).toBe(true);
    }
    const after = await counts();
    for (const input of inputs) expect(after.get(input.recordId), input.recordId).toBe(1);
    const decided = Number((await db.handle().pool.query("SELECT count(*) FROM gating_results WHERE batch_id = 'storm' AND review_seq IS NOT NULL")).rows[0].count);
    expect(decided).toBe(inputs.length);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true, count: inputs.length });
  }, 180_000);
});
