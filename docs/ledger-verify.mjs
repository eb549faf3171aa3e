// Verifies an edit-log export (JSONL from GET /api/v1/ledger/export) with nothing but Node:
//   node docs/ledger-verify.mjs export.jsonl --key <published public key> [--key <an earlier one>]
// Checks the hash chain, each checkpoint's Ed25519 signature with the pinned key(s) only, and
// each signed tree head's RFC 9162 root against the root of the entries read so far. Reports
// every bad line by number and goes on; exits 1 when anything failed (2: usage).
import { createHash, createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
const args = process.argv.slice(2), pinned = args.flatMap((a, i) => (args[i - 1] === "--key" ? [a] : []));
const file = args.find((a, i) => a !== "--key" && args[i - 1] !== "--key");
if (!file || !pinned.length || pinned.some((k) => Buffer.from(k, "base64").length !== 32)) {
  console.error("usage: node ledger-verify.mjs export.jsonl --key <the published public key: base64 of the raw 32 bytes>");
  process.exit(2);
}
const sha = (...parts) => createHash("sha256").update(Buffer.concat(parts)).digest();
const keys = new Map(pinned.map((k) => [k, createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(k, "base64").toString("base64url") }, format: "jwk" })]));
// The RFC 9162 root of the entries so far in O(log n) memory: the perfect subtrees of the
// size's binary expansion (largest first), folded from the right.
const stack = [];
const addLeaf = (entryHash) => {
  let top = { level: 0, hash: sha(Buffer.of(0), Buffer.from(entryHash, "hex")) };
  while (stack.length && stack.at(-1).level === top.level) top = { level: top.level + 1, hash: sha(Buffer.of(1), stack.pop().hash, top.hash) };
  stack.push(top);
};
const root = () => (stack.length ? stack.slice(0, -1).reduceRight((r, s) => sha(Buffer.of(1), s.hash, r), stack.at(-1).hash) : sha()).toString("hex");
const isHex = (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
let prev = "0".repeat(64), seq = 0, signed = 0, heads = 0;
const problems = [];
for (const [i, line] of readFileSync(file, "utf8").split("\n").entries()) {
  if (!line.trim()) continue;
  const bad = (why) => problems.push(`line ${i + 1}: ${why}`);
  let e;
  try { e = JSON.parse(line); } catch { bad("not JSON"); continue; }
  if (e?.type === "checkpoint") {
    const head = e.rootHash !== undefined || e.treeSize !== undefined;
    const wrong = ["seq", "headHash", "signedAt", "publicKey", "signature", ...(head ? ["treeSize", "rootHash"] : [])].filter((f) => typeof e[f] !== "string");
    if (wrong.length) { bad(`checkpoint: ${wrong.join(", ")} missing or not a string`); continue; }
    const key = keys.get(e.publicKey);
    if (!key) { bad(`checkpoint at ${e.seq} carries key ${e.publicKey} (id ${e.keyId}), not a pinned key`); continue; }
    const message = head ? `sentinel-ledger-tree-head\n${e.treeSize}\n${e.rootHash}\n${e.headHash}\n${e.signedAt}` : `sentinel-ledger-checkpoint\n${e.seq}\n${e.headHash}\n${e.signedAt}`;
    if (!verify(null, Buffer.from(message), key, Buffer.from(e.signature, "base64"))) { bad(`checkpoint at ${e.seq}: the signature does not verify with the pinned key`); continue; }
    if (Number(e.seq) !== seq || e.headHash !== prev) { bad(`checkpoint at ${e.seq} signs head ${e.headHash}, the chain has ${seq} entries ending in ${prev}`); continue; }
    if (head && (e.treeSize !== e.seq || e.rootHash !== root())) { bad(`tree head at ${e.seq}: the signed root ${e.rootHash} is not the root of the ${seq} entries read (${root()})`); continue; }
    signed++;
    if (head) heads++;
    continue;
  }
  if (typeof e?.c !== "string" || typeof e.seq !== "string" || typeof e.recordedAt !== "string" || !isHex(e.prevHash) || !isHex(e.hash)) { bad("not an entry { c, seq, recordedAt, prevHash, hash }"); continue; }
  const hash = createHash("sha256").update(`${e.c}\n${e.seq}\n${e.recordedAt}\n${e.prevHash}`).digest("hex");
  if (Number(e.seq) !== ++seq || e.prevHash !== prev || hash !== e.hash) bad(`entry ${e.seq} does not verify`);
  // The tree is of what the entries hash to, so a changed entry also moves every later root.
  addLeaf(hash);
  prev = e.hash;
}
if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`fails: ${problems.length} problem${problems.length === 1 ? "" : "s"} in ${file}`);
  process.exit(1);
}
console.log(`ok: ${seq} entries, head ${prev}, ${signed} signed checkpoints (${heads} tree heads, roots recomputed)`);
