/**
 * The five machine logs of minority events (spec §2): zod schemas of one row each, their
 * natural keys, and the batch checks that need more than one row. Logs are append-only:
 * a row is never updated; the same natural key with new content is a new version, and
 * the latest `writtenAt` wins in the hydrated view (hydrate.ts).
 *
 * Every message names the field and the rule ("confidence_1 must be between 0 and 1");
 * nothing is coerced, unknown fields are refused. Rows keep their instants as sent; the
 * core compares them as instants (time.ts), never as strings.
 */
import { createHash } from "node:crypto";
import * as z from "zod";
import { addFieldError } from "@/lib/validations/field-errors";
import { canonicalJson } from "@/lib/ledger/chain";
import { REPORT_GROUP_ID_PATTERN, REPORT_ID_PATTERN, ID_PART_SEPARATOR, reportId as deriveReportId } from "./ids";
import { CAUSE_CATEGORIES, CAUSE_LABEL_MAX } from "./taxonomy";
import type { MrsResult } from "./result";
import { INSTANT_RULE, instantMs } from "./time";

/** API slugs of the machine logs, in pipeline order. */
export const LOG_NAMES = ["detected", "clustered", "attribution", "ended", "cohort"] as const;
export type LogName = (typeof LOG_NAMES)[number];

export const LOG_LABELS: Record<LogName, { label: string; seedTable: string; meaning: string }> = {
  detected: { label: "Detected", seedTable: "minority_reports_detected_log", meaning: "A report's detection: store, SKU, window start, baseline and actual sales." },
  clustered: { label: "Clustered", seedTable: "minority_reports_clustered_log", meaning: "Cluster metadata for a report (null clusterId: left unclustered)." },
  attribution: { label: "Proposed attribution", seedTable: "minority_reports_proposed_attribution_log", meaning: "The machine's causes _1/_2/_3 with confidences, narrative and evidence." },
  ended: { label: "Ended", seedTable: "minority_event_ended_log", meaning: "The authoritative end of a report's window." },
  cohort: { label: "Cohort", seedTable: "minority_reports_cohort_log", meaning: "A report's event membership (reportGroupId), with cohort size and confidence." },
};

/** Most rows one ingest request may carry. */
export const MAX_LOG_ROWS = 10_000;
const TEXT_MAX = 128;
const NARRATIVE_MAX = 2000;
const SNIPPET_MAX = 1000;
const EVIDENCE_MAX = 20;
const FEATURES_MAX = 50;

// ---------------------------------------------------------------------------------------
// Field builders: each message names its field and the rule
// ---------------------------------------------------------------------------------------

const required = (field: string, rule: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `${field} is required` : `${field} must be ${rule}`);

