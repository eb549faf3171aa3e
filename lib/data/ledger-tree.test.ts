/**
 * The edit log's Merkle tree in real PostgreSQL: the trigger's SQL hashes equal the RFC
 * 9162 tree lib/ledger/merkle.ts computes over the exported entries, concurrent appends
 * leave a complete tree, proofs verify with the RFC's algorithms, bad parameters are
 * refused naming them, and nobody but the trigger writes the tree.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { testPerson, withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError, ValidationError } from "@/lib/errors";
import type { EditLogEntry } from "@/lib/ledger/entry";
import { leafHash, nodeHash, verifyConsistency, verifyInclusion } from "@/lib/ledger/merkle";
import { OPERATOR } from "@/lib/auth/actor";
import { generateSigningKey, loadSigningKey, signCheckpoint, verifyCheckpoint } from "@/lib/ledger/checkpoint";
import { checkpointsInOrder, createCheckpoint, ledgerSigningKey } from "./checkpoints";
import { appendEntry } from "./ledger";
import { ledgerConsistencyProof, ledgerInclusionProof } from "./ledger-tree";

const db = withTestDatabase({ own: "ledgertree" });
/** the entries' actor: a real person (the append function refuses anyone else) */
let author: Extract<Actor, { kind: "user" }>;
beforeAll(async () => {
  author = await testPerson("analyst");
});
const READER: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "auditor@x", scopes: ["read"] };

function entry(subjectId: string): EditLogEntry {
  return {
    subjectType: "record",
    subjectId,
    action: "note",
    before: null,
    after: { note: "looked at it" },
    reasonCode: null,
    reasonText: null,
    evidence: [],
    actor: { type: "user", id: author.id, role: "analyst" },
    sessionId: null,
    effectiveAt: new Date().toISOString(),
  };
}

