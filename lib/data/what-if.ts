/**
 * What-ifs of policy proposals (governance spec §4): a governance user asks for one over the
 * last N days or chosen batches; a background run re-gates those records under the proposal
 * and its base (lib/governance/what-if.ts) batch by batch, writing its progress, and stores
 * the figures with the proposal so every approver sees the same ones.
 *
 * The run lives in the server process that took the request; the request waits for it up
 * to a second, so a small window answers at once and a large one shows progress. A run
 * silent for a minute (its process stopped) is started again by the scheduler; it is pure,
 * so starting again gives the same figures.
 */
import { assertCanRead, assertPersonCan, type Actor } from "@/lib/auth/actor";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { whatIfAccumulator, type WhatIfFigures, type WhatIfRecord } from "@/lib/governance/what-if";
import { recordTruth } from "@/lib/governance/truth";
import type { ScoredRecord } from "@/lib/gating";
import { log } from "@/lib/log";
import { requestWhatIfInputSchema } from "@/lib/validations/policies";
import { db } from "./db";
import { parseInput } from "./input";
import { policiesById } from "./policies";
import { LATEST_AMENDMENT_JOIN } from "./record-outcome";

export type WhatIfScope = { days: number } | { batchIds: string[] };

export interface WhatIfView {
  id: string;
  proposalId: string;
  scope: WhatIfScope;
  requestedBy: { id: string; name: string | null };
  requestedAt: string;
  status: "running" | "done" | "failed";
  /** records in the window (null until the window is read) */
  total: number | null;
  done: number;
  figures: WhatIfFigures | null;
  error: string | null;
  finishedAt: string | null;
  /** seconds from request to finish */
  seconds: number | null;
}

/** A run with no progress for this long has stopped (its process ended). */
const STALLED_AFTER_SECONDS = 60;

type WhatIfRow = {
  id: string;
  proposal_id: string;
  scope: WhatIfScope;
  requested_by: string;
  requester: string | null;
  requested_at: Date;
  status: WhatIfView["status"];
  total: number | null;
  done: number;
  figures: WhatIfFigures | null;
  error: string | null;
  finished_at: Date | null;
};

const WHAT_IF_SELECT = `SELECT w.id, w.proposal_id, w.scope, w.requested_by, u.name AS requester, w.requested_at, w.status, w.total, w.done, w.figures, w.error, w.finished_at
  FROM policy_whatifs w LEFT JOIN users u ON u.id = w.requested_by`;

function whatIfView(r: WhatIfRow): WhatIfView {
  return {
    id: r.id,
    proposalId: r.proposal_id,
    scope: r.scope,
    requestedBy: { id: r.requested_by, name: r.requester },
    requestedAt: r.requested_at.toISOString(),
    status: r.status,
    total: r.total,
    done: r.done,
    figures: r.figures,
    error: r.error,
    finishedAt: r.finished_at?.toISOString() ?? null,
    seconds: r.finished_at ? (r.finished_at.getTime() - r.requested_at.getTime()) / 1000 : null,
  };
}

async function whatIfById(id: string): Promise<WhatIfView> {
  return whatIfView((await db().pool.query<WhatIfRow>(`${WHAT_IF_SELECT} WHERE w.id = $1`, [id])).rows[0]!);
}

/** The latest what-if of a proposal, if any. Governance (governance:read). */
export async function latestWhatIf(actor: Actor, proposalId: string): Promise<WhatIfView | null> {
  assertCanRead(actor, "governance:read");
  const row = (await db().pool.query<WhatIfRow>(`${WHAT_IF_SELECT} WHERE w.proposal_id = $1 ORDER BY w.requested_at DESC LIMIT 1`, [proposalId])).rows[0];
  return row ? whatIfView(row) : null;
}

/**
 * Stores a what-if of a waiting proposal for a run to compute (policies:propose). Listed
 * batches must exist (422 naming them). `requestWhatIf` also starts the run.
 */
export async function createWhatIf(actor: Actor, input: unknown): Promise<string> {
  const user = assertPersonCan(actor, "policies:propose");
  const d = parseInput(requestWhatIfInputSchema, input);
  const proposal = (await db().pool.query<{ status: string }>("SELECT status FROM policy_proposals WHERE id = $1", [d.proposalId])).rows[0];
  if (!proposal) throw new NotFoundError(`No policy proposal ${d.proposalId}.`);
  if (proposal.status !== "proposed") throw new ValidationError(`This proposal was already ${proposal.status}: a what-if is for a waiting proposal.`, { proposalId: [`is ${proposal.status}`] });
  let scope: WhatIfScope;
  if (d.window === "days") scope = { days: d.days! };
  else {
    const batchIds = [...new Set(d.batchIds!.split(/[\s,]+/).filter(Boolean))];
    const known = new Set((await db().pool.query<{ id: string }>("SELECT id FROM ingest_batches WHERE id = ANY($1::text[])", [batchIds])).rows.map((r) => r.id));
    const unknown = batchIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new ValidationError(`No batch ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ""}.`, { batchIds: [`names unknown batches: ${unknown.slice(0, 5).join(", ")}`] });
    scope = { batchIds };
  }
  return (
    await db().pool.query<{ id: string }>("INSERT INTO policy_whatifs (proposal_id, scope, requested_by) VALUES ($1, $2::jsonb, $3) RETURNING id", [d.proposalId, JSON.stringify(scope), user.id])
  ).rows[0]!.id;
}

