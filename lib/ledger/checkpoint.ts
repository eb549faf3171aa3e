/**
 * Ed25519-signed checkpoints of the edit log (governance spec §1): "the chain had `seq`
 * entries ending in `headHash` at `signedAt`", signed with the server's private key. With
 * the public key (published on the ledger page and in every checkpoint line of the export)
 * an outside auditor proves that nothing up to `seq` was rewritten since — an HMAC could
 * only be checked by the server itself. Pure: node:crypto only.
 *
 * A checkpoint that carries `rootHash` is a signed tree head (RFC 9162 style): it also signs
 * the Merkle root of the tree of `seq` entries, so inclusion and consistency proofs end in
 * a signed root. Checkpoints signed before tree heads have no root and keep their message.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";

export interface CheckpointBody {
  /** entries covered: the chain's seq at signing */
  seq: string;
  headHash: string;
  /** ISO 8601 UTC time of signing */
  signedAt: string;
  /** hex RFC 9162 root of the tree of `seq` entries; absent on checkpoints older than tree heads */
  rootHash?: string | null;
}

export interface SignedCheckpoint extends CheckpointBody {
  type: "checkpoint";
  /** = seq, when the checkpoint is a tree head (the RFC's name for it) */
  treeSize?: string;
  /** first 16 hex of sha256(raw public key) */
  keyId: string;
  /** raw 32-byte Ed25519 public key, base64 */
  publicKey: string;
  /** Ed25519 signature of checkpointMessage(body), base64 */
  signature: string;
}

/**
 * The exact bytes signed: lines after a fixed tag, so any language rebuilds them. A tree
 * head signs its size and root before the chain head; an older checkpoint (no root) keeps
 * the message it was signed with, so history stays verifiable as it was written.
 */
export function checkpointMessage(body: CheckpointBody): string {
  return body.rootHash
    ? `sentinel-ledger-tree-head\n${body.seq}\n${body.rootHash}\n${body.headHash}\n${body.signedAt}`
    : `sentinel-ledger-checkpoint\n${body.seq}\n${body.headHash}\n${body.signedAt}`;
}

/** A new signing key, as PKCS#8 DER in base64 (what .data/secrets.json or LEDGER_SIGNING_KEY holds). */
export function generateSigningKey(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
}

export interface SigningKey {
  privateKey: KeyObject;
  /** raw 32 bytes, base64 */
  publicKey: string;
  keyId: string;
  /** SubjectPublicKeyInfo PEM, for tools that want one */
  publicKeyPem: string;
}

/** Reads a key as stored (PKCS#8 DER base64, or a PEM); throws naming the problem. */
export function loadSigningKey(stored: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = stored.includes("-----BEGIN") ? createPrivateKey(stored) : createPrivateKey({ key: Buffer.from(stored, "base64"), format: "der", type: "pkcs8" });
  } catch (error) {
    throw new Error(`The ledger signing key is not a PKCS#8 key (${(error as Error).message}).`);
  }
  if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`The ledger signing key must be Ed25519, not ${privateKey.asymmetricKeyType}.`);
  const publicObject = createPublicKey(privateKey);
  const raw = publicObject.export({ format: "jwk" }).x!; // base64url of the raw 32 bytes
  const rawBytes = Buffer.from(raw, "base64url");
  return {
    privateKey,
    publicKey: rawBytes.toString("base64"),
    keyId: createHash("sha256").update(rawBytes).digest("hex").slice(0, 16),
    publicKeyPem: publicObject.export({ format: "pem", type: "spki" }).toString(),
  };
}

export function signCheckpoint(body: CheckpointBody, key: SigningKey): SignedCheckpoint {
  const signature = sign(null, Buffer.from(checkpointMessage(body), "utf8"), key.privateKey).toString("base64");
  const head = body.rootHash ? { treeSize: body.seq, rootHash: body.rootHash } : {};
  return { type: "checkpoint", seq: body.seq, ...head, headHash: body.headHash, signedAt: body.signedAt, keyId: key.keyId, publicKey: key.publicKey, signature };
}

/** Checks a checkpoint's signature against a raw base64 public key (the one the auditor trusts). */
export function verifyCheckpoint(checkpoint: CheckpointBody & { signature: string }, publicKey: string): boolean {
  if (Buffer.from(publicKey, "base64").length !== 32) return false;
  const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(publicKey, "base64").toString("base64url") }, format: "jwk" });
  return verify(null, Buffer.from(checkpointMessage(checkpoint), "utf8"), key, Buffer.from(checkpoint.signature, "base64"));
}
