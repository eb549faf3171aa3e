import type { FullConfig } from "@playwright/test";
import fs from "node:fs";
import pg from "pg";
import { ROLES } from "../lib/auth/permissions";
import { AUTH_DIR, demoUser, newApiContext, signInOverHttp, storageStateFor } from "./support";

/** Refuses to run against anything but a local database: the suite writes to it. */
function assertLocalDatabase(url: string) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) throw new Error(`E2E_DATABASE_URL must point at a local server, not ${host}`);
}

/**
 * The server (`npm start`) has migrated and seeded the demo users; this checks they are
 * there and signs each role in once, saving its cookies for the specs.
 */
export default async function globalSetup(config: FullConfig) {
  const url = process.env.E2E_DATABASE_URL!;
  assertLocalDatabase(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM users WHERE email LIKE '%@demo.local'");
    if (Number(rows[0]!.n) < ROLES.length) throw new Error("the first-run seed did not create the demo users");
  } finally {
    await client.end();
  }
  const baseURL = config.projects[0]!.use.baseURL!;
  fs.mkdirSync(AUTH_DIR, { recursive: true });
  for (const role of ROLES) {
    const user = demoUser(role);
    const api = await newApiContext(baseURL);
    if (!(await signInOverHttp(api, user.email, user.password))) throw new Error(`could not sign in as ${user.email}`);
    await api.storageState({ path: storageStateFor(role) });
    await api.dispose();
  }
}
