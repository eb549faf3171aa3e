import { expect, test } from "@playwright/test";
import { demoUser, newApiContext } from "./support";
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

  test("a user signs in, lands on their home page and signs out", async ({ page }) => {
    const admin = demoUser("admin");
    await page.goto("/login");
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
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
