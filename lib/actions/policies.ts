"use server";

import { revalidatePath } from "next/cache";
import type { Actor } from "@/lib/auth/actor";
import { canarySignatureMatches, decidePolicyProposal, proposePolicyChange, proposePolicyRollback, proposeUploadedPolicy, type PolicyProposalView, type SignatureMatches } from "@/lib/data/policy-changes";
import { requestWhatIf } from "@/lib/data/what-if";
import { regateAfterApproval } from "./regate-after";
import { type ActionResult, runAction } from "./result";

type ProposalRef = Pick<PolicyProposalView, "id" | "snapshotId" | "status">;

/** Each policy action: the data-layer call, the policies pages refreshed, the proposal named. */
function proposalAction(name: string, input: unknown, call: (actor: Actor, input: unknown) => Promise<PolicyProposalView>): Promise<ActionResult<ProposalRef>> {
  return runAction(name, async (actor) => {
    const p = await call(actor, input);
    revalidatePath("/governance/policies");
    return { id: p.id, snapshotId: p.snapshotId, status: p.status };
  });
}

export async function proposePolicyAction(input: unknown): Promise<ActionResult<ProposalRef>> {
  return proposalAction("proposePolicy", input, proposePolicyChange);
}

export async function proposeUploadedPolicyAction(input: unknown): Promise<ActionResult<ProposalRef>> {
  return proposalAction("proposeUploadedPolicy", input, proposeUploadedPolicy);
}

export async function proposeRollbackAction(input: unknown): Promise<ActionResult<ProposalRef>> {
  return proposalAction("proposePolicyRollback", input, proposePolicyRollback);
}

/** Approval activates: the queue is re-gated after the answer, resumed by the scheduler if the process stops. */
export async function decidePolicyAction(input: unknown): Promise<ActionResult<ProposalRef>> {
  const result = await proposalAction("decidePolicy", input, decidePolicyProposal);
  if (result.ok && result.data.status === "approved") await regateAfterApproval();
  return result;
}

export async function requestWhatIfAction(input: unknown): Promise<ActionResult<{ id: string; status: string }>> {
  return runAction("requestWhatIf", async (actor) => {
    const w = await requestWhatIf(actor, input);
    revalidatePath("/governance/policies");
    return { id: w.id, status: w.status };
  });
}

export async function countSignatureMatchesAction(input: unknown): Promise<ActionResult<SignatureMatches>> {
  return runAction("countSignatureMatches", (actor) => canarySignatureMatches(actor, input));
}
