/**
 * A record's gating results: the current version with its full provenance (gating spec
 * §9) and the list of all versions. Provenance is stored as text and parsed here, whole.
 */
import { NotFoundError, ValidationError } from "@/lib/errors";
import { RECORD_ID_PATTERN, type GatingProvenance, type ScoredRecord } from "@/lib/gating";
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { policiesById } from "./policies";
import { LATEST_AMENDMENT_JOIN } from "./record-outcome";
import { db } from "./db";

export interface ResultVersion {
  resultId: string;
  version: number;
  current: boolean;
  batchId: string;
  policyId: string;
  route: "auto" | "audit";
  decision: boolean;
  fragile: boolean;
  confidence: number;
  /** estimated probability that the machine decision is wrong (gating spec §11): what orders the queue after canaries */
  errorEstimate: number;
  createdAt: string;
  reasonCodes: string[];
  /** the edit-log entry that made this version when it was not an ingest (a batch release, a policy activation) */
  causeSeq: string | null;
  /** the human decision on this version, if any */
  review: { seq: string; action: "confirm" | "override"; label: boolean; at: string } | null;
}

export interface RecordResult {
  recordId: string;
  current: ResultVersion & { provenance: GatingProvenance; input: ScoredRecord; batchHeld: boolean };
  /** newest first */
  versions: ResultVersion[];
  /** the record's decision version (decision-changing entries so far): what a decision must carry */
  ledgerVersion: number;
  /** every edit-log entry about the record so far (notes included): the live-update baseline */
  entryVersion: number;
  /** DECISION_THRESHOLD of the policy snapshot the current result was gated with */
  threshold: number;
  /** what the current result's error estimate comes from: the model's own probability, or the snapshot's audit-priority model */
  errorEstimator: "model" | "auditPriority";
}

type Row = {
  result_id: string;
  version: number;
  current: boolean;
  batch_id: string;
  policy_id: string;
  route: "auto" | "audit";
  decision: boolean;
  fragile: boolean;
  confidence: number;
  error_estimate: number;
  created_at: Date;
  reason_codes: string[];
  cause_seq: string | null;
  review_seq: string | null;
  review_action: "confirm" | "override" | null;
  review_label: boolean | null;
  reviewed_at: Date | null;
};

function toVersion(r: Row): ResultVersion {
  return {
    resultId: r.result_id,
    version: r.version,
    current: r.current,
    batchId: r.batch_id,
    policyId: r.policy_id,
    route: r.route,
    decision: r.decision,
    fragile: r.fragile,
    confidence: r.confidence,
    errorEstimate: r.error_estimate,
    createdAt: r.created_at.toISOString(),
    reasonCodes: r.reason_codes,
    causeSeq: r.cause_seq,
    review: r.review_seq === null ? null : { seq: r.review_seq, action: r.review_action!, label: r.review_label!, at: r.reviewed_at!.toISOString() },
  };
}

/** Whether a record has a current result (the record page's 404, decided before anything streams). */
export async function recordExists(actor: Actor, recordId: string): Promise<boolean> {
  assertCanRead(actor, "queue:read");
  if (!RECORD_ID_PATTERN.test(recordId)) return false;
  return (await db().pool.query("SELECT 1 FROM gating_results WHERE record_id = $1 AND current", [recordId])).rowCount === 1;
}

export async function getRecordResult(actor: Actor, recordId: string): Promise<RecordResult> {
  assertCanRead(actor, "queue:read");
  if (!RECORD_ID_PATTERN.test(recordId)) throw new ValidationError("The record id is not valid.", { recordId: ["must be 1–128 characters of [A-Za-z0-9_.:-]"] });
  const { pool } = db();
  const versions = (
    await pool.query<Row>(
      `SELECT id::text AS result_id, version, current, batch_id, policy_id, route, decision, fragile, confidence, error_estimate, created_at,
         reason_codes, cause_seq::text AS cause_seq, review_seq::text AS review_seq, review_action, review_label, reviewed_at
       FROM gating_results WHERE record_id = $1 ORDER BY version DESC`,
      [recordId],
    )
  ).rows;
  const current = versions.find((v) => v.current);
  if (!current) throw new NotFoundError(`No record "${recordId}".`);
  const detail = (
    await pool.query<{ provenance: string; input: string; held: boolean; ledger_version: number; entry_version: number }>(
      `SELECT r.provenance, r.input, b.held AND b.released_seq IS NULL AS held,
         COALESCE(s.decision_version, 0) AS ledger_version, COALESCE(s.version, 0) AS entry_version
       FROM gating_results r JOIN ingest_batches b ON b.id = r.batch_id
       LEFT JOIN edit_log_subjects s ON s.subject_type = 'record' AND s.subject_id = r.record_id
       WHERE r.id = $1`,
      [current.result_id],
    )
  ).rows[0]!;
  const policy = (await policiesById([current.policy_id])).get(current.policy_id)!;
  return {
    recordId,
    current: { ...toVersion(current), provenance: JSON.parse(detail.provenance) as GatingProvenance, input: JSON.parse(detail.input) as ScoredRecord, batchHeld: detail.held },
    versions: versions.map(toVersion),
    ledgerVersion: detail.ledger_version,
    entryVersion: detail.entry_version,
    threshold: policy.snapshot.thresholds.DECISION_THRESHOLD,
    errorEstimator: policy.snapshot.auditPriority ? "auditPriority" : "model",
  };
}

/** The passenger group of a record id: the part before its last `_` (`0001_02` → `0001`), if any. */
export function groupOf(recordId: string): string | null {
  const i = recordId.lastIndexOf("_");
  return i > 0 ? recordId.slice(0, i) : null;
}

export interface GroupMember {
  recordId: string;
  route: "auto" | "audit";
  decision: boolean;
  /** the human outcome (the latest confirm, override or amend), if decided */
  outcome: { action: "confirm" | "override" | "amend"; label: boolean } | null;
  context: Record<string, unknown>;
}

/**
 * The other records of a record's passenger group (same id before the last `_`), current
 * versions, with their routes and outcomes: travelling companions share much of what the
 * scorer sees. A prefix scan of a pattern index; at most 50.
 */
export async function groupMembers(actor: Actor, recordId: string): Promise<GroupMember[]> {
  assertCanRead(actor, "queue:read");
  const group = groupOf(recordId);
  if (group === null) return [];
  const pattern = `${group.replace(/[\\%_]/g, (c) => `\\${c}`)}\\_%`;
  const rows = (
    await db().pool.query<{ record_id: string; route: "auto" | "audit"; decision: boolean; review_action: "confirm" | "override" | null; review_label: boolean | null; amended: boolean | null; context: Record<string, unknown> | null }>(
      `SELECT r.record_id, r.route, r.decision, r.review_action, r.review_label, am.label AS amended, (r.input::jsonb)->'context' AS context
       FROM gating_results r
       ${LATEST_AMENDMENT_JOIN}
       WHERE r.current AND r.record_id LIKE $1 AND r.record_id <> $2 AND position('_' in substr(r.record_id, length($3) + 2)) = 0
       ORDER BY r.record_id LIMIT 50`,
      [pattern, recordId, group],
    )
  ).rows;
  return rows.map((r) => ({
    recordId: r.record_id,
    route: r.route,
    decision: r.decision,
    outcome: r.review_action === null ? null : r.amended !== null ? { action: "amend", label: r.amended } : { action: r.review_action, label: r.review_label! },
    context: r.context ?? {},
  }));
}
