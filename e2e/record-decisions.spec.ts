/**
 * The record page as a case file and decisions that are fast and safe: 404 status, the
 * decided outcome in the header, undo of a staged confirm, a lead's amendment, take over,
 * a note that does not block a decision, a conflict that keeps the typed override, and live
 * updates seen by a second browser.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { screenshot } from "./screenshot";
import { callAction, postDecision, signInOverHttp, storageStateFor, query } from "./support";

async function actions(recordId: string): Promise<string[]> {
  return (await query<{ action: string }>("SELECT action FROM edit_log WHERE subject_type = 'record' AND subject_id = $1 ORDER BY seq", [recordId])).map((r) => r.action);
}

type Fresh = { record_id: string; version: number; decision: boolean };

/**
 * A queued record nobody has touched (no edit-log entry), away from the batches and records
 * the other record specs walk through (demo-001, demo-005, 0254_01, held batches), each call
 * a different one.
 */
async function freshRecord(): Promise<Fresh> {
  const row = (
    await query<Fresh>(
      `SELECT r.record_id, r.version, r.decision FROM gating_results r
       WHERE r.current AND r.route = 'audit' AND r.review_seq IS NULL AND r.batch_id NOT IN ('demo-001', 'demo-005') AND r.record_id <> '0254_01'
         AND r.batch_id IN (SELECT b.id FROM ingest_batches b WHERE NOT b.held)
         AND NOT EXISTS (SELECT 1 FROM edit_log e WHERE e.subject_type = 'record' AND e.subject_id = r.record_id)
       ORDER BY r.record_id LIMIT 1`,
    )
  )[0];
  if (!row) throw new Error("no untouched queued record left");
  return row;
}

/** Opens a record page and waits until its shortcuts listen (hydrated). */
async function openRecord(page: Page, recordId: string) {
  await page.goto(`/queue/${recordId}`);
  await expect(page.locator("aside[data-keyboard=on]")).toBeVisible();
}

/** Ben Analyst in a browser of his own. */
async function benBrowser(browser: Browser, baseURL: string) {
  const context = await browser.newContext({ baseURL });
  expect(await signInOverHttp(context.request, "analyst2@demo.local", "sentinel-analyst2")).toBe(true);
  return context;
}

test.describe.configure({ mode: "serial" });

test.describe("the record page as a case file", () => {
  test.use({ storageState: storageStateFor("analyst") });

  test("an unknown record answers 404", async ({ page }) => {
    const response = await page.goto("/queue/no-such-record_01");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });

  test("a decided record shows its outcome in the header; the passenger, the group and the policy threshold are shown", async ({ page }) => {
    const decided = (
      await query<{ record_id: string; review_action: string }>(
        "SELECT record_id, review_action FROM gating_results WHERE current AND review_seq IS NOT NULL AND record_id <> '0254_01' ORDER BY record_id LIMIT 1",
      )
    )[0]!;
    await openRecord(page, decided.record_id);
    const outcome = page.getByTestId("record-outcome");
    await expect(outcome).toContainText(decided.review_action === "confirm" ? /Confirmed (Not )?[Tt]ransported/ : /Overridden to/);
    await expect(outcome).not.toContainText("audit");
    const passenger = page.getByRole("region", { name: "Passenger (as the scorer saw it)" });
    for (const label of ["HomePlanet", "Destination", "Cabin deck · num · side", "CryoSleep", "VIP", "Age", "group size"]) await expect(passenger).toContainText(label);
    const threshold = (await query<{ t: string }>("SELECT content->'thresholds'->>'DECISION_THRESHOLD' AS t FROM policy_snapshots p JOIN gating_results r ON r.policy_id = p.id WHERE r.record_id = $1 AND r.current", [decided.record_id]))[0]!.t;
    await expect(page.getByRole("region", { name: "Interval" })).toContainText(`decision threshold (policy)${Number(threshold)}`);
    // Beside the confidence: the stored estimate that the machine label is wrong, and what it does.
    const estimate = (await query<{ e: number }>("SELECT error_estimate AS e FROM gating_results WHERE record_id = $1 AND current", [decided.record_id]))[0]!.e;
    const shown = page.getByTestId("error-estimate");
    await expect(shown).toContainText("Estimated chance the machine label is wrong");
    await expect(shown).toContainText(`${(estimate * 100).toFixed(1)} %`);
    await expect(shown).toContainText("Orders the audit queue");
  });

  test("screenshots at 1440 and 1280 px: a record with a travelling group", async ({ page }) => {
    const withGroup = (
      await query<{ record_id: string }>(
        `SELECT r.record_id FROM gating_results r WHERE r.current AND r.route = 'audit' AND r.batch_id <> 'demo-001'
           AND EXISTS (SELECT 1 FROM gating_results o WHERE o.current AND o.record_id <> r.record_id AND o.record_id LIKE split_part(r.record_id, '_', 1) || '\\_%')
         ORDER BY r.record_id DESC LIMIT 1`,
      )
    )[0]!.record_id;
    for (const width of [1440, 1280]) {
      await page.setViewportSize({ width, height: 1000 });
      await openRecord(page, withGroup);
      const group = page.getByRole("region", { name: "Travelling group" });
      await expect(group.getByRole("link").first()).toBeVisible();
      // Ids never wrap: each id link is one line high.
      for (const link of await group.getByRole("link").all()) {
        const box = (await link.boundingBox())!;
        expect(box.height).toBeLessThan(24);
      }
      await screenshot(page, `record-${width}`);
    }
  });
});

