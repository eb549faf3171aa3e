import { expect, test } from "@playwright/test";
import { screenshotWidths } from "./screenshot";
import { query, storageStateFor } from "./support";

/** Detected reports whose first detection was recorded since `from` (a UTC day), counted from the log itself. */
async function reportsSince(from: string): Promise<number> {
  const [row] = await query<{ n: string }>("SELECT count(*)::text AS n FROM event_log_rows WHERE log = 'detected' AND version = 1 AND recorded_at >= $1::date", [from]);
  return Number(row!.n);
}

test.describe("event pipeline as governance", () => {
  test.use({ storageState: storageStateFor("governance") });

  test("counts the demo's detected reports as the log does, with each stage against its SLO, the drift and the stale events", async ({ page }) => {
    await page.goto("/governance/events?days=7");
    await expect(page.getByRole("heading", { name: "Event pipeline" })).toBeVisible();
    const from = (await page.getByText(/^From \d{4}-\d{2}-\d{2}/).innerText()).match(/\d{4}-\d{2}-\d{2}/)![0];
    const before = await reportsSince(from);
    await page.reload();
    const after = await reportsSince(from);
    const facts = page.getByRole("region", { name: "Headline figures" });
    const shown = Number((await facts.locator("div", { hasText: "Reports detected" }).first().locator("p").nth(1).innerText()).replace(/[^0-9]/g, ""));
    // Reports only ever arrive: the page's count lies between the counts taken around its load.
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeGreaterThanOrEqual(before);
    expect(shown).toBeLessThanOrEqual(after);

    for (const stage of ["detection", "clustering", "attribution"]) {
      const row = page.getByTestId(`stage-${stage}`);
      await expect(row).toContainText(/≤ (30 min|4 h)/);
      await expect(row).toContainText(/within SLO|breach/);
      await expect(row).toContainText("%");
    }
    await expect(facts).toContainText("SLO");
    await expect(page.getByRole("table", { name: "Latency histogram" })).toContainText("not yet (or failed)");
    await expect(page.getByRole("img", { name: /Reports within each stage's SLO by day/ })).toBeVisible();
    await expect(page.getByRole("img", { name: /Attribution proposals by cause and mean confidence by day/ })).toBeVisible();
    // The demo's case studies: the Deliveroo promotion and the competitor stock-out among the causes.
    await expect(page.getByRole("table", { name: "Attribution drift" })).toContainText("Promotion");
    await expect(page.getByRole("table", { name: "Attribution drift" }).getByRole("link", { name: "Promotion" })).toHaveAttribute("href", "/events?status=all&cause=promotion");
    const stale = page.getByRole("region", { name: /Stale events/ });
    await expect(stale.getByRole("table", { name: "Stale events" }).or(stale.getByText("No event has been open too long"))).toBeVisible();
    await screenshotWidths(page, "governance-events");
  });

  test("exports each table as CSV and names a bad or unknown parameter", async ({ page }) => {
    const days = await page.request.get("/governance/events/export?days=3&table=days");
    expect(days.status()).toBe(200);
    expect(days.headers()["content-type"]).toContain("text/csv");
    expect((await days.text()).split("\r\n")[0]).toBe("day,reports,detectionWithinSlo,clusteringWithinSlo,attributionWithinSlo,rowsReceived,rowsRejected");
    const reports = (await (await page.request.get("/governance/events/export?days=7&table=reports")).text()).trim().split("\r\n");
    expect(reports[0]).toBe("reportId,day,detectedAt,detectionSeconds,clusteringSeconds,attributionSeconds");
    expect(reports.length).toBeGreaterThan(1);
    expect((await (await page.request.get("/governance/events/export?days=7&table=stale")).text()).split("\r\n")[0]).toContain("eventId,reportGroupId");
    expect((await page.request.get("/governance/events/export?days=0")).status()).toBe(400);
    expect((await page.request.get("/governance/events/export?table=nope")).status()).toBe(400);
    const unknown = await page.request.get("/governance/events/export?days=7&stage=clustering");
    expect(unknown.status()).toBe(400);
    expect(await unknown.text()).toContain("stage is not a parameter");

    await page.goto("/governance/events?days=abc");
    await expect(page.getByText("days must be a whole number of days from 1 to 366")).toBeVisible();
    await page.goto("/governance/events?days=7&stage=clustering");
    await expect(page.getByText("This view's address is not valid")).toBeVisible();
    await expect(page.getByText("is not a parameter of this view")).toBeVisible();
  });
});

test.describe("event pipeline as a manager", () => {
  test.use({ storageState: storageStateFor("manager") });

  test("reads the figures without links into the events pages", async ({ page }) => {
    await page.goto("/governance/events");
    await expect(page.getByRole("heading", { name: "Event pipeline" })).toBeVisible();
    await expect(page.getByTestId("stage-attribution")).toContainText("%");
    await expect(page.locator('main a[href^="/events"]')).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Event pipeline" })).toBeVisible();
    await screenshotWidths(page, "governance-events-manager");
  });
});
