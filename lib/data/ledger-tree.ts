/**
 * Proofs over the edit log's Merkle tree (RFC 9162 §2.1; lib/ledger/merkle.ts), read from
 * the perfect subtrees a trigger stores as entries are appended (`edit_log_tree`): an
 * inclusion proof shows one entry is in the log of a given size without the rest of the
 * log; a consistency proof shows a later log extends an earlier one. Each reads O(log n)
 * stored hashes in one query, in one snapshot with the log's size.
 */
import type { PoolClient } from "pg";
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { ValidationError } from "@/lib/errors";
import { consistencyPlan, consistencyProof, inclusionPlan, inclusionProof, nodeKey, type ConsistencyProof, type InclusionProof, type NodeRef } from "@/lib/ledger/merkle";
import { consistencyProofQuerySchema, inclusionProofQuerySchema } from "@/lib/validations/ledger";
import { transaction } from "./db";
import { parseInput } from "./input";

export interface EntryInclusionProof extends InclusionProof {
  /** the entry's seq (leaf index + 1) and its chain hash (the leaf's input) */
  seq: number;
  entryHash: string;
}

/** Runs `read` in one read-only snapshot, with the log's size in it. */
function inSnapshot<T>(read: (client: PoolClient, size: number) => Promise<T>): Promise<T> {
  return transaction(async (client) => {
    const size = Number((await client.query<{ seq: string }>("SELECT seq::text AS seq FROM edit_log_head WHERE id = 1")).rows[0]!.seq);
    return read(client, size);
  }, { readOnlySnapshot: true });
}

async function nodes(client: PoolClient, plan: readonly NodeRef[]): Promise<Map<string, Buffer>> {
  const rows = (
    await client.query<{ level: number; idx: string; hash: Buffer }>(
      "SELECT t.level, t.idx::text AS idx, t.hash FROM edit_log_tree t JOIN unnest($1::smallint[], $2::bigint[]) AS p(level, idx) ON t.level = p.level AND t.idx = p.idx",
      [plan.map((n) => n.level), plan.map((n) => n.index)],
    )
  ).rows;
  return new Map(rows.map((r) => [nodeKey({ level: r.level, index: Number(r.idx) }), r.hash]));
}

function sizeWithin(name: string, value: number, size: number): void {
  if (value > size) throw new ValidationError(`The edit log holds ${size} entries.`, { [name]: [`must be at most ${size}, the entries the log holds`] });
}

/** The inclusion proof of entry `seq` in the log of `treeSize` entries (default: all of it now). Read scope or governance. */
export async function ledgerInclusionProof(actor: Actor, input: unknown): Promise<EntryInclusionProof> {
  assertCanRead(actor, "governance:read");
  const d = parseInput(inclusionProofQuerySchema, input);
  return inSnapshot(async (client, size) => {
    const treeSize = d.treeSize ?? size;
    sizeWithin("treeSize", treeSize, size);
    if (d.seq > treeSize) throw new ValidationError(`Entry ${d.seq} is not in a log of ${treeSize} entries.`, { seq: [`must be at most the tree size, ${treeSize}`] });
    const proof = inclusionProof(d.seq - 1, treeSize, await nodes(client, inclusionPlan(d.seq - 1, treeSize)));
    const entryHash = (await client.query<{ hash: string }>("SELECT hash FROM edit_log WHERE seq = $1", [d.seq])).rows[0]!.hash;
    return { seq: d.seq, entryHash, ...proof };
  });
}

/** The consistency proof between the log of `first` entries and the log of `second` entries. Read scope or governance. */
export async function ledgerConsistencyProof(actor: Actor, input: unknown): Promise<ConsistencyProof> {
  assertCanRead(actor, "governance:read");
  const d = parseInput(consistencyProofQuerySchema, input);
  if (d.first > d.second) throw new ValidationError(`The first tree (${d.first}) is larger than the second (${d.second}).`, { first: [`must be at most second (${d.second})`] });
  return inSnapshot(async (client, size) => {
    sizeWithin("second", d.second, size);
    return consistencyProof(d.first, d.second, await nodes(client, consistencyPlan(d.first, d.second)));
  });
}
