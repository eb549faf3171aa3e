/**
 * The witness file (lib/ledger/witness.ts): each signed tree head is appended, after its
 * INSERT commits, to LEDGER_WITNESS_DIR/<logId>.jsonl, outside the database. The file is
 * named by the log's identity (`ledger_identity`, a UUID the migration writes once), so
 * several databases on one server and one project folder (the tests) each keep their own.
 */
import fs from "node:fs";
import path from "node:path";
import { loadEnv } from "@/lib/env";
import { dataPath } from "@/lib/paths";
import { parseWitness, witnessLine, type WitnessedHead, type WitnessFileRead } from "@/lib/ledger/witness";
import { db } from "./db";

// Per database handle: the identity never changes, but tests and CLIs switch databases.
const logIds = new WeakMap<object, string>();

async function logId(): Promise<string> {
  const key = db();
  const known = logIds.get(key);
  if (known) return known;
  const id = (await db().pool.query<{ log_id: string }>("SELECT log_id::text AS log_id FROM ledger_identity WHERE id = 1")).rows[0]?.log_id;
  if (!id) throw new Error("the edit log has no identity row (ledger_identity): apply the migrations");
  logIds.set(key, id);
  return id;
}

/** The witness file of this database's log. */
export async function witnessFile(): Promise<string> {
  const dir = loadEnv().LEDGER_WITNESS_DIR ?? dataPath("witness");
  return path.resolve(/*turbopackIgnore: true*/ dir, `${await logId()}.jsonl`);
}

/** Appends one signed tree head (one write of one line, O_APPEND: concurrent signers never interleave a line). */
export async function appendWitness(head: WitnessedHead): Promise<void> {
  const file = await witnessFile();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.appendFileSync(file, witnessLine(head), { mode: 0o600 });
}

/** The file's heads and unreadable lines; a missing file holds none. */
export async function readWitness(): Promise<WitnessFileRead & { file: string }> {
  const file = await witnessFile();
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return { file, ...parseWitness(text) };
}
