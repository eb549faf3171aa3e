/**
 * What the database benchmarks share: their own database on a PostgreSQL server (created
 * fresh, migrated, installed as the data layer's database, dropped at the end).
 */
import pg from "pg";
import { createPrismaClient, type DatabaseHandle } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrate";
import { setDatabase } from "@/lib/data/db";

export const DEFAULT_SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  url: string;
  handle: DatabaseHandle;
  /** the URL's own user (owner of the tables): VACUUM, bulk fixtures */
  owner: pg.Pool;
  drop(): Promise<void>;
}

export async function createBenchDatabase(serverUrl: string, name: string, poolSize: number): Promise<BenchDatabase> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await deployMigrations(url.toString());
  const handle = createPrismaClient(url.toString(), { max: poolSize });
  setDatabase(handle);
  const owner = new pg.Pool({ connectionString: url.toString(), max: 2 });
  // Dropping the database ends idle connections; unhandled, that error would end the run before its figures.
  owner.on("error", () => {});
  return {
    url: url.toString(),
    handle,
    owner,
    async drop() {
      await handle.close().catch(() => undefined);
      await owner.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
