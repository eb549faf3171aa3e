/**
 * Signed checkpoints of the edit log (governance spec §1; lib/ledger/checkpoint.ts): the
 * key comes from LEDGER_SIGNING_KEY or is generated once into .data/secrets.json; a
 * checkpoint is signed on a schedule (instrumentation.ts, only when the chain moved) and on
 * demand (governance, `npm run ledger:checkpoint`), stored append-only, and published in
 * the export beside the entry it covers.
 */
import { generateSigningKey, loadSigningKey, signCheckpoint, type SignedCheckpoint, type SigningKey } from "@/lib/ledger/checkpoint";
import { loadEnv } from "@/lib/env";
import { localSecret } from "@/lib/secrets";
import { assertCan, assertCanRead, type Actor } from "@/lib/auth/actor";
import { db } from "./db";

const globalForKey = globalThis as unknown as { sentinelLedgerKey?: SigningKey };

/** The server's signing key (public half shown on the ledger page). */
export function ledgerSigningKey(): SigningKey {
  globalForKey.sentinelLedgerKey ??= loadSigningKey(loadEnv().LEDGER_SIGNING_KEY ?? localSecret("ledgerSigningKey", undefined, generateSigningKey));
  return globalForKey.sentinelLedgerKey;
}

type Row = { seq: string; head_hash: string; signed_at: string; key_id: string; public_key: string; signature: string };

const toCheckpoint = (r: Row): SignedCheckpoint => ({
  type: "checkpoint",
  seq: r.seq,
  headHash: r.head_hash,
  signedAt: r.signed_at,
  keyId: r.key_id,
  publicKey: r.public_key,
  signature: r.signature,
});

const COLUMNS = "seq::text AS seq, head_hash, signed_at, key_id, public_key, signature";

/**
 * Signs the chain head now. With `onlyIfMoved`, returns the latest checkpoint instead when
 * the head has not moved since (the schedule). Signing is a write, so it takes ledger:sign
 * (governance) or the operator (the CLI and the schedule); a read token never signs.
 */
export async function createCheckpoint(actor: Actor, options: { onlyIfMoved?: boolean } = {}): Promise<{ checkpoint: SignedCheckpoint; created: boolean }> {
  if (actor.kind !== "operator") assertCan(actor, "ledger:sign");
  const key = ledgerSigningKey();
  const head = (await db().pool.query<{ seq: string; hash: string }>("SELECT seq::text AS seq, hash FROM edit_log_head WHERE id = 1")).rows[0]!;
  if (options.onlyIfMoved) {
    const latest = (await db().pool.query<Row>(`SELECT ${COLUMNS} FROM ledger_checkpoints ORDER BY id DESC LIMIT 1`)).rows[0];
    if (latest && latest.seq === head.seq && latest.key_id === key.keyId) return { checkpoint: toCheckpoint(latest), created: false };
  }
  const checkpoint = signCheckpoint({ seq: head.seq, headHash: head.hash, signedAt: new Date().toISOString() }, key);
  await db().pool.query(
    "INSERT INTO ledger_checkpoints (seq, head_hash, signed_at, key_id, public_key, signature) VALUES ($1::bigint, $2, $3, $4, $5, $6)",
    [checkpoint.seq, checkpoint.headHash, checkpoint.signedAt, checkpoint.keyId, checkpoint.publicKey, checkpoint.signature],
  );
  return { checkpoint, created: true };
}

/** Checkpoints, newest first. */
export async function listCheckpoints(actor: Actor, limit = 20): Promise<SignedCheckpoint[]> {
  assertCanRead(actor, "governance:read");
  return (await db().pool.query<Row>(`SELECT ${COLUMNS} FROM ledger_checkpoints ORDER BY id DESC LIMIT $1`, [limit])).rows.map(toCheckpoint);
}

/** All checkpoints in chain order (for the export, which places each after the entry it covers). */
export async function checkpointsInOrder(): Promise<SignedCheckpoint[]> {
  return (await db().pool.query<Row>(`SELECT ${COLUMNS} FROM ledger_checkpoints ORDER BY seq, id`)).rows.map(toCheckpoint);
}