/** MTH over the entries' hashes, straight from RFC 9162 §2.1.1. */
function mth(hashes: Buffer[]): Buffer {
  if (hashes.length === 1) return leafHash(hashes[0]!);
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return nodeHash(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
}

/** Every size a test below proves against. */
const SIGNED = [1, 2, 3, 8, 9, 11, 13, 16, 29, 31, 33, 40, 45];

const entryHashes = async () => (await db.handle().pool.query<{ hash: string }>("SELECT hash FROM edit_log ORDER BY seq")).rows.map((r) => Buffer.from(r.hash, "hex"));

describe("edit log Merkle tree (database)", () => {
  it("stores the RFC 9162 tree of the entries as they are appended, concurrent appends included; each tree head signs its root", async () => {
    // Proofs exist only against signed tree heads: sign one at every size the tests ask for.
    for (const size of SIGNED) {
      const have = (await entryHashes()).length;
      await Promise.all(Array.from({ length: size - have }, (_, i) => appendEntry(db.handle().pool, entry(`tree-${(have + i) % 7}`), null)));
      const { checkpoint } = await createCheckpoint(OPERATOR);
      expect(checkpoint).toMatchObject({ seq: String(size), treeSize: String(size) });
      expect(verifyCheckpoint(checkpoint, ledgerSigningKey().publicKey)).toBe(true);
    }
    const hashes = await entryHashes();
    // The root each head signed is the RFC's root of that many entries.
    for (const head of await checkpointsInOrder()) expect(head.rootHash).toBe(mth(hashes.slice(0, Number(head.seq))).toString("hex"));
    expect(hashes.length).toBe(45);
    for (const size of [1, 2, 3, 16, 31, 45]) {
      const p = await ledgerInclusionProof(READER, { seq: "1", treeSize: String(size) });
      expect(p.rootHash).toBe(mth(hashes.slice(0, size)).toString("hex"));
    }
    const rows = (await db.handle().pool.query<{ level: number; n: number }>("SELECT level, count(*)::int AS n FROM edit_log_tree GROUP BY level ORDER BY level")).rows;
    expect(rows).toEqual([45, 22, 11, 5, 2, 1].map((n, level) => ({ level, n })));
  });

  it("proves one entry's inclusion and two sizes' consistency, as an auditor verifies them", async () => {
    const hashes = await entryHashes();
    for (const [seq, size] of [[1, 45], [45, 45], [17, 33], [8, 8], [30, 40]] as const) {
      const p = await ledgerInclusionProof(READER, { seq: String(seq), treeSize: String(size) });
      expect(p).toMatchObject({ seq, leafIndex: seq - 1, treeSize: size, entryHash: hashes[seq - 1]!.toString("hex") });
      expect(p.leafHash).toBe(leafHash(hashes[seq - 1]!).toString("hex"));
      expect(verifyInclusion(p.leafIndex, p.treeSize, p.leafHash, p.auditPath, p.rootHash)).toBe(true);
    }
    // Without treeSize: the latest signed tree head, which the proof carries, signature and all.
    await appendEntry(db.handle().pool, entry("tree-unsigned"), null);
    const whole = await ledgerInclusionProof(READER, { seq: "3" });
    expect(whole.treeSize).toBe(45);
    expect(whole.treeHead).toMatchObject({ treeSize: 45, rootHash: whole.rootHash, headHash: hashes[44]!.toString("hex"), keyId: ledgerSigningKey().keyId });
    expect(verifyCheckpoint({ seq: "45", ...whole.treeHead }, ledgerSigningKey().publicKey)).toBe(true);
    for (const [first, second] of [[1, 45], [8, 45], [13, 29], [45, 45]] as const) {
      const c = await ledgerConsistencyProof(READER, { first: String(first), second: String(second) });
      expect(c.firstRoot).toBe(mth(hashes.slice(0, first)).toString("hex"));
      expect(c.secondRoot).toBe(mth(hashes.slice(0, second)).toString("hex"));
      expect(verifyConsistency(first, second, c.path, c.firstRoot, c.secondRoot)).toBe(true);
      expect(c.firstTreeHead).toMatchObject({ treeSize: first, rootHash: c.firstRoot });
      expect(c.secondTreeHead).toMatchObject({ treeSize: second, rootHash: c.secondRoot });
    }
  });

  it("refuses sizes never signed, a seq beyond the tree or newer than the latest head, first > second and non-numbers, naming the parameter", async () => {
    const refusal = async (call: Promise<unknown>) => ((await call.catch((e: unknown) => e)) as ValidationError).fields ?? {};
    const fields = async (call: Promise<unknown>) => Object.keys(await refusal(call));
    // 46 entries exist (one after the last head), yet no head of 46 was signed.
    expect(await refusal(ledgerInclusionProof(READER, { seq: "46" }))).toEqual({ seq: [expect.stringMatching(/newer than the latest signed tree head \(45 entries\): wait for the next tree head, or sign one/)] });
    expect(await fields(ledgerInclusionProof(READER, { seq: "10", treeSize: "9" }))).toEqual(["seq"]);
    expect(await refusal(ledgerInclusionProof(READER, { seq: "1", treeSize: "46" }))).toEqual({ treeSize: ["must be the size of a signed tree head; 46 was never signed"] });
    expect(await refusal(ledgerInclusionProof(READER, { seq: "1", treeSize: "12" }))).toEqual({ treeSize: ["must be the size of a signed tree head; 12 was never signed"] });
    expect(await refusal(ledgerInclusionProof(READER, { seq: "1", treeSize: "812" }))).toEqual({ treeSize: ["must be the size of a signed tree head; 812 was never signed"] });
    expect(await refusal(ledgerConsistencyProof(READER, { first: "12", second: "45" }))).toEqual({ first: ["must be the size of a signed tree head; 12 was never signed"] });
    expect(await refusal(ledgerConsistencyProof(READER, { first: "8", second: "44" }))).toEqual({ second: ["must be the size of a signed tree head; 44 was never signed"] });
    expect(await fields(ledgerInclusionProof(READER, { seq: "0" }))).toEqual(["seq"]);
    expect(await fields(ledgerInclusionProof(READER, { seq: "two" }))).toEqual(["seq"]);
    expect(await fields(ledgerConsistencyProof(READER, { first: "9", second: "8" }))).toEqual(["first"]);
    expect(await fields(ledgerConsistencyProof(READER, { first: "1", second: "99" }))).toEqual(["second"]);
    expect(await fields(ledgerConsistencyProof(READER, { first: "", second: "3" }))).toEqual(["first"]);
    const analyst: Actor = { kind: "user", id: randomUUID(), email: "a@x", name: "A", role: "analyst" };
    await expect(ledgerInclusionProof(analyst, { seq: "1" })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("is written by the trigger alone: the app's role may not insert, update or delete, the owner may not rewrite or truncate", async () => {
    const app = db.handle().pool;
    await expect(app.query("INSERT INTO edit_log_tree (level, idx, hash) VALUES (9, 0, '\\x00')")).rejects.toThrow(/permission denied/);
    await expect(app.query("UPDATE edit_log_tree SET hash = '\\x00' WHERE level = 0 AND idx = 0")).rejects.toThrow(/permission denied/);
    await expect(app.query("DELETE FROM edit_log_tree WHERE level = 0")).rejects.toThrow(/permission denied/);
    const owner = db.owner().pool;
    await expect(owner.query("UPDATE edit_log_tree SET hash = '\\x00' WHERE level = 0 AND idx = 0")).rejects.toThrow(/append-only|refuse|cannot/i);
    await expect(owner.query("TRUNCATE edit_log_tree")).rejects.toThrow(/append-only|refuse|cannot/i);
  });
});

describe("the auditor's proof scripts (docs/ledger.md)", () => {
  it("accept the database's proofs against heads signed by the pinned key and name what fails in a tampered one, in Node and in Python", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "proof-"));
    const key = ledgerSigningKey();
    const other = loadSigningKey(generateSigningKey());
    const inclusion = await ledgerInclusionProof(READER, { seq: "13", treeSize: "40" });
    const consistency = await ledgerConsistencyProof(READER, { first: "11", second: "40" });
    // A head signed by another key, over the right size and root: the pinned key refuses it.
    const foreign = signCheckpoint({ seq: "40", rootHash: inclusion.rootHash, headHash: inclusion.treeHead.headHash, signedAt: inclusion.treeHead.signedAt }, other);
    const foreignHead = { ...inclusion.treeHead, keyId: foreign.keyId, signature: foreign.signature };
    const cases: Record<"inclusion" | "consistency", [unknown, RegExp][]> = {
      inclusion: [
        [{ ...inclusion, auditPath: [...inclusion.auditPath.slice(0, -1), "0".repeat(64)] }, /fails: the path does not lead to the root/],
        [{ ...inclusion, treeHead: { ...inclusion.treeHead, signature: Buffer.alloc(64).toString("base64") } }, /fails: tree head's signature does not verify with the pinned key/],
        [{ ...inclusion, treeHead: { ...foreignHead, keyId: key.keyId } }, /fails: tree head's signature does not verify with the pinned key/],
        [{ ...inclusion, treeHead: foreignHead }, new RegExp(`fails: tree head names key ${other.keyId}, not the pinned key ${key.keyId}`)],
        [{ ...inclusion, treeHead: { ...inclusion.treeHead, rootHash: "e".repeat(64) } }, /fails: tree head's signature does not verify/],
        [{ ...inclusion, treeHead: undefined }, /fails: the proof's tree head is missing/],
        [{ ...inclusion, treeSize: "40" }, /fails: the proof's fields .* wrong type/],
        ["{ not json", /fails: .* is not a readable JSON file/],
      ],
      consistency: [
        [{ ...consistency, firstRoot: "f".repeat(64) }, /fails: the path does not join the two roots/],
        [{ ...consistency, secondTreeHead: { ...consistency.secondTreeHead, signedAt: "2000-01-01T00:00:00.000Z" } }, /fails: second tree head's signature does not verify with the pinned key/],
        [{ ...consistency, firstTreeHead: consistency.secondTreeHead }, /fails: first tree head is of 40 entries, the proof of 11/],
      ],
    };
    for (const [command, script] of [[process.execPath, "docs/ledger-proof.mjs"], ["python3", "docs/ledger_proof.py"]] as const) {
      for (const [kind, good] of [["inclusion", inclusion], ["consistency", consistency]] as const) {
        writeFileSync(path.join(dir, "good.json"), JSON.stringify(good));
        const ok = spawnSync(command, [script, kind, path.join(dir, "good.json"), "--key", key.publicKey], { encoding: "utf8" });
        expect(ok.status, `${script} ${kind}: ${ok.stderr}`).toBe(0);
        expect(ok.stdout).toMatch(new RegExp(`^ok: .*signed by key ${key.keyId}`));
        // Without a pinned key, nothing is checked: usage, exit 2.
        expect(spawnSync(command, [script, kind, path.join(dir, "good.json")], { encoding: "utf8" }).status).toBe(2);
        // The right proof with another pinned key: refused.
        const wrongKey = spawnSync(command, [script, kind, path.join(dir, "good.json"), "--key", other.publicKey], { encoding: "utf8" });
        expect(wrongKey.status).toBe(1);
        expect(wrongKey.stderr).toContain(`not the pinned key ${other.keyId}`);
        for (const [bad, reason] of cases[kind]) {
          writeFileSync(path.join(dir, "bad.json"), typeof bad === "string" ? bad : JSON.stringify(bad));
          const refused = spawnSync(command, [script, kind, path.join(dir, "bad.json"), "--key", key.publicKey], { encoding: "utf8" });
          expect(refused.status, `${script} ${kind} ${reason}: ${refused.stdout}`).toBe(1);
          expect(refused.stderr.trim(), `${script} ${kind}`).toMatch(reason);
          expect(refused.stderr).not.toMatch(/Traceback|at file:/);
        }
      }
    }
  });
});
