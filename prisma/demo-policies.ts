/**
 * The demo's policy history (governance spec §4), so a new governance user sees the flow:
 * a past change — hold batches sooner — approved by the second governance user and rolled
 * back a little later, and one proposal waiting for approval. Written through the same
 * data-layer functions as the console, with fixed request ids, so an interrupted first
 * start that runs this again changes nothing.
 */
import { activePolicy } from "@/lib/data/policies";
import { decidePolicyProposal, proposePolicyChange, proposePolicyRollback } from "@/lib/data/policy-changes";
import { regateQueue } from "@/lib/data/regating";
import { createWhatIf, latestWhatIf, runWhatIf } from "@/lib/data/what-if";
import { person } from "./demo-decisions";

export async function seedDemoPolicies(): Promise<void> {
  const grace = await person("governance@demo.local");
  const gus = await person("governance2@demo.local");
  const base = (await activePolicy()).snapshot.id;

  const trial = await proposePolicyChange(grace, {
    baseSnapshotId: base,
    values: { "thresholds.BATCH_HOLD_ALPHA": 0.1 },
    reason: "Trial: hold batches with an excess of fragile records sooner (α 0.05 → 0.10).",
    requestId: "5e1d0c1a-0000-4000-8000-000000000001",
  });
  await decidePolicyProposal(gus, { proposalId: trial.id, decision: "approve", reason: "A two-week trial; we watch the batch hold rate on routing health.", requestId: "5e1d0c1a-0000-4000-8000-000000000002" });
  // Each activation re-gates the queue, as the console's approval does.
  await regateQueue();
  const back = await proposePolicyRollback(gus, {
    baseSnapshotId: trial.snapshotId,
    targetSnapshotId: base,
    reason: "The trial held ordinary batches too: back to the calibrated default.",
    requestId: "5e1d0c1a-0000-4000-8000-000000000003",
  });
  await decidePolicyProposal(grace, { proposalId: back.id, decision: "approve", reason: "Agreed; the hold rate doubled without more errors caught.", requestId: "5e1d0c1a-0000-4000-8000-000000000004" });
  await regateQueue();

  const waiting = await proposePolicyChange(grace, {
    baseSnapshotId: base,
    values: { "thresholds.FRAGILITY_WEIGHTS.SUPER_DOMINANT": 1.2 },
    reason: "Super-dominant spends keep showing up among released errors: weigh them more (1.0 → 1.2).",
    requestId: "5e1d0c1a-0000-4000-8000-000000000005",
  });
  // Its what-if over the last week, there for the second governance user to read.
  if (!(await latestWhatIf(grace, waiting.id))) await runWhatIf(await createWhatIf(grace, { proposalId: waiting.id, window: "days", days: 7 }));
}
