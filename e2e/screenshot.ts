import type { Page } from "@playwright/test";
import path from "node:path";

/**
 * Saves a screenshot: into docs/screenshots/ when UPDATE_SCREENSHOTS=1 (to refresh the
 * committed set), else beside the other test results.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.UPDATE_SCREENSHOTS === "1" ? path.join(import.meta.dirname, "..", "docs", "screenshots") : path.join("test-results", "screenshots");
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}

/** The same page at the two widths the console must fit without clipping (1280 and 1440 px). */
export async function screenshotWidths(page: Page, name: string): Promise<void> {
  const height = page.viewportSize()?.height ?? 900;
  for (const width of [1280, 1440]) {
    await page.setViewportSize({ width, height });
    await screenshot(page, `${name}-${width}`);
  }
}
