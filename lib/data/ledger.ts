/**
 * The edit log in the database (governance spec §1). `appendEntry` is the only way in: it
 * canonicalises the entry here (lib/ledger) and calls the SQL function `edit_log_append`,
 * which serializes on the chain head, checks the subject's version and hashes in SQL —
 * one round trip, inside the caller's transaction. `verifyLedger` recomputes the chain.
 */
import type { Pool, PoolClient } from "pg";
import { asDatabaseBusy, ConflictError, NotFoundError, ReplayedRequestError, ValidationError } from "@/lib/errors";
import { canonicalJson, createChainVerifier, entryHash } from "@/lib/ledger/chain";
import { createRootAccumulator } from "@/lib/ledger/merkle";
import { compareWitness, type LedgerVerification } from "@/lib/ledger/witness";
import { editLogEntrySchema, type EditLogEntry, type SubjectType } from "@/lib/ledger/entry";
import { eventId as eventIdOf, REPORT_GROUP_ID_PATTERN } from "@/lib/mrs/ids";
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { checkpointsInOrder, lastCheckpointId, treeHeadsAsWitnessed } from "./checkpoints";
import { db } from "./db";
import { parseInput } from "./input";
import { readWitness } from "./witness";

export interface AppendedEntry {
  seq: string;
  hash: string;
  /** as hashed: YYYY-MM-DDTHH:MM:SS.ffffffZ */
  recordedAt: string;
  subjectVersion: number;
}

/** An entry by a signed-in person, effective now (the server's clock at the action). */
export function userEntry(
  actor: Extract<Actor, { kind: "user" }>,
  fields: Pick<EditLogEntry, "subjectType" | "subjectId" | "action" | "before" | "after"> & Partial<EditLogEntry>,
): EditLogEntry {
  return {
    reasonCode: null,
    reasonText: null,
    evidence: [],
    sessionId: null,
    effectiveAt: new Date().toISOString(),
    ...fields,
    actor: { type: "user", id: actor.id, role: actor.role },
  };
}

/** The append functions' refusals as domain errors (SQLSTATEs set in the migrations). */
function ledgerError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  if (code === "SR409") return new ConflictError(message);
  if (code === "SR422") return new ValidationError(message, {});
  if (code === "SR404") return new NotFoundError(message);
  // SR208 from the append function's check; the unique index is the backstop behind it.
  if (code === "SR208" || (code === "23505" && (error as { constraint?: string }).constraint === "edit_log_request_once_idx")) return new ReplayedRequestError(message);
  return asDatabaseBusy(error);
}

type AppendedRow = { seq: string; hash: string; recorded_at: string; subject_version: number };
const APPENDED = "seq::text AS seq, hash, recorded_at, subject_version";
const toAppended = (row: AppendedRow): AppendedEntry => ({ seq: row.seq, hash: row.hash, recordedAt: row.recorded_at, subjectVersion: row.subject_version });

/**
 * Appends one entry. `expectedVersion` is the subject's version the actor saw (0 before its
 * first entry); null skips the check (notes, claims checked by their caller, system entries).
 * A stale version is a ConflictError. Pass the transaction's client so the entry commits
 * with what it records.
 */
export async function appendEntry(client: PoolClient | Pool, input: EditLogEntry, expectedVersion: number | null): Promise<AppendedEntry> {
  const c = canonicalJson(parseInput(editLogEntrySchema, input));
  try {
    return toAppended((await client.query<AppendedRow>(`SELECT ${APPENDED} FROM edit_log_append($1, $2)`, [c, expectedVersion])).rows[0]!);
  } catch (error) {
    throw ledgerError(error);
  }
}

/**
 * Appends one decision-changing entry about a record (claim, takeover, amend), checked
 * against the record's decision version — the count of such entries, which a colleague's
 * note does not move. Returns the new decision version with the entry.
 */
export async function appendRecordEntry(client: PoolClient | Pool, input: EditLogEntry, expectedDecisionVersion: number | null): Promise<AppendedEntry & { decisionVersion: number }> {
  const c = canonicalJson(parseInput(editLogEntrySchema, input));
  try {
    const row = (await client.query<AppendedRow & { decision_version: number }>(`SELECT ${APPENDED}, decision_version FROM edit_log_append($1, NULL::integer, $2)`, [c, expectedDecisionVersion])).rows[0]!;
    return { ...toAppended(row), decisionVersion: row.decision_version };
  } catch (error) {
    throw ledgerError(error);
  }
}

