import { expect, test, type Page } from "@playwright/test";
import { screenshotWidths } from "./screenshot";
import { demoUser, query, storageStateFor } from "./support";

/** Human decisions and overrides in the edit log since `from` (a Monday, UTC), counted from the entries themselves. */
async function decisionsSince(from: string): Promise<{ decisions: number; overrides: number }> {
  const [row] = await query<{ decisions: string; overrides: string }>(
    `SELECT count(*)::text AS decisions, count(*) FILTER (WHERE action = 'override')::text AS overrides
     FROM edit_log WHERE subject_type = 'record' AND action IN ('confirm', 'override') AND (c::jsonb->>'effectiveAt')::timestamptz >= $1::date`,
    [from],
  );
  return { decisions: Number(row!.decisions), overrides: Number(row!.overrides) };
}

async function shownFigure(page: Page, label: string): Promise<number> {
  const text = await page.getByRole("region", { name: "Totals" }).locator("div", { hasText: label }).first().locator("p").nth(1).innerText();
  return Number(text.replace(/[^0-9]/g, ""));
}

test.describe("override register as governance", () => {
  test.use({ storageState: storageStateFor("governance") });

  test("shows the demo's decisions as the edit log counts them, by analyst with a drill-down to the analyst's entries", async ({ page }) => {
    const window = page.goto("/governance/overrides?weeks=4");
    await window;
    const from = (await page.getByText(/From Monday \d{4}-\d{2}-\d{2}/).innerText()).match(/\d{4}-\d{2}-\d{2}/)![0];
    const before = await decisionsSince(from);
    await page.reload();
    const after = await decisionsSince(from);
    const shown = await shownFigure(page, "Human decisions");
    // Decisions only ever increase: the page's count lies between the counts taken around its load.
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeGreaterThanOrEqual(before.decisions);
    expect(shown).toBeLessThanOrEqual(after.decisions);
    await expect(page.getByRole("region", { name: "Totals" })).toContainText("threshold 15.0 %");

    const analyst = demoUser("analyst");
    const [user] = await query<{ id: string; name: string }>("SELECT id, name FROM users WHERE email = $1", [analyst.email]);
    const row = page.getByTestId(`override-analyst-${user!.id}`);
    await expect(row).toContainText(user!.name);
    await expect(row.getByText(/%/)).toBeVisible();
    await expect(page.getByRole("region", { name: "By override reason" })).toContainText("Model wrong");
    await expect(page.getByRole("img", { name: /Overrides of decisions by week/ })).toBeVisible();
    await screenshotWidths(page, "governance-overrides");

    await row.getByRole("link", { name: user!.name }).click();
    await expect(page).toHaveURL(new RegExp(`/governance/ledger\\?actor=${user!.id}&from=${from}`));
    await expect(page.getByRole("table", { name: "Edit log entries" })).toContainText(/confirm|override/);
  });

  test("exports a table as CSV with the same figures", async ({ page }) => {
    const response = await page.request.get("/governance/overrides/export?by=week&weeks=2");
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/csv");
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe("week,decisions,overrides,rate,amendments");
    expect(lines).toHaveLength(3);
    expect((await page.request.get("/governance/overrides/export?by=nonsense")).status()).toBe(400);
  });

  test("sets the machine's event causes against the causes people decided, as the CSV counts them", async ({ page }) => {
    await page.goto("/governance/overrides");
    const csv = (await (await page.request.get("/governance/overrides/export?by=event_cause")).text()).trim().split("\r\n");
    expect(csv[0]).toBe("machineCause,analystCause,events");
    // Other tests act on the demo's events too: the page is checked against the export, not against fixed counts.
    const byMachine = new Map<string, { decided: number; overturned: number }>();
    for (const line of csv.slice(1)) {
      const [machine, analyst, n] = line.split(",");
      const row = byMachine.get(machine!) ?? { decided: 0, overturned: 0 };
      row.decided += Number(n);
      if (analyst !== machine) row.overturned += Number(n);
      byMachine.set(machine!, row);
    }
    // The demo's case studies hold people's decisions: the TikTok and TV-feature events among them.
    expect(byMachine.size).toBeGreaterThan(0);
    for (const [machine, { decided, overturned }] of byMachine) {
      const cells = page.getByTestId(`cause-overturned-${machine}`).getByRole("cell");
      await expect(cells.nth(1)).toHaveText(String(decided));
      await expect(cells.nth(2)).toHaveText(String(overturned));
      await expect(cells.nth(3)).toHaveText(`${((overturned / decided) * 100).toFixed(1)} %`);
    }
    // Each machine cause opens its events, for those who may see them.
    const [first] = byMachine.keys();
    await expect(page.getByTestId(`cause-overturned-${first}`).getByRole("link")).toHaveAttribute("href", `/events?status=all&cause=${first}`);
  });

  test("names the parameter of an address it cannot show", async ({ page }) => {
    await page.goto("/governance/overrides?weeks=500");
    await expect(page.getByText("This view's address is not valid")).toBeVisible();
    await expect(page.getByText("weeks must be a whole number of weeks from 1 to 104")).toBeVisible();
    expect((await page.request.get("/governance/overrides/export?weeks=0")).status()).toBe(400);
  });
});

