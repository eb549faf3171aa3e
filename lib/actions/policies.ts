"use server";

import { revalidatePath } from "next/cache";
import { decidePolicyProposal, proposePolicyChange, proposePolicyRollback, proposeUploadedPolicy, type PolicyProposalView } from "@/lib/data/policy-changes";
import { type ActionResult, runAction } from "./result";

type ProposalRef = Pick<PolicyProposalView, "id" | "snapshotId" | "status">;
const ref = (p: PolicyProposalView): ProposalRef => ({ id: p.id, snapshotId: p.snapshotId, status: p.status });

export async function proposePolicyAction(input: unknown): Promise<ActionResult<ProposalRef>> {
  return runAction("proposePolicy", async (actor) => {
    const p = await proposePolicyChange(actor, input);
    revalidatePath("/governance/policies");
    return ref(p);
  });
}

export async function proposeUploadedPolicyAction(input: unknown): Promise<ActionResult<ProposalRef>> {
  return runAction("proposeUploadedPolicy", async (actor) => {
    const p = await proposeUploadedPolicy(actor, input);
    revalidatePath("/governance/policies");
    return ref(p);
  });
}

export async function proposeRollbackAction(input: unknown): Promise<ActionResult<ProposalRef>> {
  return runAction("proposePolicyRollback", async (actor) => {
    const p = await proposePolicyRollback(actor, input);
    revalidatePath("/governance/policies");
    return ref(p);
  });
}

export async function decidePolicyAction(input: unknown): Promise<ActionResult<ProposalRef>> {
  return runAction("decidePolicy", async (actor) => {
    const p = await decidePolicyProposal(actor, input);
    revalidatePath("/governance/policies");
    return ref(p);
  });
}
