/**
 * What a model promotion or rollback proposal and a decision on one take (spec
 * model-cards.md §2): a reason always; a gauntlet override only when the card's gauntlet
 * failed, and then with its own reason.
 */
import * as z from "zod";

const REASON = z
  .string({ error: "is required: say why" })
  .trim()
  .min(10, { error: "must say why, in at least 10 characters" })
  .max(2000, { error: "must be at most 2000 characters" });

export const proposeModelPromotionInputSchema = z.strictObject({
  /** the card to make the champion */
  cardId: z.uuid({ error: "must be a model card id" }),
  /** promote a candidate, or roll back to a version that was champion before */
  kind: z.enum(["promote", "rollback"], { error: "must be promote or rollback" }),
  reason: REASON,
  /** why the version may be champion although its gauntlet failed (governance override, recorded) */
  gauntletOverride: REASON.optional(),
  requestId: z.uuid({ error: "must be a UUID" }),
});

export const decideModelPromotionInputSchema = z.strictObject({
  promotionId: z.uuid({ error: "must be a promotion id" }),
  decision: z.enum(["approve", "reject"], { error: "must be approve or reject" }),
  reason: REASON,
  requestId: z.uuid({ error: "must be a UUID" }),
});
