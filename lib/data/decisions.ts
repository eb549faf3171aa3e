/**
 * Human work on records (governance spec §1–2): claim, confirm, override, annotate, bulk
 * confirm. Every action is one edit-log entry; a decision is one round trip (the SQL
 * function record_decide checks the result version, the edit-log version and the labels,
 * appends and marks the result decided). Each decision carries what the analyst saw: a
 * stale one is refused with a conflict naming who acted and when; a replay of the same
 * request (double click, retried request) finds the first entry and writes nothing.
 */
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import type { EditLogEntry } from "@/lib/ledger/entry";
import {
  bulkConfirmInputSchema,
  claimInputSchema,
  decisionInputSchema,
  noteInputSchema,
} from "@/lib/validations/decisions";
import { assertCanRead, assertPersonCan, type Actor } from "./actor";
import { db, transaction } from "./db";
import { parseInput } from "./input";
import { appendEntry, appendRecordDecision, findRequestEntry, subjectEntries, userEntry, type AppendedEntry, type LedgerEntryView } from "./ledger";

const ACTION_VERBS: Record<string, string> = {
  confirm: "confirmed",
  override: "overrode",
  claim: "claimed",
  note: "added a note to",
  release: "released the batch of",
};

/**
 * The conflict an analyst sees when their version is stale: who did what to the record
 * after they opened it, and when ("decided by X at T — reload").
 */
async function staleConflict(recordId: string, seen: number, fallback: string): Promise<ConflictError> {
  const latest = (
    await db().pool.query<{ action: string; name: string | null; at: string; seq: string; version: number }>(
      `SELECT e.action, u.name, to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS at, e.seq::text AS seq, e.subject_version AS version
       FROM edit_log e LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
       WHERE e.subject_type = 'record' AND e.subject_id = $1 ORDER BY e.seq DESC LIMIT 1`,
      [recordId],
    )
  ).rows[0];
  if (!latest || latest.version <= seen) return new ConflictError(`${fallback} Reload to see the latest.`);
  const who = latest.name ?? "Someone";
  return new ConflictError(`${who} ${ACTION_VERBS[latest.action] ?? latest.action} this record at ${latest.at} (entry #${latest.seq}) after you opened it. Reload to see the latest.`);
}

export interface DecisionOutcome extends AppendedEntry {
  /** true when this request had already been recorded: nothing new was written */
  replayed: boolean;
}

/** Confirm the machine's label or override it (with a reason from the closed enum and text). */
export async function decideRecord(actor: Actor, input: unknown): Promise<DecisionOutcome> {
  const user = assertPersonCan(actor, "records:decide");
  const d = parseInput(decisionInputSchema, input);
  const after = d.action === "confirm" ? d.machineLabel : !d.machineLabel;
  const entry = userEntry(user, {
    subjectType: "record",
    subjectId: d.recordId,
    action: d.action,
    before: { label: d.machineLabel, resultVersion: d.resultVersion },
    after: { label: after },
    reasonCode: d.action === "override" ? d.reasonCode! : null,
    reasonText: d.reasonText || null,
    evidence: d.evidence,
    requestId: d.requestId,
  });
  try {
    return { ...(await appendRecordDecision(db().pool, entry, d.ledgerVersion, d.resultVersion)), replayed: false };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const earlier = await findRequestEntry(db().pool, "record", d.recordId, d.requestId);
    if (earlier) return { ...earlier, replayed: true };
    throw await staleConflict(d.recordId, d.ledgerVersion, error.message);
  }
}

/**
 * A lead confirms several records at once: each its own entry, each version-checked, all
 * or nothing (one refusal rolls back the lot and names the record).
 */
