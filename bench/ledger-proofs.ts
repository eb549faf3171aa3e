/**
 * The edit log's Merkle proofs at 1,000,000 entries (issue: a proof in ≤ 20 ms). The
 * entries are written in SQL as the table owner with triggers off (each hash the SHA-256 of
 * its seq, each prev_hash the hash before it), then the tree from its definition, level by
 * level, as the append trigger leaves it (the unit tests hold that trigger to
 * lib/ledger/merkle.ts), then signed tree heads at random sizes and the whole log (proofs are
 * served only against signed sizes; each head's root is read from the stored tree as in
 * production). Timed in the same run, through the data layer (round trip and Node included):
 *   - inclusion proofs of random entries against random signed tree heads;
 *   - consistency proofs between random pairs of signed sizes;
 *   - against the floor: one primary-key read of an entry's hash.
 * Each proof is verified with the RFC's algorithm; its size (hashes, bytes) is reported.
 *
 * `npm run bench:proofs [-- --database-url postgresql://…/postgres] [--entries N] [--runs N]`
 * — creates and drops its own database `sentinel_bench_proofs`. JSON summary as the last line.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { createCheckpoint } from "@/lib/data/checkpoints";
import { ledgerConsistencyProof, ledgerInclusionProof } from "@/lib/data/ledger-tree";
import { verifyConsistency, verifyInclusion } from "@/lib/ledger/merkle";
import { createBenchDatabase, DEFAULT_SERVER_URL, dropOnSignal } from "./support";

const { values } = parseArgs({ options: { "database-url": { type: "string" }, entries: { type: "string", default: "1000000" }, runs: { type: "string", default: "200" }, help: { type: "boolean" } } });
if (values.help) {
  console.log("Usage: npm run bench:proofs [-- --database-url postgresql://user@host:port/postgres] [--entries N] [--runs N]");
  process.exit(0);
}
const serverUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const ENTRIES = Number(values.entries);
const RUNS = Number(values.runs);
const TARGET_MS = 20;
const SIGNED_HEADS = 100;
// The witness lines of this throw-away database go to a throw-away folder.
process.env.LEDGER_WITNESS_DIR ??= mkdtempSync(path.join(os.tmpdir(), "bench-proofs-witness-"));
const say = (m: string) => process.stderr.write(`[proofs] ${m}\n`);
const reader: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "auditor@bench", scopes: ["read"] };
const loadAtStart = os.loadavg()[0]!;

const database = await createBenchDatabase(serverUrl, "sentinel_bench_proofs", 2);
const drop = dropOnSignal(database);

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
const stats = (xs: number[]) => ({ p50Ms: +percentile(xs, 0.5).toFixed(2), p95Ms: +percentile(xs, 0.95).toFixed(2) });
const random = (n: number) => 1 + Math.floor(Math.random() * n);

const signed: number[] = [];
const randomSigned = () => signed[Math.floor(Math.random() * signed.length)]!;

try {
  const started = performance.now();
  const owner = await database.owner.connect();
  try {
    await owner.query("SET session_replication_role = replica");
    // Entries: one fixed note; the hashes only need to be distinct and linked for the tree.
    await owner.query(
      `INSERT INTO edit_log (seq, subject_type, subject_id, action, c, effective_at, recorded_at, prev_hash, hash, subject_version)
       SELECT s, 'record', 'bench', 'note', '{}', now(), now(), encode(sha256(convert_to((s - 1)::text, 'UTF8')), 'hex'), encode(sha256(convert_to(s::text, 'UTF8')), 'hex'), s
       FROM generate_series(1, $1::bigint) s`,
      [ENTRIES],
    );
    await owner.query("UPDATE edit_log_head SET seq = $1::bigint, hash = encode(sha256(convert_to($1::bigint::text, 'UTF8')), 'hex') WHERE id = 1", [ENTRIES]);
    // The tree, level by level, as the append trigger leaves it.
    await owner.query(`INSERT INTO edit_log_tree (level, idx, hash) SELECT 0, seq - 1, sha256('\\x00'::bytea || decode(hash, 'hex')) FROM edit_log`);
    for (let level = 1; 2 ** level <= ENTRIES; level++) {
      await owner.query(
        `INSERT INTO edit_log_tree (level, idx, hash)
         SELECT $1::smallint, l.idx / 2, sha256('\\x01'::bytea || l.hash || r.hash)
         FROM edit_log_tree l JOIN edit_log_tree r ON r.level = l.level AND r.idx = l.idx + 1
         WHERE l.level = $1::smallint - 1 AND l.idx % 2 = 0`,
        [level],
      );
    }
    // Signed tree heads: the head moved to each size in turn (the stored perfect subtrees of
    // a prefix are those of the whole tree), then signed as the schedule would sign it.
    signed.push(...new Set([...Array.from({ length: SIGNED_HEADS - 1 }, () => random(ENTRIES)), ENTRIES]));
    signed.sort((a, b) => a - b);
    for (const size of signed) {
      await owner.query("UPDATE edit_log_head SET seq = $1::bigint, hash = encode(sha256(convert_to($1::bigint::text, 'UTF8')), 'hex') WHERE id = 1", [size]);
      await createCheckpoint(OPERATOR);
    }
    await owner.query("SET session_replication_role = origin");
    await owner.query("VACUUM ANALYZE edit_log_tree");
    await owner.query("VACUUM ANALYZE edit_log");
  } finally {
    owner.release();
  }
  say(`${ENTRIES.toLocaleString("en")} entries, their tree and ${signed.length} signed tree heads in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // Warm up, then time.
  for (let i = 0; i < 20; i++) await ledgerInclusionProof(reader, { seq: String(random(ENTRIES)) });
  const inclusion: number[] = [];
  const consistency: number[] = [];
  const floor: number[] = [];
  let inclusionHashes = 0;
  let consistencyHashes = 0;
  for (let i = 0; i < RUNS; i++) {
    const treeSize = randomSigned();
    const seq = random(treeSize);
    let t = performance.now();
    const p = await ledgerInclusionProof(reader, { seq: String(seq), treeSize: String(treeSize) });
    inclusion.push(performance.now() - t);
    if (!verifyInclusion(p.leafIndex, p.treeSize, p.leafHash, p.auditPath, p.rootHash)) throw new Error(`the inclusion proof of ${seq} does not verify`);
    inclusionHashes = Math.max(inclusionHashes, p.auditPath.length);

    const [a, b] = [randomSigned(), randomSigned()];
    const [first, second] = a <= b ? [a, b] : [b, a];
    t = performance.now();
    const c = await ledgerConsistencyProof(reader, { first: String(first), second: String(second) });
    consistency.push(performance.now() - t);
    if (!verifyConsistency(first, second, c.path, c.firstRoot, c.secondRoot)) throw new Error(`the consistency proof ${first}→${second} does not verify`);
    consistencyHashes = Math.max(consistencyHashes, c.path.length);

    t = performance.now();
    await database.handle.pool.query("SELECT hash FROM edit_log WHERE seq = $1", [seq]);
    floor.push(performance.now() - t);
  }
  const inc = stats(inclusion);
  const con = stats(consistency);
  const flo = stats(floor);
  console.log(
    JSON.stringify({
      benchmark: "edit log Merkle proofs",
      entries: ENTRIES,
      runs: RUNS,
      inclusion: { ...inc, targetMs: TARGET_MS, ratioToTarget: +(inc.p95Ms / TARGET_MS).toFixed(3), ratioToFloorP50: +(inc.p50Ms / flo.p50Ms).toFixed(1), maxHashes: inclusionHashes, maxBytes: inclusionHashes * 32 },
      consistency: { ...con, targetMs: TARGET_MS, ratioToTarget: +(con.p95Ms / TARGET_MS).toFixed(3), ratioToFloorP50: +(con.p50Ms / flo.p50Ms).toFixed(1), maxHashes: consistencyHashes, maxBytes: consistencyHashes * 32 },
      floorPrimaryKeyRead: flo,
      machine: { cpus: os.cpus().length, loadAtStart: +loadAtStart.toFixed(2), loadAtEnd: +os.loadavg()[0]!.toFixed(2) },
    }),
  );
} finally {
  await drop();
}
process.exit(0);
