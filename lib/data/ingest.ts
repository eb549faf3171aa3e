/**
 * Ingest of scored batches (gating spec §1.2, §6, §9; governance spec §2): parse, validate
 * with the shared schemas, gate with the active policy, and write the batch, the record
 * versions and the gating results in one transaction — or nothing at all.
 *
 * Storage of provenance: **text**, not jsonb. Provenance is written for every record and
 * read whole, one record at a time (the record page, the results API); nothing queries
 * inside it — the queue filters and sorts on real columns (route, flags, reason codes,
 * cluster, error estimate). jsonb would make PostgreSQL parse and re-encode every ~2 KB
 * document on insert (performance.md measured ~4× slower COPY) for query power this
 * table never uses. The scored record as received is kept the same way (`input`).
 *
 * Holds survive re-sending (§6.2): a record with a result in a held, unreleased batch keeps
 * BATCH_HOLD in the new batch (see `keptHolds`). The records' rows are locked before their
 * holds are read and the batch is gated inside the same transaction, so a held batch
 * committed meanwhile cannot be missed.
 *
 * Idempotency: per token, by the Idempotency-Key header or else the batch id. The first
 * successful response is stored with a hash of the request; a replay gets those bytes and
 * status back, a different request under the same key a 409. Refusals (4xx) are not
 * stored: nothing was written, and the same request is refused the same way again.
 */
import { createHash, randomUUID } from "node:crypto";
import type { PoolClient } from "pg";
import {
  gateBatch,
  MAX_BATCH_SIZE,
  RECORD_ID_PATTERN,
  validateScoredBatch,
  type GateBatchOutput,
  type GatingResult,
  type InheritedHold,
  type PolicySnapshot,
  type ScoredRecord,
} from "@/lib/gating";
import { prepareRecords, problemText } from "@/lib/records/prepare";
import { loadReferenceScorer } from "@/lib/reference-data";
import { addFieldError } from "@/lib/validations/field-errors";
import { ConflictError, UnsupportedMediaTypeError, ValidationError, type FieldErrors } from "@/lib/errors";
import { actorTokenId, assertScope, type Actor } from "@/lib/auth/actor";
import { db, transaction } from "./db";
import { parseJsonText } from "./input";
import { activePolicy } from "./policies";

export interface IngestRequestInput {
  /** the raw body text */
  readonly body: string;
  readonly contentType: string | null;
  readonly idempotencyKey: string | null;
  /** batch id for CSV bodies (JSON bodies carry their own); generated when absent */
  readonly batchId?: string | null;
}

/** What the route sends back: the status and the exact body (replays repeat both). */
export interface IngestResponse {
  readonly status: number;
  readonly body: string;
  readonly replayed: boolean;
}

export interface IngestSummary {
  batchId: string;
  policy: { id: string; hash: string };
  records: number;
  routes: { auto: number; audit: number };
  fragile: number;
  fragileShare: number;
  /**
   * §6.2: the hold test and whether it holds the batch; `inherited` counts records that keep
   * a hold from an earlier held, unreleased batch (they go to audit with BATCH_HOLD)
   */
  hold: { held: boolean; fragileFraction: number; threshold: number; pValue: number; alpha: number; inherited: number };
  /** records seen before (their previous result is superseded, not overwritten) */
  superseded: number;
  receivedAt: string;
}

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,200}$/;
function mediaType(contentType: string | null): "json" | "csv" {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "text/csv") return "csv";
  throw new UnsupportedMediaTypeError(`Send the batch as application/json or text/csv (got ${type ? `"${type}"` : "no Content-Type"}).`);
}

function newBatchId(): string {
  return `b-${randomUUID()}`;
}

