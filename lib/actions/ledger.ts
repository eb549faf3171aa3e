"use server";

import { revalidatePath } from "next/cache";
import { createCheckpoint } from "@/lib/data/checkpoints";
import { verifyLedger } from "@/lib/data/ledger";
import type { LedgerVerification } from "@/lib/ledger/witness";
import type { SignedCheckpoint } from "@/lib/ledger/checkpoint";
import { type ActionResult, runAction } from "./result";

export async function verifyLedgerAction(): Promise<ActionResult<LedgerVerification>> {
  return runAction("verifyLedger", (actor) => verifyLedger(actor));
}

export async function createCheckpointAction(): Promise<ActionResult<SignedCheckpoint>> {
  return runAction("createCheckpoint", async (actor) => {
    const { checkpoint } = await createCheckpoint(actor);
    revalidatePath("/governance/ledger");
    return checkpoint;
  });
}
