/**
 * Proofs over the edit log's Merkle tree (RFC 9162 §2.1; lib/ledger/merkle.ts), read from
 * the perfect subtrees a trigger stores as entries are appended (`edit_log_tree`): an
 * inclusion proof shows one entry is in the log of a given size without the rest of the
 * log; a consistency proof shows a later log extends an earlier one. Each reads O(log n)
 * stored hashes in one query, in one snapshot with the signed tree head it is against:
 * proofs exist only for sizes whose tree head was signed (lib/data/checkpoints.ts).
 */
import type { PoolClient } from "pg";
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { ValidationError } from "@/lib/errors";
import { consistencyPlan, consistencyProof, inclusionPlan, inclusionProof, nodeKey, type ConsistencyProof, type InclusionProof, type NodeRef } from "@/lib/ledger/merkle";
import { consistencyProofQuerySchema, inclusionProofQuerySchema } from "@/lib/validations/ledger";
import { latestSignedTreeHead, signedTreeHeadOfSize, type SignedTreeHead } from "./checkpoints";
import { transaction } from "./db";
import { parseInput } from "./input";

export interface EntryInclusionProof extends InclusionProof {
  /** the entry's seq (leaf index + 1) and its chain hash (the leaf's input) */
  seq: number;
  entryHash: string;
  /** the signed tree head whose root the proof reaches */
  treeHead: SignedTreeHead;
}

export interface SignedConsistencyProof extends ConsistencyProof {
  /** the signed tree heads of both sizes */
  firstTreeHead: SignedTreeHead;
  secondTreeHead: SignedTreeHead;
}

/** Runs `read` in one read-only snapshot. */
function inSnapshot<T>(read: (client: PoolClient) => Promise<T>): Promise<T> {
  return transaction(read, { readOnlySnapshot: true });
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

/**
 * Proofs are served only against sizes a tree head was signed for: a root nobody signed
 * proves nothing to an outsider, who could be shown a different tree of that size.
 */
async function signedHead(client: PoolClient, name: string, size: number): Promise<SignedTreeHead> {
  const head = await signedTreeHeadOfSize(client, size);
  if (!head) throw new ValidationError(`No tree head of ${size} entries was signed.`, { [name]: [`must be the size of a signed tree head; ${size} was never signed`] });
  return head;
}

/** The stored tree and the signed head must agree; a proof that contradicts its own head is never served. */
function sameRoot(head: SignedTreeHead, root: string): void {
  if (head.rootHash !== root) throw new Error(`the stored tree's root of ${head.treeSize} entries (${root}) is not the signed tree head's (${head.rootHash}): run npm run ledger:verify`);
}

/**
 * The inclusion proof of entry `seq` in the signed tree head of `treeSize` entries (default:
 * the latest signed tree head). Read scope or governance.
 */
export async function ledgerInclusionProof(actor: Actor, input: unknown): Promise<EntryInclusionProof> {
  assertCanRead(actor, "governance:read");
  const d = parseInput(inclusionProofQuerySchema, input);
  return inSnapshot(async (client) => {
    let treeHead: SignedTreeHead;
    if (d.treeSize === undefined) {
      const latest = await latestSignedTreeHead(client);
      if (!latest) throw new ValidationError("No tree head has been signed yet.", { seq: ["no tree head has been signed yet: wait for the next scheduled one, or sign one on the edit log page (npm run ledger:checkpoint)"] });
      if (d.seq > latest.treeSize) {
        throw new ValidationError(`Entry ${d.seq} is newer than the latest signed tree head (${latest.treeSize} entries).`, {
          seq: [`is newer than the latest signed tree head (${latest.treeSize} entries): wait for the next tree head, or sign one`],
        });
      }
      treeHead = latest;
    } else {
      treeHead = await signedHead(client, "treeSize", d.treeSize);
    }
    const treeSize = treeHead.treeSize;
    if (d.seq > treeSize) throw new ValidationError(`Entry ${d.seq} is not in a log of ${treeSize} entries.`, { seq: [`must be at most the tree size, ${treeSize}`] });
    const proof = inclusionProof(d.seq - 1, treeSize, await nodes(client, inclusionPlan(d.seq - 1, treeSize)));
    sameRoot(treeHead, proof.rootHash);
    const entryHash = (await client.query<{ hash: string }>("SELECT hash FROM edit_log WHERE seq = $1", [d.seq])).rows[0]!.hash;
    return { seq: d.seq, entryHash, ...proof, treeHead };
  });
}

/** The consistency proof between the signed tree heads of `first` and `second` entries. Read scope or governance. */
export async function ledgerConsistencyProof(actor: Actor, input: unknown): Promise<SignedConsistencyProof> {
  assertCanRead(actor, "governance:read");
  const d = parseInput(consistencyProofQuerySchema, input);
  if (d.first > d.second) throw new ValidationError(`The first tree (${d.first}) is larger than the second (${d.second}).`, { first: [`must be at most second (${d.second})`] });
  return inSnapshot(async (client) => {
    const firstTreeHead = await signedHead(client, "first", d.first);
    const secondTreeHead = await signedHead(client, "second", d.second);
    const proof = consistencyProof(d.first, d.second, await nodes(client, consistencyPlan(d.first, d.second)));
    sameRoot(firstTreeHead, proof.firstRoot);
    sameRoot(secondTreeHead, proof.secondRoot);
    return { ...proof, firstTreeHead, secondTreeHead };
  });
}
