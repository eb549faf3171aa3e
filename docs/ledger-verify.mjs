// Verifies an edit-log export (JSONL from GET /api/v1/ledger/export) with nothing but Node:
// node docs/ledger-verify.mjs export.jsonl
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
let prev = "0".repeat(64), seq = 0;
for (const line of readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean)) {
  const e = JSON.parse(line);
  if (e.type === "checkpoint") continue;
  const hash = createHash("sha256").update(`${e.c}\n${e.seq}\n${e.recordedAt}\n${e.prevHash}`).digest("hex");
  if (Number(e.seq) !== ++seq || e.prevHash !== prev || hash !== e.hash) throw new Error(`entry ${e.seq} does not verify`);
  prev = e.hash;
}
console.log(`ok: ${seq} entries, head ${prev}`);