const text = (field: string, max = TEXT_MAX) =>
  z
    .string({ error: required(field, "text") })
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} must be at most ${max} characters` });

/** A key part of a hashed id: also refuses the id separator. */
const keyText = (field: string) => text(field).refine((s) => !s.includes(ID_PART_SEPARATOR), { error: `${field} must not contain the U+001F separator` });

const instant = (field: string) =>
  z.string({ error: required(field, INSTANT_RULE) }).refine((s) => instantMs(s) !== null, { error: `${field} must be ${INSTANT_RULE}` });

const amount = (field: string) =>
  z.number({ error: required(field, "a finite number ≥ 0") }).min(0, { error: `${field} must be a finite number ≥ 0` });

const signedAmount = (field: string) => z.number({ error: required(field, "a finite number") });

const probability = (field: string) =>
  z
    .number({ error: required(field, "a number between 0 and 1") })
    .min(0, { error: `${field} must be between 0 and 1` })
    .max(1, { error: `${field} must be between 0 and 1` });

const reportIdField = z
  .string({ error: required("reportId", "text") })
  .regex(REPORT_ID_PATTERN, { error: "reportId must be MR- followed by 16 lower-case hex digits" });

const reportGroupIdField = z
  .string({ error: required("reportGroupId", "text") })
  .regex(REPORT_GROUP_ID_PATTERN, { error: "reportGroupId must be 1–128 characters of [A-Za-z0-9_.:-]" });

const unknownFields = (log: LogName) => (issue: { code?: string; keys?: string[] }) =>
  issue.code === "unrecognized_keys" ? `${log} rows have no field ${(issue.keys ?? []).join(", ")}` : undefined;

/** A cause: closed category + free-text label (≤ 80 characters). */
export const causeSchema = (field: string) =>
  z.strictObject(
    {
      category: z.enum(CAUSE_CATEGORIES, { error: `${field}.category must be one of ${CAUSE_CATEGORIES.join(", ")}` }),
      label: text(`${field}.label`, CAUSE_LABEL_MAX),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `${field} has only category and label` : issue.input === undefined ? `${field} is required` : `${field} must be { category, label }`) },
  );

/** Machine evidence: a link, or a text snippet (e.g. the social-listening hashtag). */
const machineEvidenceSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("link"), url: z.url({ error: "evidence url must be a URL" }), title: text("evidence title", 200).nullable().optional() }),
    z.strictObject({ kind: z.literal("snippet"), text: text("evidence text", SNIPPET_MAX), source: text("evidence source", 200).nullable().optional() }),
  ],
  { error: "evidence items must be { kind: \"link\", url } or { kind: \"snippet\", text }" },
);
export type MachineEvidence = z.infer<typeof machineEvidenceSchema>;

// ---------------------------------------------------------------------------------------
// The five logs
// ---------------------------------------------------------------------------------------

/**
 * A report's detection. `uplift` is the seed's "attributed vs baseline" sales (in sales
 * currency; negative for a drop). The reportId must be the one derived from storeId, sku
 * and windowStart (ids.ts), so a re-run cannot fork a report.
 */
export const detectedRowSchema = z
  .strictObject(
    {
      reportId: reportIdField,
      storeId: keyText("storeId"),
      retailer: text("retailer"),
      sku: keyText("sku"),
      /** store location as detection knows it (the clustered log may refine it) */
      city: text("city").nullable().optional(),
      windowStart: instant("windowStart"),
      baseline: amount("baseline"),
      actual: amount("actual"),
      uplift: signedAmount("uplift"),
      writtenAt: instant("writtenAt"),
    },
    { error: unknownFields("detected") },
  )
  .superRefine((row, ctx) => {
    let expected: string;
    try {
      expected = deriveReportId(row.storeId, row.sku, row.windowStart);
    } catch {
      return; // a bad part has its own message already
    }
    if (row.reportId !== expected) {
      ctx.addIssue({ code: "custom", path: ["reportId"], message: `reportId must be the id derived from storeId, sku and windowStart (${expected})` });
    }
  });
export type DetectedRow = z.infer<typeof detectedRowSchema>;

/**
 * Cluster metadata for a report. `clusterId: null` is the clustering stage's failure
 * output ("emit unclustered rows"): the report shows unclustered and counts as missing
 * the stage for degradation (degraded.ts). `retailer` / `city`, when given, take
 * precedence over the detected row's (the seed: keys and metadata prefer Clustered).
 */
const clusteredRowSchema = z.strictObject(
  {
    reportId: reportIdField,
    clusterRunId: text("clusterRunId"),
    clusterId: text("clusterId").nullable(),
    similarityFeatures: z
      .record(z.string().min(1, { error: "similarityFeatures names must not be empty" }), z.number({ error: "similarityFeatures values must be finite numbers" }), {
        error: "similarityFeatures must be an object of name → number",
      })
      .refine((f) => Object.keys(f).length <= FEATURES_MAX, { error: `similarityFeatures must have at most ${FEATURES_MAX} entries` }),
    retailer: text("retailer").nullable().optional(),
    city: text("city").nullable().optional(),
    writtenAt: instant("writtenAt"),
  },
  { error: unknownFields("clustered") },
);
export type ClusteredRow = z.infer<typeof clusteredRowSchema>;

/**
 * The machine's proposed causes, ranked: cause_1 with confidence_1, optional _2 and _3.
 * A failed attribution is cause_1 `unknown` with confidence_1 null (seed: "emit unknown
 * cause with NULL confidence"); one that ran but found nothing confident is `unknown`
 * with its low confidence (not a failure).
 */
export const attributionRowSchema = z
  .strictObject(
    {
      reportId: reportIdField,
      attributionRunId: text("attributionRunId"),
      cause_1: causeSchema("cause_1"),
      confidence_1: probability("confidence_1").nullable(),
      cause_2: causeSchema("cause_2").nullable().optional(),
      confidence_2: probability("confidence_2").nullable().optional(),
      cause_3: causeSchema("cause_3").nullable().optional(),
      confidence_3: probability("confidence_3").nullable().optional(),
      narrative: text("narrative", NARRATIVE_MAX).nullable().optional(),
      evidence: z.array(machineEvidenceSchema, { error: "evidence must be a list" }).max(EVIDENCE_MAX, { error: `evidence must have at most ${EVIDENCE_MAX} items` }).optional(),
      writtenAt: instant("writtenAt"),
    },
    { error: unknownFields("attribution") },
  )
  .superRefine((row, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (row.confidence_1 === null && row.cause_1.category !== "unknown") {
      issue("confidence_1", "confidence_1 may be null only when cause_1.category is unknown (a failed attribution)");
    }
    for (const n of [2, 3] as const) {
      const cause = row[`cause_${n}`] ?? null;
      const confidence = row[`confidence_${n}`] ?? null;
      if ((cause === null) !== (confidence === null)) issue(`cause_${n}`, `cause_${n} and confidence_${n} must both be given or both be null`);
    }
    const c2 = row.confidence_2 ?? null;
    const c3 = row.confidence_3 ?? null;
    if ((row.cause_3 ?? null) !== null && (row.cause_2 ?? null) === null) issue("cause_3", "cause_3 requires cause_2");
    if (row.confidence_1 === null && ((row.cause_2 ?? null) !== null || c2 !== null)) issue("cause_2", "cause_2 must be null when confidence_1 is null (a failed attribution proposes nothing)");
    // Candidates are ranked: _1 is the best.
    if (row.confidence_1 !== null && c2 !== null && c2 > row.confidence_1) issue("confidence_2", "confidence_2 must not exceed confidence_1");
    if (c2 !== null && c3 !== null && c3 > c2) issue("confidence_3", "confidence_3 must not exceed confidence_2");
  });
export type AttributionRow = z.infer<typeof attributionRowSchema>;

/** The authoritative end of a report's window; it must not be before the report's windowStart (checked against detected rows). */
const endedRowSchema = z.strictObject(
  {
    reportId: reportIdField,
    windowEnd: instant("windowEnd"),
    writtenAt: instant("writtenAt"),
  },
  { error: unknownFields("ended") },
);
export type EndedRow = z.infer<typeof endedRowSchema>;

/** A report's event membership. `cohortSize` is what the cohort stage declared; the roll-up counts members itself. */
export const cohortRowSchema = z.strictObject(
  {
    reportId: reportIdField,
    reportGroupId: reportGroupIdField,
    cohortSize: z
      .int({ error: required("cohortSize", "a whole number ≥ 1") })
      .min(1, { error: "cohortSize must be a whole number ≥ 1" }),
    cohortConfidence: probability("cohortConfidence").nullable(),
    writtenAt: instant("writtenAt"),
  },
  { error: unknownFields("cohort") },
);
export type CohortRow = z.infer<typeof cohortRowSchema>;

export interface LogRowByName {
  detected: DetectedRow;
  clustered: ClusteredRow;
  attribution: AttributionRow;
  ended: EndedRow;
  cohort: CohortRow;
}
export type LogRow = LogRowByName[LogName];

const LOG_ROW_SCHEMAS = {
  detected: detectedRowSchema,
  clustered: clusteredRowSchema,
  attribution: attributionRowSchema,
  ended: endedRowSchema,
  cohort: cohortRowSchema,
} as const;

/** Rows of every log, as the core reads them (extra fields such as recordedAt are ignored). */
export interface MachineRows {
  readonly detected: readonly DetectedRow[];
  readonly clustered: readonly ClusteredRow[];
  readonly attribution: readonly AttributionRow[];
  readonly ended: readonly EndedRow[];
  readonly cohort: readonly CohortRow[];
}

// ---------------------------------------------------------------------------------------
// Natural keys and content
// ---------------------------------------------------------------------------------------

/** The fields of each log's natural key (spec §2), in key order. */
const NATURAL_KEY_FIELDS = {
  detected: ["reportId"],
  clustered: ["reportId", "clusterRunId"],
  attribution: ["reportId", "attributionRunId"],
  ended: ["reportId"],
  cohort: ["reportId", "reportGroupId"],
} as const satisfies { [L in LogName]: readonly (keyof LogRowByName[L])[] };

/** A row's natural key: its key fields joined by U+001F. Rows with one key are versions of one fact. */
export function naturalKey<L extends LogName>(log: L, row: LogRowByName[L]): string {
  const fields = NATURAL_KEY_FIELDS[log] as readonly string[];
  return fields.map((f) => String((row as unknown as Record<string, unknown>)[f])).join(ID_PART_SEPARATOR);
}

/** The fields of a row that are its content (everything the schema knows; recordedAt and database ids are not). */
function contentOf(log: LogName, row: LogRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of Object.keys(LOG_ROW_SCHEMAS[log].shape)) {
    const value = (row as unknown as Record<string, unknown>)[field];
    if (value !== undefined) out[field] = value;
  }
  return out;
}

/**
 * sha256 of a row's canonical JSON content: with the natural key it tells a replayed row
 * (same key, same hash: a no-op) from a new version (same key, new hash).
 */
export function rowContentHash<L extends LogName>(log: L, row: LogRowByName[L]): string {
  return createHash("sha256").update(canonicalJson(contentOf(log, row)), "utf8").digest("hex");
}

/** Canonical JSON of a row's content: the last, order-free tie-break between two versions written at the same instant. */
export function rowContentKey<L extends LogName>(log: L, row: LogRowByName[L]): string {
  return canonicalJson(contentOf(log, row));
}

// ---------------------------------------------------------------------------------------
// Batch checks
// ---------------------------------------------------------------------------------------

/** windowEnd before windowStart, for each ended row whose report's windowStart is known. */
export function endedRowErrors(
  ended: readonly EndedRow[],
  windowStartByReportId: ReadonlyMap<string, string>,
  pathPrefix = "rows",
): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  ended.forEach((row, i) => {
    const start = windowStartByReportId.get(row.reportId);
    const startMs = start === undefined ? null : instantMs(start);
    const endMs = instantMs(row.windowEnd);
    if (startMs === null || endMs === null) return;
    if (endMs < startMs) addFieldError(errors, `${pathPrefix}.${i}.windowEnd`, `windowEnd must not be before the report's windowStart (${start})`);
  });
  return errors;
}

