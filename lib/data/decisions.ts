/**
 * Human work on records (governance spec §1–2): claim, confirm, override, annotate, bulk
 * confirm. Every action is one edit-log entry; a decision is one round trip (the SQL
 * function record_decide checks the result version, the edit-log version and the labels,
 * appends and marks the result decided). Each decision carries what the analyst saw: a
 * stale one is refused with a conflict naming who acted and when; a replay of the same
 * request (double click, retried request) finds the first entry and writes nothing.
 */
import { ConflictError, NotFoundError, ReplayedRequestError, ValidationError } from "@/lib/errors";
import { formatUtc } from "@/lib/format";
import type { EditLogEntry } from "@/lib/ledger/entry";
import {
  amendInputSchema,
  bulkConfirmInputSchema,
  claimInputSchema,
  decisionInputSchema,
  noteInputSchema,
  takeoverInputSchema,
  ACTION_VERBS,
} from "@/lib/validations/decisions";
import { assertCanRead, assertPersonCan, type Actor } from "@/lib/auth/actor";
import { LATEST_AMENDMENT_JOIN } from "./record-outcome";
import { db, transaction } from "./db";
import { parseInput } from "./input";
import { appendEntry, appendOnce, appendRecordDecision, awaitDurable, appendRecordEntry, findRequestEntry, subjectEntries, userEntry, type AppendedEntry, type LedgerEntryView } from "./ledger";


/**
 * The entries that move a record's decision version (SQL `edit_log_append`): what a decision
 * is checked against. Claims and takeovers count because they change who may decide; a note
 * does not, so a colleague's note never makes a decision stale.
 */
export const DECISION_ACTIONS = ["confirm", "override", "amend", "claim", "takeover"] as const;
/** The entries that set a record's outcome: the latest one wins (an amendment after a decision). */
export const OUTCOME_ACTIONS = ["confirm", "override", "amend"] as const;

/**
 * The conflict an analyst sees when their version is stale: who did what to the record
 * after they opened it, and when ("decided by X at T — reload"). Only decision-changing
 * entries make a version stale, so the latest of those is the one to name.
 */
async function staleConflict(recordId: string, fallback: string): Promise<ConflictError> {
  const latest = (
    await db().pool.query<{ action: string; name: string | null; at: string; seq: string }>(
      `SELECT e.action, u.name, to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS at, e.seq::text AS seq
       FROM edit_log e LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
       WHERE e.subject_type = 'record' AND e.subject_id = $1 AND e.action = ANY($2::text[]) ORDER BY e.seq DESC LIMIT 1`,
      [recordId, DECISION_ACTIONS],
    )
  ).rows[0];
  if (!latest) return new ConflictError(`${fallback} Reload to see the latest.`);
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
    const appended = await appendRecordDecision(db().pool, entry, d.ledgerVersion, d.resultVersion);
    await awaitDurable();
    return { ...appended, replayed: false };
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof ReplayedRequestError)) throw error;
    const earlier = await findRequestEntry(db().pool, "record", d.recordId, d.requestId);
    // What another attempt wrote may not be on disk yet either.
    if (earlier) {
      await awaitDurable();
      return { ...earlier, replayed: true };
    }
    if (!(error instanceof ConflictError)) throw error;
    if (error.message.includes("is held by someone else")) {
      const held = await activeClaim(user, d.recordId);
      if (held) throw new ConflictError(`${held.name ?? "Someone"} holds this record until ${formatUtc(held.until)}. Take it over to decide it.`);
    }
    throw await staleConflict(d.recordId, error.message);
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
    const decided = await transaction(async (client) => {
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
    await awaitDurable();
    return decided;
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof ReplayedRequestError)) throw error;
    const earlier = await findRequestEntry(db().pool, "record", items[0]!.recordId, requestId);
    if (earlier) {
      const all = await Promise.all(items.map((item) => findRequestEntry(db().pool, "record", item.recordId, requestId)));
      if (all.every((e) => e !== null)) {
        await awaitDurable();
        return { entries: all as AppendedEntry[], replayed: true };
      }
    }
    throw error;
  }
}

