import { expect, test } from "@playwright/test";
import fs from "node:fs";
import { screenshotWidths } from "./screenshot";
import { query, signedIn, storageStateFor } from "./support";


const actionsOn = async (snapshotId: string) =>
  (await query<{ action: string }>("SELECT action FROM edit_log WHERE subject_type = 'policy' AND subject_id = $1 ORDER BY seq", [snapshotId])).map((r) => r.action);

test.describe("policy changes", () => {
  test.use({ storageState: storageStateFor("governance") });

  test("governance proposes raising TARGET_FRAGILE_RATE to 0.05; a second governance user approves it; it is rolled back the same way", async ({ page, browser }) => {
    test.setTimeout(120_000);
    const defaultId = (await query<{ id: string }>("SELECT id FROM policy_snapshots WHERE active"))[0]!.id;
    await page.goto("/governance/policies");
    await expect(page.getByTestId(`policy-${defaultId}`)).toContainText("active");
    await page.getByRole("link", { name: "Propose a change" }).click();
    await expect(page.getByRole("heading", { name: "Propose a policy change" })).toBeVisible();

    // The signature editor counts what each signature matches among last week's records.
    const signatures = JSON.parse(await page.getByLabel("Canary signatures (JSON)").inputValue()) as { name: string }[];
    await page.getByRole("button", { name: "Count matches in the last 7 days" }).click();
    const matches = page.getByRole("table", { name: "Signature matches" });
    await expect(matches).toContainText("records gated in the last 7 days");
    for (const s of signatures) await expect(matches.getByTestId(`matches-${s.name}`)).toBeVisible();

    // A value that is not a number is refused, naming the field; nothing is proposed.
    await page.getByLabel("TARGET_FRAGILE_RATE", { exact: true }).fill("five");
    await page.getByRole("form", { name: "Propose a policy change" }).getByLabel("Reason").fill("More fragile records should reach a person.");
    await page.getByRole("button", { name: "Propose", exact: true }).click();
    await expect(page.getByText("TARGET_FRAGILE_RATE must be a number", { exact: true })).toBeVisible();
    await expect(page.getByRole("alert").filter({ hasText: "The proposal was refused" })).toBeVisible();

    await page.getByLabel("TARGET_FRAGILE_RATE", { exact: true }).fill("0.05");
    await expect(page.getByText("1 value changed.")).toBeVisible();
    await screenshotWidths(page, "governance-policy-propose");
    await page.getByRole("button", { name: "Propose", exact: true }).click();
    await expect(page).toHaveURL(/\/governance\/policies\/policy-[0-9a-f]{16}$/);
    const proposedId = page.url().split("/").at(-1)!;
    await expect(page.getByText("waiting for approval").first()).toBeVisible();
    await expect(page.getByTestId("diff-TARGET_FRAGILE_RATE").first()).toContainText("0.04");
    await expect(page.getByTestId("diff-TARGET_FRAGILE_RATE").first()).toContainText("+0.01 (+25 %)");
    await expect(page.getByText("You proposed it: a second governance user approves or rejects it.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Approve and activate" })).toHaveCount(0);
    // θ is chosen again for the new target.
    await expect(page.getByTestId("diff-theta").first()).toContainText("2.8");

    // The what-if over the last week: re-gated under both policies, stored with the proposal.
    await expect(page.getByText("No what-if has been run for this proposal yet.")).toBeVisible();
    await page.getByRole("button", { name: "Run the what-if" }).click();
    const figures = page.getByTestId("what-if-figures");
    await expect(figures).toBeVisible({ timeout: 60_000 });
    const stored = (await query<{ records: number; flips: number }>(
      "SELECT (figures->>'records')::int AS records, (figures->'flips'->>'toAudit')::int AS flips FROM policy_whatifs w JOIN policy_proposals p ON p.id = w.proposal_id WHERE p.snapshot_id = $1",
      [proposedId],
    ))[0]!;
    const flips = stored.flips;
    expect(stored.records).toBeGreaterThanOrEqual(8693);
    expect(flips).toBeGreaterThan(0);
    const regated = `Re-gated ${stored.records.toLocaleString("en")} records`;
    await expect(figures).toContainText(regated);
    await expect(figures.getByText("Would flip to audit").locator("..")).toContainText(flips.toLocaleString("en"));
    await screenshotWidths(page, "governance-policy-proposal");

    // The second governance user sees the same stored figures and approves: the snapshot becomes the active policy.
    const second = await signedIn(browser, "governance2@demo.local");
    await second.goto(`/governance/policies/${proposedId}`);
    await expect(second.getByTestId("what-if-figures")).toContainText(regated);
    await second.getByRole("form", { name: "Decide this proposal" }).getByLabel("Reason").fill("Checked the what-if with the analysts' leads.");
    await second.getByRole("button", { name: "Approve and activate" }).click();
    await expect(second.getByRole("region", { name: "Waiting proposal" })).toHaveCount(0);
    await expect(second.getByRole("heading", { name: "The active policy", exact: true })).toBeVisible();
    expect((await query<{ id: string }>("SELECT id FROM policy_snapshots WHERE active"))[0]!.id).toBe(proposedId);
    expect(await actionsOn(proposedId)).toEqual(["propose", "approve", "activate"]);

    // The queue was re-gated under it: every queued, undecided record a new version caused by the activation.
    const regating = second.getByRole("region", { name: "Queue re-gated on activation" });
    await expect(regating).toContainText("done", { timeout: 60_000 });
    const run = (await query<{ total: number; done: number; changed: number }>("SELECT total, done, changed FROM policy_regatings WHERE policy_id = $1", [proposedId]))[0]!;
    expect(run.done).toBe(run.total);
    expect(run.total).toBeGreaterThan(0);
    await expect(regating).toContainText(`${run.done.toLocaleString("en")} of ${run.total.toLocaleString("en")}`);
    const stale = await query<{ n: number }>("SELECT count(*)::int AS n FROM gating_results g JOIN ingest_batches b ON b.id = g.batch_id WHERE g.current AND g.route = 'audit' AND g.review_seq IS NULL AND g.policy_id <> $1 AND NOT (b.held AND b.released_seq IS NULL)", [proposedId]);
    expect(stale[0]!.n).toBe(0);
    await screenshotWidths(second, "governance-policy-regated");
    // A lower θ gives some queued records more reasons (the demo data: a dozen or so).
    expect(run.changed).toBeGreaterThan(0);
    {
      const changedId = (await query<{ record_id: string }>("SELECT g.record_id FROM gating_results g JOIN gating_results p ON p.record_id = g.record_id AND p.version = g.version - 1 JOIN policy_regatings r ON r.activation_seq = g.cause_seq WHERE r.policy_id = $1 AND g.reason_codes <> p.reason_codes LIMIT 1", [proposedId]))[0]!.record_id;
      await expect(regating.getByTestId(`regated-${changedId}`)).toBeVisible();
      // The queue shows them, with what their reasons were.
      await regating.getByRole("link", { name: "Open the changed records in the queue" }).click();
      await expect(second).toHaveURL(/\/queue\?kind=regated/);
      await expect(second.getByTestId("regated").first()).toBeVisible();
      await screenshotWidths(second, "queue-regated");
    }

    // Rollback: the second user proposes the default again; the first approves.
    await second.goto(`/governance/policies/${defaultId}`);
    await second.getByRole("button", { name: "Propose rollback to this snapshot…" }).click();
    await second.getByLabel("Reason").fill("Back to the calibrated default after the trial.");
    await second.getByRole("button", { name: "Propose rollback", exact: true }).click();
    // The proposal itself, not the history's earlier rollback, before the first user opens the page.
    await expect(second.getByRole("region", { name: "Waiting proposal" })).toBeVisible();
    await expect(second.getByText("Rollback proposed").first()).toBeVisible();
    await page.goto(`/governance/policies/${defaultId}`);
    await page.getByLabel("Reason").fill("The trial is over; the default routes again.");
    await page.getByRole("button", { name: "Approve and activate" }).click();
    await expect(page.getByRole("heading", { name: "The active policy", exact: true })).toBeVisible();
    expect((await query<{ id: string }>("SELECT id FROM policy_snapshots WHERE active"))[0]!.id).toBe(defaultId);
    // The demo's own rollback came first (prisma/demo-policies.ts).
    expect((await actionsOn(defaultId)).slice(-3)).toEqual(["propose_rollback", "approve", "activate"]);
    // The rollback re-gated the queue under the default again, the same way.
    const rollbackSeq = (await query<{ seq: string }>("SELECT seq::text AS seq FROM edit_log WHERE subject_type = 'policy' AND subject_id = $1 AND action = 'activate' ORDER BY seq DESC LIMIT 1", [defaultId]))[0]!.seq;
    const regatedBack = page.getByRole("region", { name: "Queue re-gated on activation" });
    await expect(regatedBack).toContainText(`Activation #${rollbackSeq}`);
    await expect(regatedBack).toContainText("done", { timeout: 60_000 });

    await page.goto(`/governance/policies?from=${defaultId}&to=${proposedId}`);
    await expect(page.getByTestId(`policy-${proposedId}`)).toContainText("retired");
    await expect(page.getByRole("table", { name: "Differences" })).toContainText("TARGET_FRAGILE_RATE");
    await screenshotWidths(page, "governance-policies");
  });
});

