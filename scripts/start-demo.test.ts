import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appLoginUrl } from "@/lib/db/app-login";
import { createPrismaClient, type DatabaseHandle } from "@/lib/db/client";
import { deployMigrations } from "@/lib/db/migrate";
import { setDatabase } from "@/lib/data/db";
import { activeDemoAccounts } from "@/lib/data/users";

// A database of its own: this file retires demo accounts, which other files' fixtures use.
let url: string;
let dataDir: string;
let handle: DatabaseHandle;
const name = `sentinel_demo_guard_${process.pid}`;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL is not set: run the tests through `npm test` (it prepares a database).");
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(process.env.DATABASE_URL);
  u.pathname = `/${name}`;
  url = u.toString();
  await deployMigrations(url);
  handle = createPrismaClient(appLoginUrl(url), { max: 2 });
  setDatabase(handle);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-demo-guard-"));
}, 120_000);

afterAll(async () => {
  await handle?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

function run(script: string, args: string[], env: Record<string, string>, input?: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    encoding: "utf8",
    input,
    // As deployed: the app's own login, the owner's for migrations.
    env: { ...process.env, SENTINEL_DATA_DIR: dataDir, DATABASE_URL: appLoginUrl(url), DATABASE_OWNER_URL: url, PORT: "3979", ...env },
    timeout: 90_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, output: r.stdout + r.stderr };
}

describe("a production or strict start and leftover demo accounts", () => {
  it("refuses while active demo accounts exist, says how to remove them, and demo:remove retires them for good", async () => {
    for (const [email, role] of [["admin@demo.local", "admin"], ["analyst@demo.local", "analyst"], ["ops@example.com", "admin"]]) {
      const created = run("scripts/admin.ts", ["user:create", "--email", email!, "--role", role!, "--password-stdin"], {}, "a published password\n");
      expect(created.code, created.stderr).toBe(0);
    }

    for (const env of [{ SENTINEL_STRICT: "1" }, { NODE_ENV: "production" }] as Record<string, string>[]) {
      const refused = run("scripts/start.ts", [], env);
      expect(refused.code, refused.output).toBe(1);
      expect(refused.output).toContain("holds active demo accounts with published passwords: admin@demo.local, analyst@demo.local.");
      expect(refused.output).toContain(`A start with ${Object.keys(env)[0]}=`);
      expect(refused.output).toContain("npm run admin -- demo:remove");
      expect(refused.output).not.toContain("Building the production bundle");
    }

    const removed = run("scripts/admin.ts", ["demo:remove"], {});
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr).toContain("2 demo account(s): admin@demo.local, analyst@demo.local");
    expect(await activeDemoAccounts()).toEqual([]);
    const rows = await handle.pool.query<{ email: string; active: boolean; has_password: boolean }>(
      "SELECT email, active, password_hash IS NOT NULL AS has_password FROM users WHERE kind = 'human' ORDER BY email",
    );
    expect(rows.rows).toEqual([
      { email: "admin@demo.local", active: false, has_password: false },
      { email: "analyst@demo.local", active: false, has_password: false },
      { email: "ops@example.com", active: true, has_password: true },
    ]);
    // Reactivated by someone later, the account still has no published password to sign in with.
    await handle.pool.query("UPDATE users SET active = true WHERE email = 'analyst@demo.local'");
    const again = run("scripts/start.ts", [], { SENTINEL_STRICT: "1" });
    expect(again.code).toBe(1);
    expect(again.output).toContain("demo accounts with published passwords: analyst@demo.local.");
    expect(run("scripts/admin.ts", ["demo:remove"], {}).stderr).toContain("1 demo account(s): analyst@demo.local");
    expect(run("scripts/admin.ts", ["demo:remove"], {}).stderr).toContain("No demo accounts to remove.");
  });
});