test.describe("decisions that are fast and safe", () => {
  test.use({ storageState: storageStateFor("analyst") });

  test("undo: c then u writes nothing; c and waiting writes the confirm", async ({ page }) => {
    const r = await freshRecord();
    await openRecord(page, r.record_id);
    await page.keyboard.press("c");
    await expect(page.getByTestId("staged")).toContainText("in 5 s");
    await page.keyboard.press("u");
    await expect(page.getByText(`Undone — nothing was recorded for ${r.record_id}`)).toBeVisible();
    await page.waitForTimeout(6000);
    expect(await actions(r.record_id)).toEqual([]);

    // The toast's own Undo button does the same.
    await page.keyboard.press("c");
    await page.locator("[data-sonner-toast]").getByRole("button", { name: "Undo" }).click();
    await expect(page.getByTestId("staged")).toHaveCount(0);
    await page.waitForTimeout(5500);
    expect(await actions(r.record_id)).toEqual([]);

    await page.keyboard.press("c");
    await expect(page.getByText(new RegExp(`Confirmed ${r.record_id} — entry #\\d+`))).toBeVisible();
    expect(await actions(r.record_id)).toEqual(["confirm"]);
    await expect(page.getByTestId("record-outcome")).toContainText("Confirmed");
  });

  test("a note by Ben does not block Ada's decision", async ({ page, browser, baseURL }) => {
    const r = await freshRecord();
    await openRecord(page, r.record_id);
    const ben = await benBrowser(browser, baseURL!);
    const noted = await callAction(ben.request, baseURL!, `/queue/${r.record_id}`, "annotateRecordAction", { recordId: r.record_id, text: "Cabin neighbours were all transported.", requestId: crypto.randomUUID() });
    expect(noted).toContain('"ok":true');
    // Ada's open page hears of it, and her confirm still goes through.
    await expect(page.getByTestId("live-notice")).toContainText("Ben Analyst added a note to this record");
    await page.keyboard.press("c");
    await expect(page.getByText(new RegExp(`Confirmed ${r.record_id} — entry #\\d+`))).toBeVisible();
    expect(await actions(r.record_id)).toEqual(["note", "confirm"]);
    await ben.close();
  });

  test("a conflict keeps the typed override text", async ({ page, browser, baseURL }) => {
    const r = await freshRecord();
    await openRecord(page, r.record_id);
    await page.keyboard.press("o");
    const form = page.getByRole("form", { name: "Override" });
    await form.getByLabel("Reason").selectOption({ label: "Missing context" });
    const why = "The passenger's cabin was reassigned after boarding; the manifest shows it.";
    await form.getByLabel("Why").fill(why);
    const ben = await benBrowser(browser, baseURL!);
    const decided = await postDecision(ben.request, baseURL!, {
      recordId: r.record_id,
      resultVersion: r.version,
      ledgerVersion: 0,
      machineLabel: r.decision,
      action: "confirm",
      requestId: crypto.randomUUID(),
    });
    expect(decided).toContain('"ok":true');
    await form.getByRole("button", { name: /^Override to/ }).click();
    const alert = page.getByRole("alert").filter({ hasText: "Conflict" });
    await expect(alert).toContainText("Ben Analyst confirmed this record");
    await expect(form.getByLabel("Why")).toHaveValue(why);
    // Even after the reload the text is there to copy into a note.
    await alert.getByRole("button", { name: "Reload" }).click();
    await expect(page.getByTestId("unsent-override")).toContainText(why);
    expect(await actions(r.record_id)).toEqual(["confirm"]);
    await ben.close();
  });

  test("the decision route keeps the action's guarantees: a replayed request id is one entry, a stale version a 409, bad input a 422 naming the field", async ({ browser, baseURL }) => {
    const r = await freshRecord();
    const ben = await benBrowser(browser, baseURL!);
    const post = (data: Record<string, unknown>) => ben.request.post("/api/console/decisions", { headers: { Origin: new URL(baseURL!).origin }, data });
    const input = { recordId: r.record_id, resultVersion: r.version, ledgerVersion: 0, machineLabel: r.decision, action: "confirm", requestId: crypto.randomUUID() };
    const first = await post(input);
    expect(first.status()).toBe(200);
    const firstBody = (await first.json()) as { ok: boolean; data: { seq: string; replayed: boolean } };
    expect(firstBody).toMatchObject({ ok: true, data: { replayed: false } });
    // The same request again (a retry after a lost answer): the same entry, not a second one.
    const again = (await (await post(input)).json()) as { ok: boolean; data: { seq: string; replayed: boolean } };
    expect(again).toMatchObject({ ok: true, data: { seq: firstBody.data.seq, replayed: true } });
    // A new request on the version the page showed before: refused, nothing written.
    const stale = await post({ ...input, requestId: crypto.randomUUID() });
    expect(stale.status()).toBe(409);
    expect(await stale.json()).toMatchObject({ ok: false, code: "conflict" });
    const bad = await post({ ...input, action: "maybe", requestId: crypto.randomUUID() });
    expect(bad.status()).toBe(422);
    expect(await bad.json()).toMatchObject({ ok: false, code: "invalid", fieldErrors: { action: expect.any(Array) } });
    expect(await actions(r.record_id)).toEqual(["confirm"]);
    await ben.close();
  });

  test("take over: Ben takes Ada's claim, recorded, then decides", async ({ page, browser, baseURL }) => {
    const r = await freshRecord();
    await openRecord(page, r.record_id);
    await page.getByRole("button", { name: "Claim for 15 min" }).click();
    await expect(page.getByTestId("claim-line")).toContainText("You hold this record until");

    const ben = await benBrowser(browser, baseURL!);
    const benPage = await ben.newPage();
    await openRecord(benPage, r.record_id);
    const decision = benPage.getByRole("complementary", { name: "Decision" });
    await expect(decision.getByTestId("claim-line")).toContainText(/Ada Analyst holds this record until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    await expect(decision.getByRole("button", { name: /^Confirm/ })).toHaveCount(0);
    await decision.getByRole("button", { name: "Take over from Ada Analyst" }).click();
    await expect(benPage.getByText(new RegExp(`You took over ${r.record_id}`))).toBeVisible();
    await expect(decision.getByTestId("claim-line")).toContainText("You hold this record until");
    // Ada's page learns of it.
    await expect(page.getByTestId("live-notice")).toContainText("Ben Analyst took over this record");
    await benPage.keyboard.press("c");
    await expect(benPage.getByText(new RegExp(`Confirmed ${r.record_id} — entry #\\d+`))).toBeVisible();
    expect(await actions(r.record_id)).toEqual(["claim", "takeover", "confirm"]);
    await expect(benPage.getByRole("list", { name: "Timeline" })).toContainText("Took over the claim");
    await ben.close();
  });

  test("live update: Ben decides in his browser, Ada's open record and queue pages say so within 5 s", async ({ page, browser, baseURL }) => {
    const r = await freshRecord();
    await openRecord(page, r.record_id);
    const queue = await page.context().newPage();
    await queue.goto("/queue");
    await expect(queue.getByRole("heading", { name: "Audit queue" })).toBeVisible();
    await queue.waitForTimeout(3000); // the queue page has learnt where the log stands

    const ben = await benBrowser(browser, baseURL!);
    const benPage = await ben.newPage();
    await openRecord(benPage, r.record_id);
    await benPage.keyboard.press("c");
    await expect(benPage.getByText(new RegExp(`Confirmed ${r.record_id} — entry #\\d+`))).toBeVisible();

    await page.bringToFront();
    await expect(page.getByTestId("live-notice")).toContainText(/Ben Analyst confirmed this record \d+ s ago/, { timeout: 5000 });
    await queue.bringToFront();
    await expect(queue.getByTestId("live-notice")).toContainText(`Ben Analyst confirmed ${r.record_id}`, { timeout: 5000 });
    await page.bringToFront();
    await page.getByTestId("live-notice").getByRole("button", { name: "Reload" }).click();
    await expect(page.getByTestId("record-outcome")).toContainText("Confirmed");
    await expect(page.getByTestId("live-notice")).toHaveCount(0);
    await ben.close();
  });
});

test.describe("a lead's amendment", () => {
  test.use({ storageState: storageStateFor("lead") });

  test("a lead amends a decided record: a new entry, shown in the header and the timeline", async ({ page, baseURL, browser }) => {
    const r = await freshRecord();
    const ben = await benBrowser(browser, baseURL!);
    expect(
      await postDecision(ben.request, baseURL!, {
        recordId: r.record_id,
        resultVersion: r.version,
        ledgerVersion: 0,
        machineLabel: r.decision,
        action: "confirm",
        requestId: crypto.randomUUID(),
      }),
    ).toContain('"ok":true');
    await ben.close();
    await openRecord(page, r.record_id);
    const other = r.decision ? "Not transported" : "Transported";
    await page.getByRole("button", { name: "Amend…" }).click();
    const form = page.getByRole("form", { name: "Amend" });
    await form.getByLabel("Reason").selectOption({ label: "New evidence" });
    await form.getByLabel("Why").fill("The arrival manifest came in after the decision.");
    await form.getByRole("button", { name: `Amend to ${other}` }).click();
    await expect(page.getByText(new RegExp(`Amended ${r.record_id} to ${other} — entry #\\d+`))).toBeVisible();
    await expect(page.getByTestId("record-outcome")).toContainText(`Amended to ${other}`);
    await expect(page.locator("main header")).toContainText("Amended by Lena Lead");
    await expect(page.getByRole("list", { name: "Timeline" })).toContainText(`Amended to ${other} — New evidence`);
    await screenshot(page, "record-amended");
    expect(await actions(r.record_id)).toEqual(["confirm", "amend"]);
  });
});
