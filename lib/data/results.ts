/**
 * A record's gating results: the current version with its full provenance (gating spec
 * §9) and the list of all versions. Provenance is stored as text and parsed here, whole.
 */
import { NotFoundError, ValidationError } from "@/lib/errors";
import { RECORD_ID_PATTERN, type GatingProvenance, type ScoredRecord } from "@/lib/gating";
import { assertCanRead, type Actor } from "./actor";
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
  createdAt: string;
  /** the human decision on this version, if any */
  review: { seq: string; action: "confirm" | "override"; label: boolean; at: string } | null;
}

export interface RecordResult {
  recordId: string;
  current: ResultVersion & { provenance: GatingProvenance; input: ScoredRecord; batchHeld: boolean };
  /** newest first */
  versions: ResultVersion[];
  /** the record's edit-log version: what a decision must carry */
  ledgerVersion: number;
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
  created_at: Date;
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
    createdAt: r.created_at.toISOString(),
    review: r.review_seq === null ? null : { seq: r.review_seq, action: r.review_action!, label: r.review_label!, at: r.reviewed_at!.toISOString() },
  };
}

export async function getRecordResult(actor: Actor, recordId: string): Promise<RecordResult> {
  assertCanRead(actor, "queue:read");
  if (!RECORD_ID_PATTERN.test(recordId)) throw new ValidationError("The record id is not valid.", { recordId: ["must be 1–128 characters of [A-Za-z0-9_.:-]"] });
  const { pool } = db();
  const versions = (
    await pool.query<Row>(
      `SELECT id::text AS result_id, version, current, batch_id, policy_id, route, decision, fragile, confidence, created_at,
         review_seq::text AS review_seq, review_action, review_label, reviewed_at
       FROM gating_results WHERE record_id = $1 ORDER BY version DESC`,
      [recordId],
    )
  ).rows;
  const current = versions.find((v) => v.current);
  if (!current) throw new NotFoundError(`No record "${recordId}".`);
  const detail = (
    await pool.query<{ provenance: string; input: string; held: boolean; ledger_version: number }>(
      `SELECT r.provenance, r.input, b.held AND b.released_seq IS NULL AS held,
         COALESCE((SELECT s.version FROM edit_log_subjects s WHERE s.subject_type = 'record' AND s.subject_id = r.record_id), 0) AS ledger_version
       FROM gating_results r JOIN ingest_batches b ON b.id = r.batch_id WHERE r.id = $1`,
      [current.result_id],
    )
  ).rows[0]!;
  return {
    recordId,
    current: { ...toVersion(current), provenance: JSON.parse(detail.provenance) as GatingProvenance, input: JSON.parse(detail.input) as ScoredRecord, batchHeld: detail.held },
    versions: versions.map(toVersion),
    ledgerVersion: detail.ledger_version,
  };
}
