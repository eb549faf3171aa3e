import { expect, test, type Page } from "@playwright/test";
import { featureSignature } from "../lib/model-cards/signature";
import { screenshotWidths } from "./screenshot";
import { issueToken, newApiContext, pageAs, query, signedIn, storageStateFor } from "./support";

const stamp = Date.now().toString(36);
const FEATURES = [
  { name: "CryoSleep", type: "bool" },
  { name: "Spa", type: "float" },
];

/** Three versions of one model as a pipeline registers them: 1.0.0 the champion, 2.0.0 a candidate, 3.0.0 a candidate whose shift grid failed. */
async function registerVersions(baseURL: string, model: string): Promise<Record<string, string>> {
  const api = await newApiContext(baseURL);
  const token = issueToken(`e2e-promotion-${stamp}`, "models:write");
  const ids: Record<string, string> = {};
  const permutation = { baselineAuc: 0.8, permutedMean: 0.5, degradation: 0.3, pValue: 0.0476, permutations: 20, gate: "PASS" };
  for (const [i, version] of ["1.0.0", "2.0.0", "3.0.0"].entries()) {
    const card = {
      schemaVersion: "1",
      model,
      displayName: "Churn E2E",
      domain: "E2E",
      version,
      task: "binary_classifier",
      owner: "pipeline",
      createdAt: new Date().toISOString(),
      runId: `run-${version}`,
      configHash: "0123abcd",
      status: i === 0 ? "champion" : "candidate",
      metrics: { auc: 0.78 + i / 100, brier: 0.17 },
      gauntlet: {
        permutation,
        shiftGrid: { meaning: "the cutoff moved earlier", rows: [{ shiftDays: 0, auc: 0.8, deltaAuc: 0 }], gate: version === "3.0.0" ? "FAIL" : "PASS" },
      },
      features: { count: 2, categoricalCount: 0, signature: featureSignature(FEATURES), list: FEATURES },
    };
    const res = await api.post("/api/v1/model-cards", { data: JSON.stringify(card), headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } });
    expect(res.status()).toBe(201);
    ids[version] = ((await res.json()) as { id: string }).id;
  }
  await api.dispose();
  return ids;
}

/** A version's row in the card page's lineage (its version cell, not a "since 2.0.0" elsewhere). */
const versionRow = (page: Page, version: string) => page.getByRole("table", { name: "Versions of this model" }).getByRole("row").filter({ has: page.getByText(version, { exact: true }) });

