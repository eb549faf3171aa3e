/**
 * The witness file in real PostgreSQL and a real folder: each signed tree head is written
 * outside the database, and verify compares the database's heads, the file's heads and the
 * roots recomputed from the entries — so the owner who changes an entry, or a head's root,
 * in the database is named by tree size and field, besides what the chain check says.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { testPerson, withTestDatabase } from "@/lib/db/test-database";
import type { EditLogEntry } from "@/lib/ledger/entry";
import { WITNESS_GRACE_MS } from "@/lib/ledger/witness";
import { createCheckpoint } from "./checkpoints";
import { appendEntry, verifyLedger } from "./ledger";
import { witnessFile } from "./witness";

const db = withTestDatabase({ own: "witness" });
/** the entries' actor: a real person (the append function refuses anyone else) */
let author: Extract<Actor, { kind: "user" }>;
beforeAll(async () => {
  author = await testPerson("analyst");
});

function entry(subjectId: string): EditLogEntry {
  return {
    subjectType: "record",
    subjectId,
    action: "note",
    before: null,
    after: { note: "witnessed" },
    reasonCode: null,
    reasonText: null,
    evidence: [],
    actor: { type: "user", id: author.id, role: "analyst" },
    sessionId: null,
    effectiveAt: new Date().toISOString(),
  };
}

const append = async (n: number) => {
  for (let i = 0; i < n; i++) await appendEntry(db.handle().pool, entry(`w-${i % 3}`), null);
};

/** Runs `sql` as the owner with the table's own triggers off (what an attacker with the owner's rights can do), then turns them back on. */
async function asOwner(table: string, sql: string, params: unknown[] = []): Promise<void> {
  const client = await db.owner().pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await client.query(sql, params);
    await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
}

