"use server";

import { revalidatePath } from "next/cache";
import type { Actor } from "@/lib/auth/actor";
import { decidePolicyProposal, proposePolicyChange, proposePolicyRollback, proposeUploadedPolicy, type PolicyProposalView } from "@/lib/data/policy-changes";
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

export async function decidePolicyAction(input: unknown): Promise<ActionResult<ProposalRef>> {
  return proposalAction("decidePolicy", input, decidePolicyProposal);
}
