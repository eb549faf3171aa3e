import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { verifyInclusion } from "../lib/ledger/merkle";
import { expect, test, type Page } from "@playwright/test";
import pg from "pg";
import { screenshot, screenshotWidths } from "./screenshot";
import { callAction, newApiContext, postDecision, signInOverHttp, storageStateFor } from "./support";

/** Rows of the edit log about one subject, straight from the database. */
async function entriesFor(subjectId: string): Promise<{ action: string; c: string }[]> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<{ action: string; c: string }>("SELECT action, c FROM edit_log WHERE subject_id = $1 ORDER BY seq", [subjectId])).rows;
  } finally {
    await client.end();
  }
}

async function rowIds(page: Page): Promise<string[]> {
  const ids = await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")?.replace("queue-row-", "") ?? ""));
  return ids.filter(Boolean);
}

/** Opens a record page and waits until its shortcuts listen (hydrated). */
async function openRecord(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator("aside[data-keyboard=on]")).toBeVisible();
}

test.describe.configure({ mode: "serial" });

test.describe("record review", () => {
  test.use({ storageState: storageStateFor("analyst") });

  test("an analyst overrides 0254_01 with a reason and sees the entry in its timeline", async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto("/queue?batch=demo-001");
    await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
    await page.getByRole("link", { name: "0254_01" }).click();
    await expect(page.getByRole("heading", { name: "0254_01" })).toBeVisible();
    await expect(page.locator("aside[data-keyboard=on]")).toBeVisible();
    const decision = page.getByRole("complementary", { name: "Decision" });
    await expect(decision).toContainText("The machine says Not transported");
    await expect(page.getByText("Raw spends (before any imputation)")).toBeVisible();
    await expect(page.getByRole("img", { name: /Logit contributions before and after caps/ })).toBeVisible();

    // An override without a reason is refused in the form, naming the field.
    await page.keyboard.press("o");
    const form = page.getByRole("form", { name: "Override" });
    await expect(form.getByLabel("Reason")).toBeFocused();
    await form.getByLabel("Reason").selectOption({ label: "Data error" });
    await form.getByLabel("Why").fill("Spa and VRDeck were swapped upstream; the corrected spends match a Transported passenger.");
    await form.getByRole("button", { name: "Override to Transported" }).click();
    // Staged for five seconds (undoable), then written; the page shows the outcome.
    await expect(page.getByTestId("staged")).toContainText("Overriding to Transported in 5 s");
    await expect(page.getByText(/Overrode 0254_01 — entry #\d+/)).toBeVisible();
    await expect(page).toHaveURL(/\/queue\/0254_01/);

    await openRecord(page, "/queue/0254_01");
    await expect(decision).toContainText("Overridden to Transported");
    await expect(page.getByTestId("record-outcome")).toContainText("Overridden to Transported");
    const timeline = page.getByRole("list", { name: "Timeline" });
    await expect(timeline).toContainText("Overrode to Transported — Data error");
    await expect(timeline).toContainText("Spa and VRDeck were swapped upstream");
    await expect(timeline).toContainText(/Ada Analyst \(analyst\) · entry #\d+ · [0-9a-f]{10}…/);
    await expect(decision.getByRole("button", { name: /Confirm/ })).toHaveCount(0);
    await screenshot(page, "record-0254_01-overridden");
    const entries = await entriesFor("0254_01");
    expect(entries.map((e) => e.action)).toEqual(["override"]);
    expect(JSON.parse(entries[0]!.c)).toMatchObject({ reasonCode: "data_error", after: { label: true }, actor: { type: "user", role: "analyst" } });
    expect(errors).toEqual([]);
  });

  test("two analysts on the same page: the second decision gets the conflict, nothing is stacked", async ({ page, browser, baseURL }) => {
    await page.goto("/queue?batch=demo-001&sort=age");
    await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
    const recordId = (await rowIds(page)).find((id) => id !== "0254_01")!;
    // Ben signs in in his own browser and opens the same record.
    const ben = await browser.newContext();
    expect(await signInOverHttp(ben.request, "analyst2@demo.local", "sentinel-analyst2")).toBe(true);
    const benPage = await ben.newPage();
    await openRecord(benPage, `${baseURL}/queue/${recordId}`);
    await openRecord(page, `/queue/${recordId}`);

    await page.keyboard.press("c");
    await expect(page.getByText(new RegExp(`Confirmed ${recordId} — entry #\\d+`))).toBeVisible();

    await benPage.getByRole("button", { name: /^Confirm/ }).click();
    // Ben's confirm is staged for five seconds, then refused: Ada's came first.
    const alert = benPage.getByRole("alert").filter({ hasText: "Conflict" });
    await expect(alert).toContainText(/Ada Analyst confirmed this record at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(entry #\d+\) after you opened it\. Reload to see the latest\./);
    await screenshot(benPage, "record-conflict");
    await alert.getByRole("button", { name: "Reload" }).click();
    await expect(benPage.getByRole("complementary", { name: "Decision" })).toContainText(/Confirmed (Not )?[Tt]ransported/);
    expect((await entriesFor(recordId)).map((e) => e.action)).toEqual(["confirm"]);
    await ben.close();
  });

  test("keyboard: Enter opens, n goes to the next record of the view, c then n confirms at once and opens the next", async ({ page }) => {
    await page.goto("/queue?batch=demo-001&sort=fragility&dir=desc");
    await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
    const ids = await rowIds(page);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`/queue/${ids[0]}\\?view=`));
    await expect(page.locator("aside[data-keyboard=on]")).toBeVisible();
    await page.keyboard.press("n");
    await expect(page).toHaveURL(new RegExp(`/queue/${ids[1]}\\?view=`));
    await expect(page.locator("aside[data-keyboard=on]")).toBeVisible();
    await page.keyboard.press("?");
    await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toContainText("Confirm the machine's label");
    await page.keyboard.press("Escape");
    // Typing in the note never fires a shortcut.
    await page.getByRole("textbox", { name: "Note" }).fill("c n o");
    await expect(page).toHaveURL(new RegExp(`/queue/${ids[1]}\\?view=`));
    await page.getByRole("textbox", { name: "Note" }).fill("");
    await page.getByRole("textbox", { name: "Note" }).blur();
    await page.keyboard.press("c");
    await expect(page.getByTestId("staged")).toBeVisible();
    // Moving on writes the staged confirm at once.
    await page.keyboard.press("n");
    await expect(page.getByText(new RegExp(`Confirmed ${ids[1]} — entry #\\d+`))).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`/queue/${ids[2]}\\?view=`));
    expect((await entriesFor(ids[1]!)).map((e) => e.action)).toEqual(["confirm"]);
  });

  test("a claim shows who holds the record and until when", async ({ page, browser, baseURL }) => {
    await page.goto("/queue?batch=demo-001&sort=age");
    await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
    const recordId = (await rowIds(page))[0]!;
    await openRecord(page, `/queue/${recordId}`);
    await page.getByRole("button", { name: "Claim for 15 min" }).click();
    await expect(page.getByRole("complementary", { name: "Decision" })).toContainText("You hold this record until");
    const ben = await browser.newContext();
    expect(await signInOverHttp(ben.request, "analyst2@demo.local", "sentinel-analyst2")).toBe(true);
    const benPage = await ben.newPage();
    await openRecord(benPage, `${baseURL}/queue/${recordId}`);
    await expect(benPage.getByRole("complementary", { name: "Decision" })).toContainText("Ada Analyst holds this record until");
    await ben.close();
  });
});

