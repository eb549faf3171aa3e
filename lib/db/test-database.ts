import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import type { Role } from "@/lib/auth/permissions";
import { registerSigningKey } from "@/lib/data/checkpoints";
import { createUser } from "@/lib/data/users";
import { setDatabase } from "@/lib/data/db";
import { appLoginUrl } from "./app-login";
import { createPrismaClient, type DatabaseHandle } from "./client";
import { deployMigrations } from "./migrate";
import { dropDatabase, recreateDatabase } from "./scratch-database";

/**
 * For integration tests: the real PostgreSQL database `npm test` prepared (DATABASE_URL),
 * migrated, installed as the data layer's database for this file. DATABASE_URL is the
 * owner's (it makes databases); the data layer logs in as the app's own login and runs as
 * the app role (sentinel_login as sentinel_app), as the server does.
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
    await registerSigningKey(url);
    handle = createPrismaClient(appLoginUrl(url), { max: 4 });
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

/**
 * A real, active person of `role` in the data layer's database: the edit log's append
 * function refuses an actor that does not exist or whose role may not take the action.
 */
export async function testPerson(role: Role): Promise<Extract<Actor, { kind: "user" }>> {
  const user = await createUser(OPERATOR, { email: `${role}-${randomUUID().slice(0, 8)}@example.test`, name: `Test ${role}`, role, password: "test person password" });
  return { kind: "user", id: user.id, email: user.email, name: user.name, role };
}