export async function bulkConfirm(actor: Actor, input: unknown): Promise<{ entries: AppendedEntry[]; replayed: boolean }> {
  const user = assertPersonCan(actor, "records:bulk");
  const { items, reasonText, requestId } = parseInput(bulkConfirmInputSchema, input);
  try {
    return await transaction(async (client) => {
      const entries: AppendedEntry[] = [];
      for (const [i, item] of items.entries()) {
        const entry = userEntry(user, {
          subjectType: "record",
          subjectId: item.recordId,
          action: "confirm",
          before: { label: item.machineLabel, resultVersion: item.resultVersion },
          after: { label: item.machineLabel },
          reasonCode: "bulk",
          reasonText,
          requestId,
        });
        try {
          entries.push(await appendRecordDecision(client, entry, item.ledgerVersion, item.resultVersion));
        } catch (error) {
          const why = `Nothing was confirmed — record ${item.recordId}: ${(error as Error).message}`;
          if (error instanceof ConflictError) throw new ConflictError(why);
          if (error instanceof ValidationError || error instanceof NotFoundError) throw new ValidationError(why, { [`items[${i}]`]: [(error as Error).message] });
          throw error;
        }
      }
      return { entries, replayed: false };
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const earlier = await findRequestEntry(db().pool, "record", items[0]!.recordId, requestId);
    if (earlier) {
      const all = await Promise.all(items.map((item) => findRequestEntry(db().pool, "record", item.recordId, requestId)));
      if (all.every((e) => e !== null)) return { entries: all as AppendedEntry[], replayed: true };
    }
    throw error;
  }
}

/** The current result of a record as the claim and note checks need it. */
async function currentResult(recordId: string) {
  const row = (
    await db().pool.query<{ route: string; review_seq: string | null; ledger_version: number }>(
      `SELECT r.route, r.review_seq::text AS review_seq, COALESCE(s.version, 0) AS ledger_version
       FROM gating_results r LEFT JOIN edit_log_subjects s ON s.subject_type = 'record' AND s.subject_id = r.record_id
       WHERE r.record_id = $1 AND r.current`,
      [recordId],
    )
  ).rows[0];
  if (!row) throw new NotFoundError(`No record "${recordId}".`);
  return row;
}

export interface Claim {
  userId: string;
  name: string | null;
  /** ISO time the claim runs out */
  until: string;
  seq: string;
}

/** The live claim on a record, if any (the latest claim entry, not yet expired, not followed by a decision). */
export async function activeClaim(actor: Actor, recordId: string): Promise<Claim | null> {
  assertCanRead(actor, "queue:read");
  const row = (
    await db().pool.query<{ c: string; name: string | null; seq: string; decided: boolean }>(
      `SELECT e.c, u.name, e.seq::text AS seq,
         EXISTS (SELECT 1 FROM edit_log d WHERE d.subject_type = 'record' AND d.subject_id = $1 AND d.seq > e.seq AND d.action IN ('confirm', 'override')) AS decided
       FROM edit_log e LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
       WHERE e.subject_type = 'record' AND e.subject_id = $1 AND e.action = 'claim' ORDER BY e.seq DESC LIMIT 1`,
      [recordId],
    )
  ).rows[0];
  if (!row || row.decided) return null;
  const entry = JSON.parse(row.c) as EditLogEntry;
  const until = (entry.after as { until: string }).until;
  if (Date.parse(until) <= Date.now() || entry.actor.type !== "user") return null;
  return { userId: entry.actor.id, name: row.name, until, seq: row.seq };
}

/**
 * Claims a queued record for `minutes` (default 15): advisory — others see who holds it
 * and until when, and deciding without it is allowed (the version guards decisions). A
 * live claim by someone else is refused; re-claiming one's own extends it.
 */
export async function claimRecord(actor: Actor, input: unknown): Promise<{ until: string; ledgerVersion: number }> {
  const user = assertPersonCan(actor, "records:decide");
  const { recordId, minutes } = parseInput(claimInputSchema, input);
  const result = await currentResult(recordId);
  if (result.review_seq !== null) throw new ConflictError(`Record ${recordId} is already decided (entry #${result.review_seq}).`);
  if (result.route !== "audit") throw new ValidationError(`Record ${recordId} is not in the audit queue.`);
  const held = await activeClaim(user, recordId);
  if (held && held.userId !== user.id) throw new ConflictError(`${held.name ?? "Someone"} holds this record until ${held.until.slice(11, 16)} UTC.`);
  const until = new Date(Date.now() + minutes * 60_000).toISOString();
  // The version read with the claim check: a claim taken meanwhile by someone else is refused.
  const appended = await appendEntry(db().pool, userEntry(user, { subjectType: "record", subjectId: recordId, action: "claim", before: null, after: { until } }), result.ledger_version).catch(
    async (error: unknown) => {
      if (error instanceof ConflictError) throw await staleConflict(recordId, result.ledger_version, error.message);
      throw error;
    },
  );
  return { until, ledgerVersion: appended.subjectVersion };
}

/** A note on a record (any record the analyst can see, decided or not). */
export async function annotateRecord(actor: Actor, input: unknown): Promise<DecisionOutcome> {
  const user = assertPersonCan(actor, "records:decide");
  const { recordId, text, requestId } = parseInput(noteInputSchema, input);
  await currentResult(recordId);
  const earlier = await findRequestEntry(db().pool, "record", recordId, requestId);
  if (earlier) return { ...earlier, replayed: true };
  const appended = await appendEntry(db().pool, userEntry(user, { subjectType: "record", subjectId: recordId, action: "note", before: null, after: null, reasonText: text, requestId }), null);
  return { ...appended, replayed: false };
}

export interface SimilarDecided {
  recordId: string;
  /** nan-Euclidean distance on log1p spends (channels missing on either side skipped, the rest scaled up) */
  distance: number;
  machineLabel: boolean;
  decidedLabel: boolean;
  action: "confirm" | "override";
  decidedAt: string;
}

/** How many decided records of the cluster are compared (the most recent). */
const SIMILAR_POOL = 2000;

/**
 * The `limit` already-decided records of the same cluster closest to `spend` (Euclidean
 * distance on log1p spends; sklearn's nan_euclidean for missing values, which are never
 * taken as 0), with their outcomes.
 */
export async function similarDecided(actor: Actor, recordId: string, clusterId: string, spend: Readonly<Record<string, number | null>>, limit = 5): Promise<SimilarDecided[]> {
  assertCanRead(actor, "queue:read");
  const channels = Object.keys(spend);
  const rows = (
    await db().pool.query<{ record_id: string; decision: boolean; review_label: boolean; review_action: "confirm" | "override"; reviewed_at: Date; input: string }>(
      `SELECT record_id, decision, review_label, review_action, reviewed_at, input FROM gating_results
       WHERE cluster_id = $1 AND review_seq IS NOT NULL AND record_id <> $2 ORDER BY reviewed_at DESC LIMIT ${SIMILAR_POOL}`,
      [clusterId, recordId],
    )
  ).rows;
  const log = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.log1p(v));
  const mine = channels.map((c) => log(spend[c]));
  return rows
    .map((r) => {
      const other = (JSON.parse(r.input) as { spend: Record<string, number | null> }).spend;
      let sum = 0;
      let present = 0;
      channels.forEach((c, j) => {
        const a = mine[j] ?? null;
        const b = log(other[c]);
        if (a === null || b === null) return;
        sum += (a - b) ** 2;
        present += 1;
      });
      const distance = present === 0 ? Number.POSITIVE_INFINITY : Math.sqrt((channels.length / present) * sum);
      return { recordId: r.record_id, distance, machineLabel: r.decision, decidedLabel: r.review_label, action: r.review_action, decidedAt: r.reviewed_at.toISOString() };
    })
    .filter((r) => Number.isFinite(r.distance))
    .sort((a, b) => a.distance - b.distance || a.recordId.localeCompare(b.recordId))
    .slice(0, limit);
}

/** Every edit-log entry about a record and the batches its versions came from, in chain order. */
export async function recordEntries(actor: Actor, recordId: string, batchIds: readonly string[]): Promise<LedgerEntryView[]> {
  assertCanRead(actor, "queue:read");
  return subjectEntries([{ type: "record", id: recordId }, ...[...new Set(batchIds)].map((id) => ({ type: "batch" as const, id }))]);
}