/** How far a supplied writtenAt may run ahead of the database's recordedAt (spec §2). */
const WRITTEN_AT_TOLERANCE_MS = 5 * 60_000;

/**
 * The refusal for a row (or edit-log entry) whose supplied time is later than the
 * database time + 5 min, or null when it is acceptable. `recordedAt` comes from the
 * database; the core never reads the clock.
 */
export function writtenAtAheadError(writtenAt: string, recordedAt: string, field = "writtenAt", toleranceMs = WRITTEN_AT_TOLERANCE_MS): string | null {
  const written = instantMs(writtenAt);
  const recorded = instantMs(recordedAt);
  if (written === null || recorded === null) return `${field} and recordedAt must be ${INSTANT_RULE}`;
  if (written <= recorded + toleranceMs) return null;
  return `${field} must not be more than ${toleranceMs / 60_000} min after the time it is recorded (${new Date(recorded).toISOString()}); got ${new Date(written).toISOString()}`;
}

/** reportId → windowStart of detected rows (every version of a report has the same windowStart: it is part of the id). */
export function windowStartsOf(detected: readonly DetectedRow[]): Map<string, string> {
  return new Map(detected.map((r) => [r.reportId, r.windowStart]));
}

function zodFieldErrors(error: z.ZodError, prefix: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join(".") || "body";
    addFieldError(out, key, issue.message);
  }
  return out;
}

