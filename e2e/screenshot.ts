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
