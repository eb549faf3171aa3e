import fs from "node:fs";
import path from "node:path";
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
  database: "ok" | "unreachable";
  migrations: { applied: number; pending: string[] } | null;
  firstRunSeed: "done" | "pending" | null;
  detail?: string;
};

/** Ready means a user can work: database reachable, migrations current, first-run seed done. */
export async function readiness(): Promise<Readiness> {
  let applied: string[];
  try {
    const rows = await db().pool.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    applied = rows.rows.map((r) => r.migration_name);
  } catch (error) {
    const message = (error as Error).message;
    const missingTable = /_prisma_migrations/.test(message) && /does not exist/.test(message);
    if (!missingTable) return { ready: false, database: "unreachable", migrations: null, firstRunSeed: null, detail: message };
    applied = [];
  }
  const pending = shippedMigrations().filter((m) => !applied.includes(m));
  const seeded = pending.length === 0 ? await firstRunSeedDone() : false;
  return {
    ready: pending.length === 0 && seeded,
    database: "ok",
    migrations: { applied: applied.length, pending },
    firstRunSeed: seeded ? "done" : "pending",
  };
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