test.describe("override register as a manager", () => {
  test.use({ storageState: storageStateFor("manager") });

  test("reads the register without the links into the edit log or the queue", async ({ page }) => {
    await page.goto("/governance/overrides");
    await expect(page.getByRole("heading", { name: "Override register" })).toBeVisible();
    const byAnalyst = page.getByRole("table", { name: "By analyst" });
    await expect(byAnalyst.getByRole("row").nth(1)).toBeVisible();
    await expect(byAnalyst.getByRole("link")).toHaveCount(0);
    await expect(page.getByRole("table", { name: "By cluster" }).getByRole("link")).toHaveCount(0);
    await screenshotWidths(page, "governance-overrides-manager");
  });
});

/** Gating results and audited ones since `from` (a UTC day), counted from the results themselves. */
async function resultsSince(from: string): Promise<{ results: number; audit: number }> {
  const [row] = await query<{ results: string; audit: string }>(
    "SELECT count(*)::text AS results, count(*) FILTER (WHERE route = 'audit')::text AS audit FROM gating_results WHERE created_at >= $1::date",
    [from],
  );
  return { results: Number(row!.results), audit: Number(row!.audit) };
}

test.describe("routing health as governance", () => {
  test.use({ storageState: storageStateFor("governance") });

  test("shows the day's shares as the results count them, the canaries in audit, and routing quality on the demo's labelled records", async ({ page }) => {
    await page.goto("/governance/routing?days=7");
    const from = (await page.getByText(/^From \d{4}-\d{2}-\d{2}/).innerText()).match(/\d{4}-\d{2}-\d{2}/)![0];
    const before = await resultsSince(from);
    await page.reload();
    const after = await resultsSince(from);
    const hint = await page.getByRole("region", { name: "Shares" }).getByText(/of [\d,]+ results/).innerText();
    const [audit, results] = hint.match(/[\d,]+/g)!.map((n) => Number(n.replace(/,/g, "")));
    // Results only ever increase: the page's counts lie between the counts taken around its load.
    expect(results).toBeGreaterThanOrEqual(Math.max(before.results, 8693));
    expect(results).toBeLessThanOrEqual(after.results);
    expect(audit).toBeGreaterThanOrEqual(before.audit);
    expect(audit).toBeLessThanOrEqual(after.audit);

    for (const id of ["0253_01", "0254_01", "0257_01"]) await expect(page.getByTestId(`canary-${id}`)).toContainText("audit");
    await expect(page.getByRole("region", { name: "Shares" })).toContainText(/none; [\d,]+ canary results sent to audit/);
    const quality = page.getByRole("region", { name: "Routing quality on labelled records" });
    await expect(quality).toContainText(/6,0\d\d current results of the window labelled by feedback/);
    await expect(page.getByTestId("error-capture")).toContainText("%");
    await expect(page.getByTestId("released-error")).toContainText(/within|over/);
    await expect(page.getByRole("img", { name: /Audit and fragile shares by day/ })).toBeVisible();
    await expect(page.getByRole("img", { name: /Risk against coverage/ })).toBeVisible();
    // §11 per reason: the demo's canaries were all sent to audit, and the table says what the export says.
    const quality7 = (await (await page.request.get("/governance/routing/export?days=7&table=quality")).text()).trim().split("\r\n");
    expect(quality7[0]).toBe("kind,code,records,audited,errors,caught,caughtAlone");
    const canaryRow = quality7.find((l) => l.startsWith("reason,CANARY,"))!.split(",");
    expect(Number(canaryRow[2])).toBeGreaterThan(0);
    expect(canaryRow[3]).toBe(canaryRow[2]);
    await expect(page.getByTestId("quality-reason-CANARY")).toContainText(Number(canaryRow[2]).toLocaleString("en-US"));
    const all = quality7[1]!.split(",");
    expect(all[0]).toBe("all");
    // LOW_CONFIDENCE as the only reason catches errors no other reason would.
    expect(Number(quality7.find((l) => l.startsWith("reason,LOW_CONFIDENCE,"))!.split(",")[6])).toBeGreaterThan(0);
    // The demo ingests the reference file itself: its inputs have not drifted from the policy's reference rows.
    for (const v of ["pModel", "RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck"]) await expect(page.getByTestId(`drift-${v}`)).toContainText("stable");
    await expect(page.getByRole("img", { name: /PSI by day against the reference data/ })).toBeVisible();
    await screenshotWidths(page, "governance-routing");
  });

  test("exports the days as CSV and names a bad window", async ({ page }) => {
    const csv = await page.request.get("/governance/routing/export?days=3");
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]!.startsWith("day,results,audit,fragile,")).toBe(true);
    expect(lines).toHaveLength(4);
    const drift = (await (await page.request.get("/governance/routing/export?days=3&table=drift")).text()).trim().split("\r\n");
    expect(drift[0]).toBe("variable,day,n,missingShare,psi,ks,level");
    // per variable: the window, then each of the 3 days
    expect(drift).toHaveLength(1 + 6 * 4);
    expect((await page.request.get("/governance/routing/export?days=3&table=weeks")).status()).toBe(400);
    await page.goto("/governance/routing?days=abc");
    await expect(page.getByText("days must be a whole number of days from 1 to 366")).toBeVisible();
    expect((await page.request.get("/governance/routing/export?days=0")).status()).toBe(400);
  });
});