describe("the witness file", () => {
  it("reads 'no witness yet' on a fresh log, then holds one line per signed tree head, named by the log's own identity", async () => {
    const file = await witnessFile();
    rmSync(file, { force: true });
    const fresh = await verifyLedger(OPERATOR);
    expect(fresh).toMatchObject({ ok: true, witness: { state: "none", file, witnessed: 0, signed: 0, problems: [] } });

    await append(5);
    const first = (await createCheckpoint(OPERATOR)).checkpoint;
    await append(4);
    const second = (await createCheckpoint(OPERATOR)).checkpoint;
    expect(existsSync(file)).toBe(true);
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual([first, second].map((c) => ({ treeSize: c.seq, rootHash: c.rootHash, headHash: c.headHash, signedAt: c.signedAt, keyId: c.keyId, publicKey: c.publicKey, signature: c.signature })));
    // The file is named by the UUID the migration stored, not by anything a test shares.
    const { log_id } = (await db.handle().pool.query<{ log_id: string }>("SELECT log_id::text AS log_id FROM ledger_identity")).rows[0]!;
    expect(path.basename(file)).toBe(`${log_id}.jsonl`);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true, count: 9, witness: { state: "agrees", witnessed: 2, signed: 2, problems: [] } });
    // The identity is append-only like the log: the app may not change it, the owner's trigger refuses.
    await expect(db.handle().pool.query("UPDATE ledger_identity SET log_id = gen_random_uuid()")).rejects.toThrow(/permission denied/);
    await expect(db.owner().pool.query("UPDATE ledger_identity SET log_id = gen_random_uuid()")).rejects.toThrow(/append-only/);
  });

  it("names a head missing from either side, and a line that is not a head, by tree size or line number", async () => {
    const file = await witnessFile();
    const original = readFileSync(file, "utf8");
    try {
      const [firstLine, secondLine] = original.trim().split("\n");
      writeFileSync(file, `${firstLine}\n`);
      // Within a minute of signing a missing line may still be on its way (WITNESS_GRACE_MS): not yet a problem.
      expect((await verifyLedger(OPERATOR)).witness.problems).toEqual([]);
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + WITNESS_GRACE_MS);
      const missing = await verifyLedger(OPERATOR).finally(() => vi.useRealTimers());
      expect(missing.ok).toBe(false);
      expect(missing.witness).toMatchObject({ state: "disagrees", witnessed: 1, signed: 2 });
      expect(missing.witness.problems).toEqual([{ treeSize: "9", field: null, message: expect.stringMatching(/^tree head 9 \(signed .*\) is in the database but not in the witness file$/) }]);
      expect(missing).toMatchObject({ firstBad: { seq: "9", reason: expect.stringContaining("the witness disagrees: tree head 9") } });

      const extra = { ...JSON.parse(secondLine!), treeSize: "7", signedAt: "2026-01-01T00:00:00.000Z" };
      writeFileSync(file, `${original}${JSON.stringify(extra)}\nnot a head\n`);
      const problems = (await verifyLedger(OPERATOR)).witness.problems;
      expect(problems).toContainEqual({ treeSize: "7", field: null, message: "tree head 7 (signed 2026-01-01T00:00:00.000Z) is in the witness file but not in the database" });
      expect(problems).toContainEqual({ treeSize: "", field: null, message: "line 4 of the witness file is not JSON" });
    } finally {
      writeFileSync(file, original);
    }
    expect((await verifyLedger(OPERATOR)).witness.state).toBe("agrees");
  });

  it("catches one flipped byte of a stored entry twice: the chain names the entry, the witness the signed sizes whose root it no longer reaches", async () => {
    const seq = 3;
    const { c } = (await db.handle().pool.query<{ c: string }>("SELECT c FROM edit_log WHERE seq = $1", [seq])).rows[0]!;
    const flipped = c.replace("witnessed", "witnessee");
    expect(flipped).not.toBe(c);
    await asOwner("edit_log", "UPDATE edit_log SET c = $2 WHERE seq = $1", [seq, flipped]);
    try {
      const verdict = await verifyLedger(OPERATOR);
      expect(verdict).toMatchObject({ ok: false, firstBad: { seq: String(seq), reason: expect.stringContaining("hash does not match") } });
      // Both signed sizes (5 and 9) cover entry 3: neither witnessed root is reached any more.
      expect(verdict.witness.state).toBe("disagrees");
      expect(verdict.witness.problems.map((p) => [p.treeSize, p.field])).toEqual([
        ["5", "rootHash"],
        ["9", "rootHash"],
      ]);
      expect(verdict.witness.problems[0]!.message).toMatch(/^tree head 5: the witnessed root [0-9a-f]{16}… is not the root of the entries now \([0-9a-f]{16}…\): an entry up to 5 changed$/);
    } finally {
      await asOwner("edit_log", "UPDATE edit_log SET c = $2 WHERE seq = $1", [seq, c]);
    }
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true, witness: { state: "agrees" } });
  });

  it("catches a tree head's root rewritten in the database, naming its size and the field", async () => {
    const { id, root_hash } = (await db.handle().pool.query<{ id: string; root_hash: string }>("SELECT id::text AS id, root_hash FROM ledger_checkpoints WHERE seq = 5")).rows[0]!;
    await asOwner("ledger_checkpoints", "UPDATE ledger_checkpoints SET root_hash = $2 WHERE id = $1", [id, "0".repeat(64)]);
    try {
      const verdict = await verifyLedger(OPERATOR);
      expect(verdict.ok).toBe(false);
      expect(verdict.witness.problems).toEqual([{ treeSize: "5", field: "rootHash", message: `tree head 5: rootHash is ${"0".repeat(16)}… in the database, ${root_hash.slice(0, 16)}… in the witness file` }]);
    } finally {
      await asOwner("ledger_checkpoints", "UPDATE ledger_checkpoints SET root_hash = $2 WHERE id = $1", [id, root_hash]);
    }
    expect((await verifyLedger(OPERATOR)).ok).toBe(true);
  });
});
