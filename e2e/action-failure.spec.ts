import { expect, test } from "@playwright/test";
import { createHash } from "node:crypto";
import { storageStateFor } from "./support";

const eventIdOf = (group: string) => `ME-${createHash("sha256").update(group).digest("hex").slice(0, 12)}`;

test.describe("a server action call that fails in transit", () => {
  test.use({ storageState: storageStateFor("analyst") });

  test("says so and leaves the buttons usable (nothing stays pending)", async ({ page }) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`/events/${eventIdOf("MR-UK-006")}`);
    const panel = page.getByRole("complementary", { name: "Event decision" });
    await expect(panel).toBeVisible();
    // Every server action request of this page dies on the wire.
    await page.route("**/events/**", (route) => (route.request().method() === "POST" && route.request().headers()["next-action"] ? route.abort("failed") : route.continue()));
    await panel.getByRole("button", { name: "Add note…" }).click();
    await panel.getByRole("textbox", { name: "Note" }).fill("Checked with the store manager.");
    await panel.getByRole("button", { name: "Add note", exact: true }).click();
    await expect(page.getByText("The request did not complete. Check your connection and try again.")).toBeVisible();
    await expect(panel.getByRole("button", { name: "Add note", exact: true })).toBeEnabled();
    await expect(panel.getByRole("button", { name: "Add note…" })).toBeEnabled();
    // The typed note is still there to send again.
    await expect(panel.getByRole("textbox", { name: "Note" })).toHaveValue("Checked with the store manager.");
    expect(errors).toEqual([]);
  });
});
