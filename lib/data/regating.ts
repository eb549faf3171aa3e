/**
 * Re-gating the queue after an activation (gating spec §1.3; governance spec §4): every
 * queued, undecided record whose current result another policy gave is gated again under
 * the active one, as a new result version (the old one kept, superseded) whose cause is the
 * activation's edit-log entry. Likewise after a reference-scorer promotion or rollback is
 * approved (spec model-cards.md §2): a queued record the console's reference scorer family
 * (`gbdt-ens-…`) scored with another version than the champion's is scored again by the
 * champion (its spends and context as stored; what the scorer does not write, such as the
 * GLM score, kept) and gated again; the cause is the approval's entry. Records now routed
 * `auto` leave the queue; decided records are never touched; records whose result sits in
 * a held, unreleased batch stay as they are until a person releases the batch.
 *
 * Work: batch by batch, each batch in one transaction under one advisory lock (one runner at
 * a time across processes). What is left is defined by the data — a queued record not under
 * the active policy — so a run cut off anywhere resumes where it stopped, and running it
 * again when nothing is left changes nothing. The approval starts a run; the scheduler
 * resumes one a stopped process left (lib/data/scheduler.ts).
 *
 * Each batch is gated as it was sent (its records' first versions in it, as a release
 * does), so the fragile-share test sees the batch it always saw; a hold is decided once,
 * when the batch arrives: a released batch stays released, an unheld one is not held now.
 */
import type { PoolClient } from "pg";
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { gateBatch, type ScoredRecord } from "@/lib/gating";
import { log } from "@/lib/log";
import { REFERENCE_SCORER_MODEL } from "@/lib/model-cards/card";
import { loadReferenceScorer } from "@/lib/reference-data";
import { scoredRecordsFor, type ReferenceScorer } from "@/lib/scorer/model";
import type { ReasonCode, Route } from "@/lib/gating/reasons";
import { db, transaction } from "./db";
import { keptHolds, writeResults } from "./ingest";
import { policiesById } from "./policies";

const REGATING_LOCK = "SELECT pg_advisory_xact_lock(hashtext('sentinel.regating'))";

/** The versions the console's own reference scorer writes (lib/scorer/model.ts): only these are scored again after a promotion. */
const REFERENCE_SCORER_FAMILY = "gbdt-ens-%";

/**
 * Queued, undecided current results gated by a policy other than `$1` or scored by a
 * reference-scorer version other than the champion `$2` (null: none promoted), outside held batches.
 */
const STALE_QUEUE = `FROM gating_results g
  WHERE g.current AND g.route = 'audit' AND g.review_seq IS NULL
    AND (g.policy_id <> $1 OR ($2::text IS NOT NULL AND g.scorer_version LIKE '${REFERENCE_SCORER_FAMILY}' AND g.scorer_version <> $2::text))
    AND NOT EXISTS (SELECT 1 FROM ingest_batches b WHERE b.id = g.batch_id AND b.held AND b.released_seq IS NULL)`;

/**
 * The reference scorer's champion version when a promotion or rollback made it so (the
 * latest approved one); null while the version registered first is champion, which is the
 * one the records were scored with.
 */
export async function championScorerVersion(client: PoolClient): Promise<string | null> {
  return (
    (
      await client.query<{ version: string }>(
        "SELECT c.version FROM model_promotions p JOIN model_cards c ON c.id = p.card_id WHERE p.model = $1 AND p.status = 'approved' ORDER BY p.decided_seq DESC LIMIT 1",
        [REFERENCE_SCORER_MODEL],
      )
    ).rows[0]?.version ?? null
  );
}

/** Queued records a run will re-gate under `policyId` and the scorer champion (as stored, unless `scorerVersion` says what it is about to be). */
export async function staleQueueCount(client: PoolClient, policyId: string, scorerVersion?: string): Promise<number> {
  const version = scorerVersion ?? (await championScorerVersion(client));
  return (await client.query<{ n: number }>(`SELECT count(*)::int AS n ${STALE_QUEUE}`, [policyId, version])).rows[0]!.n;
}

/**
 * Starts a re-gating run of `queued` records (staleQueueCount) caused by the edit-log entry
 * `causeSeq` (an activation, or an approved scorer promotion) under the active policy; a run
 * still going is superseded (this one covers what it had left).
 */
export async function startRegating(client: PoolClient, causeSeq: string, policyId: string, queued: number): Promise<void> {
  await client.query("UPDATE policy_regatings SET status = 'superseded', updated_at = now() WHERE status = 'running'");
  await client.query("INSERT INTO policy_regatings (activation_seq, policy_id, total) VALUES ($1, $2, $3)", [causeSeq, policyId, queued]);
}

