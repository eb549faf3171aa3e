/**
 * The database going away in the middle of an ingest, on a private embedded PostgreSQL
 * server (its own folder and port; never the machine's shared server): the batch is either
 * stored whole or not at all, and a retry with the same idempotency key leaves every
 * record stored exactly once.
 */
import { describe, expect, it } from "vitest";
import { withPrivateServer } from "@/lib/db/private-server";
import type { ScoredRecord } from "@/lib/gating";
import type { Actor } from "@/lib/auth/actor";
import { ingestBatch } from "./ingest";

const db = withPrivateServer("ingest-fault");

const actor: Actor = { kind: "token", tokenId: "00000000-0000-4000-8000-000000000001", accountId: "00000000-0000-4000-8000-000000000002", accountEmail: "svc@x", scopes: ["ingest"] };

function record(i: number): ScoredRecord {
  return {
    recordId: `fault-${i}`,
    spend: { RoomService: i % 7 === 0 ? null : (i * 13) % 900, FoodCourt: (i * 7) % 1200, ShoppingMall: 0, Spa: (i * 3) % 500, VRDeck: 0 },
    context: { HomePlanet: ["Earth", "Europa", "Mars"][i % 3]!, Destination: "TRAPPIST-1e", Cabin: `F/${i}/P` },
    pModel: ((i * 37) % 100) / 100,
    ensemble: Array.from({ length: 10 }, () => ((i * 37) % 100) / 100),
    scorerVersion: "fault-1",
  };
}

describe("ingest when the database goes away mid-batch", () => {
  it("stores the batch whole or not at all, and a retry under the same key stores it exactly once", async () => {
    const body = JSON.stringify({ batchId: "fault-batch", records: Array.from({ length: 10_000 }, (_, i) => record(i)) });
    const request = { body, contentType: "application/json", idempotencyKey: "fault-key" };
    const attempt = ingestBatch(actor, request).then(
      () => "stored" as const,
      (error: unknown) => error,
    );
    // Stop the server while the batch is being gated and written.
    await new Promise((r) => setTimeout(r, 400));
    await db.stop();
    const outcome = await attempt;
    await db.restart();
    const count = async () => Number((await db.handle().pool.query("SELECT count(*) FROM gating_results WHERE batch_id = 'fault-batch'")).rows[0].count);
    const before = await count();
    // Atomic: nothing or everything.
    expect([0, 10_000]).toContain(before);
    if (outcome !== "stored") expect(outcome).toBeInstanceOf(Error);

    const retry = await ingestBatch(actor, request);
    expect(retry.status).toBe(201);
    expect(JSON.parse(retry.body)).toMatchObject({ batchId: "fault-batch", records: 10_000 });
    expect(await count()).toBe(10_000);
    expect(Number((await db.handle().pool.query("SELECT count(*) FROM scored_records WHERE record_id LIKE 'fault-%'")).rows[0].count)).toBe(10_000);
    // A third try is a replay.
    expect((await ingestBatch(actor, request)).replayed).toBe(true);
    expect(await count()).toBe(10_000);
  }, 180_000);
});
