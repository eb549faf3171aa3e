import { expect, test, type Page } from "@playwright/test";
import { createHash } from "node:crypto";
import { screenshot } from "./screenshot";
import { storageStateFor, query } from "./support";

const eventIdOf = (group: string) => `ME-${createHash("sha256").update(group).digest("hex").slice(0, 12)}`;

/** Opens the palette with Ctrl+K (on a hydrated page) and types into it. */
async function palette(page: Page, text: string) {
  const dialog = page.getByRole("dialog", { name: "Go to" });
  await expect(async () => {
    if (!(await dialog.isVisible())) await page.keyboard.press("Control+k");
    await expect(dialog).toBeVisible({ timeout: 1000 });
  }).toPass();
  await dialog.getByRole("combobox").fill(text);
  return dialog;
}

test.describe("Ctrl+K command palette", () => {
  test.use({ storageState: storageStateFor("analyst") });

  test("a record id prefix lists real records only; Enter opens the first", async ({ page }) => {
    await page.goto("/events");
    const dialog = await palette(page, "0254_0");
    const options = dialog.getByRole("option");
    await expect(options.first()).toHaveAccessibleName("Record 0254_01 · Audit queue");
    const ids = await query<{ record_id: string }>("SELECT record_id FROM scored_records WHERE record_id LIKE '0254\\_0%' ORDER BY record_id COLLATE \"C\" LIMIT 8");
    await expect(dialog.getByRole("group", { name: "Records" }).getByRole("option")).toHaveCount(ids.length);
    await screenshot(page, "command-palette");
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, "command-palette-1280");
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/queue\/0254_01$/);
    await expect(page.getByRole("heading", { name: "0254_01" })).toBeVisible();
  });

  test("a group id (any case) opens its event, an event id too, a report id its report", async ({ page }) => {
    await page.goto("/queue");
    let dialog = await palette(page, "mr-uk-001");
    await expect(dialog.getByRole("option").first()).toHaveAccessibleName(`Event MR-UK-001 · ${eventIdOf("MR-UK-001")}`);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/events/${eventIdOf("MR-UK-001")}$`));

    dialog = await palette(page, eventIdOf("MR-UK-003"));
    await expect(dialog.getByRole("option").first()).toHaveAccessibleName(`Event MR-UK-003 · ${eventIdOf("MR-UK-003")}`);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/events/${eventIdOf("MR-UK-003")}$`));

    const [report] = await query<{ report_id: string }>("SELECT report_id FROM event_log_rows ORDER BY report_id LIMIT 1");
    dialog = await palette(page, report!.report_id);
    await expect(dialog.getByRole("option")).toHaveCount(1);
    await expect(dialog.getByRole("option")).toHaveAccessibleName(`Report ${report!.report_id} · Minority report`);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/events/reports/${report!.report_id}$`));
  });

  test("a made-up id shows No results and offers nothing to open", async ({ page }) => {
    await page.goto("/queue");
    for (const text of ["9999_99", "MR-UK-999", "MR-0123456789abcdef", "edit"]) {
      const dialog = await palette(page, text);
      await expect(dialog.getByRole("status")).toContainText("No results");
      await expect(dialog.getByRole("option")).toHaveCount(0);
      await page.keyboard.press("Enter");
      await expect(page).toHaveURL(/\/queue$/);
    }
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog", { name: "Go to" })).toHaveCount(0);
    // Empty, it lists the person's pages; typing a page's name finds it.
    const dialog = await palette(page, "");
    await expect(dialog.getByRole("group", { name: "Pages" }).getByRole("option").first()).toHaveAccessibleName("Audit queue · Review");
    await dialog.getByRole("combobox").fill("events");
    await expect(dialog.getByRole("option")).toHaveCount(1);
    await expect(dialog.getByRole("option")).toHaveAccessibleName("Minority events · Review");
  });
});

test.describe("Ctrl+K for a manager", () => {
  test.use({ storageState: storageStateFor("manager") });

  test("finds no records or events, only the manager's pages", async ({ page }) => {
    await page.goto("/account");
    const dialog = await palette(page, "0254_01");
    await expect(dialog.getByRole("status")).toContainText("No results");
    await dialog.getByRole("combobox").fill("MR-UK-001");
    await expect(dialog.getByRole("status")).toContainText("No results");
    const lookup = await page.request.get("/search?q=0254_01");
    expect(await lookup.json()).toEqual({ hits: [] });
  });
});

test.describe("dates", () => {
  test.use({ storageState: storageStateFor("analyst") });

  test("date filters take 2025-08-09 and refuse 08/09/2025 naming the rule; the as-of instant is YYYY-MM-DD HH:MM UTC", async ({ page }) => {
    await page.goto("/events?status=all");
    await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
    const from = page.getByLabel("Started from");
    await from.fill("08/09/2025");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page.getByText("Started from must be a date written YYYY-MM-DD, e.g. 2025-08-09")).toBeVisible();
    await expect(from).toHaveAttribute("aria-invalid", "true");
    await expect(from).toBeFocused();
    expect(new URL(page.url()).searchParams.get("from")).toBeNull();
    await screenshot(page, "events-date-error");

    await from.fill("2025-08-09");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/[?&]from=2025-08-09/);
    await expect(page.getByText("Started from must be")).toHaveCount(0);

    const asOf = page.getByLabel("As of (UTC)");
    await asOf.fill("20/11/2026 09:00");
    await page.getByRole("button", { name: "Replay" }).click();
    await expect(page.getByText("As of must be a UTC time written YYYY-MM-DD HH:MM, e.g. 2025-08-09 14:02")).toBeVisible();
    await expect(page).not.toHaveURL(/asOf=/);
  });

  test("times read as ISO in UTC with the relative time on hover", async ({ page }) => {
    await page.goto("/events?status=all");
    await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
    // In a table the column header names the zone and the cell keeps to the minute.
    await expect(page.getByRole("columnheader", { name: /Started \(UTC\)/ })).toBeVisible();
    const cell = page.locator("tbody time").first();
    await expect(cell).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    await expect(cell).toHaveAttribute("title", /^(just now|\d+ (min|h|days?|months?|years?) ago|in \d+ .+) · UTC$/);
    // Elsewhere a time carries its zone, the relative time on hover.
    await page.goto(`/events/${eventIdOf("MR-UK-001")}`);
    const time = page.locator("main time").first();
    await expect(time).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    await expect(time).toHaveAttribute("title", /^(just now|\d+ (min|h|days?|months?|years?) ago|in \d+ .+)$/);
  });
});