test.describe("lead actions", () => {
  test.use({ storageState: storageStateFor("lead") });

  test("a lead releases a held batch: recorded, gated again without the hold, the old result kept", async ({ page }) => {
    await page.goto("/queue");
    const held = page.getByRole("region", { name: "Held batches" });
    const item = held.getByRole("listitem").filter({ hasText: "demo-002" });
    await item.getByRole("button", { name: "Release…" }).click();
    const dialog = page.getByRole("dialog", { name: "Release held batch demo-002" });
    await dialog.getByLabel("Reason").fill("Five fragile records from the nightly replay, checked with upstream.");
    await dialog.getByRole("button", { name: "Release batch" }).click();
    await expect(page.getByText(/Released demo-002: 5 records gated again/)).toBeVisible();
    await expect(held.getByRole("listitem").filter({ hasText: "demo-002" })).toHaveCount(0);
    const entries = await entriesFor("demo-002");
    expect(entries.map((e) => e.action)).toEqual(["release"]);

    const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await client.connect();
    const recordId = (await client.query<{ record_id: string }>("SELECT record_id FROM gating_results WHERE batch_id = 'demo-002' LIMIT 1")).rows[0]!.record_id;
    await client.end();
    await openRecord(page, `/queue/${recordId}`);
    const timeline = page.getByRole("list", { name: "Timeline" });
    await expect(timeline).toContainText("Released held batch demo-002");
    await expect(timeline).toContainText("Result v2");
    await expect(timeline).toContainText("superseded");
  });

  test("a lead confirms a selection in one action", async ({ page }) => {
    await page.goto("/queue?batch=demo-005&sort=age");
    await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
    let ids = await rowIds(page);
    if (ids.length < 2) {
      await page.goto("/queue?kind=fragile&sort=age&dir=desc");
      await expect(page.locator("table[data-keyboard=on]")).toBeVisible();
      ids = await rowIds(page);
    }
    const chosen = ids.slice(0, 2);
    await page.keyboard.press("x");
    await page.getByLabel(`Select ${chosen[1]}`).check();
    await page.getByRole("button", { name: "Confirm 2 machine labels" }).click();
    // A reason is required: refused in the form, naming the field, nothing written.
    const dialog = page.getByRole("dialog", { name: "Confirm 2 machine labels" });
    await dialog.getByRole("button", { name: "Confirm 2" }).click();
    await expect(dialog.getByText(/Reason is required/)).toBeVisible();
    for (const id of chosen) expect(await entriesFor(id)).toEqual([]);
    await dialog.getByLabel("Reason").fill("Same cabin group, checked together against the manifest.");
    await dialog.getByRole("button", { name: "Confirm 2" }).click();
    await expect(page.getByText("Confirmed 2 records")).toBeVisible();
    for (const id of chosen) {
      await expect(page.getByTestId(`queue-row-${id}`)).toHaveCount(0);
      const entries = await entriesFor(id);
      expect(entries.map((e) => e.action)).toEqual(["confirm"]);
      expect(JSON.parse(entries[0]!.c)).toMatchObject({ reasonCode: "bulk", reasonText: "Same cabin group, checked together against the manifest." });
    }
  });
});

