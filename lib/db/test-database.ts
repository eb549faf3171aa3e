import { afterAll, beforeAll } from "vitest";
import { setDatabase } from "@/lib/data/db";
import { createPrismaClient, type DatabaseHandle } from "./client";
import { deployMigrations } from "./migrate";

/**
 * For integration tests: the real PostgreSQL database `npm test` prepared (DATABASE_URL),
 * migrated, installed as the data layer's database for this file. The data layer runs as
 * the app role (sentinel_app), as the server does.
 */
export function withTestDatabase(): { handle: () => DatabaseHandle; owner: () => DatabaseHandle } {
  let handle: DatabaseHandle | undefined;
  let owner: DatabaseHandle | undefined;
  beforeAll(async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: run the tests through `npm test` (it prepares a database).");
    await deployMigrations(url);
    handle = createPrismaClient(url, { max: 4 });
    setDatabase(handle);
  });
  afterAll(async () => {
    await handle?.close();
    await owner?.close();
  });
  return {
    handle: () => {
      if (!handle) throw new Error("the test database is not ready yet");
      return handle;
    },
    /** The URL's own user (the superuser in tests), not the app role: for playing the attacker or the operator. */
    owner: () => {
      const url = process.env.DATABASE_URL;
      if (!url) throw new Error("DATABASE_URL is not set");
      owner ??= createPrismaClient(url, { max: 2, role: null });
      return owner;
    },
  };
}
