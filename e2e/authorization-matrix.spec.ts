import { expect, test, type APIRequestContext } from "@playwright/test";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import { encode } from "next-auth/jwt";
import { hasPermission, ROLES, API_SCOPES, type ApiScope, type Role } from "../lib/auth/permissions";
import { ACTION_SURFACE, ROUTE_SURFACE, type Guard } from "../lib/auth/surface";
import { callAction, demoUser, newApiContext, postAction, query, signInOverHttp, storageStateFor } from "./support";

/**
 * Every server action and route × every kind of caller, with real HTTP requests against
 * the real server; the expected outcome of each cell comes from the permission map
 * (lib/auth/permissions.ts) and the surface's guard (lib/auth/surface.ts).
 */
type Outcome = "allowed" | "forbidden" | "unauthenticated";
type Caller =
  | { name: string; kind: "role"; role: Role; api: APIRequestContext }
  | { name: string; kind: "no-session"; api: APIRequestContext }
  | { name: string; kind: "token"; scope: ApiScope; api: APIRequestContext; token: string };

const PASSWORD = "a-long-enough-password";
const callers: Caller[] = [];
let requests = 0;

function expected(guard: Guard, caller: Caller): Outcome {
  if (guard.kind === "public") return "allowed";
  if (guard.kind === "scope") {
    if (caller.kind !== "token") return "unauthenticated";
    return guard.scope === "any" || guard.scope === caller.scope ? "allowed" : "forbidden";
  }
  if (caller.kind !== "role") return "unauthenticated";
  if (guard.kind === "signed-in") return "allowed";
  return hasPermission(caller.role, guard.permission) ? "allowed" : "forbidden";
}

/** A server action's answer: the result shape's error code, else it passed the guard. */
function actionOutcome(status: number, body: string): Outcome | `error ${number}` {
  if (status >= 500) return `error ${status}`;
  if (body.includes('"code":"unauthenticated"')) return "unauthenticated";
  if (body.includes('"code":"forbidden"')) return "forbidden";
  return "allowed";
}

function routeOutcome(status: number, location: string | undefined): Outcome | `error ${number}` {
  if (status >= 500) return `error ${status}`;
  if (status === 401 || (status >= 300 && status < 400 && location?.includes("/login"))) return "unauthenticated";
  if (status === 403) return "forbidden";
  return "allowed";
}

async function personWithSession(baseURL: string, role: Role): Promise<{ id: string; email: string; api: APIRequestContext }> {
  const email = `matrix-${role}-${randomUUID().slice(0, 8)}@example.com`;
  const admin = await newApiContext(baseURL, storageStateFor("admin"));
  expect(await callAction(admin, baseURL, "/admin/users", "createUserAction", { email, name: "Matrix Person", role, password: PASSWORD })).toContain('"ok":true');
  await admin.dispose();
  const api = await newApiContext(baseURL);
  expect(await signInOverHttp(api, email, PASSWORD)).toBe(true);
  const [row] = await query<{ id: string }>("SELECT id::text AS id FROM users WHERE email = $1", [email]);
  return { id: row!.id, email, api };
}

/** A token of one scope for a service account that may hold every scope (written as the CLI writes it: only the hash is kept). */
async function tokenWithScope(scope: ApiScope): Promise<string> {
  const [owner] = await query<{ id: string }>(
    `INSERT INTO users (id, email, name, kind, allowed_scopes, updated_at)
     VALUES (gen_random_uuid(), $1, 'Matrix service', 'service', $2::"ApiScope"[], now()) RETURNING id::text AS id`,
    [`matrix-${scope.replace(":", "-")}-${randomUUID().slice(0, 8)}@service.local`, [...API_SCOPES]],
  );
  const token = `sr_${randomBytes(20).toString("hex")}`; // the shape generateTokenSecret gives: sr_ + 40 letters and digits
  await query(
    `INSERT INTO api_tokens (id, name, prefix, token_hash, owner_id, scopes, expires_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4::uuid, $5::"ApiScope"[], now() + interval '1 day')`,
    [`matrix ${scope}`, token.slice(0, 10), createHash("sha256").update(token).digest("hex"), owner!.id, [scope]],
  );
  return token;
}

