/**
 * Bounded waits against real PostgreSQL: a held lock, a starved pool, a transaction left
 * idle, a slow statement and an exhausted pool each end quickly as DatabaseBusyError
 * (503 with Retry-After at the routes, a clear retryable message in actions), never as a
 * hang; readiness answers within its budget with coarse reasons and no database text.
 */
import { randomUUID } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as readyRoute } from "@/app/api/health/ready/route";
import { errorResponse } from "@/lib/api/handler";
import { createPrismaClient, connectionOptions, type ClientOptions, type DatabaseHandle } from "@/lib/db/client";
import { withTestDatabase } from "@/lib/db/test-database";
import { asDatabaseBusy, DatabaseBusyError, databaseBusyReason } from "@/lib/errors";
import type { ScoredRecord } from "@/lib/gating";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { setDatabase, transaction } from "./db";
import { annotateRecord } from "./decisions";
import { ingestBatch } from "./ingest";
import { readiness } from "./system";
import { createUser } from "./users";

const db = withTestDatabase();
const prefix = `busy${randomUUID().slice(0, 6)}`;
const ingestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["ingest"] };
let analyst: Extract<Actor, { kind: "user" }>;
const opened: DatabaseHandle[] = [];

/** A handle of its own with the given limits, installed as the data layer's database. */
function handleWith(options: ClientOptions, url = process.env.DATABASE_URL!): DatabaseHandle {
  const handle = createPrismaClient(url, options);
  opened.push(handle);
  setDatabase(handle);
  return handle;
}

