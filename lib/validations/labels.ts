/**
 * Label feedback (governance spec §3): ground truth about records, arriving after their
 * decisions. One body carries 1…10,000 labels; each names its record, the outcome, when the
 * outcome was observed and the source it came from. Strict: no field is coerced (a label
 * is a JSON boolean, not "true" or 1) and unknown fields are refused, so a typo in a field
 * name is an error rather than a label silently missing its part.
 */
import * as z from "zod";
import { RECORD_ID_PATTERN } from "@/lib/gating/schemas";

export const MAX_LABELS_PER_REQUEST = 10_000;
export const LABEL_SOURCE_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export const recordLabelSchema = z
  .strictObject({
    recordId: z.string().regex(RECORD_ID_PATTERN, "must be 1–128 characters of [A-Za-z0-9_.:-]"),
    label: z.boolean({ error: "must be true or false (a JSON boolean)" }),
    observedAt: z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T09:30:00Z" }),
    source: z.string().regex(LABEL_SOURCE_PATTERN, "must be 1–64 characters of [A-Za-z0-9_.:-]"),
  })
  .meta({ id: "RecordLabel", description: "The observed outcome of one record (true: the positive class, as the machine decision)." });

export const labelBatchSchema = z
  .strictObject({
    labels: z.array(recordLabelSchema).min(1, "must hold at least one label").max(MAX_LABELS_PER_REQUEST, `must hold at most ${MAX_LABELS_PER_REQUEST} labels`),
  })
  .meta({ id: "LabelBatch" });

export type RecordLabelInput = z.infer<typeof recordLabelSchema>;

export const labelSummarySchema = z
  .object({
    received: z.number().int().meta({ description: "labels in the request" }),
    written: z.number().int().meta({ description: "labels stored by this request" }),
    unchanged: z.number().int().meta({ description: "labels already stored with the same outcome for the record and source (a replay): nothing written" }),
    receivedAt: z.string(),
  })
  .meta({ id: "LabelSummary" });

export type LabelSummary = z.infer<typeof labelSummarySchema>;