test.describe("authorization matrix", () => {

  test.beforeAll(async ({ baseURL }) => {
    const base = baseURL!;
    for (const role of ROLES) callers.push({ name: role, kind: "role", role, api: await newApiContext(base, storageStateFor(role)) });
    callers.push({ name: "no session", kind: "no-session", api: await newApiContext(base) });

    // A session past its absolute lifetime: a token the server itself would have signed 9 h ago.
    const secret = process.env.NEXTAUTH_SECRET ?? (JSON.parse(fs.readFileSync(".data/e2e/secrets.json", "utf8")).nextauthSecret as string);
    const [analyst] = await query<{ id: string }>("SELECT id::text AS id FROM users WHERE email = $1", [demoUser("lead").email]);
    const stale = await encode({ secret, token: { uid: analyst!.id, authAt: Date.now() - 9 * 3_600_000 }, maxAge: 3600 });
    const host = new URL(base).hostname;
    const expiredState = { cookies: [{ name: "next-auth.session-token", value: stale, domain: host, path: "/", expires: -1, httpOnly: true, secure: false, sameSite: "Lax" as const }], origins: [] };
    callers.push({ name: "expired session", kind: "no-session", api: await newApiContext(base, expiredState) });

    // A copy of a session whose owner then signed out.
    const leaving = await personWithSession(base, "lead");
    const copy = await newApiContext(base, await leaving.api.storageState());
    const { csrfToken } = (await (await leaving.api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await leaving.api.post("/api/auth/signout", { form: { csrfToken, json: "true" }, maxRedirects: 0 });
    await leaving.api.dispose();
    callers.push({ name: "signed-out session", kind: "no-session", api: copy });

    // The session of a person an administrator has since deactivated.
    const gone = await personWithSession(base, "lead");
    await query("UPDATE users SET active = false, deactivated_at = now() WHERE id = $1::uuid", [gone.id]);
    callers.push({ name: "deactivated user", kind: "no-session", api: gone.api });

    for (const scope of API_SCOPES) {
      const token = await tokenWithScope(scope);
      callers.push({ name: `token:${scope}`, kind: "token", scope, token, api: await newApiContext(base, { cookies: [], origins: [] }) });
    }
  });

  test.afterAll(async () => {
    for (const c of callers) await c.api.dispose();
    console.log(`[matrix] ${requests} requests: ${ACTION_SURFACE.length} actions and ${ROUTE_SURFACE.length} routes × ${callers.length} callers, plus origin checks`);
  });

  for (const entry of ACTION_SURFACE) {
    test(`action ${entry.action}: each caller gets what the permission map says`, async ({ baseURL }) => {
      const origin = new URL(baseURL!).origin;
      const wrong: string[] = [];
      for (const caller of callers) {
        const headers: Record<string, string> = { Origin: origin, ...(caller.kind === "token" ? { Authorization: `Bearer ${caller.token}` } : {}) };
        const res = await postAction(caller.api, entry.page, entry.action, entry.input, headers);
        requests++;
        const got = actionOutcome(res.status(), await res.text());
        const want = expected(entry.guard, caller);
        if (got !== want) wrong.push(`${caller.name}: expected ${want}, got ${got}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  for (const route of ROUTE_SURFACE) {
    test(`route ${route.method} ${route.path}: each caller gets what the permission map says`, async ({ baseURL }) => {
      const wrong: string[] = [];
      for (const caller of callers) {
        const headers: Record<string, string> = caller.kind === "token" ? { Authorization: `Bearer ${caller.token}` } : {};
        // Posted as the console's own pages post (the console routes want their Origin).
        const res =
          route.method === "GET"
            ? await caller.api.get(route.path, { headers, maxRedirects: 0 })
            : await caller.api.post(route.path, { headers: { ...headers, "Content-Type": "application/json", Origin: new URL(baseURL!).origin }, data: route.body ?? "{}", maxRedirects: 0 });
        requests++;
        const got = routeOutcome(res.status(), res.headers()["location"]);
        const want = expected(route.guard, caller);
        if (got !== want) wrong.push(`${caller.name}: expected ${want}, got ${got} (${res.status()})`);
      }
      expect(wrong).toEqual([]);
    });
  }

  test("every action refuses a foreign Origin, Origin: null and a forged X-Forwarded-Host, even from an admin's session", async () => {
    const admin = callers.find((c) => c.name === "admin")!;
    const wrong: string[] = [];
    for (const entry of ACTION_SURFACE) {
      const forged: Record<string, string>[] = [{ Origin: "https://evil.example" }, { Origin: "null" }, { Origin: "https://evil.example", "X-Forwarded-Host": "evil.example" }];
      for (const headers of forged) {
        const res = await postAction(admin.api, entry.page, entry.action, entry.input, headers);
        requests++;
        if (res.status() !== 403) wrong.push(`${entry.action} with ${JSON.stringify(headers)}: ${res.status()}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("every console route refuses a missing or foreign Origin and a forged X-Forwarded-Host, even from an admin's session", async () => {
    const admin = callers.find((c) => c.name === "admin")!;
    const consoleRoutes = ROUTE_SURFACE.filter((r) => r.file.startsWith("app/api/console/"));
    expect(consoleRoutes.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const route of consoleRoutes) {
      const forged: Record<string, string>[] = [{}, { Origin: "https://evil.example" }, { Origin: "null" }, { Origin: "https://evil.example", "X-Forwarded-Host": "evil.example" }];
      for (const headers of forged) {
        const res = await admin.api.post(route.path, { headers: { ...headers, "Content-Type": "application/json" }, data: route.body ?? "{}", maxRedirects: 0 });
        requests++;
        if (res.status() !== 403) wrong.push(`${route.path} with ${JSON.stringify(headers)}: ${res.status()}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