function summarise(fieldErrors: Record<string, string[]>): string {
  const lines = Object.entries(fieldErrors).flatMap(([k, ms]) => ms.map((m) => (k === "body" ? m : `${k}: ${m}`)));
  const shown = lines.slice(0, 5).join("; ");
  return lines.length > 5 ? `${shown}; … and ${lines.length - 5} more` : shown;
}

/**
 * Validates one ingest request of `log` rows (`{ rows: [...] }`, 1 … MAX_LOG_ROWS).
 * Ended rows are also checked against the windowStarts known for their reports
 * (`knownWindowStarts`, e.g. from the database). fieldErrors are keyed `rows.3.confidence_1`.
 */
export function parseLogRows<L extends LogName>(
  log: L,
  body: unknown,
  knownWindowStarts: ReadonlyMap<string, string> = new Map(),
): MrsResult<LogRowByName[L][]> {
  if (!(LOG_NAMES as readonly string[]).includes(log)) return { ok: false, error: `log must be one of ${LOG_NAMES.join(", ")}` };
  const batch = z.strictObject(
    {
      rows: z
        .array(LOG_ROW_SCHEMAS[log] as unknown as z.ZodType<LogRowByName[L]>, { error: "rows must be a list" })
        .min(1, { error: "rows must hold at least 1 row" })
        .max(MAX_LOG_ROWS, { error: `rows must hold at most ${MAX_LOG_ROWS} rows` }),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `the body has only rows; not ${(issue.keys ?? []).join(", ")}` : "the body must be { rows: [...] }") },
  );
  const parsed = batch.safeParse(body);
  if (!parsed.success) {
    const fieldErrors = zodFieldErrors(parsed.error, "");
    return { ok: false, error: summarise(fieldErrors), fieldErrors };
  }
  if (log === "ended") {
    const fieldErrors = endedRowErrors(parsed.data.rows as EndedRow[], knownWindowStarts);
    if (Object.keys(fieldErrors).length > 0) return { ok: false, error: summarise(fieldErrors), fieldErrors };
  }
  return { ok: true, data: parsed.data.rows };
}

/**
 * All five logs in one body (a bulk load, the demo seed): each log's rows validated, and
 * every ended row checked against the detected rows of the same body (check rows already
 * stored with `endedRowErrors`).
 */
export const machineRowsSchema = z
  .strictObject(
    {
      detected: z.array(detectedRowSchema, { error: "detected must be a list" }).default([]),
      clustered: z.array(clusteredRowSchema, { error: "clustered must be a list" }).default([]),
      attribution: z.array(attributionRowSchema, { error: "attribution must be a list" }).default([]),
      ended: z.array(endedRowSchema, { error: "ended must be a list" }).default([]),
      cohort: z.array(cohortRowSchema, { error: "cohort must be a list" }).default([]),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `logs are ${LOG_NAMES.join(", ")}; not ${(issue.keys ?? []).join(", ")}` : "must be an object of log → rows") },
  )
  .superRefine((rows, ctx) => {
    const starts = windowStartsOf(rows.detected);
    for (const [key, messages] of Object.entries(endedRowErrors(rows.ended, starts, "ended"))) {
      for (const message of messages) ctx.addIssue({ code: "custom", path: key.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message });
    }
  });
