import { expect, request, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { DEMO_USERS } from "../prisma/demo-users";
import type { Role } from "../lib/auth/permissions";
import { appLoginUrl } from "../lib/db/app-login";
import { canonicalJson } from "../lib/ledger/chain";

export const AUTH_DIR = path.join(import.meta.dirname, ".auth");

/** The first demo user of each role. */
export function demoUser(role: Role) {
  const user = DEMO_USERS.find((u) => u.role === role);
  if (!user) throw new Error(`no demo user with role ${role}`);
  return user;
}

export const storageStateFor = (role: Role) => path.join(AUTH_DIR, `${role}.json`);

/** next-auth 4 credentials sign-in over HTTP: CSRF token, then the callback. */
export async function signInOverHttp(api: APIRequestContext, email: string, password: string): Promise<boolean> {
  const csrf = await api.get("/api/auth/csrf");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await api.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password, json: "true" },
    maxRedirects: 0,
  });
  const cookies = await api.storageState();
  return res.status() < 400 && cookies.cookies.some((c) => c.name.endsWith("next-auth.session-token"));
}

/** An HTTP client, signed out or with a saved session (a role's file, or another client's state to copy). */
export async function newApiContext(baseURL: string, storageState?: string | Awaited<ReturnType<APIRequestContext["storageState"]>>): Promise<APIRequestContext> {
  return request.newContext({ baseURL, storageState });
}

/** A fresh browser session signed in through the form as `email` (for a demo user without saved state, e.g. the second governance user). */
export async function signedIn(browser: Browser, email: string): Promise<Page> {
  const user = DEMO_USERS.find((u) => u.email === email)!;
  const page = await (await browser.newContext({ storageState: { cookies: [], origins: [] } })).newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

export async function pageAs(browser: Browser, role: Role): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateFor(role) });
  return context.newPage();
}

/** The id Next gave a server action in this build, from the build's own manifest. */
export function actionId(exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName);
  if (!entry) throw new Error(`server action ${exportedName} is not in the build`);
  return entry[0];
}

/** Posts to a server action the way the browser's runtime does, bypassing every page and button. */
export async function callAction(api: APIRequestContext, baseURL: string, path: string, name: string, input: unknown): Promise<string> {
  return (await postAction(api, path, name, input, { Origin: baseURL })).text();
}

/** A confirm or override as the record page posts it (POST /api/console/decisions); the answer's text, the actions' result shape. */
export async function postDecision(api: APIRequestContext, baseURL: string, input: unknown): Promise<string> {
  return (await api.post("/api/console/decisions", { headers: { Origin: new URL(baseURL).origin }, data: input as Record<string, unknown> })).text();
}

/** The same post with the caller's own headers (a foreign Origin, a forged X-Forwarded-Host…), for the status too. */
export async function postAction(api: APIRequestContext, path: string, name: string, input: unknown, headers: Record<string, string>) {
  return api.post(path, {
    headers: { "Next-Action": actionId(name), "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", ...headers },
    data: JSON.stringify([input]),
  });
}

/** One query against the end-to-end database (what a page wrote, or a fixture the test needs). */
export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Signs a tree head of the log now through the operator CLI (`npm run ledger:checkpoint`), with
 * the server's key and witness folder (its SENTINEL_DATA_DIR): tokens never sign.
 */
export function signTreeHead(): { seq: string; treeSize: string; rootHash: string; publicKey: string; keyId: string } {
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/ledger-checkpoint.ts"], {
    encoding: "utf8",
    // As the console runs: the app's login, the owner's for registering the signing key.
    env: { ...process.env, DATABASE_URL: appLoginUrl(process.env.E2E_DATABASE_URL!), DATABASE_OWNER_URL: process.env.E2E_DATABASE_URL, SENTINEL_DATA_DIR: ".data/e2e" },
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`ledger:checkpoint failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim());
}

/** Issues a real API token through the operator CLI against the server's database (the app's login; the owner's for migrations). */
export function issueToken(name: string, scopes: string, extra: string[] = []): string {
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/admin.ts", "token:create", "--name", name, "--scopes", scopes, ...extra], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: appLoginUrl(process.env.E2E_DATABASE_URL!), DATABASE_OWNER_URL: process.env.E2E_DATABASE_URL },
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`token:create failed: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Appends one note by the demo analyst to the edit log straight through its SQL append
 * function (a fixture: the log grows between two tree heads). The function checks the
 * actor, so it is a real person with a role that may note a record.
 */
export async function appendNote(subjectId: string): Promise<void> {
  const analyst = (await query<{ id: string }>("SELECT id FROM users WHERE email = 'analyst@demo.local'"))[0]!;
  const c = canonicalJson({
    subjectType: "record",
    subjectId,
    action: "note",
    before: null,
    after: { note: "end-to-end fixture" },
    reasonCode: null,
    reasonText: null,
    evidence: [],
    actor: { type: "user", id: analyst.id, role: "analyst" },
    sessionId: null,
    effectiveAt: new Date().toISOString(),
  });
  await query("SELECT seq FROM edit_log_append($1, NULL)", [c]);
}
