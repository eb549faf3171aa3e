"use server";

import { releaseBatch, type ReleaseOutcome } from "@/lib/data/batches";
import { amendRecord, annotateRecord, bulkConfirm, claimRecord, takeOverRecord, type DecisionOutcome } from "@/lib/data/decisions";
import { type ActionResult, runAction } from "./result";

// Each action: the data layer parses the input with the shared zod schema, checks the
// acting user's permission and the versions they saw; nothing here trusts the caller.
// No revalidatePath: the queue and record pages are dynamic (never cached), and the client
// navigates to the next record or refreshes itself; a revalidation would make every
// decision's response carry a fresh render of the whole record page. Confirm and override,
// the most frequent write, go through POST /api/console/decisions (lib/api/console.ts).

export async function claimRecordAction(input: unknown): Promise<ActionResult<{ until: string; ledgerVersion: number }>> {
  return runAction("claimRecord", async (actor) => {
    const claim = await claimRecord(actor, input);
    return claim;
  });
}

export async function takeOverRecordAction(input: unknown): Promise<ActionResult<{ until: string; ledgerVersion: number; seq: string }>> {
  return runAction("takeOverRecord", async (actor) => {
    const taken = await takeOverRecord(actor, input);
    return taken;
  });
}

export async function amendRecordAction(input: unknown): Promise<ActionResult<DecisionOutcome>> {
  return runAction("amendRecord", async (actor) => {
    const outcome = await amendRecord(actor, input);
    return outcome;
  });
}

export async function annotateRecordAction(input: unknown): Promise<ActionResult<DecisionOutcome>> {
  return runAction("annotateRecord", async (actor) => {
    const outcome = await annotateRecord(actor, input);
    return outcome;
  });
}

export async function bulkConfirmAction(input: unknown): Promise<ActionResult<{ confirmed: number; replayed: boolean }>> {
  return runAction("bulkConfirm", async (actor) => {
    const outcome = await bulkConfirm(actor, input);
    return { confirmed: outcome.entries.length, replayed: outcome.replayed };
  });
}

export async function releaseBatchAction(input: unknown): Promise<ActionResult<ReleaseOutcome>> {
  return runAction("releaseBatch", async (actor) => {
    const outcome = await releaseBatch(actor, input);
    return outcome;
  });
}