test.describe("decisions called directly", () => {
  test("refuse roles without the permission and write nothing", async ({ baseURL }) => {
    const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await client.connect();
    const target = (
      await client.query<{ record_id: string; version: number; decision: boolean }>(
        "SELECT record_id, version, decision FROM gating_results WHERE current AND route = 'audit' AND review_seq IS NULL ORDER BY id DESC LIMIT 1",
      )
    ).rows[0]!;
    await client.end();
    const input = { recordId: target.record_id, resultVersion: target.version, ledgerVersion: 0, machineLabel: target.decision, action: "confirm", requestId: crypto.randomUUID() };
    for (const role of ["governance", "manager", "admin"] as const) {
      const api = await newApiContext(baseURL!, storageStateFor(role));
      expect(await postDecision(api, baseURL!, input), role).toContain('"code":"forbidden"');
      await api.dispose();
    }
    const analyst = await newApiContext(baseURL!, storageStateFor("analyst"));
    expect(await callAction(analyst, baseURL!, "/queue", "releaseBatchAction", { batchId: "demo-001", ledgerVersion: 0, reasonText: "x", requestId: crypto.randomUUID() })).toContain(
      '"code":"forbidden"',
    );
    expect(await callAction(analyst, baseURL!, "/queue", "bulkConfirmAction", { items: [input], reasonText: "x", requestId: crypto.randomUUID() })).toContain('"code":"forbidden"');
    const lead = await newApiContext(baseURL!, storageStateFor("lead"));
    const noReason = await callAction(lead, baseURL!, "/queue", "bulkConfirmAction", { items: [input], requestId: crypto.randomUUID() });
    expect(noReason).toContain('"reasonText"');
    await lead.dispose();
    await analyst.dispose();
    const anonymous = await newApiContext(baseURL!);
    expect(await postDecision(anonymous, baseURL!, input)).toContain('"code":"unauthenticated"');
    await anonymous.dispose();
    expect(await entriesFor(target.record_id)).toEqual([]);
  });

  test("the chain verifies after all of the above (npm run ledger:verify)", () => {
    const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/ledger-verify.ts"], {
      encoding: "utf8",
      // The server's data folder: its witness file is compared too.
      env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, SENTINEL_DATA_DIR: ".data/e2e" },
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ ok: true });
  });
});

