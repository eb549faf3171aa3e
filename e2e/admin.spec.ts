import { expect, test } from "@playwright/test";
import { screenshot } from "./screenshot";
import { newApiContext, signInOverHttp, storageStateFor, query } from "./support";

const stamp = Date.now().toString(36);

test.describe("administration", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("an admin creates a user who can then sign in; deactivation locks them out on the next request", async ({ page, baseURL }) => {
    const email = `new-analyst-${stamp}@example.com`;
    await page.goto("/admin/users");
    await screenshot(page, "admin-users");
    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog", { name: "New user" });
    // Bad input: each field names its rule, and nothing is written.
    await dialog.getByLabel("Email").fill("not-an-email");
    await dialog.getByLabel("Initial password").fill("short");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(dialog.getByText("Email must be an email address")).toBeVisible();
    await expect(dialog.getByText("Initial password must be at least 12 characters")).toBeVisible();
    await expect(dialog.getByText("Name is required")).toBeVisible();

    await dialog.getByLabel("Name").fill("New Analyst");
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Role").selectOption("analyst");
    await dialog.getByLabel("Initial password").fill("a-long-enough-password");
    await dialog.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByTestId(`user-row-${email}`)).toBeVisible();

    // The new user signs in.
    const api = await newApiContext(baseURL!);
    expect(await signInOverHttp(api, email, "a-long-enough-password")).toBe(true);
    expect((await api.get("/account")).status()).toBe(200);

    // Deactivated: their existing session stops working on the next request.
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId(`user-row-${email}`).getByRole("button", { name: "Deactivate" }).click();
    await expect(page.getByTestId(`user-row-${email}`).getByText("Deactivated")).toBeVisible();
    const after = await api.get("/account", { maxRedirects: 0 });
    expect(after.status()).toBe(307);
    expect(after.headers().location).toContain("/login");
    await api.dispose();
  });

  test("a role change asks for confirmation naming the person and old → new role, and is recorded in the edit log", async ({ page }) => {
    const email = `role-change-${stamp}@example.com`;
    await page.goto("/admin/users");
    await page.getByRole("button", { name: "New user" }).click();
    const dialog = page.getByRole("dialog", { name: "New user" });
    await dialog.getByLabel("Name").fill("Rita Role");
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Role").selectOption("analyst");
    await dialog.getByLabel("Initial password").fill("a-long-enough-password");
    await dialog.getByRole("button", { name: "Create user" }).click();
    const row = page.getByTestId(`user-row-${email}`);
    await expect(row).toBeVisible();
    const [user] = await query<{ id: string }>("SELECT id::text AS id FROM users WHERE email = $1", [email]);

    // Cancel: nothing changes.
    const role = row.getByLabel(`Role of ${email}`);
    await role.selectOption("lead");
    const confirm = page.getByRole("dialog", { name: "Change role?" });
    await expect(confirm).toContainText("Rita Role");
    await expect(confirm).toContainText(email);
    await expect(confirm.getByTestId("role-change")).toHaveText("analyst → lead");
    await screenshot(page, "admin-role-change");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await expect(role).toHaveValue("analyst");
    expect((await query<{ role: string }>("SELECT role::text AS role FROM users WHERE id = $1", [user!.id]))[0]!.role).toBe("analyst");

    await role.selectOption("lead");
    await confirm.getByRole("button", { name: "Make lead" }).click();
    await expect(page.getByText("Rita Role is now lead")).toBeVisible();
    await expect(role).toHaveValue("lead");
    const entries = await query<{ action: string; c: string }>("SELECT action, c FROM edit_log WHERE subject_type = 'user' AND subject_id = $1 ORDER BY seq", [user!.id]);
    expect(entries.map((e) => e.action)).toEqual(["user_created", "role_changed"]);
    const change = JSON.parse(entries[1]!.c);
    expect(change).toMatchObject({ before: { role: "analyst" }, after: { role: "lead" }, actor: { type: "user", role: "admin" } });
  });

  test("service account, scoped token, use, scope refusal and revocation", async ({ page, baseURL }) => {
    const account = `pipeline-${stamp}@service.local`;
    await page.goto("/admin/service-accounts");
    await page.getByRole("button", { name: "New service account" }).click();
    const dialog = page.getByRole("dialog", { name: "New service account" });
    await dialog.getByLabel("Name").fill("Scoring pipeline");
    await dialog.getByLabel("Account id (email form)").fill(account);
    await dialog.getByRole("checkbox", { name: /^ingest/ }).check();
    await dialog.getByRole("checkbox", { name: /^read/ }).check();
    await dialog.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByTestId(`service-account-${account}`)).toBeVisible();
    await screenshot(page, "admin-service-accounts");

    // A token may not exceed the account's allowed scopes.
    await page.goto("/admin/tokens");
    await page.getByRole("button", { name: "New token" }).click();
    let tokenDialog = page.getByRole("dialog", { name: "New API token" });
    await tokenDialog.getByLabel("Service account").selectOption({ label: `${account} (ingest, read)` });
    await tokenDialog.getByLabel("Name").fill(`too-wide-${stamp}`);
    await tokenDialog.getByRole("checkbox", { name: /^models:write/ }).check();
    await tokenDialog.getByRole("button", { name: "Create token" }).click();
    await expect(tokenDialog.getByText(/models:write is not allowed/)).toBeVisible();
    await tokenDialog.getByRole("button", { name: "Cancel" }).click();

    // An ingest-only token, then a read token.
    const tokens: Record<string, string> = {};
    for (const scope of ["ingest", "read"]) {
      await page.getByRole("button", { name: "New token" }).click();
      tokenDialog = page.getByRole("dialog", { name: "New API token" });
      await tokenDialog.getByLabel("Service account").selectOption({ label: `${account} (ingest, read)` });
      await tokenDialog.getByLabel("Name").fill(`${scope}-${stamp}`);
      await tokenDialog.getByRole("checkbox", { name: new RegExp(`^${scope}`) }).check();
      await tokenDialog.getByRole("button", { name: "Create token" }).click();
      const shown = page.getByTestId("new-token");
      await expect(shown).toHaveText(/^sr_[A-Za-z0-9]{40}$/);
      tokens[scope] = (await shown.textContent())!;
      await page.getByRole("button", { name: "Done" }).click();
    }
    await expect(page.getByTestId(`token-row-read-${stamp}`)).toBeVisible();
    await screenshot(page, "admin-tokens");
    const [stored] = await query<{ token_hash: string; days: number }>(
      "SELECT token_hash, extract(epoch FROM expires_at - created_at) / 86400 AS days FROM api_tokens WHERE name = $1",
      [`read-${stamp}`],
    );
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    // The form's default: API_TOKEN_DAYS (90), not never.
    expect(Math.round(Number(stored!.days))).toBe(90);
    expect(stored!.token_hash).not.toContain(tokens.read!.slice(3));

    const api = await newApiContext(baseURL!);
    const call = (token?: string) => api.get("/api/v1/token", { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    expect((await call()).status()).toBe(401);
    expect((await call("sr_" + "x".repeat(40))).status()).toBe(401);
    const noScope = await call(tokens.ingest);
    expect(noScope.status()).toBe(403);
    expect((await noScope.json()).error.message).toContain('lacks the scope "read"');
    const ok = await call(tokens.read);
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toMatchObject({ account, scopes: ["read"] });

    // Past its expiry the same token is refused as unauthenticated, saying why.
    await query("UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE name = $1", [`ingest-${stamp}`]);
    const expired = await call(tokens.ingest);
    expect(expired.status()).toBe(401);
    expect((await expired.json()).error.message).toContain("The API token has expired");

    await page.reload();
    page.once("dialog", (d) => void d.accept());
    await page.getByTestId(`token-row-read-${stamp}`).getByRole("button", { name: "Revoke" }).click();
    await expect(page.getByTestId(`token-row-read-${stamp}`).getByText("Revoked")).toBeVisible();
    const revoked = await call(tokens.read);
    expect(revoked.status()).toBe(401);
    expect((await revoked.json()).error.message).toContain("revoked");
    await api.dispose();
  });
});