/** Records as stored, those the reference scorer family scored with another version scored again by `scorer`. */
function rescored(records: ScoredRecord[], scorer: ReferenceScorer | null): ScoredRecord[] {
  if (!scorer) return records;
  const stale = records.filter((r) => r.scorerVersion.startsWith(REFERENCE_SCORER_FAMILY.slice(0, -1)) && r.scorerVersion !== scorer.scorerVersion);
  if (stale.length === 0) return records;
  const fresh = new Map(scoredRecordsFor(scorer, stale).map((r) => [r.recordId, r]));
  return records.map((r) => {
    const f = fresh.get(r.recordId);
    return f ? { ...r, pModel: f.pModel, ensemble: f.ensemble, logitContributions: f.logitContributions, scorerVersion: f.scorerVersion } : r;
  });
}

/**
 * The champion reference scorer when a promotion made one champion, loaded (the server's
 * own, which approval checked is that version); null otherwise, or when this server runs
 * another version (restarted with another scorer: nothing can be scored by the champion).
 */
async function championScorer(client: PoolClient): Promise<ReferenceScorer | null> {
  const version = await championScorerVersion(client);
  if (version === null) return null;
  const loaded = loadReferenceScorer();
  if (loaded.scorerVersion === version) return loaded;
  log.warn({ champion: version, running: loaded.scorerVersion }, "the reference scorer's champion is not the version this server runs: queued records are not scored again");
  return null;
}

/** Re-gates one batch's stale queued records; null when none is left. */
async function regateNextBatch(): Promise<{ records: number } | null> {
  return transaction(async (client) => {
    await client.query(REGATING_LOCK);
    const active = (await client.query<{ id: string }>("SELECT id FROM policy_snapshots WHERE active")).rows[0];
    if (!active) return null;
    const run = (
      await client.query<{ id: string; activation_seq: string }>(
        "SELECT id, activation_seq::text AS activation_seq FROM policy_regatings WHERE policy_id = $1 ORDER BY activation_seq DESC LIMIT 1",
        [active.id],
      )
    ).rows[0];
    // Only an activation or a scorer promotion re-gates (the first policy of a new database has nothing to re-gate).
    if (!run) return null;
    const scorer = await championScorer(client);
    const stale = [active.id, scorer?.scorerVersion ?? null];
    const next = (await client.query<{ batch_id: string }>(`SELECT g.batch_id ${STALE_QUEUE} LIMIT 1`, stale)).rows[0];
    if (!next) {
      await client.query("UPDATE policy_regatings SET status = 'done', finished_at = now(), updated_at = now() WHERE id = $1 AND status = 'running'", [run.id]);
      return null;
    }
    const batchId = next.batch_id;
    const candidates = (await client.query<{ record_id: string }>(`SELECT g.record_id ${STALE_QUEUE} AND g.batch_id = $3`, [...stale, batchId])).rows.map((r) => r.record_id);
    // Records first (as ingest locks them), then their results: a decision racing this waits or wins.
    await client.query("SELECT 1 FROM scored_records WHERE record_id = ANY($1::text[]) ORDER BY record_id FOR UPDATE", [candidates]);
    const open = (
      await client.query<{ record_id: string; route: Route; reason_codes: ReasonCode[] }>(
        `SELECT g.record_id, g.route, g.reason_codes ${STALE_QUEUE} AND g.batch_id = $3 AND g.record_id = ANY($4::text[]) ORDER BY g.record_id FOR UPDATE OF g`,
        [...stale, batchId, candidates],
      )
    ).rows;
    if (open.length === 0) return { records: 0 };
    const batch = (await client.query<{ held: boolean; released_seq: string | null }>("SELECT held, released_seq::text AS released_seq FROM ingest_batches WHERE id = $1", [batchId])).rows[0]!;
    const policy = (await policiesById([active.id], client)).get(active.id)!.snapshot;
    const records = rescored(
      (await client.query<{ input: string }>("SELECT DISTINCT ON (record_id) input FROM gating_results WHERE batch_id = $1 ORDER BY record_id, version", [batchId])).rows.map(
        (r) => JSON.parse(r.input) as ScoredRecord,
      ),
      scorer,
    );
    const openIds = new Set(open.map((r) => r.record_id));
    const now = new Date().toISOString();
    const out = gateBatch(records, policy, {
      batchId,
      now,
      batchHoldReleased: batch.held && batch.released_seq !== null,
      batchNotHeld: !batch.held,
      inheritedHolds: await keptHolds(client, [...openIds], batchId),
    });
    const keep = out.results.flatMap((r, i) => (openIds.has(r.recordId) ? [i] : []));
    const results = keep.map((i) => out.results[i]!);
    await writeResults(client, batchId, results, keep.map((i) => records[i]!), policy, now, run.activation_seq);
    const before = new Map(open.map((r) => [r.record_id, r]));
    let changed = 0;
    let leftQueue = 0;
    for (const r of results) {
      const old = before.get(r.recordId)!;
      const codes = r.reasons.map((x) => x.code);
      if (r.route !== old.route || codes.join() !== old.reason_codes.join()) changed++;
      if (r.route === "auto") leftQueue++;
    }
    await client.query("UPDATE policy_regatings SET done = done + $2, changed = changed + $3, left_queue = left_queue + $4, updated_at = now() WHERE id = $1", [
      run.id,
      results.length,
      changed,
      leftQueue,
    ]);
    return { records: results.length };
  });
}

