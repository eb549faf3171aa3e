import { afterAll, beforeAll } from "vitest";
import { setDatabase } from "@/lib/data/db";
import { createPrismaClient, type DatabaseHandle } from "./client";
import { deployMigrations } from "./migrate";
import { dropDatabase, recreateDatabase } from "./scratch-database";

/**
 * For integration tests: the real PostgreSQL database `npm test` prepared (DATABASE_URL),
 * migrated, installed as the data layer's database for this file. The data layer runs as
 * the app role (sentinel_app), as the server does.
 *
 * `own`: a database of the file's own on the same server (`<database>_<own>`, made anew
 * and dropped after), for tests that change what every other file relies on — which
 * policy is active, say — while the other files run.
 */
export function withTestDatabase(options: { own?: string } = {}): { handle: () => DatabaseHandle; owner: () => DatabaseHandle } {
  let handle: DatabaseHandle | undefined;
  let owner: DatabaseHandle | undefined;
  let url: string | undefined;
  beforeAll(async () => {
    url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: run the tests through `npm test` (it prepares a database).");
    if (options.own) url = await recreateDatabase(url, `${new URL(url).pathname.slice(1)}_${options.own}`);
    await deployMigrations(url);
    handle = createPrismaClient(url, { max: 4 });
    setDatabase(handle);
  });
  afterAll(async () => {
    await handle?.close();
    await owner?.close();
    if (options.own && url) await dropDatabase(url);
  });
  return {
    handle: () => {
      if (!handle) throw new Error("the test database is not ready yet");
      return handle;
    },
    /** The URL's own user (the superuser in tests), not the app role: for playing the attacker or the operator. */
    owner: () => {
      if (!url) throw new Error("DATABASE_URL is not set");
      owner ??= createPrismaClient(url, { max: 2, role: null });
      return owner;
    },
  };
}
