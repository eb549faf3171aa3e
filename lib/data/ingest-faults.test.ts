/**
 * The database crashing (`kill -9` of the postmaster) in the middle of an ingest's
 * transaction, on a private embedded PostgreSQL server (its own folder and port; never the
 * machine's shared server): the kill is made only once the batch's rows are being written
 * (the transaction holds its write lock on gating_results), the batch is then stored not at
 * all, and after crash recovery the app's own pool serves the retry, which stores every
 * record exactly once.
 */
import pg from "pg";
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

/** Waits until another connection holds an open write transaction on gating_results: the ingest is mid-transaction. */
async function untilIngestWrites(watcher: pg.Client, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const held = await watcher.query(
      `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.relation = 'gating_results'::regclass AND l.mode = 'RowExclusiveLock' AND l.granted
          AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL`,
    );
    if (held.rowCount) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error("the ingest never started writing");
}

describe("ingest when the database crashes mid-transaction", () => {
  it("stores nothing of the interrupted batch, and the retry on the same pool stores it exactly once", async () => {
    const body = JSON.stringify({ batchId: "fault-batch", records: Array.from({ length: 10_000 }, (_, i) => record(i)) });
    const request = { body, contentType: "application/json", idempotencyKey: "fault-key" };
    const pool = db.handle().pool;
    const watcher = new pg.Client({ connectionString: db.url() });
    watcher.on("error", () => {});
    await watcher.connect();

    const attempt = ingestBatch(actor, request).then(
      () => "stored" as const,
      (error: unknown) => error,
    );
    await untilIngestWrites(watcher);
    await db.crash();
    const outcome = await attempt;
    await watcher.end().catch(() => undefined);
    // Killed inside the transaction: the request failed and its rows never committed.
    expect(outcome).toBeInstanceOf(Error);

    await db.recover();
    expect(db.handle().pool).toBe(pool);
    const count = async () => Number((await db.handle().pool.query("SELECT count(*) FROM gating_results WHERE batch_id = 'fault-batch'")).rows[0].count);
    // The pool's first use after the crash may meet a connection the crash broke; the app's retry is the next request.
    const before = await count().catch(count);
    expect(before).toBe(0);
    expect(Number((await db.handle().pool.query("SELECT count(*) FROM ingest_requests WHERE key = 'fault-key'")).rows[0].count)).toBe(0);

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
