import { expect, test } from "@playwright/test";
import pg from "pg";
import { callAction, newApiContext, storageStateFor } from "./support";

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