/** Asks for a what-if and starts it; answers when it is done or after a second, whichever comes first. */
export async function requestWhatIf(actor: Actor, input: unknown): Promise<WhatIfView> {
  const id = await createWhatIf(actor, input);
  const run = runWhatIf(id).catch((error: unknown) => log.error({ err: error, whatIf: id }, "what-if failed"));
  await Promise.race([run, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
  return whatIfById(id);
}

/** The window's batches, oldest first, with how many of their current results it holds. */
async function windowBatches(scope: WhatIfScope): Promise<{ batch_id: string; n: number }[]> {
  const { sql, param } = windowFilter(scope);
  return (
    await db().pool.query<{ batch_id: string; n: number }>(
      `SELECT r.batch_id, count(*)::int AS n FROM gating_results r WHERE r.current AND ${sql} GROUP BY r.batch_id ORDER BY min(r.created_at), r.batch_id`,
      [param],
    )
  ).rows;
}

function windowFilter(scope: WhatIfScope): { sql: string; param: unknown } {
  return "days" in scope
    ? { sql: "r.created_at >= now() - make_interval(days => $1::int)", param: scope.days }
    : { sql: "r.batch_id = ANY($1::text[])", param: scope.batchIds };
}

/** Runs (or runs again) a what-if: re-gates its window batch by batch, writing progress, then the figures. */
export async function runWhatIf(id: string): Promise<void> {
  const { pool } = db();
  const w = (
    await pool.query<{ scope: WhatIfScope; snapshot_id: string; base_snapshot_id: string }>(
      "UPDATE policy_whatifs w SET updated_at = now(), done = 0, status = 'running', error = NULL FROM policy_proposals p WHERE w.id = $1 AND p.id = w.proposal_id RETURNING w.scope, p.snapshot_id, p.base_snapshot_id",
      [id],
    )
  ).rows[0];
  if (!w) throw new NotFoundError(`No what-if ${id}.`);
  try {
    const snapshots = await policiesById([w.base_snapshot_id, w.snapshot_id]);
    const acc = whatIfAccumulator(snapshots.get(w.base_snapshot_id)!.snapshot, snapshots.get(w.snapshot_id)!.snapshot, new Date().toISOString());
    const batches = await windowBatches(w.scope);
    const total = batches.reduce((s, b) => s + b.n, 0);
    await pool.query("UPDATE policy_whatifs SET total = $2, updated_at = now() WHERE id = $1", [id, total]);
    const { sql, param } = windowFilter(w.scope);
    let done = 0;
    for (const b of batches) {
      const rows = (
        await pool.query<{ input: string; day: string; feedback: boolean[] | null; decided: boolean | null }>(
          `SELECT r.input, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, fb.labels AS feedback, coalesce(am.label, r.review_label) AS decided
           FROM gating_results r
           LEFT JOIN LATERAL (SELECT array_agg(l.label) AS labels FROM record_labels l WHERE l.record_id = r.record_id) fb ON true
           ${LATEST_AMENDMENT_JOIN}
           WHERE r.batch_id = $2 AND r.current AND ${sql}
           ORDER BY r.record_id`,
          [param, b.batch_id],
        )
      ).rows;
      if (rows.length === 0) continue;
      const items: WhatIfRecord[] = rows.map((r) => {
        const truth = recordTruth(r.feedback ?? [], r.decided);
        return { record: JSON.parse(r.input) as ScoredRecord, day: r.day, truth: truth.kind === "labelled" ? truth.label : null };
      });
      acc.add(b.batch_id, items);
      done += rows.length;
      await pool.query("UPDATE policy_whatifs SET done = least($2, coalesce(total, $2)), updated_at = now() WHERE id = $1", [id, done]);
    }
    await pool.query("UPDATE policy_whatifs SET status = 'done', total = $2, done = $2, figures = $3::jsonb, finished_at = now(), updated_at = now() WHERE id = $1", [
      id,
      done,
      JSON.stringify(acc.figures()),
    ]);
  } catch (error) {
    await pool.query("UPDATE policy_whatifs SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1", [id, (error as Error).message]);
    throw error;
  }
}

/** Starts again the what-ifs whose process stopped (the scheduler). Returns how many. */
export async function resumeStalledWhatIfs(): Promise<number> {
  const stalled = (
    await db().pool.query<{ id: string }>(
      `UPDATE policy_whatifs SET updated_at = now() WHERE status = 'running' AND updated_at < now() - make_interval(secs => $1) RETURNING id`,
      [STALLED_AFTER_SECONDS],
    )
  ).rows;
  for (const { id } of stalled) await runWhatIf(id).catch((error: unknown) => log.error({ err: error, whatIf: id }, "what-if failed"));
  return stalled.length;
}
