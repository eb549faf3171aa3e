/**
 * Validation of gating inputs, separate from gating itself (gateBatch trusts validated
 * input and runs no zod). Errors are typed and name the field path:
 *   records[3].spend.Spa: must be a number ≥ 0 or null
 * The record checks that need the policy — every policy channel present in `spend`,
 * no unknown channel — run here against the snapshot's channel list.
 */
import type { z } from "zod";
import { addFieldError } from "@/lib/validations/field-errors";
import { plainScoredBatch } from "./plain-batch";
import {
  deepFreeze,
  MAX_BATCH_SIZE,
  policySnapshotSchema,
  scoredBatchSchema,
  scoredRecordSchema,
  type PolicySnapshot,
  type ScoredBatch,
  type ScoredRecord,
} from "./schemas";

export interface GatingFieldError {
  /** e.g. `records[3].spend.Spa` ("" for the input as a whole) */
  readonly path: string;
  readonly message: string;
}

export type ValidationOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly GatingFieldError[] };

/** Thrown by the `parse…` helpers; `errors` name every bad field. */
export class GatingValidationError extends Error {
  readonly code = "invalid";
  constructor(readonly errors: readonly GatingFieldError[]) {
    super(formatErrors(errors));
    this.name = "GatingValidationError";
  }
  /** `{ path: [messages] }`, the shape lib/errors' ValidationError carries. */
  get fieldErrors(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const e of this.errors) addFieldError(out, e.path || "input", e.message);
    return out;
  }
}

export function formatError(e: GatingFieldError): string {
  return e.path ? `${e.path}: ${e.message}` : e.message;
}

function formatErrors(errors: readonly GatingFieldError[]): string {
  const shown = errors.slice(0, 5).map(formatError).join("; ");
  return errors.length > 5 ? `${shown}; … and ${errors.length - 5} more` : shown;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `["records", 3, "spend", "Spa"]` → `records[3].spend.Spa` (odd keys quoted: `spend["a b"]`). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else {
      const key = String(seg);
      out += IDENTIFIER.test(key) ? (out ? "." : "") + key : `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

function issuesToErrors(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): GatingFieldError[] {
  const out: GatingFieldError[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: formatPath([...path, key]), message: "is not a known field" });
    } else {
      out.push({ path: formatPath(path), message: issue.message });
    }
  }
  return out;
}

/** Checks spend keys against the policy channels (absent → named error; unknown → named error). */
function channelErrors(record: ScoredRecord, channels: readonly string[], channelSet: ReadonlySet<string>, prefix: readonly PropertyKey[]): GatingFieldError[] {
  const out: GatingFieldError[] = [];
  for (const ch of channels) {
    if (!Object.prototype.hasOwnProperty.call(record.spend, ch)) {
      out.push({ path: formatPath([...prefix, "spend", ch]), message: "is required: every policy channel must be present (null when missing)" });
    }
  }
  for (const key of Object.keys(record.spend)) {
    if (!channelSet.has(key)) out.push({ path: formatPath([...prefix, "spend", key]), message: `is not a policy channel (${channels.join(", ")})` });
  }
  return out;
}

export function validateScoredRecord(input: unknown, snapshot: Pick<PolicySnapshot, "channels">): ValidationOutcome<ScoredRecord> {
  const parsed = scoredRecordSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues) };
  const errors = channelErrors(parsed.data, snapshot.channels, new Set(snapshot.channels), []);
  return errors.length ? { ok: false, errors } : { ok: true, value: parsed.data };
}

/**
 * Validates a batch `{ batchId, records }` against a policy: record shapes, 1…10,000
 * records (checked before anything else, so an oversized batch is refused cheaply),
 * channels, and unique record ids within the batch.
 */
export function validateScoredBatch(input: unknown, snapshot: Pick<PolicySnapshot, "channels">): ValidationOutcome<ScoredBatch> {
  const records = (input as { records?: unknown } | null)?.records;
  if (Array.isArray(records) && records.length > MAX_BATCH_SIZE) {
    return { ok: false, errors: [{ path: "records", message: `must hold at most ${MAX_BATCH_SIZE} records (got ${records.length})` }] };
  }
  // A plainly valid batch is checked by hand; anything else goes to the schema, which names every error.
  let batch = plainScoredBatch(input);
  if (batch === null) {
    const parsed = scoredBatchSchema.safeParse(input);
    if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues) };
    batch = parsed.data;
  }
  const errors: GatingFieldError[] = [];
  const channelSet = new Set(snapshot.channels);
  const firstIndex = new Map<string, number>();
  batch.records.forEach((r, i) => {
    errors.push(...channelErrors(r, snapshot.channels, channelSet, ["records", i]));
    const first = firstIndex.get(r.recordId);
    if (first !== undefined) errors.push({ path: formatPath(["records", i, "recordId"]), message: `duplicates records[${first}].recordId ("${r.recordId}")` });
    else firstIndex.set(r.recordId, i);
  });
  return errors.length ? { ok: false, errors } : { ok: true, value: batch };
}

/**
 * Validates a policy snapshot. The value returned is a deep-frozen copy: snapshots are
 * immutable (§1.3), and compiled policies are cached per snapshot object, so a snapshot
 * changed after compiling would be gated with stale lookups. Copy (structuredClone) to derive
 * a variant.
 */
export function validatePolicySnapshot(input: unknown): ValidationOutcome<PolicySnapshot> {
  const parsed = policySnapshotSchema.safeParse(input);
  return parsed.success ? { ok: true, value: deepFreeze(parsed.data) } : { ok: false, errors: issuesToErrors(parsed.error.issues) };
}

function orThrow<T>(outcome: ValidationOutcome<T>): T {
  if (!outcome.ok) throw new GatingValidationError(outcome.errors);
  return outcome.value;
}

export const parseScoredBatch = (input: unknown, snapshot: Pick<PolicySnapshot, "channels">): ScoredBatch => orThrow(validateScoredBatch(input, snapshot));
export const parsePolicySnapshot = (input: unknown): PolicySnapshot => orThrow(validatePolicySnapshot(input));