/** The current result of a record as the claim, takeover, amend and note checks need it. */
async function currentResult(recordId: string) {
  const row = (
    await db().pool.query<{ route: string; review_seq: string | null; review_label: boolean | null; ledger_version: number }>(
      `SELECT r.route, r.review_seq::text AS review_seq, r.review_label, COALESCE(s.decision_version, 0) AS ledger_version
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

/** The live claim on a record, if any (the latest claim or takeover entry, not yet expired, not followed by a decision). */
export async function activeClaim(actor: Actor, recordId: string): Promise<Claim | null> {
  assertCanRead(actor, "queue:read");
  const row = (
    await db().pool.query<{ c: string; name: string | null; seq: string; decided: boolean }>(
      `SELECT e.c, u.name, e.seq::text AS seq,
         EXISTS (SELECT 1 FROM edit_log d WHERE d.subject_type = 'record' AND d.subject_id = $1 AND d.seq > e.seq AND d.action IN ('confirm', 'override')) AS decided
       FROM edit_log e LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
       WHERE e.subject_type = 'record' AND e.subject_id = $1 AND e.action IN ('claim', 'takeover') ORDER BY e.seq DESC LIMIT 1`,
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
 * Claims a queued record for `minutes` (default 15). While the claim lives, others see who
 * holds it and until when, and their decisions are refused until they take it over (SQL
 * `record_decide`). A live claim by someone else is refused; re-claiming one's own extends it.
 */
export async function claimRecord(actor: Actor, input: unknown): Promise<{ until: string; ledgerVersion: number }> {
  const user = assertPersonCan(actor, "records:decide");
  const { recordId, minutes } = parseInput(claimInputSchema, input);
  const result = await currentResult(recordId);
  if (result.review_seq !== null) throw new ConflictError(`Record ${recordId} is already decided (entry #${result.review_seq}).`);
  if (result.route !== "audit") throw new ValidationError(`Record ${recordId} is not in the audit queue.`);
  const held = await activeClaim(user, recordId);
  if (held && held.userId !== user.id) throw new ConflictError(`${held.name ?? "Someone"} holds this record until ${formatUtc(held.until)}. Take it over to decide it.`);
  const until = new Date(Date.now() + minutes * 60_000).toISOString();
  // The version read with the claim check: a claim taken meanwhile by someone else is refused.
  const appended = await appendRecordEntry(db().pool, userEntry(user, { subjectType: "record", subjectId: recordId, action: "claim", before: null, after: { until } }), result.ledger_version).catch(
    async (error: unknown) => {
      if (error instanceof ConflictError) throw await staleConflict(recordId, error.message);
      throw error;
    },
  );
  return { until, ledgerVersion: appended.decisionVersion };
}

/**
 * Takes over a record someone else holds: a `takeover` entry naming whose claim it ends,
 * after which the taker holds the record for `minutes` and may decide it. Version-checked
 * against what the taker's page showed, so two takeovers at once give one.
 */
export async function takeOverRecord(actor: Actor, input: unknown): Promise<{ until: string; ledgerVersion: number; seq: string }> {
  const user = assertPersonCan(actor, "records:decide");
  const { recordId, ledgerVersion, minutes } = parseInput(takeoverInputSchema, input);
  const result = await currentResult(recordId);
  if (result.review_seq !== null) throw new ConflictError(`Record ${recordId} is already decided (entry #${result.review_seq}).`);
  if (result.route !== "audit") throw new ValidationError(`Record ${recordId} is not in the audit queue.`);
  const held = await activeClaim(user, recordId);
  if (!held || held.userId === user.id) throw new ValidationError(`Nobody else holds record ${recordId}: claim it instead.`);
  const until = new Date(Date.now() + minutes * 60_000).toISOString();
  const entry = userEntry(user, { subjectType: "record", subjectId: recordId, action: "takeover", before: { holder: held.userId, until: held.until, claimSeq: held.seq }, after: { until } });
  const appended = await appendRecordEntry(db().pool, entry, ledgerVersion).catch(async (error: unknown) => {
    if (error instanceof ConflictError) throw await staleConflict(recordId, error.message);
    throw error;
  });
  return { until, ledgerVersion: appended.decisionVersion, seq: appended.seq };
}

export interface RecordOutcome {
  action: (typeof OUTCOME_ACTIONS)[number];
  label: boolean;
  seq: string;
  at: string;
  by: string | null;
  /** the decision this outcome amends (the first confirm or override), when it is an amendment */
  amended: boolean;
}

/**
 * A record's outcome projected from its edit log: the latest confirm, override or amend
 * entry since the current result's decision (`reviewSeq`). The result row's review_* columns
 * are written once by `record_decide` and guarded by a trigger; an amendment is a new
 * entry, never a change of that row, so the outcome is read from the log here.
 */
export function projectOutcome(reviewSeq: string | null, entries: readonly LedgerEntryView[]): RecordOutcome | null {
  if (reviewSeq === null) return null;
  let latest: LedgerEntryView | null = null;
  for (const e of entries) {
    if (e.subjectType !== "record" || !(OUTCOME_ACTIONS as readonly string[]).includes(e.entry.action) || BigInt(e.seq) < BigInt(reviewSeq)) continue;
    if (!latest || BigInt(e.seq) > BigInt(latest.seq)) latest = e;
  }
  if (!latest) return null;
  return {
    action: latest.entry.action as RecordOutcome["action"],
    label: Boolean((latest.entry.after as { label?: boolean } | null)?.label),
    seq: latest.seq,
    at: latest.recordedAt,
    by: latest.actorName,
    amended: latest.entry.action === "amend",
  };
}

/**
 * A lead amends a decided record: a new `amend` entry with the new label, a reason code and
 * text; the record's outcome becomes this entry (governance counts amendments per analyst
 * from the log). Only on decided records, checked against the decision version the lead saw.
 */
export async function amendRecord(actor: Actor, input: unknown): Promise<DecisionOutcome> {
  const user = assertPersonCan(actor, "records:amend");
  const d = parseInput(amendInputSchema, input);
  const result = await currentResult(d.recordId);
  if (result.review_seq === null) throw new ValidationError(`Record ${d.recordId} is not decided yet: confirm or override it instead.`);
  const earlier = await findRequestEntry(db().pool, "record", d.recordId, d.requestId);
  if (earlier) return { ...earlier, replayed: true };
  const outcome = projectOutcome(result.review_seq, await subjectEntries([{ type: "record", id: d.recordId }]));
  const current = outcome?.label ?? result.review_label!;
  if (current === d.label) {
    // A concurrent replay of this very amendment may have landed since the check above.
    const landed = await findRequestEntry(db().pool, "record", d.recordId, d.requestId);
    if (landed) return { ...landed, replayed: true };
    throw new ValidationError(`Record ${d.recordId} is already decided as this label.`, { label: ["must differ from the current outcome"] });
  }
  const entry = userEntry(user, {
    subjectType: "record",
    subjectId: d.recordId,
    action: "amend",
    before: { label: current, seq: outcome?.seq ?? result.review_seq },
    after: { label: d.label },
    reasonCode: d.reasonCode,
    reasonText: d.reasonText,
    requestId: d.requestId,
  });
  const appended = await appendOnce({ type: "record", id: d.recordId, requestId: d.requestId }, () => appendRecordEntry(db().pool, entry, d.ledgerVersion)).catch(async (error: unknown) => {
    if (error instanceof ConflictError) throw await staleConflict(d.recordId, error.message);
    throw error;
  });
  return { seq: appended.seq, hash: appended.hash, recordedAt: appended.recordedAt, subjectVersion: appended.subjectVersion, replayed: appended.replayed };
}

export interface RecordVersion {
  /** every entry so far */
  version: number;
  /** decision-changing entries so far: what a decision carries */
  decisionVersion: number;
  /** the latest entry, for "Ben Analyst confirmed this record 3 s ago" */
  latest: { seq: string; action: string; actorId: string | null; name: string | null; at: string } | null;
}

/**
 * A record's versions and latest entry — the cheap lookup the record page polls (one row of
 * edit_log_subjects, one indexed row of the log) to learn that someone else acted.
 */
export async function recordVersion(actor: Actor, recordId: string): Promise<RecordVersion> {
  assertCanRead(actor, "queue:read");
  const row = (
    await db().pool.query<{ version: number; decision_version: number; seq: string | null; action: string | null; actor_id: string | null; name: string | null; at: string | null }>(
      `SELECT s.version, s.decision_version, e.seq::text AS seq, e.action, e.c::jsonb->'actor'->>'id' AS actor_id, u.name,
         to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
       FROM edit_log_subjects s
       LEFT JOIN LATERAL (SELECT * FROM edit_log l WHERE l.subject_type = 'record' AND l.subject_id = s.subject_id ORDER BY l.seq DESC LIMIT 1) e ON true
       LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
       WHERE s.subject_type = 'record' AND s.subject_id = $1`,
      [recordId],
    )
  ).rows[0];
  if (!row) return { version: 0, decisionVersion: 0, latest: null };
  return {
    version: row.version,
    decisionVersion: row.decision_version,
    latest: row.seq === null ? null : { seq: row.seq, action: row.action!, actorId: row.actor_id, name: row.name, at: row.at! },
  };
}

export interface RecordActivity {
  /** the chain head: pass it back as `since` */
  head: string;
  /** claims, takeovers and decisions on records after `since`, newest first (at most 20) */
  changes: { seq: string; recordId: string; action: string; actorId: string | null; name: string | null; at: string }[];
}

/**
 * What happened to records since entry `since` (the queue page polls it): a range scan of
 * the log's primary key from a recent position, so it stays cheap however long the log is.
 */
export async function recordActivity(actor: Actor, since: string | null): Promise<RecordActivity> {
  assertCanRead(actor, "queue:read");
  const head = (await db().pool.query<{ seq: string }>("SELECT seq::text AS seq FROM edit_log_head WHERE id = 1")).rows[0]?.seq ?? "0";
  if (since === null || !/^\d{1,18}$/.test(since) || BigInt(since) >= BigInt(head)) return { head, changes: [] };
  const rows = (
    await db().pool.query<{ seq: string; subject_id: string; action: string; actor_id: string | null; name: string | null; at: string }>(
      `SELECT e.seq::text AS seq, e.subject_id, e.action, e.c::jsonb->'actor'->>'id' AS actor_id, u.name,
         to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
       FROM edit_log e LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
       WHERE e.seq > $1::bigint AND e.subject_type = 'record' AND e.action = ANY($2::text[])
       ORDER BY e.seq DESC LIMIT 20`,
      [since, DECISION_ACTIONS],
    )
  ).rows;
  return { head, changes: rows.map((r) => ({ seq: r.seq, recordId: r.subject_id, action: r.action, actorId: r.actor_id, name: r.name, at: r.at })) };
}

/** A note on a record (any record the analyst can see, decided or not). */
export async function annotateRecord(actor: Actor, input: unknown): Promise<DecisionOutcome> {
  const user = assertPersonCan(actor, "records:decide");
  const { recordId, text, requestId } = parseInput(noteInputSchema, input);
  await currentResult(recordId);
  const earlier = await findRequestEntry(db().pool, "record", recordId, requestId);
  if (earlier) return { ...earlier, replayed: true };
  // Notes carry no version to check, so the request id alone keeps a replay from writing twice.
  return appendOnce({ type: "record", id: recordId, requestId }, () =>
    appendEntry(db().pool, userEntry(user, { subjectType: "record", subjectId: recordId, action: "note", before: null, after: null, reasonText: text, requestId }), null),
  );
}

export interface SimilarDecided {
  recordId: string;
  /** nan-Euclidean distance on log1p spends (channels missing on either side skipped, the rest scaled up) */
  distance: number;
  machineLabel: boolean;
  decidedLabel: boolean;
  /** the latest outcome entry: an amendment replaces the first decision's label */
  action: "confirm" | "override" | "amend";
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
  const closest = rows
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
  return withAmendments(closest);
}

/**
 * The latest amendment of each of these decided records replaces its first decision's label
 * (looked up for the few closest only, not the whole candidate pool).
 */
async function withAmendments(records: SimilarDecided[]): Promise<SimilarDecided[]> {
  if (records.length === 0) return records;
  const amended = new Map(
    (
      await db().pool.query<{ record_id: string; label: boolean; at: string }>(
        `SELECT r.record_id, am.label, to_char(am.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
         FROM gating_results r ${LATEST_AMENDMENT_JOIN}
         WHERE r.review_seq IS NOT NULL AND r.record_id = ANY($1::text[]) AND am.label IS NOT NULL`,
        [records.map((r) => r.recordId)],
      )
    ).rows.map((r) => [r.record_id, r] as const),
  );
  return records.map((r) => {
    const a = amended.get(r.recordId);
    return a ? { ...r, decidedLabel: a.label, action: "amend" as const, decidedAt: a.at } : r;
  });
}

/** Every edit-log entry about a record and the batches its versions came from, in chain order. */
export async function recordEntries(actor: Actor, recordId: string, batchIds: readonly string[]): Promise<LedgerEntryView[]> {
  assertCanRead(actor, "queue:read");
  return subjectEntries([{ type: "record", id: recordId }, ...[...new Set(batchIds)].map((id) => ({ type: "batch" as const, id }))]);
}
