/**
 * The edit log in the database (governance spec §1). `appendEntry` is the only way in: it
 * canonicalises the entry here (lib/ledger) and calls the SQL function `edit_log_append`,
 * which serializes on the chain head, checks the subject's version and hashes in SQL —
 * one round trip, inside the caller's transaction. `verifyLedger` recomputes the chain.
 */
import type { Pool, PoolClient } from "pg";
import { ConflictError, ValidationError } from "@/lib/errors";
import { canonicalJson, createChainVerifier, type ChainVerification } from "@/lib/ledger/chain";
import { editLogEntrySchema, type EditLogEntry } from "@/lib/ledger/entry";
import { assertCanRead, type Actor } from "./actor";
import { db } from "./db";
import { parseInput } from "./input";

export interface AppendedEntry {
  seq: string;
  hash: string;
  /** as hashed: YYYY-MM-DDTHH:MM:SS.ffffffZ */
  recordedAt: string;
  subjectVersion: number;
}

/**
 * Appends one entry. `expectedVersion` is the subject's version the actor saw (0 before its
 * first entry); null skips the check (system entries). A stale version is a ConflictError.
 * Pass the transaction's client so the entry commits with what it records.
 */
export async function appendEntry(client: PoolClient | Pool, input: EditLogEntry, expectedVersion: number | null): Promise<AppendedEntry> {
  const entry = parseInput(editLogEntrySchema, input);
  const c = canonicalJson(entry);
  try {
    const row = (
      await client.query<{ seq: string; hash: string; recorded_at: string; subject_version: number }>(
        "SELECT seq::text AS seq, hash, recorded_at, subject_version FROM edit_log_append($1, $2)",
        [c, expectedVersion],
      )
    ).rows[0]!;
    return { seq: row.seq, hash: row.hash, recordedAt: row.recorded_at, subjectVersion: row.subject_version };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "SR409") throw new ConflictError((error as Error).message);
    if (code === "SR422") throw new ValidationError((error as Error).message, {});
    throw error;
  }
}

const PAGE = 5000;

type ExportRow = { seq: string; c: string; recordedAt: string; prevHash: string; hash: string };

/** All entries in seq order, page by page, as the export and the verifier read them. */
async function* entriesInOrder(): AsyncGenerator<ExportRow> {
  let after = "0";
  for (;;) {
    const rows = (
      await db().pool.query<ExportRow>(
        `SELECT seq::text AS seq, c, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "recordedAt", prev_hash AS "prevHash", hash
         FROM edit_log WHERE edit_log.seq > $1::bigint ORDER BY edit_log.seq LIMIT ${PAGE}`,
        [after],
      )
    ).rows;
    yield* rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.seq;
  }
}

/**
 * The export (docs/ledger.md): one JSON line per entry `{ c, seq, recordedAt, prevHash,
 * hash }`, in seq order, streamed. For governance and read-scoped tokens.
 */
export async function* exportLedger(actor: Actor): AsyncGenerator<string> {
  assertCanRead(actor, "governance:read");
  for await (const row of entriesInOrder()) {
    yield `${JSON.stringify({ c: row.c, seq: row.seq, recordedAt: row.recordedAt, prevHash: row.prevHash, hash: row.hash })}\n`;
  }
}

/**
 * Recomputes the whole chain from the table, page by page, and names the first bad entry.
 * For governance, read-scoped tokens, and the operator at the shell (`npm run
 * ledger:verify`): the verdict shows no entry's content.
 */
export async function verifyLedger(actor: Actor): Promise<ChainVerification> {
  if (actor.kind !== "operator") assertCanRead(actor, "governance:read");
  const verifier = createChainVerifier();
  for await (const row of entriesInOrder()) if (verifier.push(row)) return verifier.result();
  const result = verifier.result();
  // The head must be the last entry: a deleted tail would otherwise verify.
  const head = (await db().pool.query<{ seq: string; hash: string }>("SELECT seq::text AS seq, hash FROM edit_log_head WHERE id = 1")).rows[0];
  if (result.ok && head && (head.seq !== String(result.count) || head.hash !== result.headHash)) {
    return { ok: false, count: result.count, firstBad: { seq: head.seq, reason: `the chain head says ${head.seq} entries ending in ${head.hash.slice(0, 12)}…, the log holds ${result.count}` } };
  }
  return result;
}
