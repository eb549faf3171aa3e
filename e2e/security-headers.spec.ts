import { expect, test } from "@playwright/test";
import { newApiContext, postAction, query, storageStateFor } from "./support";

const directive = (policy: string, name: string) =>
  policy
    .split("; ")
    .find((d) => d.startsWith(`${name} `))
    ?.split(" ")
    .slice(1) ?? [];

test.describe("security headers", () => {
  test("pages carry a nonce CSP that every script of the page matches, and run under it", async ({ page, request }) => {
    const res = await request.get("/login");
    const policy = res.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    expect(directive(policy, "script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    for (const name of ["frame-ancestors", "object-src", "base-uri"]) expect(directive(policy, name)).toEqual(["'none'"]);
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);

    const second = (await request.get("/login")).headers()["content-security-policy"];
    expect(second).not.toBe(policy);

    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto("/login");
    await expect(page.getByLabel("Email")).toBeVisible();
    // Hydrated: the client-side form validation runs, which needs the page's scripts.
    await page.waitForFunction(() => document.querySelectorAll("script[nonce]").length > 0);
    expect(violations).toEqual([]);
  });

  test("every response, API and static files too, says nosniff, referrer and opener policies; no HSTS over http", async ({ request }) => {
    for (const path of ["/login", "/api/health", "/favicon.svg", "/api/v1/token"]) {
      const h = (await request.get(path)).headers();
      expect(h["x-content-type-options"], path).toBe("nosniff");
      expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
      expect(h["cross-origin-opener-policy"], path).toBe("same-origin");
      expect(h["x-frame-options"], path).toBe("DENY");
      expect(h["permissions-policy"], path).toContain("camera=()");
      expect(h["strict-transport-security"], path).toBeUndefined();
      expect(h["x-powered-by"], path).toBeUndefined();
    }
  });

  test("a page asked for as a middleware subrequest is still behind sign-in", async ({ request }) => {
    const res = await request.get("/queue", {
      headers: { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
      maxRedirects: 0,
    });
    expect([302, 303, 307]).toContain(res.status());
    expect(res.headers()["location"]).toContain("/login");
  });
});

test.describe("server actions refuse other origins", () => {
  const input = (email: string) => ({ email, name: "Cross-site", role: "analyst", password: "a-long-enough-password" });
  const countUsers = async (email: string) => Number((await query<{ n: string }>("SELECT count(*) AS n FROM users WHERE email = $1", [email]))[0]!.n);

  for (const [label, headers] of [
    ["a foreign Origin", { Origin: "https://evil.example" }],
    ["Origin: null", { Origin: "null" }],
    ["no Origin at all", {}],
    ["a forged X-Forwarded-Host matching a foreign Origin", { Origin: "https://evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https" }],
  ] as const) {
    test(`an admin's session with ${label} gets 403 and writes nothing`, async ({ baseURL }) => {
      const email = `origin-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
      const api = await newApiContext(baseURL!, storageStateFor("admin"));
      const res = await postAction(api, "/admin/users", "createUserAction", input(email), headers);
      expect(res.status()).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "forbidden" } });
      expect(await countUsers(email)).toBe(0);
      await api.dispose();
    });
  }

  test("the same call from the console's own origin is accepted (the refusals are about origin)", async ({ baseURL }) => {
    const email = `origin-ok-${Date.now()}@example.com`;
    const api = await newApiContext(baseURL!, storageStateFor("admin"));
    const res = await postAction(api, "/admin/users", "createUserAction", input(email), { Origin: new URL(baseURL!).origin });
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain('"ok":true');
    expect(await countUsers(email)).toBe(1);
    await api.dispose();
  });
});