test.describe("a calibration output", () => {
  test.use({ storageState: storageStateFor("governance") });

  test("is proposed as it is from its file; a file that breaks a rule is refused naming the field", async ({ page }) => {
    const policy = JSON.parse(fs.readFileSync("models/default-policy.json", "utf8")) as { theta: number; thresholds: Record<string, unknown> };
    await page.goto("/governance/policies/new");
    const form = page.getByRole("form", { name: "Propose a calibration output" });
    await form.getByLabel("Reason").fill("A calibration on this month's outcomes.");
    const send = async (content: unknown) => {
      await form.getByLabel("Calibration output (JSON)").setInputFiles({ name: "policy.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(content)) });
      await form.getByRole("button", { name: "Propose this calibration" }).click();
    };
    await send({ ...policy, thresholds: { ...policy.thresholds, TARGET_RELEASE_ERROR: 0.9 } });
    await expect(form.getByRole("alert")).toContainText("thresholds.TARGET_RELEASE_ERROR");
    await send({ ...policy, theta: policy.theta + 0.25 });
    await expect(page).toHaveURL(/\/governance\/policies\/policy-[0-9a-f]{16}$/);
    await expect(page.getByTestId("diff-theta").first()).toContainText("+0.25");
    await expect(page.getByText("waiting for approval").first()).toBeVisible();
  });
});

test.describe("policies as a manager", () => {
  test.use({ storageState: storageStateFor("manager") });
  test("gets 403 (policies are governance's)", async ({ page }) => {
    expect((await page.goto("/governance/policies"))?.status()).toBe(403);
    expect((await page.goto("/governance/policies/new"))?.status()).toBe(403);
  });
});
