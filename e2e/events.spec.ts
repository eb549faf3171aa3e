import { expect, test, type Page } from "@playwright/test";
import { createHash } from "node:crypto";
import { screenshot, screenshotWidths } from "./screenshot";
import { issueToken, newApiContext, storageStateFor } from "./support";

const eventIdOf = (group: string) => `ME-${createHash("sha256").update(group).digest("hex").slice(0, 12)}`;

/** Replays the page at an instant through the as-of picker (UTC). */
async function replayAt(page: Page, instant: string) {
  await page.getByLabel("As of (UTC)").fill(instant.slice(0, 16).replace("T", " "));
  await page.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByRole("status")).toContainText("read-only");
}

const figures = (page: Page) => page.getByRole("region", { name: "Figures" });

test.describe.configure({ mode: "serial" });

test.describe("minority events", () => {
  test.use({ storageState: storageStateFor("analyst") });

  test("the list shows the eight case studies, highest priority first, and filters by cause", async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto("/events?status=all");
    await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
    for (let n = 1; n <= 8; n++) await expect(page.getByTestId(`event-row-MR-UK-00${n}`)).toBeVisible();
    const priorities = await page.locator("tbody tr td:nth-child(2)").allTextContents();
    const rank = { high: 0, medium: 1, low: 2 } as Record<string, number>;
    expect(priorities.map((p) => rank[p.trim()])).toEqual([...priorities.map((p) => rank[p.trim()])].sort());
    await screenshot(page, "events");
    await screenshotWidths(page, "events");
    // Ordered by a header link: the most stores first, in the URL.
    await page.getByRole("link", { name: /^Stores/ }).click();
    await expect(page).toHaveURL(/sort=stores&dir=desc/);
    const stores = (await page.locator("tbody tr td:nth-child(6)").allTextContents()).map(Number);
    expect([...stores].sort((a, b) => b - a)).toEqual(stores);
    await page.goto("/events?status=all");
    await page.getByLabel("Cause").selectOption({ label: "Competitor Stockout" });
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/cause=competitor_stockout/);
    await expect(page.locator("tbody tr")).toHaveCount(1);
    await expect(page.getByTestId("event-row-MR-UK-003")).toBeVisible();
    expect(errors).toEqual([]);
  });

  test("MR-UK-007 was confirmed by the weekend-mode job as the system, naming the rule and the version in force when it arrived; the impact vector says what its cause distorts", async ({ page }) => {
    await page.goto(`/events/${eventIdOf("MR-UK-007")}`);
    await expect(page.locator("header").getByText("auto-confirmed")).toBeVisible();
    const decidedBy = page.getByTestId("decided-by");
    await expect(decidedBy).toContainText("Confirmed by the system: weekend mode, under the configuration in force when the event arrived.");
    await expect(decidedBy).toContainText("weekend_auto_confirm");
    await expect(decidedBy).toContainText("weekend-2025-08-09");
    const timeline = page.getByRole("list", { name: "Event timeline" });
    await expect(timeline).toContainText("Confirmed Deliveroo Promo");
    await expect(timeline).toContainText("system · weekend_auto_confirm · config weekend-2025-08-09");
    await expect(timeline).toContainText("Weekend mode weekend-2025-08-09 (in force from 2025-08-08T17:00:00.000Z): confidence 0.92 above 0.7");
    const impact = page.getByRole("region", { name: "Impact vector" });
    await expect(impact).toContainText("from the decided cause: Promotion");
    await expect(impact.getByTestId("impact-baseline_drift")).toHaveText("distorted");
    await expect(impact.getByTestId("impact-attribution_error")).toHaveText("distorted");
    await expect(impact.getByTestId("impact-spend_leakage")).toHaveText("no");
    await expect(impact.getByTestId("impact-at-stake")).toContainText("%");
    // Tall enough to show the decision, the figures, the impact vector and the timeline's confirmation at once.
    await page.setViewportSize({ width: 1440, height: 1500 });
    await screenshot(page, "event-MR-UK-007");
    // Before the job ran it was open, waiting.
    await replayAt(page, "2025-08-09T12:32:00Z");
    await expect(page.locator("header").getByText("open", { exact: true })).toBeVisible();
    await expect(page.locator("header").getByText("auto-confirmed")).toHaveCount(0);
  });

  test("MR-UK-004 was finalised, reopened with a reason, decided again and finalised again", async ({ page }) => {
    await page.goto(`/events/${eventIdOf("MR-UK-004")}`);
    const timeline = page.getByRole("list", { name: "Event timeline" });
    await expect(timeline).toContainText("Reopened");
    await expect(timeline).toContainText("Glasgow and Newcastle lifted an hour after the other six cities");
    await expect(timeline.getByText(/^Finalised: approved/)).toHaveCount(2);
    await replayAt(page, "2025-08-08T14:30:00Z");
    await expect(page.locator("header").getByText("open", { exact: true })).toBeVisible();
    await expect(page.getByRole("region", { name: "Impact vector" })).toContainText("from the machine's cause");
  });

  test("MR-UK-001 replayed: Campaign Spend 0.55 before the refresh, TikTok Viral 0.72 after", async ({ page }) => {
    await page.goto(`/events/${eventIdOf("MR-UK-001")}`);
    await expect(page.getByTestId("machine-cause-1")).toContainText("TikTok Viral");
    await replayAt(page, "2025-08-11T12:30:00Z");
    await expect(page).toHaveURL(/asOf=2025-08-11T12%3A30/);
    await expect(page.getByTestId("machine-cause-1")).toContainText("Campaign Spend");
    await expect(figures(page)).toContainText("0.55");
    await expect(page.getByText("A replay of the past is read-only")).toBeVisible();
    await replayAt(page, "2025-08-11T16:30:00Z");
    await expect(page.getByTestId("machine-cause-1")).toContainText("TikTok Viral");
    await expect(figures(page)).toContainText("0.72");
    await page.getByRole("button", { name: "Back to now" }).click();
    await expect(page.getByRole("complementary", { name: "Event decision" })).toBeVisible();
    await screenshot(page, "event-MR-UK-001");
    // A report of the event: a readable card, the raw log rows behind a disclosure.
    await page.getByRole("region", { name: /Stores and retailers/ }).getByRole("link").first().click();
    await expect(page).toHaveURL(/\/events\/reports\/MR-[0-9a-f]{16}/);
    await expect(page.getByRole("region", { name: "Causes" })).toContainText("TikTok Viral");
    await expect(page.getByRole("region", { name: "What was seen" })).toContainText("uplift");
    const raw = page.getByText(/The log rows behind this view/);
    await expect(page.getByRole("cell", { name: "attribution" }).first()).toBeHidden();
    await raw.click();
    await expect(page.getByRole("cell", { name: "attribution" }).first()).toBeVisible();
  });

  test("an analyst confirms one report of an event with a reason code, and then overrides it; both are the report's own actions", async ({ page }) => {
    // MR-UK-007 is decided, not finalised: its reports can still be decided one by one.
    await page.goto(`/events/${eventIdOf("MR-UK-007")}`);
    await page.getByRole("region", { name: /Stores and retailers/ }).getByRole("link").first().click();
    await expect(page).toHaveURL(/\/events\/reports\/MR-[0-9a-f]{16}/);
    const panel = page.getByRole("complementary", { name: "Report decision" });
    await panel.getByRole("button", { name: /^Confirm/ }).click();
    const confirm = page.getByRole("form", { name: "Confirm cause" });
    await confirm.getByLabel("Reason").selectOption({ label: "Evidence corroborates" });
    await confirm.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByText(/Report confirmed — entry #\d+/)).toBeVisible();
    const actions = page.getByRole("list", { name: "Actions on this report" });
    await expect(actions).toContainText("Confirm");
    await page.getByRole("complementary", { name: "Report decision" }).getByRole("button", { name: "Override cause…" }).click();
    const override = page.getByRole("form", { name: "Override cause" });
    await override.getByLabel("Cause category").selectOption({ label: "Data Error" });
    await override.getByLabel("Cause", { exact: true }).fill("Duplicated till feed");
    await override.getByLabel("Reason").selectOption({ label: "New evidence" });
    await override.getByLabel("Why").fill("This store's till sent the Saturday twice.");
    await override.getByRole("button", { name: "Override" }).click();
    await expect(page.getByText(/Report overridden — entry #\d+/)).toBeVisible();
    await expect(page.getByRole("region", { name: "Causes" })).toContainText("Duplicated till feed");
    await expect(actions.getByRole("listitem")).toHaveCount(2);
    await screenshot(page, "event-report");
  });

  test("the competitor stock-out keeps its cause while confidence grows over three days", async ({ page }) => {
    await page.goto(`/events/${eventIdOf("MR-UK-003")}`);
    for (const [day, confidence] of [
      ["2025-08-06T13:30:00Z", "0.77"],
      ["2025-08-07T13:30:00Z", "0.79"],
      ["2025-08-08T14:30:00Z", "0.81"],
    ] as const) {
      await replayAt(page, day);
      await expect(page.getByTestId("machine-cause-1")).toContainText("Competitor Stock");
      await expect(figures(page)).toContainText(confidence);
    }
  });

  test("an analyst overrides a cause and sees it in the timeline; 18 stores show 14 aligned and 4 counted", async ({ page }) => {
    await page.goto(`/events/${eventIdOf("MR-UK-007")}`);
    await expect(page.getByRole("region", { name: /Stores and retailers/ })).toContainText("+ 4 more stores beyond the 14 aligned columns");
    const panel = page.getByRole("complementary", { name: "Event decision" });
    await panel.getByRole("button", { name: "Override cause…" }).click();
    const form = page.getByRole("form", { name: "Override cause" });
    await form.getByLabel("Cause category").selectOption({ label: "Promotion" });
    await form.getByLabel("Cause", { exact: true }).fill("In-app delivery voucher");
    await form.getByLabel("Reason").selectOption({ label: "New evidence" });
    await form.getByLabel("Why").fill("The voucher code in the delivery app, not the free-bar campaign, drove the orders.");
    await form.getByRole("button", { name: "Override" }).click();
    await expect(page.getByText(/Event overridden — entry #\d+/)).toBeVisible();
    await expect(page.getByTestId("analyst-cause")).toContainText("In-app delivery voucher");
    await expect(page.getByRole("list", { name: "Event timeline" })).toContainText("Overrode cause to In-app delivery voucher");
  });

  test("a long timeline shows its latest 12 steps and the count of earlier ones; show all lists every step and survives a reload", async ({ page, baseURL }) => {
    // Seven reports whose detections and cohort rows arrive at distinct instants: 14 steps.
    const group = `E2E-LONG-${Date.now().toString(36)}`;
    const t0 = Date.parse("2026-03-02T08:00:00.000Z");
    const iso = (ms: number) => new Date(ms).toISOString();
    const reports = Array.from({ length: 7 }, (_, i) => {
      const windowStart = iso(t0 + i * 3_600_000);
      const storeId = `ST-LONG-${i}`;
      const id = `MR-${createHash("sha256").update(`${storeId}\u001fSKU-LONG\u001f${windowStart}`).digest("hex").slice(0, 16)}`;
      return { id, storeId, windowStart, at: t0 + i * 3_600_000 };
    });
    const api = await newApiContext(baseURL!);
    const token = issueToken(`e2e-long-${Date.now().toString(36)}`, "events:ingest");
    const post = async (log: string, rows: object[]) => {
      const res = await api.post(`/api/v1/events/logs/${log}`, { headers: { Authorization: `Bearer ${token}` }, data: { rows } });
      expect(res.status(), await res.text()).toBe(201);
    };
    await post(
      "detected",
      reports.map((r) => ({ reportId: r.id, storeId: r.storeId, retailer: "Tesco", sku: "SKU-LONG", city: "Leeds", windowStart: r.windowStart, baseline: 100, actual: 160, uplift: 60, writtenAt: iso(r.at + 60_000) })),
    );
    await post(
      "cohort",
      reports.map((r) => ({ reportId: r.id, reportGroupId: group, cohortSize: 7, cohortConfidence: 0.8, writtenAt: iso(r.at + 120_000) })),
    );
    await api.dispose();

    await page.goto(`/events/${eventIdOf(group)}`);
    const timeline = page.getByRole("list", { name: "Event timeline" });
    await expect(page.getByTestId("timeline-bound")).toHaveText("The latest 12; 2 earlier steps not shown. Show all 14");
    await expect(timeline.locator(":scope > li")).toHaveCount(12);
    // The latest step is shown; the first detection is among the earlier ones.
    await expect(timeline).toContainText("Detected at store ST-LONG-6");
    await expect(timeline).not.toContainText("Detected at store ST-LONG-0");
    await page.getByTestId("timeline-bound").scrollIntoViewIfNeeded();
    await screenshot(page, "event-timeline-latest");
    await page.getByRole("link", { name: "Show all 14" }).click();
    await expect(page).toHaveURL(/steps=all/);
    await expect(timeline.locator(":scope > li")).toHaveCount(14);
    await page.reload();
    await expect(timeline).toContainText("Detected at store ST-LONG-0");
    await page.getByRole("link", { name: "Show the latest 12 only" }).click();
    await expect(timeline.locator(":scope > li")).toHaveCount(12);
  });

  test("the list searches every store of an event, exports as filtered, narrows to my events, and names a bad date", async ({ page }) => {
    // Open events by default: the empty state offers every status.
    await page.goto("/events");
    await expect(page.getByLabel("Status")).toHaveValue("open");
    // A city only one event has, among its 18 stores (the aligned columns hold 14).
    await page.goto("/events?status=all");
    await page.getByLabel("Search").fill("belfast");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/q=belfast/);
    await expect(page.locator("tbody tr")).toHaveCount(1);
    await expect(page.getByTestId("event-row-MR-UK-007")).toBeVisible();
    // The export is the list as filtered.
    const csv = await (await page.request.get("/events/export?kind=events&status=all&q=belfast")).text();
    expect(csv.trim().split("\r\n")).toHaveLength(2);
    // "My events": the events this analyst acted on (the overrides above).
    await page.goto("/events?status=all&mine=true");
    await expect(page.getByLabel("My events")).toBeChecked();
    await expect(page.getByTestId("event-row-MR-UK-007")).toBeVisible();
    await expect(page.getByTestId("event-row-MR-UK-003")).toHaveCount(0);
    // A date that is not one is named, on the page and by the export.
    await page.goto("/events?from=2025-13-45");
    await expect(page.getByRole("alert").filter({ hasText: "cannot read" })).toContainText('from must be a date YYYY-MM-DD; got "2025-13-45"');
    const bad = await page.request.get("/events/export?kind=events&to=yesterday");
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain("to must be a date YYYY-MM-DD");
  });

  test("exports events as CSV with the report ids first and the aligned store columns, and reports with their degraded status", async ({ page }) => {
    const response = await page.request.get("/events/export?kind=events&status=all");
    expect(response.status()).toBe(200);
    const [header, ...rows] = (await response.text()).trim().split("\r\n");
    expect(header).toMatch(/^reportIds,eventId,/);
    expect(header).toContain("storeId_14,retailer_14");
    expect(header).toContain("overflowStoreCount");
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const reports = (await (await page.request.get("/events/export?kind=reports")).text()).split("\r\n")[0]!;
    expect(reports).toContain("isDegraded,displayStatus");
    const future = await page.request.get("/events/export?kind=events&asOf=2999-01-01T00:00:00Z");
    expect(future.status()).toBe(400);
    expect(await future.text()).toContain("asOf");
  });
});

test.describe("GET /api/v1/events/windows", () => {
  test("a downstream system reads the windows to exclude or reweight with a read token, page by page; a bad date is a 400 naming it", async ({ baseURL }) => {
    const api = await newApiContext(baseURL!);
    const token = issueToken(`e2e-windows-${Date.now().toString(36)}`, "read");
    const get = (query: string) => api.get(`/api/v1/events/windows${query}`, { headers: { Authorization: `Bearer ${token}` } });
    const first = await get("?limit=2");
    expect(first.status()).toBe(200);
    const page = (await first.json()) as { windows: { reportId: string; treatment: string; storeId: string; windowStart: string }[]; next: string | null };
    expect(page.windows).toHaveLength(2);
    expect(["exclude", "reweight"]).toContain(page.windows[0]!.treatment);
    const second = (await (await get(`?limit=2&after=${page.next}`)).json()) as typeof page;
    expect(second.windows.map((w) => w.reportId)).not.toContain(page.windows[0]!.reportId);
    const bad = await get("?from=yesterday");
    expect(bad.status()).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("from must be a day (YYYY-MM-DD, UTC) or an ISO-8601 instant");
    expect((await api.get("/api/v1/events/windows")).status()).toBe(401);
    await api.dispose();
  });
});
