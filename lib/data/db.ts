import { createPrismaClient, type DatabaseHandle } from "@/lib/db/client";
import { embeddedDatabaseUrl } from "@/lib/db/database-url";
import { loadEnv } from "@/lib/env";

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
    globalForDb.sentinelDb = createPrismaClient(url);
  }
  return globalForDb.sentinelDb;
}

/** Tests, CLIs and benchmarks use their own handle through the same data layer. */
export function setDatabase(handle: DatabaseHandle): void {
  globalForDb.sentinelDb = handle;
}