/** Fails instead of hanging: a feature that is missing shows as a timeout here, not at the runner's limit. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms))]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const user = await createUser(OPERATOR, { email: `${prefix}@example.test`, name: "Busy Analyst", role: "analyst", password: "correct horse battery" });
  analyst = { kind: "user", id: user.id, email: user.email, name: user.name, role: "analyst" };
  const record: ScoredRecord = {
    recordId: `${prefix}-1`,
    spend: { RoomService: 10, FoodCourt: 20, ShoppingMall: 0, Spa: 5, VRDeck: 0 },
    context: { HomePlanet: "Earth", Destination: "TRAPPIST-1e", Cabin: "F/1/P", CryoSleep: false },
    pModel: 0.5,
    ensemble: Array.from({ length: 10 }, (_, m) => 0.5 + (m - 5) * 0.005),
    scorerVersion: "busy-1",
  };
  await ingestBatch(ingestor, { body: JSON.stringify({ batchId: prefix, records: [record] }), contentType: "application/json", idempotencyKey: null });
});

afterEach(async () => {
  setDatabase(db.handle());
  for (const h of opened.splice(0)) await h.close().catch(() => undefined);
});

describe("database timeouts", () => {
  it("sets the app role's limits in the startup packet, and none but the connect timeout for the owner", async () => {
    const show = async (h: DatabaseHandle) =>
      (await h.pool.query<{ s: string; l: string; i: string }>("SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l, current_setting('idle_in_transaction_session_timeout') AS i")).rows[0];
    expect(await show(db.handle())).toEqual({ s: "30s", l: "5s", i: "1min" });
    expect(await show(db.owner())).toEqual({ s: "0", l: "0", i: "0" });
    expect(db.handle().pool.options.connectionTimeoutMillis).toBe(5000);
    expect(db.owner().pool.options.connectionTimeoutMillis).toBe(5000);
    expect(connectionOptions("sentinel_app", { connectMs: 1, statementMs: 2, lockMs: 3, idleInTransactionMs: 4 })).toBe(
      "-c role=sentinel_app -c statement_timeout=2 -c lock_timeout=3 -c idle_in_transaction_session_timeout=4",
    );
    expect(connectionOptions(null, null)).toBeUndefined();
  });

  it("a held lock makes a note fail as busy within the lock timeout, not hang", async () => {
    const locker = await db.owner().pool.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE edit_log_head IN ACCESS EXCLUSIVE MODE");
      handleWith({ max: 2, timeouts: { lockMs: 300 } });
      const started = Date.now();
      const error = await within(3000, annotateRecord(analyst, { recordId: `${prefix}-1`, text: "while locked", requestId: randomUUID() }).then(() => null, (e: unknown) => e));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(error).toBeInstanceOf(DatabaseBusyError);
      expect((error as DatabaseBusyError).reason).toBe("lock_timeout");
      // The route shell: 503, Retry-After, the one error shape, no database text.
      const res = errorResponse(error, { route: "test" });
      expect(res.status).toBe(503);
      expect(res.headers.get("Retry-After")).toBe("5");
      expect(await res.json()).toEqual({ error: { code: "database_busy", message: "The database is busy; try again in a few seconds." } });
    } finally {
      await locker.query("ROLLBACK");
      locker.release();
    }
    // Nothing was written while the lock was held.
    expect((await db.owner().pool.query("SELECT 1 FROM edit_log WHERE subject_id = $1", [`${prefix}-1`])).rowCount).toBe(0);
  });

  it("ends a transaction left idle, and reports it as busy", async () => {
    const h = handleWith({ max: 1, timeouts: { idleInTransactionMs: 200 } });
    const error = await within(
      3000,
      transaction(async (client) => {
        await client.query("SELECT 1");
        await sleep(700);
        await client.query("SELECT 1");
      }).then(() => null, (e: unknown) => e),
    );
    expect(error).toBeInstanceOf(DatabaseBusyError);
    expect((error as DatabaseBusyError).reason).toBe("idle_in_transaction_timeout");
    // The broken connection was dropped, not given back: the pool still works.
    expect((await h.pool.query("SELECT 1 AS one")).rows[0]).toEqual({ one: 1 });
  });

  it("maps a statement timeout to busy, through pg and through Prisma", async () => {
    const h = handleWith({ max: 2, timeouts: { statementMs: 200 } });
    const raw = await within(3000, h.pool.query("SELECT pg_sleep(2)").then(() => null, (e: unknown) => e));
    expect(databaseBusyReason(raw)).toBe("statement_timeout");
    const viaPrisma = await within(3000, h.prisma.$queryRaw`SELECT pg_sleep(2)`.then(() => null, (e: unknown) => e));
    expect(databaseBusyReason(viaPrisma)).toBe("statement_timeout");
    const res = errorResponse(viaPrisma, { route: "test" });
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("5");
    expect(JSON.stringify(await res.json())).not.toMatch(/cancel|statement/i);
  });

  it("maps an exhausted pool (connect timeout) to busy", async () => {
    const h = handleWith({ max: 1, timeouts: { connectMs: 200 } });
    const held = await h.pool.connect();
    try {
      const error = await within(3000, h.pool.connect().then((c) => (c.release(), null), (e: unknown) => e));
      expect(asDatabaseBusy(error)).toBeInstanceOf(DatabaseBusyError);
      expect(databaseBusyReason(error)).toBe("pool_timeout");
    } finally {
      held.release();
    }
  });

  it("recognises the busy codes however they are wrapped, and nothing else", () => {
    expect(databaseBusyReason({ code: "53300", message: "sorry, too many clients already" })).toBe("too_many_connections");
    expect(databaseBusyReason({ name: "DriverAdapterError", cause: { kind: "TooManyConnections" } })).toBe("too_many_connections");
    expect(databaseBusyReason({ meta: { driverAdapterError: { cause: { originalCode: "55P03" } } } })).toBe("lock_timeout");
    expect(databaseBusyReason({ code: "23505", message: "duplicate key" })).toBeNull();
    expect(databaseBusyReason(new Error("boom"))).toBeNull();
  });
});

describe("readiness", () => {
  it("answers not ready within 2 s with a coarse reason when the pool is starved", async () => {
    const h = handleWith({ max: 1 });
    const held = await h.pool.connect();
    try {
      let started = Date.now();
      const state = await within(3000, readiness());
      expect(Date.now() - started).toBeLessThan(2000);
      expect(state).toEqual({ ready: false, database: "busy", migrations: null, firstRunSeed: null });
      started = Date.now();
      const res = await within(3000, readyRoute());
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.status).toBe(503);
      expect(res.headers.get("Retry-After")).toBe("5");
      expect(await res.json()).toEqual({ status: "not_ready", ready: false, database: "busy", migrations: null, firstRunSeed: null });
    } finally {
      held.release();
    }
  });

  it("says unreachable, and no more, when the database cannot be reached", async () => {
    handleWith({ max: 1, timeouts: { connectMs: 500 } }, "postgresql://postgres@127.0.0.1:1/nowhere");
    const res = await within(3000, readyRoute());
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body).toEqual({ status: "not_ready", ready: false, database: "unreachable", migrations: null, firstRunSeed: null });
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect/);
  });

  it("reports a working database as ok, with the migrations and seed state", async () => {
    const state = await readiness();
    expect(state.database).toBe("ok");
    expect(state.migrations?.pending).toEqual([]);
  });
});