/** Parses and validates the body into one batch; every problem is listed, nothing is coerced. */
function readBatch(input: IngestRequestInput, policy: PolicySnapshot): { batchId: string; records: ScoredRecord[] } {
  const kind = mediaType(input.contentType);
  if (kind === "csv") {
    const batchId = input.batchId ?? newBatchId();
    if (!RECORD_ID_PATTERN.test(batchId)) throw new ValidationError("The batch id is not valid.", { batchId: ["must be 1–128 characters of [A-Za-z0-9_.:-]"] });
    const prepared = prepareRecords(input.body, "csv", policy, loadReferenceScorer);
    if (prepared.problems.length > 0) {
      const fields: FieldErrors = {};
      for (const p of prepared.problems) addFieldError(fields, `line ${p.line}${p.field ? `, ${p.field}` : ""}`, p.message);
      throw new ValidationError(`${prepared.problems.length} problem(s) in the CSV (first: ${problemText(prepared.problems[0]!)}); nothing was written.`, fields);
    }
    if (prepared.records.length === 0) throw new ValidationError("The CSV holds no records.", { records: ["must hold 1…10000 records"] });
    if (prepared.records.length > MAX_BATCH_SIZE) throw new ValidationError(`The CSV holds ${prepared.records.length} records.`, { records: [`must hold at most ${MAX_BATCH_SIZE} records`] });
    return { batchId, records: prepared.records.map((r) => r.record) };
  }
  const value = parseJsonText(input.body);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError("The body must be a JSON object { batchId?, records }.", { "": ["must be an object with a records array"] });
  }
  const body = value as { batchId?: unknown; records?: unknown };
  const outcome = validateScoredBatch({ ...body, batchId: body.batchId ?? newBatchId() }, policy);
  if (!outcome.ok) {
    const fields: FieldErrors = {};
    for (const e of outcome.errors) addFieldError(fields, e.path, e.message);
    const records = new Set(outcome.errors.map((e) => /^records\[(\d+)\]/.exec(e.path)?.[1]).filter(Boolean)).size;
    throw new ValidationError(
      `${records > 0 ? `${records} invalid record(s)` : "The batch is invalid"} (first: ${outcome.errors[0]!.path}: ${outcome.errors[0]!.message}); nothing was written.`,
      fields,
    );
  }
  return { batchId: outcome.value.batchId, records: outcome.value.records };
}

function requestHash(input: IngestRequestInput): string {
  return createHash("sha256")
    .update(`${mediaType(input.contentType)}\n${input.batchId ?? ""}\n`)
    .update(input.body)
    .digest("hex");
}

async function storedResponse(tokenKey: string, key: string, hash: string): Promise<IngestResponse | null> {
  const row = (
    await db().pool.query<{ request_hash: string; status: number; response_body: string }>(
      "SELECT request_hash, status, response_body FROM ingest_requests WHERE token_id = $1 AND key = $2",
      [tokenKey, key],
    )
  ).rows[0];
  if (!row) return null;
  if (row.request_hash !== hash) throw new ConflictError(`The idempotency key "${key}" was already used for a different request.`);
  return { status: row.status, body: row.response_body, replayed: true };
}

/** `{A,B}`: a PostgreSQL array literal of codes (closed enums, no quoting needed). */
function codeArray(codes: readonly string[]): string {
  return `{${codes.join(",")}}`;
}

