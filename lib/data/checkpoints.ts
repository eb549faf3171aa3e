/**
 * Signed checkpoints of the edit log (governance spec §1; lib/ledger/checkpoint.ts): the
 * key comes from LEDGER_SIGNING_KEY or is generated once into .data/secrets.json; a
 * checkpoint is signed on a schedule (instrumentation.ts, only when the chain moved) and on
 * demand (governance, `npm run ledger:checkpoint`), stored append-only, and published in
 * the export beside the entry it covers. Every new checkpoint is a signed tree head: it
 * carries the RFC 9162 root of the tree of `seq` entries, and is also written to the
 * witness file outside the database (lib/data/witness.ts).
 */
import pg, { type Pool, type PoolClient } from "pg";
import { generateSigningKey, loadSigningKey, signCheckpoint, type SignedCheckpoint, type SigningKey } from "@/lib/ledger/checkpoint";
import { nodeKey, rootHash, rootPlan } from "@/lib/ledger/merkle";
import { compareWitness, type WitnessComparison, type WitnessedHead } from "@/lib/ledger/witness";
import { loadEnv } from "@/lib/env";
import { ValidationError } from "@/lib/errors";
import { localSecret } from "@/lib/secrets";
import { assertCan, assertCanRead, type Actor } from "@/lib/auth/actor";
import { db, transaction } from "./db";
import { appendWitness, readWitness } from "./witness";

const globalForKey = globalThis as unknown as { sentinelLedgerKey?: SigningKey };

/** The server's signing key (public half shown on the ledger page). */
export function ledgerSigningKey(): SigningKey {
  globalForKey.sentinelLedgerKey ??= loadSigningKey(loadEnv().LEDGER_SIGNING_KEY ?? localSecret("ledgerSigningKey", undefined, generateSigningKey));
  return globalForKey.sentinelLedgerKey;
}

type Row = { seq: string; root_hash: string | null; head_hash: string; signed_at: string; key_id: string; public_key: string; signature: string };

const toCheckpoint = (r: Row): SignedCheckpoint => ({
  type: "checkpoint",
  seq: r.seq,
  ...(r.root_hash ? { treeSize: r.seq, rootHash: r.root_hash } : {}),
  headHash: r.head_hash,
  signedAt: r.signed_at,
  keyId: r.key_id,
  publicKey: r.public_key,
  signature: r.signature,
});

const COLUMNS = "seq::text AS seq, root_hash, head_hash, signed_at, key_id, public_key, signature";

/** A signed tree head as a proof carries it: the size and root it is about, and who signed when. */
export interface SignedTreeHead {
  treeSize: number;
  rootHash: string;
  headHash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

const toTreeHead = (r: Row): SignedTreeHead => ({ treeSize: Number(r.seq), rootHash: r.root_hash!, headHash: r.head_hash, signedAt: r.signed_at, keyId: r.key_id, signature: r.signature });

/** The newest signed tree head of exactly `treeSize` entries, if one was ever signed. */
export async function signedTreeHeadOfSize(client: PoolClient, treeSize: number): Promise<SignedTreeHead | null> {
  const row = (await client.query<Row>(`SELECT ${COLUMNS} FROM ledger_checkpoints WHERE seq = $1::bigint AND root_hash IS NOT NULL ORDER BY id DESC LIMIT 1`, [treeSize])).rows[0];
  return row ? toTreeHead(row) : null;
}

/** The largest signed tree head (the newest of that size). */
export async function latestSignedTreeHead(client: PoolClient | Pool): Promise<SignedTreeHead | null> {
  const row = (await client.query<Row>(`SELECT ${COLUMNS} FROM ledger_checkpoints WHERE root_hash IS NOT NULL ORDER BY ledger_checkpoints.seq DESC, id DESC LIMIT 1`)).rows[0];
  return row ? toTreeHead(row) : null;
}

/**
 * The one place a checkpoint is written: through `ledger_checkpoint_append`, which accepts it
 * only when its key is registered, its head and root are the log's at its size and its
 * signature verifies (the app's login may not INSERT). A refusal names the field.
 */
async function insertCheckpoint(c: SignedCheckpoint): Promise<void> {
  try {
    await db().pool.query("SELECT ledger_checkpoint_append($1::bigint, $2, $3, $4, $5, $6, $7)", [c.seq, c.rootHash ?? null, c.headHash, c.signedAt, c.keyId, c.publicKey, c.signature]);
  } catch (error) {
    if ((error as { code?: string }).code === "SR422") throw new ValidationError(`The database refused the tree head: ${(error as Error).message}.`, {});
    throw error;
  }
}

/**
 * Registers the server's signing key as one the database accepts tree heads from. Owner's
 * work (`ownerUrl`: npm start, the operator CLI, tests and benchmarks after migrating): the
 * app's login may read the keys but never add one, or it could sign whatever it liked.
 */
export async function registerSigningKey(ownerUrl: string, key: SigningKey = ledgerSigningKey()): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query("INSERT INTO ledger_signing_keys (key_id, public_key) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING", [key.keyId, key.publicKey]);
  } finally {
    await client.end();
  }
}

