/**
 * What two-person proposals share (policy changes, model promotions): who proposed and who
 * decided, when, at which edit-log entry and why — the same columns in both tables, read
 * the same way — and a replayed request answered with the proposal it made or decided.
 */
import { ConflictError, ReplayedRequestError } from "@/lib/errors";
import { db } from "./db";

export interface TwoPersonSteps {
  proposedBy: { id: string; name: string | null };
  proposedAt: string;
  proposedSeq: string;
  decidedBy: { id: string; name: string | null } | null;
  decidedAt: string | null;
  decidedSeq: string | null;
  decisionReason: string | null;
}

export type TwoPersonRow = {
  proposed_by: string;
  proposer: string | null;
  proposed_at: Date;
  proposed_seq: string;
  decided_by: string | null;
  decider: string | null;
  decided_at: Date | null;
  decided_seq: string | null;
  decision_reason: string | null;
};

/** The steps' columns of a proposal table aliased `p`, with `STEP_JOINS` for the people's names. */
export const STEP_COLUMNS = `p.proposed_by, pu.name AS proposer, p.proposed_at, p.proposed_seq::text AS proposed_seq,
  p.decided_by, du.name AS decider, p.decided_at, p.decided_seq::text AS decided_seq, p.decision_reason`;
export const STEP_JOINS = "LEFT JOIN users pu ON pu.id = p.proposed_by LEFT JOIN users du ON du.id = p.decided_by";
/** Joins the edit-log entry that proposed or decided `p` (to find a request's proposal by its request id). */
export const REQUEST_JOIN = "JOIN edit_log e ON e.seq = p.proposed_seq OR e.seq = p.decided_seq";

export function stepsOf(r: TwoPersonRow): TwoPersonSteps {
  return {
    proposedBy: { id: r.proposed_by, name: r.proposer },
    proposedAt: r.proposed_at.toISOString(),
    proposedSeq: r.proposed_seq,
    decidedBy: r.decided_by ? { id: r.decided_by, name: r.decider } : null,
    decidedAt: r.decided_at?.toISOString() ?? null,
    decidedSeq: r.decided_seq,
    decisionReason: r.decision_reason,
  };
}

/**
 * Runs a write that returns a proposal's id and reads it back; a replayed request (its
 * entry already written, or a conflict its first attempt caused) is answered with the
 * proposal that request made or decided, if there is one.
 */
export async function orReplayed<T>(requestId: string, write: () => Promise<string>, read: { byId: (id: string) => Promise<T | null>; ofRequest: (requestId: string) => Promise<T | null> }): Promise<T> {
  try {
    return (await read.byId(await write()))!;
  } catch (error) {
    if (!(error instanceof ReplayedRequestError || error instanceof ConflictError)) throw error;
    const earlier = await read.ofRequest(requestId);
    if (!earlier) throw error;
    return earlier;
  }
}

/** The first row a query over proposals finds, made into its view. */
export async function oneProposal<R, T>(sql: string, params: unknown[], view: (r: R) => T): Promise<T | null> {
  const row = (await db().pool.query<R & object>(sql, params)).rows[0];
  return row ? view(row) : null;
}
