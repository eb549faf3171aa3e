/**
 * The edit log's tamper evidence (governance spec §1), as one definition that SQL,
 * TypeScript and an outsider compute alike:
 *   c    = RFC 8785 (JCS) canonical JSON of the entry without seq, recordedAt, prevHash, hash
 *   hash = hex(sha256(utf8(c + "\n" + seq + "\n" + recordedAt + "\n" + prevHash)))
 * with recordedAt as `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds, as SQL formats it)
 * and the first entry's prevHash 64 zeros. Pure: `node:crypto` computes, nothing is read.
 */
import { createHash } from "node:crypto";
import canonicalize from "canonicalize";

export const GENESIS_HASH = "0".repeat(64);
/** recordedAt as the chain hashes it: microseconds, always UTC `Z`. */
const RECORDED_AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** RFC 8785 canonical JSON; refuses what JSON cannot carry (undefined, NaN, Infinity, functions). */
export function canonicalJson(value: unknown): string {
  assertJsonValue(value, "$");
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("the value has no JSON form");
  return text;
}

function assertJsonValue(value: unknown, at: string): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`${at} is ${value}: JSON has no such number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertJsonValue(v, `${at}[${i}]`));
    return;
  }
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) throw new TypeError(`${at}.${k} is undefined: leave the key out or use null`);
      assertJsonValue(v, `${at}.${k}`);
    }
    return;
  }
  throw new TypeError(`${at} is not a JSON value`);
}

export function entryHash(c: string, seq: number | bigint | string, recordedAt: string, prevHash: string): string {
  return createHash("sha256").update(`${c}\n${seq}\n${recordedAt}\n${prevHash}`, "utf8").digest("hex");
}

/** One exported entry, as the export's JSON lines carry it (other fields are ignored). */
export interface ChainLink {
  readonly c: string;
  readonly seq: number | string;
  readonly recordedAt: string;
  readonly prevHash: string;
  readonly hash: string;
}

export type ChainVerification =
  | { readonly ok: true; readonly count: number; readonly headHash: string }
  | { readonly ok: false; readonly count: number; readonly firstBad: { readonly seq: string; readonly reason: string } };

/**
 * Checks links one at a time, in order (for streams and pages): `push` answers the first
 * problem, after which the verifier stops accepting; `result` is the verdict so far.
 */
export function createChainVerifier() {
  let expectedSeq = 1n;
  let prev = GENESIS_HASH;
  let count = 0;
  let failure: ChainVerification | null = null;
  const fail = (seq: unknown, reason: string): ChainVerification => (failure = { ok: false, count, firstBad: { seq: String(seq), reason } });
  return {
    push(link: ChainLink): ChainVerification | null {
      if (failure) return failure;
      let seq: bigint;
      try {
        seq = BigInt(link.seq);
      } catch {
        return fail(link.seq, "seq is not an integer");
      }
      if (seq !== expectedSeq) return fail(link.seq, `seq ${seq} where ${expectedSeq} was expected (a gap or a repeat)`);
      if (!RECORDED_AT_PATTERN.test(link.recordedAt)) return fail(link.seq, `recordedAt "${link.recordedAt}" is not YYYY-MM-DDTHH:MM:SS.ffffffZ`);
      if (link.prevHash !== prev) return fail(link.seq, "prevHash is not the previous entry's hash (the chain was cut or reordered)");
      let canonical: string;
      try {
        canonical = canonicalJson(JSON.parse(link.c));
      } catch {
        return fail(link.seq, "c is not JSON");
      }
      if (canonical !== link.c) return fail(link.seq, "c is not in canonical (RFC 8785) form");
      if (!HASH_PATTERN.test(link.hash) || entryHash(link.c, seq, link.recordedAt, link.prevHash) !== link.hash) {
        return fail(link.seq, "hash does not match the entry (its content, seq, time or prevHash changed)");
      }
      prev = link.hash;
      expectedSeq += 1n;
      count += 1;
      return null;
    },
    result(): ChainVerification {
      return failure ?? { ok: true, count, headHash: prev };
    },
  };
}

/**
 * Recomputes a chain in order and names the first bad entry: a gap or repeat in seq, a
 * prevHash that is not the previous hash, a hash that does not match, a `c` that is not
 * canonical JSON, a recordedAt not in the hashed format.
 */
export function verifyChain(links: Iterable<ChainLink>): ChainVerification {
  const verifier = createChainVerifier();
  for (const link of links) if (verifier.push(link)) break;
  return verifier.result();
}