test.describe("routing health as a manager", () => {
  test.use({ storageState: storageStateFor("manager") });

  test("lands on routing health and reads it without links into the queue", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/governance\/routing$/);
    await expect(page.getByRole("heading", { name: "Routing health" })).toBeVisible();
    await expect(page.getByTestId("canary-0254_01").getByRole("link")).toHaveCount(0);
    await screenshotWidths(page, "governance-routing-manager");
  });
});

test.describe("slice KPIs as governance", () => {
  test.use({ storageState: storageStateFor("governance") });

  test("counts every record of a flag slice as the results do, shows its calibration on the demo's labels, and links into the queue", async ({ page }) => {
    await page.goto("/governance/slices?days=7&slice=flag:SUPER_DOMINANT");
    const from = (await page.getByText(/^From \d{4}-\d{2}-\d{2}/).innerText()).match(/\d{4}-\d{2}-\d{2}/)![0];
    // The demo ingests nothing after its seed, so the slice's records are the current results carrying the flag.
    const [expected] = await query<{ n: string }>(
      "SELECT count(*)::text AS n FROM gating_results WHERE current AND 'SUPER_DOMINANT' = ANY (flags) AND created_at >= $1::date",
      [from],
    );
    const row = page.getByTestId("slice-flag:SUPER_DOMINANT");
    await expect(row.getByRole("cell").nth(1)).toHaveText(Number(expected!.n).toLocaleString("en-US"));
    await expect(page.getByRole("heading", { name: "Calibration: Flag = SUPER_DOMINANT" })).toBeVisible();
    await expect(page.getByRole("img", { name: /^Calibration of Flag = SUPER_DOMINANT\. .*observed/ })).toBeVisible();
    await expect(page.getByTestId(/^bucket-\d$/).first()).toBeVisible();
    await expect(row.getByRole("link", { name: "open" })).toHaveAttribute("href", "/queue?flag=SUPER_DOMINANT");
    await screenshotWidths(page, "governance-slices");

    // A CabinDeck slice from its row: the calibration follows the choice and the window keeps it.
    await page.getByTestId("slice-cabin_deck:F").getByRole("link", { name: "F" }).click();
    await expect(page).toHaveURL(/slice=cabin_deck%3AF/);
    await expect(page.getByRole("heading", { name: "Calibration: CabinDeck = F" })).toBeVisible();
    await page.getByLabel("Window").selectOption("28");
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/days=28/);
    await expect(page.getByRole("heading", { name: "Calibration: CabinDeck = F" })).toBeVisible();
  });

  test("exports the slices and a slice's records as CSV, and names a slice it cannot show", async ({ page }) => {
    const csv = await page.request.get("/governance/slices/export?days=7");
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]!.startsWith("dimension,key,records,audit,decided,overrides,labelled,")).toBe(true);
    expect(lines[1]!.startsWith("all,,")).toBe(true);
    const records = await page.request.get("/governance/slices/export?days=7&slice=home_planet:Mars&records=1");
    const recordLines = (await records.text()).trim().split("\r\n");
    const marsRow = lines.find((l) => l.startsWith("home_planet,Mars,"))!;
    expect(recordLines).toHaveLength(Number(marsRow.split(",")[2]) + 1);

    await page.goto("/governance/slices?slice=planet:Mars");
    await expect(page.getByText(/slice must be all or <dimension>:<value>/)).toBeVisible();
    await page.goto("/governance/slices?slice=home_planet:Pluto");
    await expect(page.getByText("slice names no slice: no record has HomePlanet = Pluto.")).toBeVisible();
    expect((await page.request.get("/governance/slices/export?slice=flag:NOPE")).status()).toBe(400);
  });
});

