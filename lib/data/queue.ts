/**
 * The audit queue: current gating results routed to audit, filtered and ordered by a
 * whitelisted sort, paged by keyset (`WHERE (sort columns) > (cursor)`), never OFFSET and
 * never an exact count. Every sort's columns run in one direction and have a partial index
 * (migration 20261123165527_ingest), so any page is one index range scan.
 */
import { ValidationError } from "@/lib/errors";
import type { FlagCode, ReasonCode } from "@/lib/gating/reasons";
import { QUEUE_SORTS, QUEUE_VIEW_PARAMS, queueQuerySchema, type QueueQuery, type QueueSort } from "@/lib/validations/queue";
import { assertCanRead, type Actor } from "./actor";
import { db } from "./db";
import { parseInput } from "./input";

export interface QueueItem {
  recordId: string;
  resultId: string;
  version: number;
  /** the record's edit-log version: what a decision on this row must carry */
  ledgerVersion: number;
  batchId: string;
  batchHeld: boolean;
  decision: boolean;
  fragile: boolean;
  fragilityScore: number;
  theta: number;
  p10: number;
  p50: number;
  p90: number;
  confidence: number;
  pModel: number;
  clusterId: string;
  scorerVersion: string;
  flags: FlagCode[];
  reasonCodes: ReasonCode[];
  createdAt: string;
}

export interface QueuePage {
  items: QueueItem[];
  /** opaque; null on the last page */
  nextCursor: string | null;
}

type KeyValue = number | string;
interface CursorBody {
  s: QueueSort;
  d: "asc" | "desc";
  k: KeyValue[];
}

const COLUMN_KIND: Record<string, "number" | "timestamp" | "id"> = {
  triage_key: "number",
  certainty: "number",
  confidence: "number",
  fragility_score: "number",
  created_at: "timestamp",
  id: "id",
};

/** A timestamptz as PostgreSQL prints it (`2026-11-23 17:04:48.424+00`), microseconds kept. */
const TIMESTAMP_TEXT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d)?$/;

function cursorError(): ValidationError {
  return new ValidationError("The page cursor is not valid for this view: start again from the first page.", { cursor: ["is not a cursor of this sort"] });
}