test.describe("promoting and rolling back a model version", () => {
  test.use({ storageState: storageStateFor("governance") });

  test("governance proposes a candidate, a second governance user approves it; a rollback goes the same way; both stay in the timeline a manager reads; a failed gauntlet needs an override", async ({ page, browser, baseURL }) => {
    test.setTimeout(120_000);
    const model = `e2e-churn-${stamp}`;
    const ids = await registerVersions(baseURL!, model);

    // The first governance user proposes 2.0.0; the champion stays until someone else approves.
    await page.goto(`/models/${ids["2.0.0"]}`);
    const promotion = page.getByRole("region", { name: "Promotion", exact: true });
    await promotion.getByRole("button", { name: "Propose promotion…" }).click();
    await page.getByLabel("Reason").fill("short");
    await page.getByRole("button", { name: "Propose promotion", exact: true }).click();
    await expect(page.getByText("must say why, in at least 10 characters")).toBeVisible();
    await page.getByLabel("Reason").fill("Higher AUC on the holdout; the compare page passes every criterion.");
    await page.getByRole("button", { name: "Propose promotion", exact: true }).click();
    await expect(promotion).toContainText("Waiting for approval: Promote v2.0.0 (replacing v1.0.0)");
    await expect(promotion).toContainText("You proposed this: a second governance user approves or rejects it.");
    await expect(page.getByRole("button", { name: /Approve: make/ })).toHaveCount(0);
    await screenshotWidths(page, "model-promotion-waiting");

    const second = await signedIn(browser, "governance2@demo.local");
    await second.goto(`/models/${ids["2.0.0"]}`);
    await second.getByLabel("Reason for your decision").fill("Checked the comparison and the gates with the owner.");
    await second.getByRole("button", { name: "Approve: make v2.0.0 champion" }).click();
    await expect(versionRow(second, "2.0.0")).toContainText("champion");
    await expect(versionRow(second, "1.0.0")).toContainText("retired");

    // Rollback: the second user proposes 1.0.0 again (a former champion); the first approves.
    await second.goto(`/models/${ids["1.0.0"]}`);
    await second.getByRole("button", { name: "Propose rollback to this version…" }).click();
    await second.getByLabel("Reason").fill("2.0.0 misroutes the new retailer's records; back to 1.0.0 while we look.");
    await second.getByRole("button", { name: "Propose rollback", exact: true }).click();
    await expect(second.getByRole("region", { name: "Promotion", exact: true })).toContainText("Waiting for approval: Roll back to v1.0.0 (replacing v2.0.0)");
    await page.goto(`/models/${ids["1.0.0"]}`);
    await page.getByLabel("Reason for your decision").fill("Agreed: the misrouting is confirmed in the queue.");
    await page.getByRole("button", { name: "Approve: make v1.0.0 champion" }).click();
    await expect(versionRow(page, "2.0.0")).toContainText("retired");
    await expect(versionRow(page, "1.0.0")).toContainText("champion");

    // The edit log holds every step, each by the person who took it.
    const steps = await query<{ action: string; email: string }>(
      "SELECT e.action, u.email FROM edit_log e JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id' WHERE e.subject_type = 'model' AND e.subject_id = $1 ORDER BY e.seq",
      [model],
    );
    expect(steps.map((s) => `${s.action} ${s.email}`)).toEqual(["propose_promotion governance@demo.local", "approve governance2@demo.local", "propose_rollback governance2@demo.local", "approve governance@demo.local"]);

    // A failed gauntlet: refused naming the gate until an override says why.
    await page.goto(`/models/${ids["3.0.0"]}`);
    await expect(page.getByRole("region", { name: "Promotion", exact: true })).toContainText("Its gauntlet failed (shift grid)");
    await page.getByRole("button", { name: "Propose promotion…" }).click();
    await page.getByLabel("Reason").fill("Needed for the new retailer's launch next week.");
    await page.getByRole("button", { name: "Propose promotion", exact: true }).click();
    await expect(page.getByText("is required: the shift grid gate failed")).toBeVisible();
    await page.getByLabel(/Gauntlet override/).fill("The shift grid fails on the launch window only; accepted for two weeks.");
    await page.getByRole("button", { name: "Propose promotion", exact: true }).click();
    await expect(page.getByRole("region", { name: "Promotion", exact: true })).toContainText("Gauntlet override: “The shift grid fails on the launch window only");

    // A manager reads the whole history, newest first, and cannot act.
    const manager = await pageAs(browser, "manager");
    await manager.goto(`/models/${ids["2.0.0"]}`);
    const history = manager.getByRole("list", { name: "Promotions and rollbacks, newest first" });
    await expect(history.getByRole("listitem")).toHaveCount(3);
    await expect(history.getByRole("listitem").nth(0)).toContainText("Promote v3.0.0 (replacing v1.0.0)");
    await expect(history.getByRole("listitem").nth(0)).toContainText("proposed");
    await expect(history.getByRole("listitem").nth(1)).toContainText("Roll back to v1.0.0 (replacing v2.0.0)");
    await expect(history.getByRole("listitem").nth(2)).toContainText("Promote v2.0.0 (replacing v1.0.0)");
    await expect(history.getByRole("listitem").nth(2)).toContainText("approved");
    await expect(manager.getByRole("region", { name: "Promotion", exact: true })).toHaveCount(0);
    await manager.getByRole("region", { name: "Promotion history" }).scrollIntoViewIfNeeded();
    await screenshotWidths(manager, "model-promotion-history");
    await manager.context().close();
  });
});