/**
 * Returns once everything committed before the call is on disk. `record_decide` commits
 * without waiting for the WAL flush (so the chain head is free as soon as its commit is
 * recorded); a decision is acknowledged only after this. A transactional WAL message (no
 * table, no lock) makes this statement's own commit a synchronous one that wrote WAL, which
 * PostgreSQL flushes past its commit record, so past every commit before it; waits from
 * concurrent requests share one flush. (An id alone would not do: a transaction that wrote
 * nothing else commits without flushing.)
 */
export async function awaitDurable(): Promise<void> {
  await db().pool.query("SELECT pg_logical_emit_message(true, 'sentinel.durable', '')");
}

/**
 * A confirm or override of a record: one call of `record_decide`, which checks in the
 * database that `resultVersion` is still the record's current, queued, undecided result
 * and that the entry's labels match its machine decision, appends the entry (edit-log
 * version check, hash, head) and marks the result decided — one round trip. Its commit
 * does not wait for the disk: call `awaitDurable` before acknowledging it (after the
 * transaction, when inside one).
 */
export async function appendRecordDecision(client: PoolClient | Pool, input: EditLogEntry, ledgerVersion: number, resultVersion: number): Promise<AppendedEntry> {
  const c = canonicalJson(parseInput(editLogEntrySchema, input));
  try {
    return toAppended((await client.query<AppendedRow>(`SELECT ${APPENDED} FROM record_decide($1, $2, $3)`, [c, ledgerVersion, resultVersion])).rows[0]!);
  } catch (error) {
    const refused = ledgerError(error);
    // No current result, yet the record exists: a newer version superseded it while this call
    // waited for its row (an activation's re-gating, a re-send, a release). Stale, not missing.
    if (refused instanceof NotFoundError && (await db().pool.query("SELECT 1 FROM scored_records WHERE record_id = $1", [input.subjectId])).rowCount) {
      throw new ConflictError(`Record ${input.subjectId} was gated again while this decision waited (a newer result than version ${resultVersion}).`);
    }
    throw refused;
  }
}

/**
 * Runs an append that carries `requestId`; when the subject's log already holds that request
 * (a concurrent or later replay), answers with the entry the first attempt wrote instead.
 */
export async function appendOnce<T extends AppendedEntry>(
  subject: { type: SubjectType; id: string; requestId: string },
  append: () => Promise<T>,
): Promise<(T | AppendedEntry) & { replayed: boolean }> {
  try {
    return { ...(await append()), replayed: false };
  } catch (error) {
    if (!(error instanceof ReplayedRequestError)) throw error;
    const earlier = await findRequestEntry(db().pool, subject.type, subject.id, subject.requestId);
    if (!earlier) throw error;
    return { ...earlier, replayed: true };
  }
}

/** The entry an earlier attempt of the same intended action wrote, if any (replays write nothing). */
export async function findRequestEntry(client: PoolClient | Pool, subjectType: SubjectType, subjectId: string, requestId: string): Promise<AppendedEntry | null> {
  const row = (
    await client.query<AppendedRow>(
      `SELECT seq::text AS seq, hash, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at, subject_version
       FROM edit_log WHERE subject_type = $1 AND subject_id = $2 AND c::jsonb->>'requestId' = $3 ORDER BY seq LIMIT 1`,
      [subjectType, subjectId, requestId],
    )
  ).rows[0];
  return row ? toAppended(row) : null;
}

/** One entry as the timelines show it, with the acting person's name. */
export interface LedgerEntryView {
  seq: string;
  hash: string;
  recordedAt: string;
  subjectType: SubjectType;
  subjectId: string;
  subjectVersion: number;
  entry: EditLogEntry;
  actorName: string | null;
}

/** Every entry of the given subjects, in chain order. */
export async function subjectEntries(subjects: { type: SubjectType; id: string }[]): Promise<LedgerEntryView[]> {
  if (subjects.length === 0) return [];
  const rows = (
    await db().pool.query<EntryViewRow>(
      `SELECT e.seq::text AS seq, e.hash, to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at,
         e.subject_type, e.subject_id, e.subject_version, e.c, u.name AS actor_name
       FROM edit_log e
       JOIN unnest($1::text[], $2::text[]) AS s(type, id) ON e.subject_type = s.type AND e.subject_id = s.id
       LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
       ORDER BY e.seq`,
      [subjects.map((s) => s.type), subjects.map((s) => s.id)],
    )
  ).rows;
  return rows.map(toEntryView);
}

