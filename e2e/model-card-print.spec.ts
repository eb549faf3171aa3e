import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pageAs, query } from "./support";

/** Pages of a PDF: its page objects (not the /Pages tree nodes). */
const pageCount = (pdf: Buffer) => pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;

async function cardId(model: string): Promise<string> {
  const rows = await query<{ id: string }>("SELECT id FROM model_cards WHERE model = $1 ORDER BY created_at DESC, id LIMIT 1", [model]);
  expect(rows, `the demo ships a card of ${model}`).toHaveLength(1);
  return rows[0]!.id;
}

/** Waits until every chart has drawn at its figure's print size (Recharts resizes after the media changes). */
async function chartsAtPrintSize(page: Page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('[data-print="card"] figure[role="img"]')].every((figure) => {
      const svg = figure.querySelector(".recharts-wrapper > svg.recharts-surface"); // not a legend icon
      if (!svg) return false;
      const f = figure.getBoundingClientRect();
      const s = svg.getBoundingClientRect();
      return Math.abs(f.width - s.width) < 2 && Math.abs(f.height - s.height) < 2;
    }),
  );
}

/** Writes a PDF's pages as PNGs: docs/screenshots/ when UPDATE_SCREENSHOTS=1, else beside the test results. */
function savePages(pdf: Buffer, name: string) {
  const dir = process.env.UPDATE_SCREENSHOTS === "1" ? path.join(import.meta.dirname, "..", "docs", "screenshots") : path.join("test-results", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "card-print-"));
  try {
    fs.writeFileSync(path.join(tmp, "card.pdf"), pdf);
    execFileSync("pdftoppm", ["-png", "-r", "80", path.join(tmp, "card.pdf"), path.join(tmp, "p")]);
    // pdftoppm numbers the pages p-1.png, p-2.png (zero-padded when there are ten or more).
    const pages = fs.readdirSync(tmp).filter((f) => /^p-\d+\.png$/.test(f)).sort();
    pages.forEach((f, i) => fs.copyFileSync(path.join(tmp, f), path.join(dir, `${name}-p${i + 1}.png`)));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

test.describe("a model card on paper", () => {
  for (const { model, title, shots } of [
    { model: "gosales-printers", title: "GoSales — Printers · 2024-12-31", shots: "model-card-print" },
    { model: "sentinel-reference-scorer", title: /^Reference scorer · /, shots: null },
  ]) {
    test(`${model}: prints as two pages on A4 and on US Letter, with a print header and without the console's chrome`, async ({ browser }) => {
      const page = await pageAs(browser, "manager");
      await page.goto(`/models/${await cardId(model)}`);
      await expect(page.getByRole("img", { name: /Reliability of/ })).toBeVisible();
      const header = page.getByTestId("card-print-header");
      await expect(header).toBeHidden();

      await page.emulateMedia({ media: "print" });
      await expect(header).toBeVisible();
      await expect(header.getByRole("heading", { level: 1 })).toHaveText(title);
      await expect(header).toContainText("champion");
      await expect(header).toContainText("binary classifier");
      await expect(header).toContainText(/Printed \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z from Sentinel Review/);
      await expect(page.getByRole("navigation").first()).toBeHidden();
      await expect(page.getByRole("link", { name: "Download JSON" })).toBeHidden();
      await expect(page.getByRole("link", { name: /^Compare/ })).toBeHidden();
      await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toBeHidden();
      // The feature list, folded on screen, prints open; the pipeline's raw extra fields do not print.
      await expect.soft(page.getByRole("region", { name: "Features" }).getByRole("list")).toBeVisible();
      await chartsAtPrintSize(page);

      for (const format of ["A4", "Letter"] as const) {
        const pdf = await page.pdf({ format, printBackground: true });
        expect.soft(pageCount(pdf), `pages of ${model} on ${format}`).toBe(2);
        if (shots && format === "A4") savePages(pdf, shots);
      }
      await page.context().close();
    });
  }

  test("prints light in the system's dark mode", async ({ browser }) => {
    const page = await pageAs(browser, "manager");
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`/models/${await cardId("gosales-printers")}`);
    await expect(page.getByRole("img", { name: /Reliability of/ })).toBeVisible();
    const background = () => page.evaluate(() => getComputedStyle(document.querySelector('section[aria-label="Identity"]')!).backgroundColor);
    expect(await background()).not.toBe("rgb(255, 255, 255)");
    await page.emulateMedia({ media: "print", colorScheme: "dark" });
    expect(await background()).toBe("rgb(255, 255, 255)");
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe("rgb(24, 24, 27)");
    await page.context().close();
  });
});
