import { expect, test, type APIRequestContext } from "@playwright/test";
import fs from "node:fs";
import pg from "pg";
import { newApiContext, storageStateFor } from "./support";

/** The id Next gave a server action in this build, from the build's own manifest. */
function actionId(exportedName: string): string {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName);
  if (!entry) throw new Error(`server action ${exportedName} is not in the build`);
  return entry[0];
}

/** Posts to a server action the way the browser's runtime does, bypassing every page and button. */
async function callAction(api: APIRequestContext, baseURL: string, path: string, name: string, input: unknown): Promise<string> {
  const res = await api.post(path, {
    headers: { "Next-Action": actionId(name), "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", Origin: baseURL },
    data: JSON.stringify([input]),
  });
  return res.text();
}

async function userCount(email: string): Promise<number> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM users WHERE email = $1", [email]);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

test.describe("server actions called directly", () => {
  const input = (email: string) => ({ email, name: "Intruder", role: "admin", password: "a-long-enough-password" });

  test("refuse a signed-in user without the permission, and write nothing", async ({ baseURL }) => {
    for (const role of ["analyst", "lead", "governance", "manager"] as const) {
      const email = `direct-${role}-${Date.now()}@example.com`;
      const api = await newApiContext(baseURL!, storageStateFor(role));
      const body = await callAction(api, baseURL!, "/admin/users", "createUserAction", input(email));
      expect(body, role).toContain('"code":"forbidden"');
      expect(await userCount(email), role).toBe(0);
      await api.dispose();
    }
  });

  test("refuse a caller with no session", async ({ baseURL }) => {
    const email = `direct-anon-${Date.now()}@example.com`;
    const api = await newApiContext(baseURL!);
    const body = await callAction(api, baseURL!, "/admin/users", "createUserAction", input(email));
    expect(body).toContain('"code":"unauthenticated"');
    expect(await userCount(email)).toBe(0);
    await api.dispose();
  });

  test("accept the same call from an admin (the refusals above are about permission)", async ({ baseURL }) => {
    const email = `direct-admin-${Date.now()}@example.com`;
    const api = await newApiContext(baseURL!, storageStateFor("admin"));
    const body = await callAction(api, baseURL!, "/admin/users", "createUserAction", input(email));
    expect(body).toContain('"ok":true');
    expect(await userCount(email)).toBe(1);
    await api.dispose();
  });
});