test.describe("the edit log page", () => {
  test.use({ storageState: storageStateFor("governance") });

  test("governance verifies the chain, signs a tree head, sees it witnessed, and the downloaded proof and export verify outside with the pinned key", async ({ page }) => {
    await page.goto("/ledger");
    await expect(page).toHaveURL(/\/governance\/ledger$/);
    await expect(page.getByRole("heading", { name: /Edit log/ })).toBeVisible();
    const entries = page.getByRole("region", { name: "Entries, newest first" });
    await expect(entries).toContainText("override");
    await expect(entries).toContainText("0254_01");
    await page.getByRole("button", { name: "Sign a tree head now" }).click();
    await expect(page.getByText(/Tree head signed: [\d,]+ entries/)).toBeVisible();
    await page.reload();
    const heads = page.getByRole("table", { name: "Latest signed tree heads" });
    await expect(heads.locator("tbody tr").first()).toContainText(/[0-9a-f]{16}…/);
    await expect(heads.getByRole("button", { name: /^Copy the root hash of tree head \d+$/ }).first()).toBeVisible();
    const witness = page.getByRole("region", { name: "Witness" });
    await expect(witness).toContainText("agrees with the database");
    await expect(page.getByTestId("witness-file")).toContainText(/witness\/[0-9a-f-]{36}\.jsonl$/);
    await page.getByRole("button", { name: "Verify the chain" }).click();
    await expect(page.getByText(/Verified: [\d,]+ entries, head [0-9a-f]{16}…/)).toBeVisible();
    await expect(page.getByText(/Witness: agrees — [\d,]+ heads, roots recomputed from the entries/)).toBeVisible();
    await screenshot(page, "ledger");
    await screenshotWidths(page, "ledger");
    const publicKey = (await page.getByTestId("public-key").textContent())!.trim();

    // Each entry's "Get proof" downloads its inclusion proof against the latest signed tree
    // head, which verifies (RFC 9162) with the key pinned from this page, in Node and Python.
    const proofLink = page.getByRole("link", { name: /^Get proof of entry \d+$/ }).first();
    await expect(proofLink).toHaveText("Get proof");
    const proof = await page.request.get((await proofLink.getAttribute("href"))!);
    expect(proof.status()).toBe(200);
    expect(proof.headers()["content-disposition"]).toMatch(/attachment; filename="sentinel-ledger-inclusion-\d+-of-\d+\.json"/);
    const p = await proof.json();
    expect(verifyInclusion(p.leafIndex, p.treeSize, p.leafHash, p.auditPath, p.rootHash)).toBe(true);
    expect(p.treeHead).toMatchObject({ treeSize: p.treeSize, rootHash: p.rootHash });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-ledger-"));
    fs.writeFileSync(path.join(dir, "inclusion.json"), JSON.stringify(p));
    for (const [command, script] of [[process.execPath, "docs/ledger-proof.mjs"], ["python3", "docs/ledger_proof.py"]] as const) {
      const checked = spawnSync(command, [script, "inclusion", path.join(dir, "inclusion.json"), "--key", publicKey], { encoding: "utf8" });
      expect(checked.status, checked.stderr).toBe(0);
      expect(checked.stdout).toContain(`of the tree of ${p.treeSize} entries with root ${p.rootHash}, signed by key`);
    }

    const download = await page.request.get("/governance/ledger/export");
    expect((await page.request.get("/ledger/export", { maxRedirects: 0 })).status()).toBe(308);
    expect(download.status()).toBe(200);
    const body = await download.text();
    expect(body).toMatch(/"type":"checkpoint","seq":"\d+","treeSize":"\d+","rootHash":"[0-9a-f]{64}"/);
    fs.writeFileSync(path.join(dir, "export.jsonl"), body);
    const verified = spawnSync(process.execPath, ["docs/ledger-verify.mjs", path.join(dir, "export.jsonl"), "--key", publicKey], { encoding: "utf8" });
    expect(verified.status, verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/^ok: \d+ entries, head [0-9a-f]{64}, [1-9]\d* signed checkpoints \([1-9]\d* tree heads, roots recomputed\)/);
  });

  test("filters by action, subject type and UTC days in the URL; they survive a reload and narrow the rows", async ({ page }) => {
    await page.goto("/governance/ledger");
    const table = page.getByRole("table", { name: "Edit log entries" });
    await expect(table).toBeVisible();
    const all = await table.locator("tbody tr").count();
    const filters = page.getByRole("form", { name: "Edit log filters" });
    await filters.getByLabel("Action").fill("override");
    await filters.getByLabel("Subject type").selectOption("record");
    const today = new Date().toISOString().slice(0, 10);
    await filters.getByLabel("From (UTC day)").fill("2000-01-01");
    await filters.getByLabel("To (UTC day)").fill(today);
    await filters.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(new RegExp(`action=override.*subject=record.*from=2000-01-01.*to=${today}`));
    const rows = table.locator("tbody tr");
    await expect(rows.first()).toBeVisible();
    // Wait for the filtered rows to replace the unfiltered ones before counting them.
    await expect(rows.locator("td:nth-child(3)").filter({ hasNotText: "override" })).toHaveCount(0);
    const narrowed = await rows.count();
    expect(narrowed).toBeLessThan(all);
    for (const action of await rows.locator("td:nth-child(3)").allTextContents()) expect(action.trim()).toBe("override");
    const shown = await rows.locator("td:nth-child(1)").allTextContents();
    await page.reload();
    // The same rows after the reload (the assertion waits for the reloaded table).
    await expect(table.locator("tbody tr td:nth-child(1)")).toHaveText(shown);
    await expect(filters.getByLabel("Action")).toHaveValue("override");
    await expect(filters.getByLabel("From (UTC day)")).toHaveValue("2000-01-01");
    // A record subject links to its record page; reasons expand.
    await expect(rows.first().getByRole("link").first()).toHaveAttribute("href", /^\/queue\//);
    const reason = rows.first().locator("details");
    await reason.locator("summary").click();
    await expect(reason).toHaveAttribute("open", "");
    // A range before any entry: the empty state, with the way back.
    await page.goto(`/governance/ledger?to=2000-01-01`);
    await expect(page.getByText("No entry matches these filters")).toBeVisible();
  });

  test("events are shown by their group id and link to the event", async ({ page }) => {
    await page.goto("/governance/ledger?subject=event");
    const link = page.getByRole("table", { name: "Edit log entries" }).getByRole("link", { name: /^MR-UK-\d{3}$/ }).first();
    await expect(link).toBeVisible();
    await expect(link).toHaveAttribute("href", /^\/events\/ME-[0-9a-f]{12}$/);
  });
});
