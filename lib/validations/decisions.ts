/**
 * What an analyst sends to decide, claim or annotate a record, and a lead to bulk-confirm or
 * release a held batch (governance spec §1–2). Shared by the forms and the data layer.
 */
import * as z from "zod";
import { RECORD_ID_PATTERN } from "@/lib/gating";
import { AMEND_REASONS, CLAIM_MINUTES_DEFAULT, OVERRIDE_REASONS, TEXT_MAX } from "./decision-labels";

export { ACTION_VERBS, AMEND_REASON_LABELS, AMEND_REASONS, CLAIM_MINUTES_DEFAULT, labelName, OVERRIDE_REASON_LABELS, OVERRIDE_REASONS, TEXT_MAX } from "./decision-labels";
export type { AmendReason, OverrideReason } from "./decision-labels";

const recordId = z.string({ error: "is required" }).regex(RECORD_ID_PATTERN, { error: "must be 1–128 characters of [A-Za-z0-9_.:-]" });
const version = z.number({ error: "must be a number" }).int({ error: "must be a whole number" });
const requestId = z.uuid({ error: "must be a UUID" });
const text = z
  .string({ error: "must be text" })
  .trim()
  .max(TEXT_MAX, { error: `must be at most ${TEXT_MAX} characters` });

/**
 * The result version and the record's decision version the analyst saw (`ledgerVersion`:
 * decision-changing entries so far — a note does not move it), with the machine label shown.
 */
const seen = {
  recordId,
  resultVersion: version.min(1, { error: "must be at least 1" }),
  ledgerVersion: version.min(0, { error: "must be 0 or more" }),
  machineLabel: z.boolean({ error: "must be true or false" }),
};

export const decisionInputSchema = z
  .strictObject({
    ...seen,
    action: z.enum(["confirm", "override"], { error: "must be confirm or override" }),
    reasonCode: z.enum(OVERRIDE_REASONS, { error: `must be one of ${OVERRIDE_REASONS.join(", ")}` }).nullish(),
    reasonText: text.nullish(),
    evidence: z.array(z.url({ error: "must be a URL" }), { error: "must be a list of URLs" }).max(10, { error: "must have at most 10 links" }).default([]),
    requestId,
  })
  .superRefine((input, ctx) => {
    if (input.action !== "override") return;
    if (!input.reasonCode) ctx.addIssue({ code: "custom", path: ["reasonCode"], message: "is required for an override" });
    if (!input.reasonText) ctx.addIssue({ code: "custom", path: ["reasonText"], message: "is required for an override: say why" });
  });
export type DecisionInput = z.input<typeof decisionInputSchema>;

/** A lead's amendment of a decided record: the new label, a reason code and the text saying why. */
export const amendInputSchema = z.strictObject({
  recordId,
  /** the record's decision version the lead saw */
  ledgerVersion: version.min(0, { error: "must be 0 or more" }),
  label: z.boolean({ error: "must be true or false" }),
  reasonCode: z.enum(AMEND_REASONS, { error: `must be one of ${AMEND_REASONS.join(", ")}` }),
  reasonText: text.min(1, { error: "is required for an amendment: say why" }),
  requestId,
});

/** Taking over a record someone else holds: carries the decision version the analyst saw. */
export const takeoverInputSchema = z.strictObject({
  recordId,
  ledgerVersion: version.min(0, { error: "must be 0 or more" }),
  minutes: z.number({ error: "must be a number" }).int().min(1, { error: "must be at least 1" }).max(120, { error: "must be at most 120" }).default(CLAIM_MINUTES_DEFAULT),
});

export const claimInputSchema = z.strictObject({
  recordId,
  minutes: z.number({ error: "must be a number" }).int().min(1, { error: "must be at least 1" }).max(120, { error: "must be at most 120" }).default(CLAIM_MINUTES_DEFAULT),
});

export const noteInputSchema = z.strictObject({
  recordId,
  text: text.min(1, { error: "is required" }),
  requestId,
});

export const bulkConfirmInputSchema = z.strictObject({
  items: z
    .array(z.strictObject(seen), { error: "must be a list of records" })
    .min(1, { error: "select at least one record" })
    .max(200, { error: "at most 200 records at once" })
    .refine((items) => new Set(items.map((i) => i.recordId)).size === items.length, { error: "lists a record twice" }),
  /** why these records are confirmed together: a bulk act is reasoned like an override */
  reasonText: z
    .string({ error: "is required: say why these records are confirmed together" })
    .trim()
    .min(1, { error: "is required: say why these records are confirmed together" })
    .max(TEXT_MAX, { error: `must be at most ${TEXT_MAX} characters` }),
  requestId,
});

export const releaseBatchInputSchema = z.strictObject({
  batchId: recordId,
  ledgerVersion: version.min(0, { error: "must be 0 or more" }),
  reasonText: text.min(1, { error: "is required: say why the batch may be released" }),
  requestId,
});