type EntryViewRow = { seq: string; hash: string; recorded_at: string; subject_type: SubjectType; subject_id: string; subject_version: number; c: string; actor_name: string | null };

function toEntryView(r: EntryViewRow): LedgerEntryView {
  return {
    seq: r.seq,
    hash: r.hash,
    recordedAt: r.recorded_at,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    subjectVersion: r.subject_version,
    entry: JSON.parse(r.c) as EditLogEntry,
    actorName: r.actor_name,
  };
}

const PAGE = 5000;

type ExportRow = { seq: string; c: string; recordedAt: string; prevHash: string; hash: string };

/** All entries in seq order, page by page, as the export and the verifier read them. */
async function* entriesInOrder(): AsyncGenerator<ExportRow> {
  let after = "0";
  for (;;) {
    const rows = (
      await db().pool.query<ExportRow>(
        `SELECT seq::text AS seq, c, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "recordedAt", prev_hash AS "prevHash", hash
         FROM edit_log WHERE edit_log.seq > $1::bigint ORDER BY edit_log.seq LIMIT ${PAGE}`,
        [after],
      )
    ).rows;
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.seq;
  }
}

/**
 * The export (docs/ledger.md): one JSON line per entry `{ c, seq, recordedAt, prevHash,
 * hash }`, in seq order, streamed; after the entry a signed checkpoint covers, the
 * checkpoint's line `{ type: "checkpoint", seq, headHash, signedAt, keyId, publicKey,
 * signature }` (no `c`). For governance and read-scoped tokens.
 */
export async function* exportLedger(actor: Actor): AsyncGenerator<string> {
  assertCanRead(actor, "governance:read");
  const checkpoints = await checkpointsInOrder();
  let next = 0;
  const due = function* (seq: bigint) {
    while (next < checkpoints.length && BigInt(checkpoints[next]!.seq) <= seq) yield `${JSON.stringify(checkpoints[next++])}\n`;
  };
  yield* due(0n);
  for await (const row of entriesInOrder()) {
    yield `${JSON.stringify({ c: row.c, seq: row.seq, recordedAt: row.recordedAt, prevHash: row.prevHash, hash: row.hash })}\n`;
    yield* due(BigInt(row.seq));
  }
}

/**
 * Recomputes the whole chain from the table, page by page, and names the first bad entry;
 * then compares the signed tree heads with the witness file (lib/ledger/witness.ts). The roots
 * of the signed sizes are recomputed from what the entries hash to now — not read from the
 * stored tree, which whoever rewrites entries as the owner can rewrite too — so a changed
 * entry (or a whole rewritten history) shows as a witnessed root the entries no longer reach.
 * One pass, O(log n) memory for the roots. For governance, read-scoped tokens, and the
 * operator at the shell (`npm run ledger:verify`): the verdict shows no entry's content.
 */
export async function verifyLedger(actor: Actor): Promise<LedgerVerification> {
  if (actor.kind !== "operator") assertCanRead(actor, "governance:read");
  // Heads committed before the file is read; a head signed meanwhile is compared next time
  // (it reaches the file only after its commit).
  const lastHeadId = await lastCheckpointId();
  const witnessed = await readWitness();
  const heads = await treeHeadsAsWitnessed(lastHeadId);
  const sizes = new Set([...heads, ...witnessed.heads].map((h) => h.treeSize));
  const roots = new Map<string, string>();
  const tree = createRootAccumulator();
  if (sizes.has("0")) roots.set("0", tree.root().toString("hex"));
  const verifier = createChainVerifier();
  for await (const row of entriesInOrder()) {
    verifier.push(row); // keeps its first failure; the roots still need every entry
    tree.push(Buffer.from(entryHash(row.c, row.seq, row.recordedAt, row.prevHash), "hex"));
    if (sizes.has(String(tree.size))) roots.set(String(tree.size), tree.root().toString("hex"));
  }
  const witness = compareWitness(witnessed.file, heads, witnessed, roots);
  let result = verifier.result();
  // The head must be the last entry: a deleted tail would otherwise verify.
  const head = await ledgerHead();
  if (result.ok && (head.count !== result.count || head.hash !== result.headHash)) {
    result = { ok: false, count: result.count, firstBad: { seq: String(head.count), reason: `the chain head says ${head.count} entries ending in ${head.hash.slice(0, 12)}…, the log holds ${result.count}` } };
  }
  if (result.ok && witness.state === "disagrees") {
    const first = witness.problems[0]!;
    result = { ok: false, count: result.count, firstBad: { seq: first.treeSize, reason: `the witness disagrees: ${first.message}` } };
  }
  return { ...result, witness };
}

