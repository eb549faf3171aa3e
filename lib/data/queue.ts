/**
 * The audit queue: current gating results routed to audit, filtered and ordered by a
 * whitelisted sort, paged by keyset (`WHERE (sort columns) > (cursor)`), never OFFSET. The
 * count in view is exact up to 10,000 (a LIMIT 10001 subquery, never an unbounded COUNT).
 * Every sort's columns run in one direction and have a partial index (migrations
 * 20261123191958_review, 20261205120000_queue_work and 20261205180000_audit_priority), so any
 * page is one index range scan.
 * The triage order (gating spec §11) pins canaries first — the pin is the first column of
 * its key — then puts the likeliest wrong machine labels first (`triage_key` stores the
 * error estimate negated, so the whole key ascends; migration 20261205180000_audit_priority).
 * Reasons most rows of the page carry are named as common (the list shows what sets a row apart).
 */
import { decodeCursor as decodeJsonCursor, encodeCursor } from "@/lib/cursor";
import { ValidationError } from "@/lib/errors";
import { csvCell } from "@/lib/csv";
import type { FlagCode, ReasonCode, Route } from "@/lib/gating/reasons";
import { QUEUE_SORTS, QUEUE_VIEW_PARAMS, queueQuerySchema, type QueueQuery, type QueueSort } from "@/lib/validations/queue";
import { actorId, assertCanRead, type Actor } from "@/lib/auth/actor";
import { policiesById, type ActivePolicy } from "./policies";
import { LATEST_AMENDMENT_JOIN } from "./record-outcome";
import { db } from "./db";
import { parseInput } from "./input";

/** Parses a view given as strings (the API, scripts, tests): unknown or invalid parameters are a ValidationError naming them. */
export function queueQuery(input: unknown): QueueQuery {
  return parseInput(queueQuerySchema, input);
}

/** Who holds an unexpired claim on an open record, and until when. */
export interface QueueClaim {
  userId: string;
  name: string | null;
  /** ISO */
  until: string;
}

/** The human decision on a decided record. */
export interface QueueReview {
  action: "confirm" | "override" | "amend";
  label: boolean;
  by: string | null;
  /** ISO */
  at: string;
}

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
  /** DECISION_THRESHOLD of the policy snapshot the record was gated with */
  decisionThreshold: number;
  p10: number;
  p50: number;
  p90: number;
  confidence: number;
  /** estimated probability that the machine decision is wrong (gating spec §11): what orders the queue after canaries */
  errorEstimate: number;
  pModel: number;
  clusterId: string;
  scorerVersion: string;
  flags: FlagCode[];
  reasonCodes: ReasonCode[];
  createdAt: string;
  claim: QueueClaim | null;
  review: QueueReview | null;
  /** when an activation re-gated this version: the cause and what the superseded version said */
  regated: { activationSeq: string; route: Route; reasonCodes: ReasonCode[]; policyId: string } | null;
}

/** Views larger than this are counted as "10,000+". */
export const QUEUE_COUNT_CAP = 10_000;
/** On a page of fewer rows no reason is "common": there is nothing to tell apart. */
const COMMON_MIN_ROWS = 5;

export interface QueuePage {
  items: QueueItem[];
  /** opaque; null on the last page */
  nextCursor: string | null;
  /** reasons carried by more than half of the page's rows: they tell none of them apart */
  commonReasons: ReasonCode[];
}

/** Records in the whole view (every page): exact up to QUEUE_COUNT_CAP, then capped. */
export interface QueueTotal {
  count: number;
  capped: boolean;
}

type KeyValue = number | string | boolean;
interface CursorBody {
  s: QueueSort;
  d: "asc" | "desc";
  k: KeyValue[];
}

