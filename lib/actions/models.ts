"use server";

import { revalidatePath } from "next/cache";
import { REFERENCE_SCORER_MODEL } from "@/lib/model-cards/card";
import { decideModelPromotion, proposeModelPromotion, type ModelPromotionView } from "@/lib/data/model-promotions";
import { regateAfterApproval } from "./regate-after";
import { type ActionResult, runAction } from "./result";

type PromotionRef = Pick<ModelPromotionView, "id" | "model" | "kind" | "status"> & { version: string };

/** Each promotion action: the data-layer call, the model pages refreshed, the proposal named. */
function promotionAction(name: string, input: unknown, call: typeof proposeModelPromotion): Promise<ActionResult<PromotionRef>> {
  return runAction(name, async (actor) => {
    const p = await call(actor, input);
    revalidatePath("/models", "layout");
    return { id: p.id, model: p.model, kind: p.kind, status: p.status, version: p.card.version };
  });
}

export async function proposeModelPromotionAction(input: unknown): Promise<ActionResult<PromotionRef>> {
  return promotionAction("proposeModelPromotion", input, proposeModelPromotion);
}

/** Approving a reference-scorer version re-gates the queue it scored with another version. */
export async function decideModelPromotionAction(input: unknown): Promise<ActionResult<PromotionRef>> {
  const result = await promotionAction("decideModelPromotion", input, decideModelPromotion);
  if (result.ok && result.data.status === "approved" && result.data.model === REFERENCE_SCORER_MODEL) await regateAfterApproval();
  return result;
}
