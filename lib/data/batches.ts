/**
 * Ingested batches and their hold (gating spec §6.2). A held batch is released only by a
 * recorded human action: one edit-log entry, then a new gating-result version for every
 * still-open record of the batch, gated again under the batch's own policy without the
 * hold (the old results stay, superseded). Records already decided keep their decision.
 *
 * A release gates again only the records whose current result is in the released batch. A
 * record of the batch that was re-sent elsewhere kept the hold there (BATCH_HOLD naming this
 * batch, see `keptHolds`): that result stays in the queue as an ordinary audit item, and its
 * next re-send no longer carries the hold. Records that keep a hold from another held batch
 * keep it through this release.
 */
import { ConflictError, NotFoundError, ReplayedRequestError, ValidationError } from "@/lib/errors";
import { gateBatch, RECORD_ID_PATTERN, type ScoredRecord } from "@/lib/gating";
import { releaseBatchInputSchema } from "@/lib/validations/decisions";
import { assertCanRead, assertPersonCan, type Actor } from "@/lib/auth/actor";
import { db, transaction } from "./db";
import { policiesById } from "./policies";
import { keptHolds, writeResults } from "./ingest";
import { parseInput } from "./input";
import { appendEntry, findRequestEntry, userEntry, type AppendedEntry } from "./ledger";

export interface BatchDetail {
  id: string;
  policyId: string;
  size: number;
  routes: { auto: number; audit: number };
  fragileCount: number;
  hold: { indicated: boolean; held: boolean; releasedSeq: string | null; fragileFraction: number; threshold: number; pValue: number; alpha: number };
  createdAt: string;
  /** the batch's edit-log version: what a release must carry */
  ledgerVersion: number;
}

type BatchRow = {
  id: string;
  policy_id: string;
  size: number;
  auto_count: number;
  audit_count: number;
  fragile_count: number;
  hold_indicated: boolean;
  held: boolean;
  released_seq: string | null;
  fragile_fraction: number;
  threshold: number;
  p_value: number;
  alpha: number;
  created_at: Date;
  ledger_version: number;
};

const BATCH_COLUMNS = `b.id, b.policy_id, b.size, b.auto_count, b.audit_count, b.fragile_count, b.hold_indicated, b.held, b.released_seq::text AS released_seq,
  b.fragile_fraction, b.threshold, b.p_value, b.alpha, b.created_at,
  COALESCE((SELECT s.version FROM edit_log_subjects s WHERE s.subject_type = 'batch' AND s.subject_id = b.id), 0) AS ledger_version`;

function toBatch(row: BatchRow): BatchDetail {
  return {
    id: row.id,
    policyId: row.policy_id,
    size: row.size,
    routes: { auto: row.auto_count, audit: row.audit_count },
    fragileCount: row.fragile_count,
    hold: {
      indicated: row.hold_indicated,
      // held now: held at ingest and not released since
      held: row.held && row.released_seq === null,
      releasedSeq: row.released_seq,
      fragileFraction: row.fragile_fraction,
      threshold: row.threshold,
      pValue: row.p_value,
      alpha: row.alpha,
    },
    createdAt: row.created_at.toISOString(),
    ledgerVersion: row.ledger_version,
  };
}

export async function getBatch(actor: Actor, id: string): Promise<BatchDetail> {
  assertCanRead(actor, "queue:read");
  if (!RECORD_ID_PATTERN.test(id)) throw new ValidationError("The batch id is not valid.", { id: ["must be 1–128 characters of [A-Za-z0-9_.:-]"] });
  const row = (await db().pool.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM ingest_batches b WHERE b.id = $1`, [id])).rows[0];
  if (!row) throw new NotFoundError(`No batch "${id}".`);
  return toBatch(row);
}

/** Batches held now (§6.2), newest first. */
export async function listHeldBatches(actor: Actor, limit = 20): Promise<BatchDetail[]> {
  assertCanRead(actor, "queue:read");
  const rows = (
    await db().pool.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM ingest_batches b WHERE b.held AND b.released_seq IS NULL ORDER BY b.created_at DESC, b.id DESC LIMIT $1`, [limit])
  ).rows;
  return rows.map(toBatch);
}