/**
 * Re-gates what is left, batch by batch, until nothing is (or `maxBatches` were done: a
 * test's interruption). Returns the records given a new version.
 */
export async function regateQueue(options: { maxBatches?: number } = {}): Promise<number> {
  let records = 0;
  for (let n = 0; options.maxBatches === undefined || n < options.maxBatches; n++) {
    const step = await regateNextBatch();
    if (!step) break;
    records += step.records;
  }
  return records;
}

export interface RegatingView {
  activationSeq: string;
  policyId: string;
  status: "running" | "done" | "superseded";
  total: number;
  done: number;
  changed: number;
  leftQueue: number;
  startedAt: string;
  finishedAt: string | null;
}

export interface RegatedRecord {
  recordId: string;
  batchId: string;
  version: number;
  from: { route: Route; reasons: ReasonCode[]; policyId: string };
  to: { route: Route; reasons: ReasonCode[] };
  decided: boolean;
}

/** The re-gating the latest activation of a policy started, with the records it changed (route or reasons), newest first. Governance. */
export async function latestRegating(actor: Actor, policyId: string, limit = 100): Promise<{ run: RegatingView; changed: RegatedRecord[] } | null> {
  assertCanRead(actor, "governance:read");
  const row = (
    await db().pool.query<{ activation_seq: string; policy_id: string; status: RegatingView["status"]; total: number; done: number; changed: number; left_queue: number; started_at: Date; finished_at: Date | null }>(
      "SELECT activation_seq::text AS activation_seq, policy_id, status, total, done, changed, left_queue, started_at, finished_at FROM policy_regatings WHERE policy_id = $1 ORDER BY activation_seq DESC LIMIT 1",
      [policyId],
    )
  ).rows[0];
  if (!row) return null;
  const changed = await regatedRecords(`g.cause_seq = $1 AND (g.route <> p.route OR g.reason_codes <> p.reason_codes)`, [row.activation_seq], limit);
  return {
    run: {
      activationSeq: row.activation_seq,
      policyId: row.policy_id,
      status: row.status,
      total: row.total,
      done: row.done,
      changed: row.changed,
      leftQueue: row.left_queue,
      startedAt: row.started_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
    },
    changed,
  };
}

/** Re-gated versions (`where` over g, the version, and p, the one it superseded) with what changed. */
async function regatedRecords(where: string, params: unknown[], limit: number): Promise<RegatedRecord[]> {
  const rows = (
    await db().pool.query<{ record_id: string; batch_id: string; version: number; route: Route; reason_codes: ReasonCode[]; p_route: Route; p_reasons: ReasonCode[]; p_policy: string; decided: boolean }>(
      `SELECT g.record_id, g.batch_id, g.version, g.route, g.reason_codes, p.route AS p_route, p.reason_codes AS p_reasons, p.policy_id AS p_policy,
              g.review_seq IS NOT NULL AS decided
       FROM gating_results g JOIN gating_results p ON p.record_id = g.record_id AND p.version = g.version - 1
       WHERE ${where} ORDER BY g.id DESC LIMIT ${Math.max(1, Math.min(limit, 1000))}`,
      params,
    )
  ).rows;
  return rows.map((r) => ({
    recordId: r.record_id,
    batchId: r.batch_id,
    version: r.version,
    from: { route: r.p_route, reasons: r.p_reasons, policyId: r.p_policy },
    to: { route: r.route, reasons: r.reason_codes },
    decided: r.decided,
  }));
}
