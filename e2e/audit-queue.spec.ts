import { expect, test } from "@playwright/test";
import pg from "pg";
import { screenshot, screenshotWidths } from "./screenshot";
import { callAction, newApiContext, storageStateFor, query as sql } from "./support";

test.use({ storageState: storageStateFor("analyst") });

/** Follows the "Next page" link and waits until that page is the one shown. */
async function nextPage(page: import("@playwright/test").Page): Promise<void> {
  const link = page.getByRole("link", { name: "Next page →" });
  const href = (await link.getAttribute("href"))!;
  const before = await page.locator("[data-testid^=queue-row-]").first().getAttribute("data-testid");
  await link.click();
  await page.waitForURL((url) => url.pathname + url.search === href);
  await expect(page.locator("[data-testid^=queue-row-]").first()).not.toHaveAttribute("data-testid", before!);
  await expect(page.getByRole("link", { name: /First page/ })).toBeVisible();
}

/** Row ids of the table as shown, in order. */
async function rowIds(page: import("@playwright/test").Page): Promise<string[]> {
  const ids = await page.locator("[data-testid^=queue-row-]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")!.slice("queue-row-".length)));
  return ids;
}

test.describe("audit queue", () => {
  // A hydration mismatch (React #418) or any other script error fails the test.
  let pageErrors: string[] = [];
  test.beforeEach(({ page }) => {
    pageErrors = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });
  test.afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  test("filters, sorts, pages deep and survives a reload on the same view", async ({ page }) => {
    await page.goto("/queue");
    await expect(page.getByRole("heading", { name: "Audit queue" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Audit queue" })).toBeVisible();
    await screenshot(page, "queue");
    await screenshotWidths(page, "queue");
    // Reasons most of the view carries fold into a "+ N common" tail, named on hover.
    await expect(page.getByTestId("common-reasons").first()).toHaveAttribute("title", /Common to most rows here: \w+/);

    await page.getByLabel("Flag").selectOption("AGGREGATE_MEDIUM_HIGH");
    await expect(page).toHaveURL(/flag=AGGREGATE_MEDIUM_HIGH/);
    await page.getByRole("link", { name: /^Conf/ }).click();
    await expect(page).toHaveURL(/sort=confidence/);
    const firstPage = await rowIds(page);
    expect(firstPage.length).toBe(50);

    // Confidence ascending within the flag filter.
    const confidences = await page.locator("[data-testid^=queue-row-] td:nth-child(3)").allTextContents();
    const values = confidences.map(Number);
    expect([...values].sort((a, b) => a - b)).toEqual(values);

    // Page deep by cursor: no record twice.
    const seen = new Set(firstPage);
    for (let i = 0; i < 3; i++) {
      await nextPage(page);
      for (const id of await rowIds(page)) {
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
    }
    const deepUrl = page.url();
    const deepRows = await rowIds(page);
    await page.reload();
    expect(page.url()).toBe(deepUrl);
    expect(await rowIds(page)).toEqual(deepRows);
    await expect(page.getByLabel("Flag")).toHaveValue("AGGREGATE_MEDIUM_HIGH");
    await screenshot(page, "queue-filtered-deep");
  });

  test("pages through every queued record of a view without duplicates, as the database counts them", async ({ page }) => {
    const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM gating_results WHERE current AND route = 'audit' AND review_seq IS NULL AND flags @> ARRAY['MULTI_HIGH_SPEND']");
    await client.end();
    await page.goto("/queue?flag=MULTI_HIGH_SPEND&sort=age&dir=desc");
    // The count in view is the database's (exact below 10,000), on every page.
    await expect(page.getByTestId("queue-count")).toHaveText(Number(rows[0]!.n).toLocaleString("en-US"));
    const seen = new Set<string>();
    for (;;) {
      for (const id of await rowIds(page)) {
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
      if ((await page.getByRole("link", { name: "Next page →" }).count()) === 0) break;
      await nextPage(page);
    }
    expect(seen.size).toBe(Number(rows[0]!.n));
  });

  test("shows held batches with their figures and opens 0254_01 from the queue", async ({ page }) => {
    await page.goto("/queue");
    const held = page.getByRole("region", { name: "Held batches" });
    await expect(held).toContainText("held batch");
    const canaryBatch = held.getByRole("link", { name: /demo-001/ });
    await expect(canaryBatch).toContainText("3/10 fragile");
    await page.waitForLoadState("networkidle");
    await canaryBatch.click();
    await expect(page).toHaveURL(/batch=demo-001/);
    await expect(page.getByTestId("queue-row-0254_01")).toBeVisible();
    await page.getByRole("link", { name: "0254_01" }).click();
    await expect(page).toHaveURL(/\/queue\/0254_01(\?|$)/);
    await expect(page.getByRole("heading", { name: "0254_01" })).toBeVisible();
    await expect(page.getByText("CANARY", { exact: true })).toBeVisible();
    await expect(page.getByText("BATCH_HOLD", { exact: true })).toBeVisible();
    await screenshot(page, "record-0254_01");
  });

  test("loading the queue renders no other view of it in the background (sort headers, pager, batch chips, saved views)", async ({ page }) => {
    const prefetched: string[] = [];
    page.on("request", (r) => {
      if (r.headers()["next-router-prefetch"]) prefetched.push(new URL(r.url()).pathname + new URL(r.url()).search.replace(/[?&]_rsc=[^&]*/, ""));
    });
    await page.goto("/queue?limit=100");
    await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
    await expect(page.getByRole("region", { name: "Held batches" })).toBeVisible();
    await page.waitForLoadState("networkidle");
    // Each of these would be a server request for another view on every load of the page (the
    // router's own request for the head of the page it is on, "/queue", is not one of them).
    expect(prefetched.filter((u) => u.startsWith("/queue?")), prefetched.join(", ")).toEqual([]);
  });

  test("moves with j / k and opens the active record with Enter", async ({ page }) => {
    await page.goto("/queue?batch=demo-001&sort=age");
    await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
    const ids = await rowIds(page);
    await page.keyboard.press("j");
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    await expect(page.getByTestId(`queue-row-${ids[1]}`)).toHaveAttribute("aria-selected", "true");
    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toContainText("open the record");
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveCount(0);
    await page.keyboard.press("/");
    await expect(page.getByLabel("Status")).toBeFocused();
    // Shortcuts never fire while typing in a field.
    await page.keyboard.press("j");
    await expect(page.getByTestId(`queue-row-${ids[1]}`)).toHaveAttribute("aria-selected", "true");
    await page.getByLabel("Status").blur();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/queue/${ids[1]}\\?view=`));
  });

  test("saves the current view, reopens it from the list, and deletes it", async ({ page }) => {
    const name = `Cryo unknown ${Date.now().toString(36)}`;
    await page.goto("/queue?flag=CRYO_UNKNOWN_ALLZERO&sort=age&dir=desc");
    await page.getByRole("button", { name: "Save this view" }).click();
    const dialog = page.getByRole("dialog", { name: "Save this view" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Save view" }).click();
    const views = page.getByRole("group", { name: "Saved views" });
    await expect(views.getByRole("link", { name })).toHaveAttribute("aria-current", "page");
    await page.goto("/queue");
    await page.waitForLoadState("networkidle");
    await views.getByRole("link", { name }).click();
    await page.waitForURL(/flag=CRYO_UNKNOWN_ALLZERO/);
    expect(new URL(page.url()).search).toBe("?flag=CRYO_UNKNOWN_ALLZERO&sort=age&dir=desc");
    await views.getByRole("button", { name: `Delete the view ${name}` }).click();
    await expect(views.getByRole("link", { name })).toHaveCount(0);
  });

  test("refuses a forged cursor and an unknown sort with a message, not a crash", async ({ page }) => {
    await page.goto("/queue?cursor=bm90LWEtY3Vyc29y");
    await expect(page.getByText("The page cursor is not valid for this view")).toBeVisible();
    await page.goto("/queue?sort=bogus");
    await expect(page.getByText("This view's address is not valid")).toBeVisible();
    await expect(page.getByText(/must be one of triage, error, confidence, fragility, age/)).toBeVisible();
  });

  test("pins the open canaries at the top of page 1 of the triage order, then the likeliest wrong labels", async ({ page }) => {
    // Canaries first, then the estimated chance the machine label is wrong, highest first (gating spec §11).
    const firstPage = await sql<{ record_id: string; canary: boolean }>(
      `SELECT record_id, reason_codes @> ARRAY['CANARY'] AS canary FROM gating_results WHERE current AND route = 'audit' AND review_seq IS NULL
       ORDER BY NOT (reason_codes @> ARRAY['CANARY']), error_estimate DESC, created_at, id LIMIT 50`,
    );
    expect(firstPage.filter((r) => r.canary).length).toBeGreaterThan(0);
    await page.goto("/queue");
    expect(await rowIds(page)).toEqual(firstPage.map((r) => r.record_id));
    // The estimate is a column of its own, as a percentage; its header orders by it alone.
    const shown = await page.locator("[data-testid^=queue-row-] td:nth-child(4)").allTextContents();
    expect(shown[0]).toMatch(/^\d{1,3}\.\d %$/);
    await page.getByRole("link", { name: /^P\(wrong\)/ }).click();
    await expect(page).toHaveURL(/sort=error&dir=desc/);
    const byEstimate = (await page.locator("[data-testid^=queue-row-] td:nth-child(4)").allTextContents()).map((t) => parseFloat(t));
    expect(byEstimate.length).toBe(50);
    expect([...byEstimate].sort((a, b) => b - a)).toEqual(byEstimate);
  });

  test("the status filter reaches decided records, and shows who decided", async ({ page }) => {
    const decided = await sql<{ record_id: string; name: string }>(
      "SELECT r.record_id, u.name FROM gating_results r JOIN users u ON u.id = r.reviewed_by WHERE r.current AND r.route = 'audit' AND r.review_seq IS NOT NULL ORDER BY NOT (r.reason_codes @> ARRAY['CANARY']), r.error_estimate DESC, r.created_at, r.id LIMIT 1",
    );
    expect(decided.length).toBe(1);
    await page.goto("/queue");
    await page.waitForLoadState("networkidle");
    await page.getByLabel("Status").selectOption("decided");
    await expect(page).toHaveURL(/status=decided/);
    const row = page.getByTestId(`queue-row-${decided[0]!.record_id}`);
    await expect(row).toBeVisible();
    await expect(row).toContainText(decided[0]!.name);
    await expect(page.getByRole("columnheader", { name: "Decision" })).toBeVisible();
  });

  test("the claimed-by column shows who holds a record, to everyone; 'claimed by me' lists it for the holder", async ({ page, browser, baseURL }) => {
    const [target] = await sql<{ record_id: string }>(
      "SELECT record_id FROM gating_results WHERE current AND route = 'audit' AND review_seq IS NULL AND batch_id = 'demo-001' ORDER BY created_at DESC, id DESC LIMIT 1",
    );
    const ben = await newApiContext(baseURL!, storageStateFor("analyst"));
    const claimed = await callAction(ben, baseURL!, "/queue", "claimRecordAction", { recordId: target!.record_id });
    await ben.dispose();
    expect(claimed).toContain('"ok":true');
    const other = await (await browser.newContext({ storageState: storageStateFor("lead") })).newPage();
    await other.goto("/queue?batch=demo-001");
    await expect(other.getByTestId(`queue-row-${target!.record_id}`).getByTestId("claimed-by")).toContainText(/Ada Analyst\s*\d+ min/);
    await other.context().close();
    await page.goto("/queue?status=mine");
    expect(await rowIds(page)).toContain(target!.record_id);
  });

  test("a lead shares a view with the team; a second user sees it beside their own", async ({ browser }) => {
    const name = `Team fragile ${Date.now().toString(36)}`;
    const lead = await (await browser.newContext({ storageState: storageStateFor("lead") })).newPage();
    await lead.goto("/queue?kind=fragile&sort=fragility");
    await lead.getByRole("button", { name: "Save this view" }).click();
    const dialog = lead.getByRole("dialog", { name: "Save this view" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel(/Share with the team/).check();
    await dialog.getByRole("button", { name: "Save view" }).click();
    await expect(lead.getByRole("group", { name: "Saved views" }).getByRole("link", { name: new RegExp(name) })).toBeVisible();
    await lead.context().close();

    const analyst = await (await browser.newContext({ storageState: storageStateFor("analyst") })).newPage();
    await analyst.goto("/queue");
    const views = analyst.getByRole("group", { name: "Saved views" });
    const link = views.getByRole("link", { name: new RegExp(name) });
    await expect(link).toContainText("Lena Lead");
    // Not theirs to delete.
    await expect(views.getByRole("button", { name: `Delete the view ${name}` })).toHaveCount(0);
    await analyst.waitForLoadState("networkidle");
    await link.click();
    await analyst.waitForURL(/kind=fragile/);
    await analyst.context().close();
  });

  test("downloads the current view as CSV", async ({ page }) => {
    const response = await page.request.get("/queue/export?flag=MULTI_HIGH_SPEND&sort=age");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/csv");
    const lines = (await response.text()).trim().split("\n");
    expect(lines[0]).toMatch(/^recordId,version,batchId/);
    const [count] = await sql<{ n: string }>("SELECT count(*) AS n FROM gating_results WHERE current AND route = 'audit' AND review_seq IS NULL AND flags @> ARRAY['MULTI_HIGH_SPEND']");
    expect(lines.length - 1).toBe(Number(count!.n));
    expect((await page.request.get("/queue/export?sort=bogus")).status()).toBe(422);
  });
});
