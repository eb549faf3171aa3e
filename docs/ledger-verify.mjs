// Verifies an edit-log export (JSONL from GET /api/v1/ledger/export) with nothing but Node:
// node docs/ledger-verify.mjs export.jsonl [published-public-key-base64]
import { createHash, createPublicKey, verify } from "node:crypto";
import { readFileSync } from "node:fs";
let prev = "0".repeat(64), seq = 0, signed = 0;
for (const line of readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean)) {
  const e = JSON.parse(line);
  if (e.type === "checkpoint") {
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(process.argv[3] ?? e.publicKey, "base64").toString("base64url") }, format: "jwk" });
    const message = `sentinel-ledger-checkpoint\n${e.seq}\n${e.headHash}\n${e.signedAt}`;
    if (Number(e.seq) !== seq || e.headHash !== prev || !verify(null, Buffer.from(message), key, Buffer.from(e.signature, "base64"))) throw new Error(`checkpoint at ${e.seq} does not verify`);
    signed++;
    continue;
  }
  const hash = createHash("sha256").update(`${e.c}\n${e.seq}\n${e.recordedAt}\n${e.prevHash}`).digest("hex");
  if (Number(e.seq) !== ++seq || e.prevHash !== prev || hash !== e.hash) throw new Error(`entry ${e.seq} does not verify`);
  prev = e.hash;
}
console.log(`ok: ${seq} entries, head ${prev}, ${signed} signed checkpoints`);
