/**
 * What a policy proposal and a decision on one take (governance spec §4). Numbers arrive as
 * the form's text or as JSON numbers; a blank or a non-number is refused naming the field,
 * never read as zero.
 */
import * as z from "zod";

const REASON = z
  .string({ error: "is required: say why" })
  .trim()
  .min(10, { error: "must say why, in at least 10 characters" })
  .max(2000, { error: "must be at most 2000 characters" });

const numberText = z
  .string({ error: "must be a number" })
  .trim()
  .min(1, { error: "is required", abort: true })
  .regex(/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i, { error: "must be a number" })
  .transform(Number);

export const proposePolicyInputSchema = z.strictObject({
  /** the snapshot the proposer started from: it must still be the active one */
  baseSnapshotId: z.string({ error: "is required" }).min(1, { error: "is required" }),
  /** editable numbers by path (lib/governance/policy-change.ts EDITABLE_GROUPS); only those that differ from the base change */
  values: z.record(z.string(), z.preprocess((v) => (typeof v === "number" ? String(v) : v), numberText)).default({}),
  /** canary record ids, one per line (or comma-separated); absent: unchanged */
  canaryIds: z.string().max(20_000, { error: "must be at most 20,000 characters" }).optional(),
  /** canary signatures as a JSON array (gating spec §6.1); absent: unchanged */
  canarySignatures: z.string().max(100_000, { error: "must be at most 100,000 characters" }).optional(),
  reason: REASON,
  requestId: z.uuid({ error: "must be a UUID" }),
});
export type ProposePolicyInput = z.input<typeof proposePolicyInputSchema>;

export const proposeUploadInputSchema = z.strictObject({
  baseSnapshotId: z.string({ error: "is required" }).min(1, { error: "is required" }),
  /** a policy snapshot as `npm run calibrate` writes it (JSON text) */
  snapshot: z.string({ error: "is required: choose the calibration output file" }).min(1, { error: "is required: choose the calibration output file" }).max(5_000_000, { error: "must be at most 5 MB" }),
  reason: REASON,
  requestId: z.uuid({ error: "must be a UUID" }),
});

export const proposeRollbackInputSchema = z.strictObject({
  baseSnapshotId: z.string({ error: "is required" }).min(1, { error: "is required" }),
  /** an earlier snapshot to make active again */
  targetSnapshotId: z.string({ error: "is required" }).min(1, { error: "is required" }),
  reason: REASON,
  requestId: z.uuid({ error: "must be a UUID" }),
});

export const decidePolicyInputSchema = z.strictObject({
  proposalId: z.uuid({ error: "must be a proposal id" }),
  decision: z.enum(["approve", "reject"], { error: "must be approve or reject" }),
  reason: REASON,
  requestId: z.uuid({ error: "must be a UUID" }),
});

/** The window a what-if re-gates: the last `days` days, or the batches listed (one per line or comma-separated). */
export const WHAT_IF_MAX_DAYS = 90;
export const WHAT_IF_MAX_BATCHES = 200;
export const requestWhatIfInputSchema = z
  .strictObject({
    proposalId: z.uuid({ error: "must be a proposal id" }),
    window: z.enum(["days", "batches"], { error: "must be days or batches" }),
    days: z
      .preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().trim().regex(/^\d+$/, { error: "must be a whole number of days" }).transform(Number))
      .pipe(z.number().int().min(1, { error: `must be 1…${WHAT_IF_MAX_DAYS}` }).max(WHAT_IF_MAX_DAYS, { error: `must be 1…${WHAT_IF_MAX_DAYS}` }))
      .optional(),
    batchIds: z.string().max(50_000, { error: "must be at most 50,000 characters" }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.window === "days" && v.days === undefined) ctx.addIssue({ code: "custom", path: ["days"], message: "is required: how many days back" });
    if (v.window === "batches") {
      const ids = (v.batchIds ?? "").split(/[\s,]+/).filter(Boolean);
      if (ids.length === 0) ctx.addIssue({ code: "custom", path: ["batchIds"], message: "is required: list at least one batch id" });
      if (ids.length > WHAT_IF_MAX_BATCHES) ctx.addIssue({ code: "custom", path: ["batchIds"], message: `must list at most ${WHAT_IF_MAX_BATCHES} batches` });
    }
  });

/** The signature editor's count: the edited signatures (JSON text) matched on the last `days` days. */
export const signatureMatchesInputSchema = z.strictObject({
  baseSnapshotId: z.string({ error: "is required" }).min(1, { error: "is required" }),
  canarySignatures: z.string({ error: "is required" }).max(100_000, { error: "must be at most 100,000 characters" }),
  days: z.coerce.number({ error: "must be a whole number of days" }).int({ error: "must be a whole number of days" }).min(1, { error: `must be 1…${WHAT_IF_MAX_DAYS}` }).max(WHAT_IF_MAX_DAYS, { error: `must be 1…${WHAT_IF_MAX_DAYS}` }).default(7),
});
