import { expect, test } from "@playwright/test";
import { ROLES, type Role } from "../lib/auth/permissions";
import { screenshot } from "./screenshot";
import { storageStateFor } from "./support";

/** What each role sees in the navigation today (sections appear as their pages land). */
const NAV: Record<Role, string[]> = {
  analyst: ["Audit queue", "Minority events", "Account"],
  lead: ["Audit queue", "Minority events", "Account"],
  governance: ["Audit queue", "Minority events", "Routing health", "Override register", "Slice KPIs", "Event pipeline", "Alerts", "Policies", "Edit log", "Audit trails", "Model cards", "Account"],
  manager: ["Routing health", "Override register", "Slice KPIs", "Event pipeline", "Alerts", "Model cards", "Account"],
  admin: ["Users", "Service accounts", "API tokens", "Webhooks", "Account"],
};

const ADMIN_PAGES = ["/admin/users", "/admin/service-accounts", "/admin/tokens", "/admin/webhooks"];
const QUEUE_PAGES = ["/queue", "/queue/0254_01"];

for (const role of ROLES) {
  test.describe(`as ${role}`, () => {
    test.use({ storageState: storageStateFor(role) });

    test("sees the navigation of the role", async ({ page }) => {
      await page.goto("/");
      await expect(page.getByTestId("current-role")).toHaveText(role);
      const links = page.getByRole("navigation", { name: "Main" }).getByRole("link");
      // A link's text may end in a count (the open alerts).
      await expect(links).toHaveText(NAV[role].map((name) => new RegExp(`^${name}\\d*$`)));
      await page.goto("/account");
      await expect(page.getByTestId("permission-list")).toBeVisible();
      if (role === "analyst") await screenshot(page, "account-analyst");
    });

    if (role === "manager" || role === "admin") {
      test("gets 403 on the queue pages", async ({ page }) => {
        for (const path of QUEUE_PAGES) {
          const response = await page.goto(path);
          expect(response?.status(), path).toBe(403);
        }
      });
    }

    if (role === "manager" || role === "admin") {
      test("gets 403 on the events pages and their export", async ({ page }) => {
        expect((await page.goto("/events"))?.status()).toBe(403);
        expect((await page.request.get("/events/export?kind=events")).status()).toBe(403);
      });
    }

    if (role !== "governance" && role !== "manager") {
      test("gets 403 on the governance figures and their exports", async ({ page }) => {
        for (const path of ["/governance/routing", "/governance/overrides", "/governance/alerts"]) expect((await page.goto(path))?.status(), path).toBe(403);
        expect((await page.request.get("/governance/overrides/export?by=analyst")).status()).toBe(403);
        expect((await page.request.get("/governance/routing/export")).status()).toBe(403);
      });
    }

    if (role !== "governance") {
      test("gets 403 on the edit log page and its export (old addresses redirect there)", async ({ page }) => {
        expect((await page.goto("/governance/ledger"))?.status()).toBe(403);
        expect((await page.request.get("/governance/ledger/export")).status()).toBe(403);
        const response = await page.goto("/ledger");
        expect(response?.status()).toBe(403);
        expect(new URL(page.url()).pathname).toBe("/governance/ledger");
        const download = await page.request.get("/ledger/export");
        expect(download.status()).toBe(403);
      });
    }

    if (role !== "admin") {
      test("gets 403 on the admin pages", async ({ page }) => {
        for (const path of ADMIN_PAGES) {
          const response = await page.goto(path);
          expect(response?.status(), path).toBe(403);
          await expect(page.getByRole("heading", { name: "Not available to your role" })).toBeVisible();
        }
      });
    }
  });
}