/** The chain head and the root of the tree of that many entries, in one snapshot (the root from the stored subtrees, O(log n) reads). */
function headAndRoot(): Promise<{ seq: string; hash: string; rootHash: string }> {
  return transaction(
    async (client) => {
      const head = (await client.query<{ seq: string; hash: string }>("SELECT seq::text AS seq, hash FROM edit_log_head WHERE id = 1")).rows[0]!;
      const size = Number(head.seq);
      const plan = rootPlan(size);
      const rows = (
        await client.query<{ level: number; idx: string; hash: Buffer }>(
          "SELECT t.level, t.idx::text AS idx, t.hash FROM edit_log_tree t JOIN unnest($1::smallint[], $2::bigint[]) AS p(level, idx) ON t.level = p.level AND t.idx = p.idx",
          [plan.map((n) => n.level), plan.map((n) => n.index)],
        )
      ).rows;
      const nodes = new Map(rows.map((r) => [nodeKey({ level: r.level, index: Number(r.idx) }), r.hash]));
      return { ...head, rootHash: rootHash(size, nodes).toString("hex") };
    },
    { readOnlySnapshot: true },
  );
}

/**
 * Signs a tree head of the log now: its size, the Merkle root and the chain head. With
 * `onlyIfMoved`, returns the latest tree head instead when the head has not moved since (the
 * schedule). Signing is a write, so it takes ledger:sign (governance) or the operator (the
 * CLI and the schedule); a read token never signs. After the row commits, the head is
 * appended to the witness file; a failure there is thrown (the head is signed, and verify
 * will report it missing from the witness).
 */
export async function createCheckpoint(actor: Actor, options: { onlyIfMoved?: boolean } = {}): Promise<{ checkpoint: SignedCheckpoint; created: boolean }> {
  if (actor.kind !== "operator") assertCan(actor, "ledger:sign");
  const key = ledgerSigningKey();
  const head = await headAndRoot();
  if (options.onlyIfMoved) {
    const latest = (await db().pool.query<Row>(`SELECT ${COLUMNS} FROM ledger_checkpoints ORDER BY id DESC LIMIT 1`)).rows[0];
    if (latest && latest.seq === head.seq && latest.root_hash && latest.key_id === key.keyId) return { checkpoint: toCheckpoint(latest), created: false };
  }
  const checkpoint = signCheckpoint({ seq: head.seq, rootHash: head.rootHash, headHash: head.hash, signedAt: new Date().toISOString() }, key);
  await insertCheckpoint(checkpoint);
  await appendWitness(witnessedHead(checkpoint));
  return { checkpoint, created: true };
}

const witnessedHead = (c: SignedCheckpoint): WitnessedHead => ({
  treeSize: c.seq,
  rootHash: c.rootHash!,
  headHash: c.headHash,
  signedAt: c.signedAt,
  keyId: c.keyId,
  publicKey: c.publicKey,
  signature: c.signature,
});

/** Checkpoints, newest first. */
export async function listCheckpoints(actor: Actor, limit = 20): Promise<SignedCheckpoint[]> {
  assertCanRead(actor, "governance:read");
  return (await db().pool.query<Row>(`SELECT ${COLUMNS} FROM ledger_checkpoints ORDER BY id DESC LIMIT $1`, [limit])).rows.map(toCheckpoint);
}

/** All checkpoints in chain order (for the export, which places each after the entry it covers). */
export async function checkpointsInOrder(): Promise<SignedCheckpoint[]> {
  return (await db().pool.query<Row>(`SELECT ${COLUMNS} FROM ledger_checkpoints ORDER BY ledger_checkpoints.seq, id`)).rows.map(toCheckpoint);
}

/** The signed tree heads the database holds, as the witness file holds them (for verifyLedger). */
export async function treeHeadsAsWitnessed(upToId: string): Promise<WitnessedHead[]> {
  return (
    await db().pool.query<Row>(`SELECT ${COLUMNS} FROM ledger_checkpoints WHERE root_hash IS NOT NULL AND id <= $1::bigint ORDER BY ledger_checkpoints.seq, id`, [upToId])
  ).rows.map((r) => witnessedHead(toCheckpoint(r)));
}

/**
 * The witness at a glance, for the edit log page: the database's tree heads against the
 * file's, field by field (O(heads), no pass over the entries; Verify also recomputes the
 * roots). Heads committed after the first read are left to the next look.
 */
export async function witnessAtAGlance(actor: Actor): Promise<WitnessComparison> {
  assertCanRead(actor, "governance:read");
  const lastHeadId = await lastCheckpointId();
  const witnessed = await readWitness();
  return compareWitness(witnessed.file, await treeHeadsAsWitnessed(lastHeadId), witnessed, null);
}

/** The newest checkpoint row's id ("0" when none): heads up to it have reached the witness file unless something failed. */
export async function lastCheckpointId(): Promise<string> {
  return (await db().pool.query<{ id: string | null }>("SELECT max(id)::text AS id FROM ledger_checkpoints")).rows[0]!.id ?? "0";
}

/** The size of the latest signed tree head (null before the first): entries up to it have a proof. */
export async function latestTreeHeadSize(actor: Actor): Promise<number | null> {
  assertCanRead(actor, "governance:read");
  return (await latestSignedTreeHead(db().pool))?.treeSize ?? null;
}
