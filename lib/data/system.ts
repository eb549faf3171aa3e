import fs from "node:fs";
import path from "node:path";
import type { PoolClient } from "pg";
import { databaseBusyReason } from "@/lib/errors";
import { log } from "@/lib/log";
import { db } from "./db";

const FIRST_RUN_KEY = "first_run_seed";

/** Names of the migrations shipped with this build. */
function shippedMigrations(dir = path.resolve(/*turbopackIgnore: true*/ process.cwd(), "prisma/migrations")): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

export type Readiness = {
  ready: boolean;
  /** coarse on purpose: the public probe never shows the database's own words (they go to the log) */
  database: "ok" | "busy" | "unreachable";
  migrations: { applied: number; pending: string[] } | null;
  firstRunSeed: "done" | "pending" | null;
};

/** How long a readiness probe may take in all: probes must answer even when the database does not. */
export const READINESS_BUDGET_MS = 1200;

/**
 * Ready means a user can work: database reachable, migrations current, first-run seed done.
 * Bounded in time: the check runs on the app's own pool (a starved pool is exactly what
 * should make the console not ready) and races a timer; past the budget the answer is
 * `database: "busy"`. An abandoned check gives its connection back when its query ends,
 * and its wait for a connection ends at the pool's connect timeout.
 */
export async function readiness(options: { budgetMs?: number } = {}): Promise<Readiness> {
  const budgetMs = options.budgetMs ?? READINESS_BUDGET_MS;
  let timer: NodeJS.Timeout | undefined;
  let abandoned = false;
  const late = new Promise<Readiness>((resolve) => {
    timer = setTimeout(() => {
      abandoned = true;
      log.warn({ budgetMs }, "readiness: the database did not answer in time");
      resolve(notReady("busy"));
    }, budgetMs);
  });
  try {
    return await Promise.race([check(() => abandoned), late]);
  } finally {
    clearTimeout(timer);
  }
}

const notReady = (database: "busy" | "unreachable"): Readiness => ({ ready: false, database, migrations: null, firstRunSeed: null });

async function check(abandoned: () => boolean): Promise<Readiness> {
  let client: PoolClient | undefined;
  let failed: Error | undefined;
  try {
    client = await db().pool.connect();
    if (abandoned()) return notReady("busy");
    let applied: string[];
    try {
      const rows = await client.query<{ migration_name: string }>(
        "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
      );
      applied = rows.rows.map((r) => r.migration_name);
    } catch (error) {
      // A database nobody has migrated yet: reachable, everything pending.
      if ((error as { code?: string }).code !== "42P01") throw error;
      applied = [];
    }
    const pending = shippedMigrations().filter((m) => !applied.includes(m));
    const seeded = pending.length === 0 && !abandoned() ? (await client.query("SELECT 1 FROM app_state WHERE key = $1", [FIRST_RUN_KEY])).rowCount === 1 : false;
    return { ready: pending.length === 0 && seeded, database: "ok", migrations: { applied: applied.length, pending }, firstRunSeed: seeded ? "done" : "pending" };
  } catch (error) {
    failed = error as Error;
    const busy = databaseBusyReason(error);
    log.warn({ reason: busy ?? "unreachable", err: (error as Error).message }, "readiness: database check failed");
    return notReady(busy ? "busy" : "unreachable");
  } finally {
    // A connection that failed mid-check is dropped, not given back to the pool.
    client?.release(failed);
  }
}

export async function firstRunSeedDone(): Promise<boolean> {
  const row = await db().prisma.appState.findUnique({ where: { key: FIRST_RUN_KEY } });
  return row !== null;
}

/** True when the first-run seed loaded the demo data (its users, records and events). */
export async function demoDataSeeded(): Promise<boolean> {
  const row = await db().prisma.appState.findUnique({ where: { key: FIRST_RUN_KEY } });
  const value = row?.value as { demo?: unknown } | null | undefined;
  return value?.demo === true;
}

export async function markFirstRunSeedDone(detail: { demo: boolean; at: string }): Promise<void> {
  await db().prisma.appState.upsert({
    where: { key: FIRST_RUN_KEY },
    create: { key: FIRST_RUN_KEY, value: detail },
    update: { value: detail },
  });
}