async function writeBatch(
  client: PoolClient,
  out: GateBatchOutput,
  records: readonly ScoredRecord[],
  policy: PolicySnapshot,
  tokenId: string | null,
  receivedAt: string,
  versions: ReadonlyMap<string, number>,
): Promise<number> {
  const b = out.batch;
  try {
    await client.query(
      `INSERT INTO ingest_batches (id, policy_id, token_id, size, fragile_count, fragile_fraction, p_value, threshold, alpha, hold_indicated, held, audit_count, auto_count, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [b.batchId, policy.id, tokenId, b.size, b.fragileCount, b.fragileFraction, b.pValue, b.threshold, b.alpha, b.holdIndicated, b.held, b.auditCount, b.autoCount, receivedAt],
    );
  } catch (error) {
    if ((error as { code?: string }).code === "23505") throw new ConflictError(`A batch with the id "${b.batchId}" was already ingested.`);
    throw error;
  }
  return insertResults(client, b.batchId, out.results, records, policy, receivedAt, versions, null);
}

/**
 * Claims each record's next version, locking the records' rows (in id order, so concurrent
 * batches sharing records lock them in the same order) until the transaction ends.
 * Returns record id → the version its new result gets.
 */
async function claimVersions(client: PoolClient, recordIds: readonly string[], at: string): Promise<Map<string, number>> {
  const versions = await client.query<{ record_id: string; current_version: number }>(
    `INSERT INTO scored_records (record_id, current_version, created_at, updated_at)
     SELECT id, 1, $2, $2 FROM unnest($1::text[]) AS t(id) ORDER BY id
     ON CONFLICT (record_id) DO UPDATE SET current_version = scored_records.current_version + 1, updated_at = EXCLUDED.updated_at
     RETURNING record_id, current_version`,
    [recordIds, at],
  );
  return new Map(versions.rows.map((r) => [r.record_id, r.current_version]));
}

/**
 * The holds records keep from earlier results (gating spec §6.2: re-sending never launders a
 * hold), for `gateBatch`'s `inheritedHolds`: per record, the oldest batch that is held, not
 * released, and holds any result of the record — its current one or an earlier one, so the
 * hold also survives a second re-send — other than `exceptBatchId` (a batch being released).
 *
 * Only the release of that batch lifts the hold, and a release stays what it was: it gates
 * again the records whose current result is in the released batch. A record re-sent
 * elsewhere meanwhile keeps its result there (in audit, with BATCH_HOLD naming the held
 * batch) and is decided as any queued record; its next re-send no longer carries the hold.
 */
export async function keptHolds(client: PoolClient, recordIds: readonly string[], exceptBatchId: string | null): Promise<Map<string, InheritedHold>> {
  const rows = (
    await client.query<{ record_id: string; id: string; size: number; fragile_count: number; fragile_fraction: number; p_value: number; threshold: number; alpha: number }>(
      `SELECT DISTINCT ON (g.record_id) g.record_id, b.id, b.size, b.fragile_count, b.fragile_fraction, b.p_value, b.threshold, b.alpha
       FROM ingest_batches b JOIN gating_results g ON g.batch_id = b.id
       WHERE b.held AND b.released_seq IS NULL AND b.id IS DISTINCT FROM $2 AND g.record_id = ANY($1::text[])
       ORDER BY g.record_id, b.created_at, b.id`,
      [recordIds, exceptBatchId],
    )
  ).rows;
  return new Map(
    rows.map((r) => [
      r.record_id,
      { batchId: r.id, size: r.size, fragileCount: r.fragile_count, fragileFraction: r.fragile_fraction, pValue: r.p_value, threshold: r.threshold, alpha: r.alpha },
    ]),
  );
}

/**
 * Stores gating results as each record's next version (the previous one superseded, never
 * changed). `results[i]` is the result of `records[i]`. Returns how many records already
 * had a version. Also used when a held batch is released (lib/data/batches.ts) and when an
 * activation re-gates the queue (lib/data/regating.ts); `causeSeq` is their edit-log entry.
 */
export async function writeResults(
  client: PoolClient,
  batchId: string,
  results: readonly GatingResult[],
  records: readonly ScoredRecord[],
  policy: PolicySnapshot,
  receivedAt: string,
  causeSeq: string,
): Promise<number> {
  const versions = await claimVersions(client, records.map((r) => r.recordId), receivedAt);
  return insertResults(client, batchId, results, records, policy, receivedAt, versions, causeSeq);
}

/** Inserts the results under the versions `claimVersions` gave, marking the records' previous results superseded. */
async function insertResults(
  client: PoolClient,
  batchId: string,
  results: readonly GatingResult[],
  records: readonly ScoredRecord[],
  policy: PolicySnapshot,
  receivedAt: string,
  versionOf: ReadonlyMap<string, number>,
  causeSeq: string | null,
): Promise<number> {
  const ids = records.map((r) => r.recordId);
  const superseded = ids.filter((id) => versionOf.get(id)! > 1);
  if (superseded.length > 0) {
    await client.query("UPDATE gating_results SET current = false WHERE current AND record_id = ANY($1::text[])", [superseded]);
  }
  const t = results;
  // triage_key is the error estimate negated (the queue's ascending triage order; a check constraint holds it so).
  await client.query(
    `INSERT INTO gating_results (record_id, version, current, batch_id, policy_id, route, decision, fragile, fragility_score, theta,
       error_estimate, triage_key, p10, p50, p90, confidence, p_model, p_glm, cluster_id, scorer_version, flags, reason_codes, input, provenance, created_at, cause_seq)
     SELECT u.record_id, u.version, true, $3, $4, u.route::"Route", u.decision, u.fragile, u.fragility_score, u.theta,
       u.error_estimate, -u.error_estimate, u.p10, u.p50, u.p90, u.confidence, u.p_model, u.p_glm, u.cluster_id, u.scorer_version,
       u.flags::text[], u.reason_codes::text[], u.input, u.provenance, $5, $24::bigint
     FROM unnest($1::text[], $2::int[], $6::text[], $7::bool[], $8::bool[], $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[],
                 $14::float8[], $15::float8[], $16::float8[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::float8[])
       AS u(record_id, version, route, decision, fragile, fragility_score, theta, p10, p50, p90, confidence, p_model, p_glm, cluster_id, scorer_version,
            flags, reason_codes, input, provenance, error_estimate)`,
    [
      ids,
      ids.map((id) => versionOf.get(id)!),
      batchId,
      policy.id,
      receivedAt,
      t.map((r) => r.route),
      t.map((r) => r.decision),
      t.map((r) => r.fragile),
      t.map((r) => r.fragilityScore),
      t.map((r) => r.provenance.theta),
      t.map((r) => r.p10),
      t.map((r) => r.p50),
      t.map((r) => r.p90),
      t.map((r) => r.confidence),
      t.map((r) => r.pModel),
      t.map((r) => r.pGlm),
      t.map((r) => r.provenance.cluster.clusterId),
      t.map((r) => r.provenance.scorerVersion),
      t.map((r) => codeArray(r.flags)),
      t.map((r) => codeArray(r.reasons.map((reason) => reason.code))),
      records.map((r) => JSON.stringify(r)),
      t.map((r) => JSON.stringify(r.provenance)),
      t.map((r) => r.errorEstimate),
      causeSeq,
    ],
  );
  return superseded.length;
}

/**
 * Ingests one batch for an actor with the `ingest` scope. Returns the response to send
 * (201 with the summary, or a replayed earlier response); throws DomainErrors for refusals.
 */
export async function ingestBatch(actor: Actor, input: IngestRequestInput): Promise<IngestResponse> {
  assertScope(actor, "ingest");
  const tokenKey = actorTokenId(actor) ?? "operator";
  const key = input.idempotencyKey ?? null;
  if (key !== null && !KEY_PATTERN.test(key)) throw new ValidationError("The Idempotency-Key header is not valid.", { "Idempotency-Key": ["must be 1–200 characters of [A-Za-z0-9_.:-]"] });
  const hash = requestHash(input);
  if (key !== null) {
    const replay = await storedResponse(tokenKey, key, hash);
    if (replay) return replay;
  }

  const policy = await activePolicy();
  const { batchId, records } = readBatch(input, policy.snapshot);
  const idempotencyKey = key ?? batchId;
  if (key === null) {
    const replay = await storedResponse(tokenKey, idempotencyKey, hash);
    if (replay) return replay;
  }
  const receivedAt = new Date().toISOString();

  /** Another request holds the key: after its transaction, replay its response. */
  class KeyTaken extends Error {}
  try {
    return await transaction(async (client) => {
      // Claim the key first: a concurrent identical request waits here, then sees the claim.
      const claimed = await client.query(
        "INSERT INTO ingest_requests (token_id, key, request_hash, status, response_body, batch_id) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT DO NOTHING RETURNING key",
        [tokenKey, idempotencyKey, hash, batchId],
      );
      if (claimed.rowCount === 0) throw new KeyTaken();
      const ids = records.map((r) => r.recordId);
      // Versions first: they lock the records, so their holds cannot change before the write.
      const versions = await claimVersions(client, ids, receivedAt);
      const inheritedHolds = await keptHolds(client, ids, null);
      const out = gateBatch(records, policy.snapshot, { batchId, now: receivedAt, inheritedHolds });
      const superseded = await writeBatch(client, out, records, policy.snapshot, actorTokenId(actor), receivedAt, versions);
      const summary: IngestSummary = {
        batchId,
        policy: { id: policy.snapshot.id, hash: policy.hash },
        records: out.batch.size,
        routes: { auto: out.batch.autoCount, audit: out.batch.auditCount },
        fragile: out.batch.fragileCount,
        fragileShare: out.batch.fragileFraction,
        hold: {
          held: out.batch.held,
          fragileFraction: out.batch.fragileFraction,
          threshold: out.batch.threshold,
          pValue: out.batch.pValue,
          alpha: out.batch.alpha,
          inherited: inheritedHolds.size,
        },
        superseded,
        receivedAt,
      };
      const body = JSON.stringify(summary);
      await client.query("UPDATE ingest_requests SET status = 201, response_body = $3 WHERE token_id = $1 AND key = $2", [tokenKey, idempotencyKey, body]);
      return { status: 201, body, replayed: false };
    });
  } catch (error) {
    if (!(error instanceof KeyTaken)) throw error;
    const replay = await storedResponse(tokenKey, idempotencyKey, hash);
    if (replay) return replay;
    throw new ConflictError(`The idempotency key "${idempotencyKey}" is in use by a request that has not finished.`);
  }
}