export interface ReleaseOutcome {
  entry: AppendedEntry;
  /** records given a new result version (the batch's open, undecided records) */
  rerouted: number;
  routes: { auto: number; audit: number };
  replayed: boolean;
}

/** A lead releases a held batch (gating spec §6.2), with a reason, in one transaction. */
export async function releaseBatch(actor: Actor, input: unknown): Promise<ReleaseOutcome> {
  const user = assertPersonCan(actor, "batches:release");
  const d = parseInput(releaseBatchInputSchema, input);
  try {
    return await transaction(async (client) => {
      const batch = (await client.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM ingest_batches b WHERE b.id = $1 FOR UPDATE`, [d.batchId])).rows[0];
      if (!batch) throw new NotFoundError(`No batch "${d.batchId}".`);
      if (!batch.held) throw new ValidationError(`Batch ${d.batchId} is not held.`, { batchId: ["is not held"] });
      if (batch.released_seq !== null) throw new ConflictError(`Batch ${d.batchId} was already released (entry #${batch.released_seq}). Reload to see the latest.`);
      const policy = (await policiesById([batch.policy_id], client)).get(batch.policy_id)!.snapshot;
      // The batch as it was sent (its first version of each record): the hold test is re-run on all of it.
      const records = (
        await client.query<{ input: string }>("SELECT DISTINCT ON (record_id) input FROM gating_results WHERE batch_id = $1 ORDER BY record_id, version", [d.batchId])
      ).rows.map((r) => JSON.parse(r.input) as ScoredRecord);
      // Locked in id order (as ingest locks) so a concurrent decision waits or wins cleanly.
      const open = new Set(
        (
          await client.query<{ record_id: string }>(
            "SELECT record_id FROM gating_results WHERE batch_id = $1 AND current AND review_seq IS NULL ORDER BY record_id FOR UPDATE",
            [d.batchId],
          )
        ).rows.map((r) => r.record_id),
      );
      const now = new Date().toISOString();
      const inheritedHolds = await keptHolds(client, [...open], d.batchId);
      const out = gateBatch(records, policy, { batchId: d.batchId, now, batchHoldReleased: true, inheritedHolds });
      const keep = out.results.flatMap((r, i) => (open.has(r.recordId) ? [i] : []));
      const results = keep.map((i) => out.results[i]!);
      const routes = { auto: results.filter((r) => r.route === "auto").length, audit: results.filter((r) => r.route === "audit").length };
      const entry = await appendEntry(
        client,
        userEntry(user, {
          subjectType: "batch",
          subjectId: d.batchId,
          action: "release",
          before: { held: true, fragileFraction: batch.fragile_fraction, pValue: batch.p_value },
          after: { held: false, rerouted: results.length, ...routes },
          reasonText: d.reasonText,
          requestId: d.requestId,
          effectiveAt: now,
        }),
        d.ledgerVersion,
      );
      await writeResults(client, d.batchId, results, keep.map((i) => records[i]!), policy, now, entry.seq);
      await client.query("UPDATE ingest_batches SET released_seq = $2, released_at = $3 WHERE id = $1", [d.batchId, entry.seq, now]);
      return { entry, rerouted: results.length, routes, replayed: false };
    });
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof ReplayedRequestError)) throw error;
    const earlier = await findRequestEntry(db().pool, "batch", d.batchId, d.requestId);
    if (!earlier) throw error;
    const after = (await db().pool.query<{ c: string }>("SELECT c FROM edit_log WHERE seq = $1", [earlier.seq])).rows[0]!;
    const released = JSON.parse(after.c).after as { rerouted: number; auto: number; audit: number };
    return { entry: earlier, rerouted: released.rerouted, routes: { auto: released.auto, audit: released.audit }, replayed: true };
  }
}
