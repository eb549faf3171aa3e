import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { authenticateApiToken } from "@/lib/data/tokens";
import { verifyCredentials } from "@/lib/data/users";

const db = withTestDatabase();

/** Runs the operator CLI as a user would, against the test database. */
function admin(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/admin.ts", ...args], {
    encoding: "utf8",
    input,
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("operator CLI", () => {
  it("has --help for itself and each command", () => {
    const general = admin(["--help"]);
    expect(general.code).toBe(0);
    for (const c of ["user:create", "user:deactivate", "token:create", "token:revoke"]) expect(general.stderr).toContain(c);
    const one = admin(["token:create", "--help"]);
    expect(one.code).toBe(0);
    expect(one.stderr).toContain("--expires-days");
    expect(one.stderr).toContain('or "never" (default: API_TOKEN_DAYS, 90)');
    expect(admin(["frobnicate"]).stderr).toContain('Unknown command "frobnicate"');
  });

  it("creates a user from a password on stdin; the user can sign in", async () => {
    const email = `cli-${randomUUID().slice(0, 8)}@example.com`;
    const r = admin(["user:create", "--email", email, "--role", "governance", "--password-stdin"], "a password from stdin\n");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    expect(await verifyCredentials({ email, password: "a password from stdin", ip: null })).toMatchObject({ role: "governance" });
  });

  it("names the field and the rule for bad input, and writes nothing", async () => {
    const email = `bad-${randomUUID().slice(0, 8)}@example.com`;
    const r = admin(["user:create", "--email", email, "--role", "root", "--password-stdin"], "short\n");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--role: must be one of analyst");
    expect(r.stderr).toContain("--password: must be at least 12 characters");
    expect(await db.handle().prisma.user.count({ where: { email } })).toBe(0);
    expect(admin(["user:create", "--role", "analyst"]).stderr).toContain("--email is required");
    expect(admin(["token:create", "--name", "x", "--scopes", "read,admin"]).stderr).toContain("--scopes: must be one of ingest, events:ingest, models:write, read");
  });

  it("token:create prints the token alone on stdout, for the built-in service account with exactly those scopes", async () => {
    const r = admin(["token:create", "--name", "nightly", "--scopes", "ingest,read", "--expires-days", "30"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sr_[A-Za-z0-9]{40}\n$/);
    const token = r.stdout.trim();
    const principal = await authenticateApiToken(`Bearer ${token}`, "ingest");
    expect(principal).toMatchObject({ accountEmail: "service@local", scopes: ["ingest", "read"] });
    await expect(authenticateApiToken(`Bearer ${token}`, "models:write")).rejects.toThrow(/lacks the scope/);

    const revoked = admin(["token:revoke", "--id", token.slice(0, 10)]);
    expect(revoked.code, revoked.stderr).toBe(0);
    await expect(authenticateApiToken(`Bearer ${token}`, "ingest")).rejects.toThrow(/revoked/);
  });

  it("token:create expires after API_TOKEN_DAYS by default, never only with --expires never", async () => {
    const expiry = async (token: string) => {
      const principal = await authenticateApiToken(`Bearer ${token}`, "read");
      const row = await db.handle().prisma.apiToken.findUniqueOrThrow({ where: { id: principal.tokenId } });
      return row.expiresAt === null ? null : Math.round((row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000);
    };
    const plain = admin(["token:create", "--name", "default-expiry", "--scopes", "read"]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(await expiry(plain.stdout.trim())).toBe(90);
    const configured = spawnSync(process.execPath, ["--import", "tsx", "scripts/admin.ts", "token:create", "--name", "short", "--scopes", "read"], {
      encoding: "utf8",
      env: { ...process.env, API_TOKEN_DAYS: "14" },
      timeout: 60_000,
    });
    expect(configured.status, configured.stderr).toBe(0);
    expect(await expiry(configured.stdout.trim())).toBe(14);
    const days = admin(["token:create", "--name", "week", "--scopes", "read", "--expires", "7"]);
    expect(await expiry(days.stdout.trim())).toBe(7);
    const never = admin(["token:create", "--name", "forever", "--scopes", "read", "--expires", "never"]);
    expect(never.code, never.stderr).toBe(0);
    expect(never.stderr).toContain("never expires (as asked)");
    expect(await expiry(never.stdout.trim())).toBeNull();
    for (const args of [["--expires", "0"], ["--expires", "forever"], ["--expires", "1.5"], ["--expires-days", "never"], ["--expires", "7", "--expires-days", "7"]]) {
      const bad = admin(["token:create", "--name", "bad", "--scopes", "read", ...args]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe("");
      expect(bad.stderr).toMatch(/--expires/);
    }
  });

  it("token:create --as keeps within the service account's allowed scopes, naming the scope", async () => {
    const { createServiceAccount } = await import("@/lib/data/tokens");
    const { OPERATOR } = await import("@/lib/auth/actor");
    const email = `svc-${randomUUID().slice(0, 8)}@service.local`;
    await createServiceAccount(OPERATOR, { email, name: "svc", allowedScopes: ["read"] });
    const refused = admin(["token:create", "--name", "x", "--scopes", "read,ingest", "--as", email]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain("ingest is not allowed");
    const ok = admin(["token:create", "--name", "x", "--scopes", "read", "--as", email]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^sr_[A-Za-z0-9]{40}\n$/);
    expect(admin(["token:create", "--name", "x", "--scopes", "read", "--as", "analyst@nowhere.example"]).stderr).toContain("is not a service account");
  });

  it("user:deactivate locks the person out", async () => {
    const email = `leaver-${randomUUID().slice(0, 8)}@example.com`;
    expect(admin(["user:create", "--email", email, "--role", "analyst", "--password-stdin"], "long enough password\n").code).toBe(0);
    expect(admin(["user:deactivate", "--email", email]).code).toBe(0);
    expect(await verifyCredentials({ email, password: "long enough password", ip: null })).toBeNull();
    expect(admin(["user:deactivate", "--email", "nobody@example.com"]).stderr).toContain("No person with the email");
  });
});
