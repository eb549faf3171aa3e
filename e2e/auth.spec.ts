import { expect, test } from "@playwright/test";
import { callAction, demoUser, newApiContext, signInOverHttp, storageStateFor } from "./support";
import { screenshot } from "./screenshot";

test.describe("sign-in", () => {
  test("signed-out visitors are sent to the sign-in page", async ({ page }) => {
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await screenshot(page, "sign-in");
  });

  test("with demo data on, the sign-in page lists the demo accounts and one click signs in", async ({ page }) => {
    await page.goto("/login");
    const demo = page.getByRole("region", { name: "Demo accounts" });
    for (const role of ["analyst", "lead", "governance", "manager", "admin"] as const) {
      const user = demoUser(role);
      await expect(demo.getByTestId(`demo-account-${user.email}`)).toContainText(role);
      await expect(demo.getByTestId(`demo-account-${user.email}`)).toContainText(user.password);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, "sign-in-demo-1280");
    await demo.getByRole("button", { name: `Use ${demoUser("lead").email}` }).click();
    await expect(page).toHaveURL(/\/queue$/);
    await expect(page.getByTestId("current-role")).toHaveText("lead");
  });

  test("a wrong password and an unknown user get the same generic error", async ({ page }) => {
    const analyst = demoUser("analyst");
    await page.goto("/login");
    await page.getByLabel("Email").fill(analyst.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Email or password is not right.");
    await expect(page).toHaveURL(/\/login/);

    await page.getByLabel("Email").fill("nobody@demo.local");
    await page.getByLabel("Password").fill("whatever-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toHaveText("Email or password is not right.");
  });

  test("repeated failures for one account are rate-limited", async ({ page }) => {
    // A dedicated address, so the demo users are never locked out by this test.
    await page.goto("/login");
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Email").fill("locked-out@demo.local");
      await page.getByLabel("Password").fill(`wrong-password-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("main").getByRole("alert")).toHaveText("Email or password is not right.");
    }
    await page.getByLabel("Email").fill("locked-out@demo.local");
    await page.getByLabel("Password").fill("wrong-password-again");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("Too many failed attempts");
  });

  test("a user signs in, lands on their home page and signs out", async ({ page, baseURL }) => {
    // A person of their own: signing out ends every session of theirs, and the shared
    // demo admin's saved session is what the other specs run as.
    const email = await createPerson(baseURL!, "admin");
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(PERSON_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin\/users$/);
    await expect(page.getByTestId("current-role")).toHaveText("admin");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a callbackUrl that leaves the console is not followed, before or after sign-in", async ({ page, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const analyst = demoUser("analyst");
    await page.goto("/login?callbackUrl=/.//evil.example/x");
    await page.getByLabel("Email").fill(analyst.email);
    await page.getByLabel("Password").fill(analyst.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${origin}/queue`);
    await expect(page.getByTestId("current-role")).toHaveText("analyst");
    // Signed in already, the sign-in page redirects at once: still on the console.
    for (const callback of ["/.//evil.example/x", "//evil.example/x", "/%2F%2Fevil.example", "https://evil.example/"]) {
      await page.goto(`/login?callbackUrl=${encodeURIComponent(callback)}`);
      await expect(page).toHaveURL(`${origin}/queue`);
    }
    await page.goto("/login?callbackUrl=/events");
    await expect(page).toHaveURL(`${origin}/events`);
  });

  test("next-auth's own callbackUrl is held to the console's origin", async ({ baseURL }) => {
    const analyst = demoUser("analyst");
    for (const callbackUrl of ["https://evil.example/x", "/.//evil.example/x", "//evil.example/x"]) {
      const api = await newApiContext(baseURL!);
      const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const res = await api.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: analyst.email, password: analyst.password, callbackUrl, json: "true" },
        maxRedirects: 0,
      });
      const { url } = (await res.json()) as { url: string };
      expect(new URL(url).origin).toBe(new URL(baseURL!).origin);
      expect(new URL(url).pathname.startsWith("//")).toBe(false);
      await api.dispose();
    }
  });
});

const PERSON_PASSWORD = "a-long-enough-password";

/** A new person with a password, created by the demo admin through the admin action. */
async function createPerson(baseURL: string, role: string): Promise<string> {
  const email = `session-${role}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;
  const admin = await newApiContext(baseURL, storageStateFor("admin"));
  const body = await callAction(admin, baseURL, "/admin/users", "createUserAction", { email, name: "Session Test", role, password: PERSON_PASSWORD });
  await admin.dispose();
  expect(body).toContain('"ok":true');
  return email;
}

test.describe("sessions that end", () => {
  test("the session cookie lasts the session length, not next-auth's 30 days", async ({ baseURL }) => {
    const api = await newApiContext(baseURL!);
    const before = Date.now() / 1000;
    expect(await signInOverHttp(api, await createPerson(baseURL!, "analyst"), PERSON_PASSWORD)).toBe(true);
    const cookie = (await api.storageState()).cookies.find((c) => c.name.endsWith("next-auth.session-token"))!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");
    expect(cookie.expires - before).toBeGreaterThan(8 * 3600 - 120);
    expect(cookie.expires - before).toBeLessThan(8 * 3600 + 120);
    await api.dispose();
  });

  test("a copy of the session cookie stops working once its owner signs out", async ({ baseURL }) => {
    const email = await createPerson(baseURL!, "analyst");
    const api = await newApiContext(baseURL!);
    expect(await signInOverHttp(api, email, PERSON_PASSWORD)).toBe(true);
    const copy = await newApiContext(baseURL!, await api.storageState());
    expect((await copy.get("/queue", { maxRedirects: 0 })).status()).toBe(200);

    const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    await api.post("/api/auth/signout", { form: { csrfToken, json: "true" }, maxRedirects: 0 });

    const after = await copy.get("/queue", { maxRedirects: 0 });
    expect(after.status()).toBe(307);
    expect(after.headers()["location"]).toContain("/login");
    // The copy still holds a well-formed, unexpired token: the server refuses it.
    expect((await copy.storageState()).cookies.some((c) => c.name.endsWith("next-auth.session-token"))).toBe(true);
    await api.dispose();
    await copy.dispose();
  });

  test("a role change or a password change ends the person's other sessions", async ({ baseURL }) => {
    const email = await createPerson(baseURL!, "analyst");
    const elsewhere = await newApiContext(baseURL!);
    expect(await signInOverHttp(elsewhere, email, PERSON_PASSWORD)).toBe(true);
    const here = await newApiContext(baseURL!);
    expect(await signInOverHttp(here, email, PERSON_PASSWORD)).toBe(true);
    expect((await elsewhere.get("/queue", { maxRedirects: 0 })).status()).toBe(200);

    const changed = await callAction(here, baseURL!, "/account", "changePasswordAction", {
      currentPassword: PERSON_PASSWORD,
      newPassword: "another-long-enough-password",
    });
    expect(changed).toContain('"ok":true');
    for (const ctx of [elsewhere, here]) expect((await ctx.get("/queue", { maxRedirects: 0 })).status()).toBe(307);
    await elsewhere.dispose();
    await here.dispose();
  });
});