export function encodeCursor(body: CursorBody): string {
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

/** Decodes and checks a cursor against the view's sort: a forged or stale one is refused. */
export function decodeCursor(cursor: string, sort: QueueSort, dir: "asc" | "desc"): KeyValue[] {
  let body: CursorBody;
  try {
    body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as CursorBody;
  } catch {
    throw cursorError();
  }
  const columns = QUEUE_SORTS[sort].columns;
  if (!body || body.s !== sort || body.d !== dir || !Array.isArray(body.k) || body.k.length !== columns.length) throw cursorError();
  columns.forEach((column, i) => {
    const v = body.k[i];
    const kind = COLUMN_KIND[column];
    const ok =
      kind === "number"
        ? typeof v === "number" && Number.isFinite(v)
        : kind === "id"
          ? typeof v === "string" && /^\d{1,19}$/.test(v)
          : typeof v === "string" && TIMESTAMP_TEXT.test(v);
    if (!ok) throw cursorError();
  });
  return body.k;
}

const ITEM_COLUMNS = `r.id::text AS result_id, r.record_id, r.version, COALESCE(s.version, 0) AS ledger_version, r.batch_id,
  (b.held AND b.released_seq IS NULL) AS batch_held, r.decision, r.fragile,
  r.fragility_score, r.theta, r.p10, r.p50, r.p90, r.confidence, r.p_model, r.cluster_id, r.scorer_version, r.flags, r.reason_codes,
  r.created_at::text AS created_at_key, r.triage_key, r.certainty`;

/** A result with its batch (hold) and the record's edit-log version (what a decision carries). */
const ITEM_FROM = `gating_results r JOIN ingest_batches b ON b.id = r.batch_id
  LEFT JOIN edit_log_subjects s ON s.subject_type = 'record' AND s.subject_id = r.record_id`;

type Row = {
  result_id: string;
  record_id: string;
  version: number;
  ledger_version: number;
  batch_id: string;
  batch_held: boolean;
  decision: boolean;
  fragile: boolean;
  fragility_score: number;
  theta: number;
  p10: number;
  p50: number;
  p90: number;
  confidence: number;
  p_model: number;
  cluster_id: string;
  scorer_version: string;
  flags: FlagCode[];
  reason_codes: ReasonCode[];
  created_at_key: string;
  triage_key: number;
  certainty: number;
};

function toItem(row: Row): QueueItem {
  return {
    recordId: row.record_id,
    resultId: row.result_id,
    version: row.version,
    ledgerVersion: row.ledger_version,
    batchId: row.batch_id,
    batchHeld: row.batch_held,
    decision: row.decision,
    fragile: row.fragile,
    fragilityScore: row.fragility_score,
    theta: row.theta,
    p10: row.p10,
    p50: row.p50,
    p90: row.p90,
    confidence: row.confidence,
    pModel: row.p_model,
    clusterId: row.cluster_id,
    scorerVersion: row.scorer_version,
    flags: row.flags,
    reasonCodes: row.reason_codes,
    createdAt: new Date(row.created_at_key.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")).toISOString(),
  };
}

function keyOf(row: Row, sort: QueueSort): KeyValue[] {
  return QUEUE_SORTS[sort].columns.map((column) =>
    column === "id" ? row.result_id : column === "created_at" ? row.created_at_key : (row[column as keyof Row] as number),
  );
}

/** The SQL of one queue page (exported for the benchmark's EXPLAIN ANALYZE of the same query). */
export function queuePageSql(query: QueueQuery): { text: string; values: unknown[] } {
  const sort = query.sort;
  const dir = query.dir ?? QUEUE_SORTS[sort].defaultDir;
  const columns = QUEUE_SORTS[sort].columns;
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  // The open queue: the partial indexes' predicate exactly, so the planner uses them.
  const where = [`r.current`, `r.route = 'audit'`, `r.review_seq IS NULL`];
  if (query.flag) where.push(`r.flags @> ARRAY[${param(query.flag)}]::text[]`);
  if (query.reason) where.push(`r.reason_codes @> ARRAY[${param(query.reason)}]::text[]`);
  if (query.cluster) where.push(`r.cluster_id = ${param(query.cluster)}`);
  if (query.batch) where.push(`r.batch_id = ${param(query.batch)}`);
  if (query.scorer) where.push(`r.scorer_version = ${param(query.scorer)}`);
  if (query.kind) where.push(query.kind === "fragile" ? `r.fragile` : `NOT r.fragile`);
  if (query.confMin !== undefined) where.push(`r.confidence >= ${param(query.confMin)}`);
  if (query.confMax !== undefined) where.push(`r.confidence <= ${param(query.confMax)}`);
  if (query.fragMin !== undefined) where.push(`r.fragility_score >= ${param(query.fragMin)}`);
  if (query.fragMax !== undefined) where.push(`r.fragility_score <= ${param(query.fragMax)}`);
  const qualified = columns.map((c) => `r.${c}`);
  if (query.cursor) {
    const key = decodeCursor(query.cursor, sort, dir);
    const placeholders = columns.map((c, i) => `${param(key[i])}::${c === "created_at" ? "timestamptz" : c === "id" ? "bigint" : "float8"}`);
    where.push(`(${qualified.join(", ")}) ${dir === "asc" ? ">" : "<"} (${placeholders.join(", ")})`);
  }
  const order = qualified.map((c) => `${c} ${dir.toUpperCase()}`).join(", ");
  return {
    text: `SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${param(query.limit + 1)}`,
    values,
  };
}

/** One page of the queue for people with queue:read or tokens with the read scope. */
export async function listQueue(actor: Actor, input: unknown): Promise<QueuePage> {
  assertCanRead(actor, "queue:read");
  const query = parseInput(queueQuerySchema, input);
  const sql = queuePageSql(query);
  const rows = (await db().pool.query<Row>(sql.text, sql.values)).rows;
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const dir = query.dir ?? QUEUE_SORTS[query.sort].defaultDir;
  return {
    items: page.map(toItem),
    nextCursor: more ? encodeCursor({ s: query.sort, d: dir, k: keyOf(page[page.length - 1]!, query.sort) }) : null,
  };
}

/** The cluster ids the active policy knows (for the filter), sorted. */
export async function listQueueClusters(actor: Actor): Promise<string[]> {
  assertCanRead(actor, "queue:read");
  const rows = (await db().pool.query<{ id: string }>("SELECT jsonb_object_keys(content->'statistics'->'clusters') AS id FROM policy_snapshots WHERE active")).rows;
  return rows.map((r) => r.id).sort();
}

/**
 * The record after `recordId` in a queue view (its filters and order; `n` on the record
 * page, and where the analyst goes after a decision): the keyset position of the record's
 * current result, whether or not it is still open. A view that does not parse falls back
 * to the default order; null at the end of the queue.
 */
export async function nextInQueue(actor: Actor, view: Record<string, string>, recordId: string): Promise<string | null> {
  assertCanRead(actor, "queue:read");
  const kept = Object.fromEntries(Object.entries(view).filter(([k]) => (QUEUE_VIEW_PARAMS as readonly string[]).includes(k)));
  const parsed = queueQuerySchema.safeParse({ ...kept, limit: "2" });
  const query = parsed.success ? parsed.data : parseInput(queueQuerySchema, { limit: "2" });
  const dir = query.dir ?? QUEUE_SORTS[query.sort].defaultDir;
  const row = (
    await db().pool.query<Row>(
      `SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE r.record_id = $1 AND r.current`,
      [recordId],
    )
  ).rows[0];
  const cursor = row ? encodeCursor({ s: query.sort, d: dir, k: keyOf(row, query.sort) }) : undefined;
  const sql = queuePageSql({ ...query, cursor });
  const next = (await db().pool.query<Row>(sql.text, sql.values)).rows.find((r) => r.record_id !== recordId);
  return next?.record_id ?? null;
}
