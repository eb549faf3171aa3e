import type { PoolClient } from "pg";
import { createPrismaClient, type DatabaseHandle } from "@/lib/db/client";
import { embeddedDatabaseUrl } from "@/lib/db/database-url";
import { loadEnv } from "@/lib/env";
import { DatabaseBusyError, databaseBusyReason } from "@/lib/errors";

const globalForDb = globalThis as unknown as { sentinelDb?: DatabaseHandle };

/**
 * The server's database handle, created on first use. `npm start` passes the embedded
 * server's URL as DATABASE_URL; a server started some other way finds a running embedded
 * server through its run record.
 */
export function db(): DatabaseHandle {
  if (!globalForDb.sentinelDb) {
    const url = loadEnv().DATABASE_URL ?? embeddedDatabaseUrl();
    if (!url) throw new Error("No database: set DATABASE_URL, or start the console with `npm start`.");
    globalForDb.sentinelDb = createPrismaClient(url, { max: loadEnv().DB_POOL_MAX });
  }
  return globalForDb.sentinelDb;
}

/** Tests, CLIs and benchmarks use their own handle through the same data layer. */
export function setDatabase(handle: DatabaseHandle): void {
  globalForDb.sentinelDb = handle;
}

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT when it returns, ROLLBACK
 * when it throws. `readOnlySnapshot`: a read-only REPEATABLE READ transaction, so several
 * reads see one state of the database (writes elsewhere cannot fall between them). While checked out, a connection the server drops emits "error" with no
 * pool listener attached — unhandled, that would crash the process — so one is attached
 * here, and a broken connection is destroyed rather than returned to the pool.
 */
export async function transaction<T>(work: (client: PoolClient) => Promise<T>, options: { readOnlySnapshot?: boolean } = {}): Promise<T> {
  const client = await db().pool.connect();
  let broken: Error | undefined;
  // The first error is the reason (e.g. the server's idle-in-transaction timeout); the
  // "connection terminated" that follows it says less.
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on("error", onError);
  try {
    await client.query(options.readOnlySnapshot ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    if (!broken) await client.query("ROLLBACK").catch((e: Error) => (broken = e));
    // The server ended the session (idle in transaction too long): the query that noticed
    // only says "connection terminated"; the reason arrived as the client's error event.
    const reason = broken && databaseBusyReason(broken);
    if (reason) throw new DatabaseBusyError(reason, broken);
    throw error;
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}
