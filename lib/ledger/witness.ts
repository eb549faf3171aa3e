/**
 * The witness: every signed tree head is also appended, as one JSON line, to a file outside
 * the database. Someone who can rewrite the database (entries, the stored tree and the
 * checkpoint rows together) cannot rewrite that file too without a second break-in, so
 * comparing the two — and both with roots recomputed from the entries — shows a rewrite the
 * chain alone would not. Pure: parsing and comparing; the file is read by lib/data/witness.ts.
 */
import * as z from "zod";
import type { ChainVerification } from "./chain";

/** A signed tree head as the witness file and the database both hold it. */
export interface WitnessedHead {
  treeSize: string;
  rootHash: string;
  headHash: string;
  signedAt: string;
  keyId: string;
  publicKey: string;
  signature: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, { error: "must be 64 hex digits" });

export const witnessLineSchema = z.object({
  treeSize: z.string().regex(/^\d{1,19}$/, { error: "must be a whole number" }),
  rootHash: hex64,
  headHash: hex64,
  signedAt: z.string().min(1),
  keyId: z.string().min(1),
  publicKey: z.string().min(1),
  signature: z.string().min(1),
});

export const WITNESS_FIELDS = ["rootHash", "headHash", "signedAt", "keyId", "publicKey", "signature"] as const;

/** One line of the file (the database's fields, in a fixed order, so lines compare as text too). */
export function witnessLine(head: WitnessedHead): string {
  const { treeSize, rootHash, headHash, signedAt, keyId, publicKey, signature } = head;
  return `${JSON.stringify({ treeSize, rootHash, headHash, signedAt, keyId, publicKey, signature })}\n`;
}

export interface WitnessProblem {
  /** the tree size of the head concerned ("" for a line that is not a head at all) */
  treeSize: string;
  /** the field that differs; null when a whole head is missing on one side or unreadable */
  field: string | null;
  message: string;
}

export interface WitnessFileRead {
  heads: WitnessedHead[];
  problems: WitnessProblem[];
}

/** Parses the file's text: a line that is not a head is a problem naming its line number. */
export function parseWitness(text: string): WitnessFileRead {
  const heads: WitnessedHead[] = [];
  const problems: WitnessProblem[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push({ treeSize: "", field: null, message: `line ${i + 1} of the witness file is not JSON` });
      return;
    }
    const parsed = witnessLineSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const size = typeof (value as { treeSize?: unknown })?.treeSize === "string" ? (value as { treeSize: string }).treeSize : "";
      problems.push({ treeSize: size, field: String(issue.path[0] ?? "") || null, message: `line ${i + 1} of the witness file: ${String(issue.path[0] ?? "the line")} ${issue.message}` });
      return;
    }
    heads.push(parsed.data);
  });
  return { heads, problems };
}

export type WitnessState = "none" | "agrees" | "disagrees";

export interface WitnessComparison {
  state: WitnessState;
  /** where the witness lives (shown, so an operator can back it up or compare it by hand) */
  file: string;
  /** heads the file holds */
  witnessed: number;
  /** signed tree heads the database holds */
  signed: number;
  problems: WitnessProblem[];
}

/** verifyLedger's verdict: the chain's, and the witness comparison; `ok` only when both hold. */
export type LedgerVerification = ChainVerification & { witness: WitnessComparison };

const short = (v: string) => (v.length > 20 ? `${v.slice(0, 16)}…` : v);

/**
 * Compares the database's tree heads with the file's, and both with the roots recomputed
 * from the entries (`recomputedRoots`: tree size → hex root; a size the entries do not reach
 * is absent; null compares the heads alone). Heads pair by tree size and signature first, then in order within a size, so a
 * changed field reads as "differs", not as one head missing and another extra.
 */
/** How long a head just signed may be missing from the file (its line is written after the row commits). */
export const WITNESS_GRACE_MS = 60_000;

export function compareWitness(
  file: string,
  database: readonly WitnessedHead[],
  read: WitnessFileRead,
  recomputedRoots: ReadonlyMap<string, string> | null,
  now: number = Date.now(),
): WitnessComparison {
  const problems: WitnessProblem[] = [...read.problems];
  const bySize = (heads: readonly WitnessedHead[]) => {
    const out = new Map<string, WitnessedHead[]>();
    for (const h of heads) out.set(h.treeSize, [...(out.get(h.treeSize) ?? []), h]);
    return out;
  };
  const inDatabase = bySize(database);
  const inFile = bySize(read.heads);
  const sizes = [...new Set([...inDatabase.keys(), ...inFile.keys()])].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  for (const size of sizes) {
    const mine = [...(inDatabase.get(size) ?? [])];
    const theirs = [...(inFile.get(size) ?? [])];
    const pairs: [WitnessedHead, WitnessedHead][] = [];
    for (const d of [...mine]) {
      const at = theirs.findIndex((w) => w.signature === d.signature);
      if (at >= 0) {
        pairs.push([d, theirs.splice(at, 1)[0]!]);
        mine.splice(mine.indexOf(d), 1);
      }
    }
    while (mine.length && theirs.length) pairs.push([mine.shift()!, theirs.shift()!]);
    for (const [d, w] of pairs) {
      for (const field of WITNESS_FIELDS) {
        if (d[field] !== w[field]) problems.push({ treeSize: size, field, message: `tree head ${size}: ${field} is ${short(d[field])} in the database, ${short(w[field])} in the witness file` });
      }
    }
    for (const d of mine) {
      // Its line follows the row's commit: a head signed moments ago may not be written yet.
      if (now - Date.parse(d.signedAt) < WITNESS_GRACE_MS) continue;
      problems.push({ treeSize: size, field: null, message: `tree head ${size} (signed ${d.signedAt}) is in the database but not in the witness file` });
    }
    for (const w of theirs) problems.push({ treeSize: size, field: null, message: `tree head ${size} (signed ${w.signedAt}) is in the witness file but not in the database` });
    // The witness's roots against what the entries hash to now: a rewritten entry (or a
    // whole rewritten history) no longer reaches the root that was signed and witnessed.
    if (!recomputedRoots) continue; // a quick look (the page): heads only, no pass over the entries
    const recomputed = recomputedRoots.get(size);
    for (const w of inFile.get(size) ?? []) {
      if (recomputed === undefined) problems.push({ treeSize: size, field: "treeSize", message: `tree head ${size} was witnessed, but the log holds fewer entries` });
      else if (w.rootHash !== recomputed) problems.push({ treeSize: size, field: "rootHash", message: `tree head ${size}: the witnessed root ${short(w.rootHash)} is not the root of the entries now (${short(recomputed)}): an entry up to ${size} changed` });
    }
  }
  const witnessed = read.heads.length;
  const state: WitnessState = problems.length ? "disagrees" : witnessed === 0 ? "none" : "agrees";
  return { state, file, witnessed, signed: database.length, problems: dedupe(problems) };
}

function dedupe(problems: WitnessProblem[]): WitnessProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.message) && seen.add(p.message));
}