test.describe("slice KPIs as a manager", () => {
  test.use({ storageState: storageStateFor("manager") });

  test("reads the slices without links into the queue", async ({ page }) => {
    await page.goto("/governance/slices");
    await expect(page.getByRole("heading", { name: "Slice KPIs" })).toBeVisible();
    await expect(page.getByTestId("slice-flag:SUPER_DOMINANT").getByRole("link", { name: "open" })).toHaveCount(0);
    await screenshotWidths(page, "governance-slices-manager");
  });
});

test.describe("audit trails", () => {
  test.describe("as governance", () => {
    test.use({ storageState: storageStateFor("governance") });

    test("looks up a record and shows its gating, the demo's decision or feedback and each entry's chain position", async ({ page }) => {
      await page.goto("/governance/trail");
      await page.getByLabel("Id").fill("0254_01");
      await page.getByRole("button", { name: "Open trail" }).click();
      await expect(page).toHaveURL(/\/governance\/trail\/record\/0254_01$/);
      await expect(page.getByRole("heading", { name: "Audit trail: record 0254_01" })).toBeVisible();
      const trail = page.getByRole("list", { name: "Trail" });
      await expect(trail.locator("li").first()).toContainText("Gated, version 1: audit");
      await expect(trail.locator("li[data-kind=label]")).toContainText("Label feedback from reference-outcomes");
      await screenshotWidths(page, "governance-trail");
      expect((await page.goto("/governance/trail/record/never-seen"))?.status()).toBe(404);
    });

    test("opens the demo scorer's model-version trail from the override register", async ({ page }) => {
      await page.goto("/governance/overrides");
      const scorer = page.locator('[data-testid^="override-scorer-"]').first().getByRole("link");
      const version = (await scorer.innerText()).trim();
      await scorer.click();
      await expect(page).toHaveURL(new RegExp(`/governance/trail/model/${version}$`));
      await expect(page.getByRole("heading", { name: `Audit trail: model ${version}` })).toBeVisible();
      const trail = page.getByRole("list", { name: "Trail" });
      await expect(trail.locator("li").first()).toContainText("First result scored by this version");
      await expect(trail.locator("li").filter({ hasText: /Week of \d{4}-\d{2}-\d{2}: [\d,]+ human decision/ }).first()).toBeVisible();
      await screenshotWidths(page, "governance-trail-model");
    });
  });

  test.describe("as a manager", () => {
    test.use({ storageState: storageStateFor("manager") });
    test("gets 403 on the trails (the dashboards, not the log)", async ({ page }) => {
      expect((await page.goto("/governance/trail"))?.status()).toBe(403);
      expect((await page.goto("/governance/trail/record/0254_01"))?.status()).toBe(403);
    });
  });
});

