import { afterAll, beforeAll } from "vitest";
import { setDatabase } from "@/lib/data/db";
import { createPrismaClient, type DatabaseHandle } from "./client";
import { deployMigrations } from "./migrate";

/**
 * For integration tests: the real PostgreSQL database `npm test` prepared (DATABASE_URL),
 * migrated, installed as the data layer's database for this file.
 */
export function withTestDatabase(): { handle: () => DatabaseHandle } {
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: run the tests through `npm test` (it prepares a database).");
    await deployMigrations(url);
    handle = createPrismaClient(url, { max: 4 });
    setDatabase(handle);
  });
  afterAll(async () => {
    await handle?.close();
  });
  return {
    handle: () => {
      if (!handle) throw new Error("the test database is not ready yet");
      return handle;
    },
  };
}
