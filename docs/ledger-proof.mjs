// Checks an edit-log Merkle proof (RFC 9162 §2.1) from GET /api/v1/ledger/proof/… and the
// signed tree head(s) it carries, with nothing but Node:
//   node ledger-proof.mjs inclusion proof.json --key <published key> [entryHash]
//   node ledger-proof.mjs consistency proof.json --key <published key>
// The key is the one published on the edit log page (base64 of the raw 32 bytes): the proof's
// own key id is never trusted. Prints "ok: …" or "fails: …" naming what fails (exit 1; 2: usage).
import { createHash, createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
const args = process.argv.slice(2);
const k = args.indexOf("--key");
const pinned = k >= 0 ? args[k + 1] : undefined;
const [kind, file, expectedEntry] = args.filter((_, i) => k < 0 || (i !== k && i !== k + 1));
const usage = () => { console.error("usage: node ledger-proof.mjs inclusion|consistency proof.json --key <the published public key, base64 of 32 bytes> [entryHash]"); process.exit(2); };
if (!["inclusion", "consistency"].includes(kind) || !file || !pinned || Buffer.from(pinned, "base64").length !== 32) usage();
const fail = (why) => { console.error(`fails: ${why}`); process.exit(1); };
let p;
try { p = JSON.parse(readFileSync(file, "utf8")); } catch (error) { fail(`${file} is not a readable JSON file (${error.message})`); }
if (!p || typeof p !== "object" || Array.isArray(p)) fail(`${file} is not a JSON object`);
const h = (...parts) => createHash("sha256").update(Buffer.concat(parts)).digest();
const node = (l, r) => h(Buffer.of(1), l, r);
const hex = (s) => Buffer.from(s, "hex");
const half = (x) => Math.floor(x / 2);
const isHex = (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
const isSize = (v) => Number.isSafeInteger(v) && v >= 0;
const isCount = (v) => Number.isSafeInteger(v) && v >= 1;
const need = (ok, what) => { if (!ok) fail(`the proof's ${what}`); };
const pinnedKey = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(pinned, "base64").toString("base64url") }, format: "jwk" });
const pinnedId = h(Buffer.from(pinned, "base64")).toString("hex").slice(0, 16);
// A signed tree head: signed by the pinned key, for this size and this root.
function checkHead(name, head, size, root) {
  need(head && typeof head === "object", `${name} is missing`);
  need(isCount(head.treeSize) && isHex(head.rootHash) && isHex(head.headHash) && typeof head.signedAt === "string" && typeof head.keyId === "string" && typeof head.signature === "string", `${name} lacks treeSize, rootHash, headHash, signedAt, keyId or signature, or has the wrong types`);
  if (head.keyId !== pinnedId) fail(`${name} names key ${head.keyId}, not the pinned key ${pinnedId}`);
  const message = `sentinel-ledger-tree-head\n${head.treeSize}\n${head.rootHash}\n${head.headHash}\n${head.signedAt}`;
  if (!verify(null, Buffer.from(message), pinnedKey, Buffer.from(head.signature, "base64"))) fail(`${name}'s signature does not verify with the pinned key`);
  if (head.treeSize !== size) fail(`${name} is of ${head.treeSize} entries, the proof of ${size}`);
  if (head.rootHash !== root) fail(`${name}'s signed root ${head.rootHash} is not the proof's root ${root}`);
}
if (kind === "inclusion") {
  need(isCount(p.seq) && isSize(p.leafIndex) && isCount(p.treeSize) && isHex(p.entryHash) && isHex(p.leafHash) && isHex(p.rootHash) && Array.isArray(p.auditPath) && p.auditPath.every(isHex), "fields seq, leafIndex, treeSize, entryHash, leafHash, auditPath or rootHash are missing or of the wrong type");
  if (h(Buffer.of(0), hex(p.entryHash)).toString("hex") !== p.leafHash) fail("the leaf is not SHA-256(0x00 ‖ entry hash)");
  if (expectedEntry && expectedEntry !== p.entryHash) fail("the proof is for another entry hash");
  let fn = p.leafIndex, sn = p.treeSize - 1, r = hex(p.leafHash);
  if (fn >= p.treeSize) fail("the leaf index is outside the tree");
  for (const s of p.auditPath) {
    if (sn === 0) fail("the path is too long");
    if (fn % 2 === 1 || fn === sn) {
      r = node(hex(s), r);
      while (fn % 2 === 0 && fn !== 0) { fn = half(fn); sn = half(sn); }
    } else r = node(r, hex(s));
    fn = half(fn); sn = half(sn);
  }
  if (sn !== 0 || r.toString("hex") !== p.rootHash) fail("the path does not lead to the root");
  checkHead("tree head", p.treeHead, p.treeSize, p.rootHash);
  console.log(`ok: entry ${p.seq} is leaf ${p.leafIndex} of the tree of ${p.treeSize} entries with root ${p.rootHash}, signed by key ${pinnedId} at ${p.treeHead.signedAt}`);
} else {
  need(isCount(p.first) && isCount(p.second) && isHex(p.firstRoot) && isHex(p.secondRoot) && Array.isArray(p.path) && p.path.every(isHex), "fields first, second, path, firstRoot or secondRoot are missing or of the wrong type");
  if (p.first > p.second) fail("first > second");
  if (p.first === p.second) { if (p.path.length || p.firstRoot !== p.secondRoot) fail("equal sizes need equal roots and no path"); }
  else {
    if (p.path.length === 0) fail("the path is empty");
    const path = (p.first & (p.first - 1)) === 0 ? [p.firstRoot, ...p.path] : p.path;
    let fn = p.first - 1, sn = p.second - 1;
    while (fn % 2 === 1) { fn = half(fn); sn = half(sn); }
    let fr = hex(path[0]), sr = hex(path[0]);
    for (const c of path.slice(1)) {
      if (sn === 0) fail("the path is too long");
      if (fn % 2 === 1 || fn === sn) {
        fr = node(hex(c), fr); sr = node(hex(c), sr);
        while (fn % 2 === 0 && fn !== 0) { fn = half(fn); sn = half(sn); }
      } else sr = node(sr, hex(c));
      fn = half(fn); sn = half(sn);
    }
    if (sn !== 0 || fr.toString("hex") !== p.firstRoot || sr.toString("hex") !== p.secondRoot) fail("the path does not join the two roots");
  }
  checkHead("first tree head", p.firstTreeHead, p.first, p.firstRoot);
  checkHead("second tree head", p.secondTreeHead, p.second, p.secondRoot);
  console.log(`ok: the tree of ${p.second} entries (root ${p.secondRoot}) extends the tree of ${p.first} (root ${p.firstRoot}), both heads signed by key ${pinnedId}`);
}
