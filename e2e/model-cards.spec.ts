import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { featureSignature } from "../lib/model-cards/signature";
import { screenshot, screenshotWidths } from "./screenshot";
import { issueToken, newApiContext, pageAs, query } from "./support";

const stamp = Date.now().toString(36);

test.describe("model cards as a manager", () => {
  test("browses the registry, filters it in the URL, opens a card with the source's figures and its synthesised curves marked, and downloads its JSON", async ({ browser }) => {
    const page = await pageAs(browser, "manager");
    await page.goto("/models");
    await expect(page.getByRole("navigation").getByRole("link", { name: "Model cards" })).toBeVisible();
    const table = page.getByRole("table", { name: "Model cards" });
    for (const model of ["gosales-printers", "gosales-solidworks", "gosales-post-processing", "catboost-poisson-selection"]) await expect(table).toContainText(model);
    const printers = table.getByRole("row").filter({ hasText: "gosales-printers" });
    await expect(printers).toContainText("champion");
    await expect(printers).toContainText("PASS");
    await expect(printers).toContainText("0.7095");
    await screenshotWidths(page, "models");

    // Filters live in the URL: a reload keeps them.
    await page.getByLabel("Task").selectOption("count_regressor");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/[?&]task=count_regressor/);
    await page.reload();
    await expect(table.getByRole("row")).toHaveCount(2); // the header and the Poisson model
    await expect(table).toContainText("Poisson deviance 0.9934");
    await page.goto("/models?status=retired&task=count_regressor");
    await expect(page.getByText("No model card matches these filters.")).toBeVisible();

    await page.goto("/models");
    await page.getByRole("link", { name: "GoSales — Printers" }).first().click();
    await expect(page).toHaveURL(/\/models\/[0-9a-f-]{36}$/);
    const gauntlet = page.getByRole("region", { name: "Leakage gauntlet" });
    for (const figure of ["0.7095", "0.5272", "0.1823", "0.0476"]) await expect(gauntlet).toContainText(figure);
    await expect(page.getByRole("region", { name: "Calibration" }).getByText("synthesised — not measured")).toBeVisible();
    await expect(page.getByRole("img", { name: /Reliability of/ })).toBeVisible();
    await expect(page.getByRole("region", { name: "Ablations" })).toContainText("0.8301");
    await screenshotWidths(page, "model-card");
    await page.setViewportSize({ width: 1440, height: 2400 });
    await screenshot(page, "model-card-full");

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download JSON" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^model-card-gosales-printers-.*\.json$/);
    const stored = JSON.parse(await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8")));
    expect(stored.card.gauntlet.permutation).toMatchObject({ baselineAuc: 0.7095, permutedMean: 0.5272, pValue: 0.0476 });
    await page.context().close();
  });

  test("compares a candidate with a champion: seed 002's criteria one by one with their numbers, a missing figure UNKNOWN", async ({ browser }) => {
    const ids = Object.fromEntries((await query<{ model: string; id: string }>("SELECT model, id FROM model_cards WHERE model LIKE 'gosales-%'")).map((r) => [r.model, r.id]));
    const page = await pageAs(browser, "manager");
    // Post_Processing's features are Printers' (the same signature): no drift there.
    await page.goto(`/models/compare?a=${ids["gosales-post-processing"]}&b=${ids["gosales-printers"]}`);
    await expect(page.getByTestId("criterion-target")).toContainText("AUC 0.7400 against the champion's 0.7095 (higher is better).");
    await expect(page.getByRole("alert").filter({ hasText: "Schema drift" })).toHaveCount(0);
    await page.goto(`/models/compare?a=${ids["gosales-post-processing"]}&b=${ids["gosales-solidworks"]}`);
    const checklist = page.getByRole("region", { name: "Promotion checklist" });
    await expect(page.getByTestId("criterion-target")).toContainText("PASS");
    await expect(page.getByTestId("criterion-target")).toContainText("AUC 0.7400 against the champion's 0.5774 (higher is better).");
    await expect(page.getByTestId("criterion-gap")).toContainText("UNKNOWN");
    await expect(page.getByTestId("criterion-gauntlet")).toContainText("No gate was run.");
    await expect(checklist).toContainText("It improves the target metric on held-out data.");
    await expect(page.getByRole("alert").filter({ hasText: "Schema drift" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Metric deltas" })).toContainText("+0.1626");
    await screenshotWidths(page, "models-compare");
    // From the champion's own card, the candidate it is compared with is chosen by the form.
    await page.goto(`/models/${ids["gosales-printers"]}`);
    await expect(page.getByRole("link", { name: "Compare…" })).toBeVisible();
    await page.context().close();
  });

  test("opens the reference scorer's card with the figures calibration measured, and compares it with the GLM fallback", async ({ browser }) => {
    const own = JSON.parse(readFileSync("models/model-cards.json", "utf8")) as { model: string; version: string; metrics: { auc: number; brier: number }; gauntlet: { permutation: { pValue: number } } }[];
    const scorer = own.find((c) => c.model === "sentinel-reference-scorer")!;
    const glm = own.find((c) => c.model === "sentinel-glm-fallback")!;
    const page = await pageAs(browser, "manager");
    await page.goto("/models");
    const row = page.getByRole("table", { name: "Model cards" }).getByRole("row").filter({ hasText: "sentinel-reference-scorer" });
    await expect(row).toContainText("champion");
    await expect(row).toContainText(scorer.metrics.auc.toFixed(4));
    await row.getByRole("link", { name: "Reference scorer" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Reference scorer");
    await expect(page.getByRole("region", { name: "Metrics on held-out data" })).toContainText(scorer.metrics.brier.toFixed(4));
    await expect(page.getByRole("region", { name: "Calibration" }).getByText("measured", { exact: true })).toBeVisible();
    const gauntlet = page.getByRole("region", { name: "Leakage gauntlet" });
    await expect(gauntlet).toContainText(scorer.gauntlet.permutation.pValue.toFixed(4));
    await expect(gauntlet).toContainText("% of training groups");
    await expect(page.getByRole("region", { name: "Prequential (forward months)" })).toContainText("Not applicable: the data has no time");
    await screenshotWidths(page, "model-card-reference-scorer");

    const ids = Object.fromEntries((await query<{ model: string; id: string }>("SELECT model, id FROM model_cards WHERE model LIKE 'sentinel-%'")).map((r) => [r.model, r.id]));
    await page.goto(`/models/compare?a=${ids["sentinel-reference-scorer"]}&b=${ids["sentinel-glm-fallback"]}`);
    await expect(page.getByTestId("criterion-target")).toContainText(`AUC ${scorer.metrics.auc.toFixed(4)} against the champion's ${glm.metrics.auc.toFixed(4)} (higher is better).`);
    for (const criterion of ["target", "gap", "calibration", "gauntlet"]) await expect(page.getByTestId(`criterion-${criterion}`)).toContainText("PASS");
    await page.context().close();
  });

  test("an analyst may not open the registry", async ({ browser }) => {
    const page = await pageAs(browser, "analyst");
    expect((await page.goto("/models"))?.status()).toBe(403);
    await expect(page.getByRole("navigation").getByRole("link", { name: "Model cards" })).toHaveCount(0);
    await page.context().close();
  });
});

test.describe("POST /api/v1/model-cards", () => {
  test("a pipeline registers a card once: a retry is 200, another body under the version 409, a bad figure 422 naming it; a read token sees it", async ({ baseURL }) => {
    const api = await newApiContext(baseURL!);
    const writer = issueToken(`e2e-models-${stamp}`, "models:write");
    const reader = issueToken(`e2e-models-read-${stamp}`, "read");
    const features = [
      { name: "CryoSleep", type: "bool" },
      { name: "Spa", type: "float" },
    ];
    const card = {
      schemaVersion: "1",
      model: `e2e-model-${stamp}`,
      domain: "E2E",
      version: "1.0.0",
      task: "binary_classifier",
      owner: "pipeline",
      createdAt: new Date().toISOString(),
      runId: "run-1",
      configHash: "0123abcd",
      metrics: { auc: 0.8 },
      features: { count: 2, categoricalCount: 0, signature: featureSignature(features), list: features },
      lineageTag: "kept",
    };
    const post = (body: unknown, token = writer) => api.post("/api/v1/model-cards", { data: JSON.stringify(body), headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } });
    const first = await post(card);
    expect(first.status()).toBe(201);
    const created = await first.json();
    expect(created.card).toMatchObject({ model: card.model, lineageTag: "kept", status: "candidate" });
    const retry = await post(card);
    expect(retry.status()).toBe(200);
    expect(retry.headers()["idempotent-replayed"]).toBe("true");
    expect((await retry.json()).id).toBe(created.id);
    const changed = await post({ ...card, metrics: { auc: 0.81 } });
    expect(changed.status()).toBe(409);
    const bad = await post({ ...card, version: "2", metrics: { auc: 1.7 } });
    expect(bad.status()).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain("metrics.auc");
    expect((await post(card, reader)).status()).toBe(403);

    const list = await api.get("/api/v1/model-cards", { headers: { Authorization: `Bearer ${reader}` } });
    expect(list.status()).toBe(200);
    expect((await list.json()).cards.map((c: { id: string }) => c.id)).toContain(created.id);
    const one = await api.get(`/api/v1/model-cards/${created.id}`, { headers: { Authorization: `Bearer ${reader}` } });
    expect((await one.json()).card.features.signature).toBe(featureSignature(features));
    await api.dispose();
  });
});
