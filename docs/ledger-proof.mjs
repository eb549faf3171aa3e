// Checks an edit-log Merkle proof (RFC 9162 §2.1) from GET /api/v1/ledger/proof/…, with
// nothing but Node: `node ledger-proof.mjs inclusion proof.json [entryHash]` or
// `node ledger-proof.mjs consistency proof.json`. Prints "ok: …" or names what fails (exit 1).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
const [kind, file, expectedEntry] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, "utf8"));
const h = (...parts) => createHash("sha256").update(Buffer.concat(parts)).digest();
const node = (l, r) => h(Buffer.of(1), l, r);
const hex = (s) => Buffer.from(s, "hex");
const fail = (why) => { console.error(`fails: ${why}`); process.exit(1); };
const half = (x) => Math.floor(x / 2);
if (kind === "inclusion") {
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
  console.log(`ok: entry ${p.seq} is leaf ${p.leafIndex} of the tree of ${p.treeSize} entries with root ${p.rootHash}`);
} else if (kind === "consistency") {
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
  console.log(`ok: the tree of ${p.second} entries (root ${p.secondRoot}) extends the tree of ${p.first} (root ${p.firstRoot})`);
} else fail("say inclusion or consistency");