const COLUMN_KIND: Record<string, "number" | "timestamp" | "id" | "boolean"> = {
  canary_pin: "boolean",
  triage_key: "number",
  error_estimate: "number",
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


/** Decodes and checks a cursor against the view's sort: a forged or stale one is refused. */
export function decodeQueueCursor(cursor: string, sort: QueueSort, dir: "asc" | "desc"): KeyValue[] {
  const body = decodeJsonCursor(cursor) as CursorBody | undefined;
  const columns = QUEUE_SORTS[sort].columns;
  if (!body || body.s !== sort || body.d !== dir || !Array.isArray(body.k) || body.k.length !== columns.length) throw cursorError();
  columns.forEach((column, i) => {
    const v = body.k[i];
    const kind = COLUMN_KIND[column];
    const ok =
      kind === "boolean"
        ? typeof v === "boolean"
        : kind === "number"
        ? typeof v === "number" && Number.isFinite(v)
        : kind === "id"
          ? typeof v === "string" && /^\d{1,19}$/.test(v)
          : typeof v === "string" && TIMESTAMP_TEXT.test(v);
    if (!ok) throw cursorError();
  });
  return body.k;
}

/** The pin of the triage order: false sorts first ascending, true first descending, so canaries lead either way. */
const pinSql = (dir: "asc" | "desc") => (dir === "asc" ? `(NOT (r.reason_codes @> ARRAY['CANARY']::text[]))` : `(r.reason_codes @> ARRAY['CANARY']::text[])`);

const ITEM_COLUMNS = `r.id::text AS result_id, r.record_id, r.version, r.policy_id, COALESCE(s.decision_version, 0) AS ledger_version, r.batch_id,
  (b.held AND b.released_seq IS NULL) AS batch_held, r.decision, r.fragile,
  r.fragility_score, r.theta, r.p10, r.p50, r.p90, r.confidence, r.error_estimate, r.p_model, r.cluster_id, r.scorer_version, r.flags, r.reason_codes,
  r.created_at::text AS created_at_key, r.triage_key, ('CANARY' = ANY(r.reason_codes)) AS canary,
  CASE WHEN r.review_seq IS NULL AND cl.until > now() THEN cl.user_id::text END AS claim_user_id, cu.name AS claim_name, cl.until AS claim_until,
  CASE WHEN am.label IS NULL THEN r.review_action ELSE 'amend' END AS review_action, COALESCE(am.label, r.review_label) AS review_label,
  COALESCE(am.at, r.reviewed_at) AS reviewed_at, CASE WHEN am.label IS NULL THEN ru.name ELSE au.name END AS reviewer_name,
  rg.activation_seq::text AS regated_seq, pv.route AS regated_route, pv.reason_codes AS regated_reasons, pv.policy_id AS regated_policy`;

/** The latest claim entry on the record (live when unexpired and the record is undecided). */
const CLAIM_JOIN = `LEFT JOIN LATERAL (
    SELECT (e.c::jsonb->'actor'->>'id')::uuid AS user_id, (e.c::jsonb->'after'->>'until')::timestamptz AS until
    FROM edit_log e WHERE e.subject_type = 'record' AND e.subject_id = r.record_id AND e.action IN ('claim', 'takeover') ORDER BY e.seq DESC LIMIT 1
  ) cl ON true`;

/** A result with its batch (hold), the record's edit-log version (what a decision carries), its claim and its reviewer. */
const ITEM_FROM = `gating_results r JOIN ingest_batches b ON b.id = r.batch_id
  LEFT JOIN edit_log_subjects s ON s.subject_type = 'record' AND s.subject_id = r.record_id
  ${CLAIM_JOIN}
  LEFT JOIN users cu ON cu.id = cl.user_id
  LEFT JOIN users ru ON ru.id = r.reviewed_by
  ${LATEST_AMENDMENT_JOIN}
  LEFT JOIN users au ON au.id = am.user_id
  LEFT JOIN policy_regatings rg ON rg.activation_seq = r.cause_seq
  LEFT JOIN gating_results pv ON rg.activation_seq IS NOT NULL AND pv.record_id = r.record_id AND pv.version = r.version - 1`;

type Row = {
  result_id: string;
  record_id: string;
  version: number;
  policy_id: string;
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
  error_estimate: number;
  p_model: number;
  cluster_id: string;
  scorer_version: string;
  flags: FlagCode[];
  reason_codes: ReasonCode[];
  created_at_key: string;
  triage_key: number;
  canary: boolean;
  claim_user_id: string | null;
  claim_name: string | null;
  claim_until: Date | null;
  review_action: "confirm" | "override" | "amend" | null;
  review_label: boolean | null;
  reviewed_at: Date | null;
  reviewer_name: string | null;
  regated_seq: string | null;
  regated_route: Route | null;
  regated_reasons: ReasonCode[] | null;
  regated_policy: string | null;
};

/** `policies`: the snapshots the rows were gated with (their decision threshold draws the interval bar's line). */
function toItem(row: Row, policies: ReadonlyMap<string, ActivePolicy>): QueueItem {
  return {
    recordId: row.record_id,
    decisionThreshold: policies.get(row.policy_id)!.snapshot.thresholds.DECISION_THRESHOLD,
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
    errorEstimate: row.error_estimate,
    pModel: row.p_model,
    clusterId: row.cluster_id,
    scorerVersion: row.scorer_version,
    flags: row.flags,
    reasonCodes: row.reason_codes,
    createdAt: new Date(row.created_at_key.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00")).toISOString(),
    claim: row.claim_user_id && row.claim_until ? { userId: row.claim_user_id, name: row.claim_name, until: row.claim_until.toISOString() } : null,
    review:
      row.review_action && row.review_label !== null && row.reviewed_at
        ? { action: row.review_action, label: row.review_label, by: row.reviewer_name, at: row.reviewed_at.toISOString() }
        : null,
    regated: row.regated_seq ? { activationSeq: row.regated_seq, route: row.regated_route!, reasonCodes: row.regated_reasons!, policyId: row.regated_policy! } : null,
  };
}

function keyOf(row: Row, sort: QueueSort, dir: "asc" | "desc"): KeyValue[] {
  return QUEUE_SORTS[sort].columns.map((column) =>
    column === "id"
      ? row.result_id
      : column === "created_at"
        ? row.created_at_key
        : column === "canary_pin"
          ? (dir === "asc") !== row.canary
          : (row[column as keyof Row] as number),
  );
}

/** The view's filters (no cursor) as SQL conditions, appending their values to `values`. */
function viewWhere(query: QueueQuery, viewer: string | null, param: (v: unknown) => string): string[] {
  // The partial indexes' predicates exactly, so the planner uses them.
  const where = [`r.current`, `r.route = 'audit'`, query.status === "decided" ? `r.review_seq IS NOT NULL` : `r.review_seq IS NULL`];
  // Only people hold claims: for a token "mine" is empty.
  if (query.status === "mine") where.push(viewer ? `cl.user_id = ${param(viewer)}::uuid` : "false", `cl.until > now()`);
  if (query.flag) where.push(`r.flags @> ARRAY[${param(query.flag)}]::text[]`);
  if (query.reason) where.push(`r.reason_codes @> ARRAY[${param(query.reason)}]::text[]`);
  if (query.cluster) where.push(`r.cluster_id = ${param(query.cluster)}`);
  if (query.batch) where.push(`r.batch_id = ${param(query.batch)}`);
  if (query.scorer) where.push(`r.scorer_version = ${param(query.scorer)}`);
  if (query.kind === "fragile") where.push(`r.fragile`);
  if (query.kind === "low-confidence") where.push(`NOT r.fragile`);
  // An activation's re-gating changed the reasons (lib/data/regating.ts): the version it superseded said otherwise.
  if (query.kind === "regated") {
    where.push(`r.cause_seq IS NOT NULL AND EXISTS (SELECT 1 FROM policy_regatings g WHERE g.activation_seq = r.cause_seq)
      AND EXISTS (SELECT 1 FROM gating_results v WHERE v.record_id = r.record_id AND v.version = r.version - 1 AND v.reason_codes <> r.reason_codes)`);
  }
  if (query.confMin !== undefined) where.push(`r.confidence >= ${param(query.confMin)}`);
  if (query.confMax !== undefined) where.push(`r.confidence <= ${param(query.confMax)}`);
  if (query.fragMin !== undefined) where.push(`r.fragility_score >= ${param(query.fragMin)}`);
  if (query.fragMax !== undefined) where.push(`r.fragility_score <= ${param(query.fragMax)}`);
  return where;
}

/** What viewWhere's conditions read: the results, and the live claim for status "mine". */
const viewFrom = (query: QueueQuery) => (query.status === "mine" ? `gating_results r ${CLAIM_JOIN}` : "gating_results r");

function params(): { values: unknown[]; param: (v: unknown) => string } {
  const values: unknown[] = [];
  return {
    values,
    param: (v: unknown) => {
      values.push(v);
      return `$${values.length}`;
    },
  };
}

const CAST: Record<string, string> = { created_at: "timestamptz", id: "bigint", canary_pin: "boolean" };

/**
 * The SQL of one queue page's result ids, in order, one more than the page (exported for the
 * benchmark's EXPLAIN ANALYZE of the same query). `viewer` is the acting person's id (status
 * "mine"). Only gating_results (and the claim, for "mine"): the planner chooses among its
 * partial indexes without also searching the orders of the rows' joins.
 */
export function queuePageSql(query: QueueQuery, viewer: string | null = null): { text: string; values: unknown[] } {
  const sort = query.sort;
  const dir = query.dir ?? QUEUE_SORTS[sort].defaultDir;
  const columns = QUEUE_SORTS[sort].columns;
  const { values, param } = params();
  const where = viewWhere(query, viewer, param);
  const qualified = columns.map((c) => (c === "canary_pin" ? pinSql(dir) : `r.${c}`));
  if (query.cursor) {
    const key = decodeQueueCursor(query.cursor, sort, dir);
    const placeholders = columns.map((c, i) => `${param(key[i])}::${CAST[c] ?? "float8"}`);
    where.push(`(${qualified.join(", ")}) ${dir === "asc" ? ">" : "<"} (${placeholders.join(", ")})`);
  }
  const order = qualified.map((c) => `${c} ${dir.toUpperCase()}`).join(", ");
  return {
    text: `SELECT r.id::text AS result_id FROM ${viewFrom(query)} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${param(query.limit + 1)}`,
    values,
  };
}

/**
 * The page's rows by result id with their batch, claim, reviewer and re-gating. Its text
 * never changes, so each connection prepares it once and then runs a generic plan: the
 * nine-way join is not planned again for every page (exported for the benchmark).
 */
export const QUEUE_ITEMS_SQL = { name: "queue_items_by_id", text: `SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE r.id = ANY($1::bigint[])` };

/** One page of rows in the view's order, and whether another page follows. */
async function pageRows(query: QueueQuery, viewer: string | null): Promise<{ rows: Row[]; more: boolean }> {
  const sql = queuePageSql(query, viewer);
  const ids = (await db().pool.query<{ result_id: string }>(sql.text, sql.values)).rows.map((r) => r.result_id);
  const more = ids.length > query.limit;
  const pageIds = more ? ids.slice(0, query.limit) : ids;
  if (pageIds.length === 0) return { rows: [], more };
  const byId = new Map((await db().pool.query<Row>({ ...QUEUE_ITEMS_SQL, values: [pageIds] })).rows.map((r) => [r.result_id, r]));
  return { rows: pageIds.map((id) => byId.get(id)!), more };
}

/**
 * The count in view, capped: a LIMIT subquery, never an unbounded COUNT. An open view's
 * filters are all in queue_view_count_idx, so it is counted from the index alone.
 */
export async function countQueue(actor: Actor, query: QueueQuery): Promise<QueueTotal> {
  assertCanRead(actor, "queue:read");
  const { values, param } = params();
  const where = viewWhere(query, actorId(actor), param);
  const { n } = (await db().pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM ${viewFrom(query)} WHERE ${where.join(" AND ")} LIMIT ${QUEUE_COUNT_CAP + 1}) v`, values)).rows[0]!;
  return { count: Math.min(n, QUEUE_COUNT_CAP), capped: n > QUEUE_COUNT_CAP };
}

/** The reasons more than half of the rows carry (none on a short page). */
export function commonReasons(items: readonly Pick<QueueItem, "reasonCodes">[]): ReasonCode[] {
  if (items.length < COMMON_MIN_ROWS) return [];
  const counts = new Map<ReasonCode, number>();
  for (const item of items) for (const code of new Set(item.reasonCodes)) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].filter(([, k]) => k * 2 > items.length).map(([code]) => code).sort();
}

/** One page of the queue for people with queue:read or tokens with the read scope; `query` is already parsed (queueQuerySchema). */
export async function listQueue(actor: Actor, query: QueueQuery): Promise<QueuePage> {
  assertCanRead(actor, "queue:read");
  const { rows: page, more } = await pageRows(query, actorId(actor));
  const dir = query.dir ?? QUEUE_SORTS[query.sort].defaultDir;
  const policies = await policiesById(page.map((r) => r.policy_id));
  const items = page.map((row) => toItem(row, policies));
  return {
    items,
    nextCursor: more ? encodeCursor({ s: query.sort, d: dir, k: keyOf(page[page.length - 1]!, query.sort, dir) }) : null,
    commonReasons: commonReasons(items),
  };
}

const CSV_COLUMNS = ["recordId", "version", "batchId", "decision", "fragile", "fragilityScore", "theta", "p10", "p50", "p90", "confidence", "errorEstimate", "clusterId", "scorerVersion", "reasonCodes", "flags", "claimedBy", "claimedUntil", "reviewAction", "reviewLabel", "reviewedBy", "reviewedAt", "createdAt"] as const;

/** The whole view (every page, in its order) as CSV lines, read page by page with the same keyset. */
export async function* exportQueueCsv(actor: Actor, query: QueueQuery): AsyncGenerator<string> {
  assertCanRead(actor, "queue:read");
  const viewer = actorId(actor);
  const dir = query.dir ?? QUEUE_SORTS[query.sort].defaultDir;
  yield `${CSV_COLUMNS.join(",")}\n`;
  let cursor: string | undefined;
  for (;;) {
    const { rows: page, more } = await pageRows({ ...query, cursor, limit: 500 }, viewer);
    const policies = await policiesById(page.map((r) => r.policy_id));
    for (const row of page) {
      const i = toItem(row, policies);
      const cells = [i.recordId, i.version, i.batchId, i.decision, i.fragile, i.fragilityScore, i.theta, i.p10, i.p50, i.p90, i.confidence, i.errorEstimate, i.clusterId, i.scorerVersion, i.reasonCodes, i.flags,
        i.claim?.name ?? i.claim?.userId, i.claim?.until, i.review?.action, i.review?.label, i.review?.by, i.review?.at, i.createdAt];
      yield `${cells.map(csvCell).join(",")}\n`;
    }
    if (!more) return;
    cursor = encodeCursor({ s: query.sort, d: dir, k: keyOf(page[page.length - 1]!, query.sort, dir) });
  }
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
  const query = parsed.success ? parsed.data : queueQuerySchema.parse({ limit: "2" });
  const dir = query.dir ?? QUEUE_SORTS[query.sort].defaultDir;
  const row = (
    await db().pool.query<Row>(
      `SELECT ${ITEM_COLUMNS} FROM ${ITEM_FROM} WHERE r.record_id = $1 AND r.current`,
      [recordId],
    )
  ).rows[0];
  const cursor = row ? encodeCursor({ s: query.sort, d: dir, k: keyOf(row, query.sort, dir) }) : undefined;
  const { rows } = await pageRows({ ...query, cursor }, actorId(actor));
  return rows.find((r) => r.record_id !== recordId)?.record_id ?? null;
}