/** The chain head: entries so far and the last hash (the genesis hash when empty). */
export async function ledgerHead(): Promise<{ count: number; hash: string }> {
  const row = (await db().pool.query<{ seq: string; hash: string }>("SELECT seq::text AS seq, hash FROM edit_log_head WHERE id = 1")).rows[0]!;
  return { count: Number(row.seq), hash: row.hash };
}

/** The edit log page's filters, already parsed (the page's URL state); every field optional. */
export interface LedgerFilter {
  /** keyset: entries older than this seq */
  before?: string | null;
  /** a user's id, or "system" for rule-driven entries */
  actor?: string | null;
  action?: string | null;
  subjectType?: SubjectType | null;
  /** recorded on or after this UTC day */
  from?: Date | null;
  /** recorded on or before this UTC day (the whole day) */
  to?: Date | null;
  limit?: number;
}

const DAY_MS = 86_400_000;

/**
 * The newest entries matching the filter (before `before` when paging back), for the
 * governance edit log page; keyset on seq, never OFFSET.
 */
export async function listEntries(actor: Actor, filter: LedgerFilter = {}): Promise<LedgerEntryView[]> {
  assertCanRead(actor, "governance:read");
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where: string[] = [];
  if (filter.before && /^\d{1,19}$/.test(filter.before)) where.push(`e.seq < ${param(filter.before)}::bigint`);
  if (filter.actor === "system") where.push(`e.c::jsonb->'actor'->>'type' = 'system'`);
  else if (filter.actor) where.push(`e.c::jsonb->'actor'->>'id' = ${param(filter.actor)}`);
  if (filter.action) where.push(`e.action = ${param(filter.action)}`);
  if (filter.subjectType) where.push(`e.subject_type = ${param(filter.subjectType)}`);
  if (filter.from) where.push(`e.recorded_at >= ${param(filter.from.toISOString())}::timestamptz`);
  if (filter.to) where.push(`e.recorded_at < ${param(new Date(filter.to.getTime() + DAY_MS).toISOString())}::timestamptz`);
  const rows = (
    await db().pool.query<EntryViewRow>(
      `SELECT e.seq::text AS seq, e.hash, to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at,
         e.subject_type, e.subject_id, e.subject_version, e.c, u.name AS actor_name
       FROM edit_log e LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY e.seq DESC LIMIT ${param(limit)}`,
      values,
    )
  ).rows;
  return rows.map(toEntryView);
}

/** The people the actor filter offers (everyone with an account, by name); "system" is offered beside them. */
export async function ledgerActors(actor: Actor): Promise<{ id: string; name: string }[]> {
  assertCanRead(actor, "governance:read");
  return (await db().pool.query<{ id: string; name: string }>("SELECT id::text AS id, name FROM users ORDER BY name, id")).rows;
}

/** The group ids (e.g. MR-UK-001) of the given event ids, where the cohort log knows them: event ids are hashes of them. */
export async function eventGroupIds(actor: Actor, eventIds: readonly string[]): Promise<Record<string, string>> {
  assertCanRead(actor, "governance:read");
  if (eventIds.length === 0) return {};
  const wanted = new Set(eventIds);
  const groups = (await db().pool.query<{ g: string }>(`SELECT DISTINCT row->>'reportGroupId' AS g FROM event_log_rows WHERE log = 'cohort' AND row ? 'reportGroupId'`)).rows;
  const out: Record<string, string> = {};
  for (const { g } of groups) {
    if (!REPORT_GROUP_ID_PATTERN.test(g)) continue;
    const id = eventIdOf(g);
    if (wanted.has(id)) out[id] = g;
  }
  return out;
}