test.describe("alerts", () => {
  test.describe("as governance", () => {
    test.use({ storageState: storageStateFor("governance") });

    test("the demo raises an alert, the navigation counts it, and a governance user acknowledges it with a note into the edit log", async ({ page }) => {
      await page.goto("/governance/alerts");
      const badge = page.getByTestId("nav-badge");
      await expect(badge).toBeVisible();
      const before = Number(await badge.innerText());
      const list = page.getByRole("list", { name: "Alerts" });
      const first = list.locator("li").first();
      await expect(first).toContainText("open");
      const title = await first.locator("p").first().innerText();
      await screenshotWidths(page, "governance-alerts");

      await first.getByRole("button", { name: "Acknowledge…" }).click();
      const dialog = page.getByRole("dialog");
      // A note is required: without one the server names the field and nothing is written.
      await dialog.getByRole("button", { name: "Acknowledge" }).click();
      await expect(dialog.getByText("is required: say what was checked or done")).toBeVisible();
      await dialog.getByLabel("Note").fill("Checked the day's batches: the demo ingests its fragile records on one day.");
      await dialog.getByRole("button", { name: "Acknowledge" }).click();
      await expect(page.getByText(/Alert acknowledged \(edit-log entry #\d+\)/)).toBeVisible();
      await expect(list.getByText(title, { exact: true })).toHaveCount(0);
      if (before > 1) await expect(page.getByTestId("nav-badge")).toHaveText(String(before - 1));
      else await expect(page.getByTestId("nav-badge")).toHaveCount(0);

      await page.goto("/governance/alerts?status=all");
      await expect(page.getByRole("list", { name: "Alerts" })).toContainText("the demo ingests its fragile records on one day");
      const [entry] = await query<{ n: string }>("SELECT count(*)::text AS n FROM edit_log WHERE subject_type = 'alert' AND action = 'acknowledge' AND c::jsonb->>'reasonText' LIKE 'Checked the day''s batches%'");
      expect(Number(entry!.n)).toBe(1);
    });
  });

  test.describe("as a manager", () => {
    test.use({ storageState: storageStateFor("manager") });
    test("reads the alerts without acknowledging", async ({ page }) => {
      await page.goto("/governance/alerts?status=all");
      await expect(page.getByRole("heading", { name: "Alerts" })).toBeVisible();
      await expect(page.getByRole("list", { name: "Alerts" }).locator("li").first()).toBeVisible();
      await expect(page.getByRole("button", { name: "Acknowledge…" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Evaluate now" })).toHaveCount(0);
    });
  });
});
