/**
 * The edit log in real PostgreSQL: the SQL append computes the hash lib/ledger computes,
 * seq is gapless under concurrency and refusals, stale versions are refused, the database
 * refuses UPDATE / DELETE / TRUNCATE even for the superuser, and tampering (with the
 * trigger disabled by a superuser) makes verify name the entry.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { appLoginProblems, appLoginUrl } from "@/lib/db/app-login";
import { testPerson, withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { canonicalJson, entryHash } from "@/lib/ledger/chain";
import type { EditLogEntry } from "@/lib/ledger/entry";
import { WEEKEND_AUTO_CONFIRM_RULE } from "@/lib/mrs/automation";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { transaction } from "./db";
import { generateSigningKey, loadSigningKey, signCheckpoint, verifyCheckpoint } from "@/lib/ledger/checkpoint";
import { readLocalSecrets } from "@/lib/secrets";
import { createCheckpoint, ledgerSigningKey } from "./checkpoints";
import { appendEntry, exportLedger, listEntries, verifyLedger } from "./ledger";

// Its own database: its event entry would make the shared one's demo seed skip the case studies.
const db = withTestDatabase({ own: "ledger" });
let GOVERNANCE: Actor;
/** the actor entries name: a real person (the append function refuses anyone else) */
let analyst: Extract<Actor, { kind: "user" }>;
beforeAll(async () => {
  [GOVERNANCE, analyst] = await Promise.all([testPerson("governance"), testPerson("analyst")]);
});

function entry(subjectId: string, action = "confirm", extra: Partial<EditLogEntry> = {}): EditLogEntry {
  return {
    subjectType: "record",
    subjectId,
    action,
    before: null,
    after: { label: true },
    reasonCode: null,
    reasonText: null,
    evidence: [],
    actor: { type: "user", id: analyst.id, role: "analyst" },
    sessionId: null,
    effectiveAt: new Date().toISOString(),
    ...extra,
  };
}

describe("edit log (database)", () => {
  it("appends with the hash lib/ledger computes, versions per subject, and verifies", async () => {
    const id = `led-${randomUUID().slice(0, 8)}`;
    const first = await appendEntry(db.handle().pool, entry(id), 0);
    const second = await appendEntry(db.handle().pool, entry(id, "override", { reasonCode: "data_error", reasonText: "the spends were swapped" }), 1);
    expect(second.subjectVersion).toBe(2);
    expect(BigInt(second.seq)).toBe(BigInt(first.seq) + 1n);
    const row = (await db.handle().pool.query("SELECT c, prev_hash FROM edit_log WHERE seq = $1", [second.seq])).rows[0];
    expect(row.c).toBe(canonicalJson(entry(id, "override", { reasonCode: "data_error", reasonText: "the spends were swapped", actor: JSON.parse(row.c).actor, effectiveAt: JSON.parse(row.c).effectiveAt })));
    expect(second.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(entryHash(row.c, second.seq, second.recordedAt, row.prev_hash)).toBe(second.hash);
    expect(row.prev_hash).toBe(first.hash);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
  });

  it("lists entries newest first, filtered by actor, action, subject type and UTC days, paged by keyset", async () => {
    const person = await testPerson("lead");
    const who = person.id;
    const by = { actor: { type: "user" as const, id: who, role: "lead" } };
    const ids = [randomUUID(), randomUUID(), randomUUID()].map((u) => `lf-${u.slice(0, 8)}`);
    await appendEntry(db.handle().pool, entry(ids[0]!, "confirm", by), null);
    await appendEntry(db.handle().pool, entry(ids[1]!, "note", by), null);
    await appendEntry(db.handle().pool, entry(ids[2]!, "release", { ...by, subjectType: "batch" }), null);
    await appendEntry(db.handle().pool, entry(ids[0]!, "confirm", { subjectType: "event", actor: { type: "system", rule: WEEKEND_AUTO_CONFIRM_RULE, configVersion: "1" } }), null);
    const subjects = async (filter: Parameters<typeof listEntries>[1]) => (await listEntries(GOVERNANCE, filter)).map((e) => `${e.subjectId}:${e.entry.action}`);

    await appendEntry(db.handle().pool, entry(ids[1]!, "confirm", by), null);
    expect(await subjects({ actor: who })).toEqual([`${ids[1]}:confirm`, `${ids[2]}:release`, `${ids[1]}:note`, `${ids[0]}:confirm`]);
    expect(await subjects({ actor: who, action: "confirm" })).toEqual([`${ids[1]}:confirm`, `${ids[0]}:confirm`]);
    expect(await subjects({ actor: who, subjectType: "batch" })).toEqual([`${ids[2]}:release`]);
    expect((await listEntries(GOVERNANCE, { actor: "system", limit: 200 })).map((e) => e.subjectId)).toContain(ids[0]);
    expect((await listEntries(GOVERNANCE, { actor: "system", limit: 200 })).every((e) => e.entry.actor.type === "system")).toBe(true);
    // Whole UTC days, both ends inclusive.
    const today = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
    const day = (n: number) => new Date(today.getTime() + n * 86_400_000);
    expect(await subjects({ actor: who, from: today, to: today })).toHaveLength(4);
    expect(await subjects({ actor: who, to: day(-1) })).toEqual([]);
    expect(await subjects({ actor: who, from: day(1) })).toEqual([]);
    // Keyset paging keeps the filter: two, then the rest, nothing twice.
    const first = await listEntries(GOVERNANCE, { actor: who, limit: 2 });
    const rest = await listEntries(GOVERNANCE, { actor: who, limit: 2, before: first.at(-1)!.seq });
    const third = await listEntries(GOVERNANCE, { actor: who, limit: 2, before: rest.at(-1)!.seq });
    expect([...first, ...rest, ...third].map((e) => e.subjectId)).toEqual([ids[1], ids[2], ids[1], ids[0]]);
    await expect(listEntries({ ...GOVERNANCE, role: "analyst" } as Actor, {})).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("refuses a stale version and a future effectiveAt, leaving no gap in seq", async () => {
    const id = `led-${randomUUID().slice(0, 8)}`;
    const a = await appendEntry(db.handle().pool, entry(id), 0);
    await expect(appendEntry(db.handle().pool, entry(id), 0)).rejects.toBeInstanceOf(ConflictError);
    await expect(appendEntry(db.handle().pool, entry(id, "confirm", { effectiveAt: new Date(Date.now() + 3_600_000).toISOString() }), 1)).rejects.toBeInstanceOf(ValidationError);
    await expect(appendEntry(db.handle().pool, entry(id, "Bad Action"), 1)).rejects.toBeInstanceOf(ValidationError);
    // A rolled-back append leaves no hole either.
    await expect(
      transaction(async (client) => {
        await appendEntry(client, entry(id), 1);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const b = await appendEntry(db.handle().pool, entry(id), 1);
    expect(BigInt(b.seq)).toBe(BigInt(a.seq) + 1n);
  });

  it("never forks: concurrent appends get distinct consecutive seqs; one of two rivals wins", async () => {
    const ids = Array.from({ length: 40 }, () => `led-c-${randomUUID().slice(0, 8)}`);
    const results = await Promise.all(ids.map((id) => appendEntry(db.handle().pool, entry(id), 0)));
    const seqs = results.map((r) => BigInt(r.seq)).sort((x, y) => (x < y ? -1 : 1));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]! - seqs[i - 1]!).toBe(1n);
    const rival = `led-r-${randomUUID().slice(0, 8)}`;
    const outcomes = await Promise.allSettled([appendEntry(db.handle().pool, entry(rival), 0), appendEntry(db.handle().pool, entry(rival), 0)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
  });

  it("refuses the app role every change but the append function", async () => {
    const app = db.handle().pool;
    expect((await app.query("SELECT current_user AS u")).rows[0].u).toBe("sentinel_app");
    const appended = await appendEntry(app, entry(`led-r-${randomUUID().slice(0, 8)}`), 0);
    for (const sql of [
      "UPDATE edit_log SET action = 'override' WHERE seq = $1",
      "DELETE FROM edit_log WHERE seq = $1",
      "INSERT INTO edit_log SELECT seq + 1000000, subject_type, subject_id, action, c, effective_at, recorded_at, prev_hash, hash, subject_version FROM edit_log WHERE seq = $1",
      "UPDATE edit_log_head SET seq = $1",
      "UPDATE edit_log_subjects SET version = 0 WHERE $1::bigint > 0",
    ]) {
      await expect(app.query(sql, [appended.seq]), sql).rejects.toThrow(/permission denied/);
    }
    await expect(app.query("TRUNCATE edit_log")).rejects.toThrow(/permission denied/);
    // Append-only tables get no UPDATE/DELETE/TRUNCATE grant (a guard for tables added later).
    const granted = await app.query<{ table_name: string; privilege_type: string }>(
      `SELECT table_name, privilege_type FROM information_schema.role_table_grants
       WHERE grantee = 'sentinel_app' AND table_name IN ('edit_log', 'edit_log_head', 'edit_log_subjects', 'ledger_checkpoints') AND privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE', 'INSERT')`,
    );
    // Not even INSERT on the checkpoints: they go through ledger_checkpoint_append's checks.
    expect(granted.rows).toEqual([]);
  });

  it("gives the app's login nothing to escape to: SET ROLE NONE, session_replication_role and every change are refused, as sentinel_app and as sentinel_login", async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = (await db.handle().pool.query("SELECT current_database() AS d")).rows[0].d;
    // The app's pool: logs in as sentinel_login, runs as sentinel_app.
    const app = await db.handle().pool.connect();
    // The same login without the role option, as anyone holding DATABASE_URL could connect.
    const login = new pg.Client({ connectionString: appLoginUrl(url.toString()) });
    await login.connect();
    try {
      expect((await app.query("SELECT session_user AS s, current_user AS c")).rows[0]).toEqual({ s: "sentinel_login", c: "sentinel_app" });
      const seq = (await appendEntry(app, entry(`led-l-${randomUUID().slice(0, 8)}`), 0)).seq;
      for (const client of [app, login]) {
        await client.query("SET ROLE NONE");
        expect((await client.query("SELECT current_user AS c, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS s")).rows[0]).toEqual({ c: "sentinel_login", s: false });
        await expect(client.query("SET session_replication_role = replica")).rejects.toThrow(/permission denied/);
        await expect(client.query("SET ROLE postgres")).rejects.toThrow(/permission denied/);
        for (const sql of ["UPDATE edit_log SET action = 'override' WHERE seq = $1", "DELETE FROM edit_log WHERE seq = $1", "UPDATE edit_log_head SET seq = $1"]) {
          await expect(client.query(sql, [seq]), sql).rejects.toThrow(/permission denied/);
        }
        await expect(client.query("TRUNCATE edit_log")).rejects.toThrow(/permission denied/);
        await expect(client.query("ALTER TABLE edit_log DISABLE TRIGGER USER")).rejects.toThrow(/must be owner/);
        await client.query("SET ROLE sentinel_app");
        await expect(client.query("UPDATE edit_log SET action = 'override' WHERE seq = $1", [seq])).rejects.toThrow(/permission denied/);
      }
    } finally {
      await app.query("RESET ROLE").catch(() => undefined);
      app.release(true);
      await login.end();
    }
    // What the start-up check (scripts/start.ts) reads: the app's login is sound, the owner's is not.
    expect(await appLoginProblems(appLoginUrl(url.toString()))).toBeNull();
    expect((await appLoginProblems(url.toString()))?.problems).toContain("a superuser");
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
  });

  it("refuses UPDATE, DELETE and TRUNCATE even for the superuser; tampering is named by verify", async () => {
    const pool = db.owner().pool;
    expect((await pool.query("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).rows[0].rolsuper).toBe(true);
    const appended = await appendEntry(pool, entry(`led-t-${randomUUID().slice(0, 8)}`), 0);
    await expect(pool.query("UPDATE edit_log SET action = 'override' WHERE seq = $1", [appended.seq])).rejects.toThrow(/append-only/);
    await expect(pool.query("DELETE FROM edit_log WHERE seq = $1", [appended.seq])).rejects.toThrow(/append-only/);
    await expect(pool.query("TRUNCATE edit_log")).rejects.toThrow(/append-only/);
    await expect(pool.query("DELETE FROM edit_log_head")).rejects.toThrow(/append-only/);

    // A superuser who disables the trigger can change a row — and verify names it.
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("ALTER TABLE edit_log DISABLE TRIGGER edit_log_no_update_delete");
      await client.query(`UPDATE edit_log SET c = replace(c, '"label":true', '"label":false') WHERE seq = $1`, [appended.seq]);
      await client.query("ALTER TABLE edit_log ENABLE TRIGGER edit_log_no_update_delete");
      await client.query("COMMIT");
      expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: false, firstBad: { seq: appended.seq, reason: expect.stringContaining("hash does not match") } });
    } finally {
      // Put the row back so the shared test database's chain verifies again.
      await client.query("BEGIN");
      await client.query("ALTER TABLE edit_log DISABLE TRIGGER edit_log_no_update_delete");
      await client.query(`UPDATE edit_log SET c = replace(c, '"label":false', '"label":true') WHERE seq = $1`, [appended.seq]);
      await client.query("ALTER TABLE edit_log ENABLE TRIGGER edit_log_no_update_delete");
      await client.query("COMMIT");
      client.release();
    }
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
  });
});

describe("npm run ledger:verify", () => {
  it("prints the verdict as JSON and exits 0 when the chain verifies", async () => {
    // This file's database, as an operator runs the command: the app's login, the owner's URL beside it.
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = (await db.handle().pool.query("SELECT current_database() AS d")).rows[0].d;
    const env = { ...process.env, DATABASE_URL: appLoginUrl(url.toString()), DATABASE_OWNER_URL: url.toString() };
    const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/ledger-verify.ts"], { encoding: "utf8", env, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ ok: true, count: expect.any(Number), headHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});

describe("the export and docs/ledger.md's outside verification", () => {
  it("exports JSON lines that the documented Node and Python scripts verify, and catch a changed entry", async () => {
    await appendEntry(db.handle().pool, entry(`led-x-${randomUUID().slice(0, 8)}`), 0);
    const lines: string[] = [];
    for await (const line of exportLedger(GOVERNANCE)) lines.push(line);
    const dir = mkdtempSync(path.join(tmpdir(), "ledger-export-"));
    const file = path.join(dir, "export.jsonl");
    writeFileSync(file, lines.join(""));
    const count = lines.filter((l) => !l.includes('"type":"checkpoint"')).length;
    expect(count).toBeGreaterThan(0);
    expect(JSON.parse(lines[0]!)).toEqual({ c: expect.any(String), seq: "1", recordedAt: expect.any(String), prevHash: "0".repeat(64), hash: expect.any(String) });

    const key = ledgerSigningKey().publicKey;
    const node = spawnSync(process.execPath, ["docs/ledger-verify.mjs", file, "--key", key], { encoding: "utf8" });
    expect(node.status, node.stderr).toBe(0);
    expect(node.stdout).toContain(`ok: ${count} entries`);

    // The Python of docs/ledger.md, as printed there.
    const docs = readFileSync("docs/ledger.md", "utf8");
    const python = /```python\n([\s\S]*?)```/.exec(docs)![1]!;
    const py = spawnSync("python3", ["-c", python, file], { encoding: "utf8" });
    expect(py.status, py.stderr).toBe(0);
    expect(py.stdout).toContain(`ok: ${count} entries`);
    // The docs show the same Node code as the file the test runs.
    const js = /```js\n([\s\S]*?)```/.exec(docs)![1]!;
    expect(readFileSync("docs/ledger-verify.mjs", "utf8")).toContain(js.trim());

    // One changed character in one entry's content: both scripts refuse.
    const last = lines.findLastIndex((l) => l.includes('\\"label\\":true'));
    const tampered = lines.map((l, i) => (i === last ? l.replace('\\"label\\":true', '\\"label\\":false') : l));
    expect(tampered.join("")).not.toBe(lines.join(""));
    writeFileSync(file, tampered.join(""));
    const refused = spawnSync(process.execPath, ["docs/ledger-verify.mjs", file, "--key", key], { encoding: "utf8" });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`line ${last + 1}: entry \\d+ does not verify`));
    expect(spawnSync("python3", ["-c", python, file], { encoding: "utf8" }).status).not.toBe(0);
    // The key must be pinned: without one the script refuses to run (and names the usage).
    const unpinned = spawnSync(process.execPath, ["docs/ledger-verify.mjs", file], { encoding: "utf8" });
    expect(unpinned.status).toBe(2);
    expect(unpinned.stderr).toContain("--key");
  });
});

describe("signed checkpoints", () => {
  it("signing is a write: ledger:sign (governance) or the operator; read tokens, analysts, managers and admins are refused", async () => {
    const before = Number((await db.handle().pool.query("SELECT count(*) AS n FROM ledger_checkpoints")).rows[0].n);
    const person = (role: "analyst" | "manager" | "admin" | "lead"): Actor => ({ kind: "user", id: randomUUID(), email: `${role}@x`, name: role, role });
    const reader: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["read", "ingest", "events:ingest", "models:write"] };
    for (const actor of [person("analyst"), person("manager"), person("admin"), person("lead"), reader]) {
      await expect(createCheckpoint(actor)).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(Number((await db.handle().pool.query("SELECT count(*) AS n FROM ledger_checkpoints")).rows[0].n)).toBe(before);
    expect((await createCheckpoint(GOVERNANCE)).created).toBe(true);
    expect((await createCheckpoint(OPERATOR)).created).toBe(true);
  });

  it("signs a tree head with Ed25519, places it in the export after its entry, and the documented script checks it", async () => {
    await appendEntry(db.handle().pool, entry(`led-c-${randomUUID().slice(0, 8)}`), 0);
    await expect(createCheckpoint({ kind: "user", id: randomUUID(), email: "a@x", name: "A", role: "analyst" })).rejects.toBeInstanceOf(ForbiddenError);
    const { checkpoint, created } = await createCheckpoint(GOVERNANCE);
    expect(created).toBe(true);
    const key = ledgerSigningKey();
    expect(checkpoint).toMatchObject({ type: "checkpoint", keyId: key.keyId, publicKey: key.publicKey });
    expect(verifyCheckpoint(checkpoint, key.publicKey)).toBe(true);
    expect(verifyCheckpoint({ ...checkpoint, headHash: "0".repeat(64) }, key.publicKey)).toBe(false);
    // A tree head: it signs the size and the RFC 9162 root too (a changed root fails).
    expect(checkpoint).toMatchObject({ treeSize: checkpoint.seq, rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(verifyCheckpoint({ ...checkpoint, rootHash: "0".repeat(64) }, key.publicKey)).toBe(false);
    // An older checkpoint (no root) keeps its own message and still verifies.
    const older = signCheckpoint({ seq: checkpoint.seq, headHash: checkpoint.headHash, signedAt: checkpoint.signedAt }, key);
    expect(older).not.toHaveProperty("rootHash");
    expect(verifyCheckpoint(older, key.publicKey)).toBe(true);
    expect(older.signature).not.toBe(checkpoint.signature);
    // The schedule signs only when the chain moved.
    expect((await createCheckpoint(OPERATOR, { onlyIfMoved: true })).created).toBe(false);
    // The key is kept: the same public key on the next load of the secrets file.
    expect(loadSigningKey(readLocalSecrets().ledgerSigningKey!).publicKey).toBe(key.publicKey);

    const lines: string[] = [];
    for await (const line of exportLedger(GOVERNANCE)) lines.push(line);
    const at = lines.findIndex((l) => l.includes(checkpoint.signature));
    expect(JSON.parse(lines[at]!)).toEqual(checkpoint);
    expect(JSON.parse(lines[at - 1]!).seq).toBe(checkpoint.seq);
    const file = path.join(mkdtempSync(path.join(tmpdir(), "ledger-cp-")), "export.jsonl");
    writeFileSync(file, lines.join(""));
    const verifyExport = (...keys: string[]) => spawnSync(process.execPath, ["docs/ledger-verify.mjs", file, ...keys.flatMap((k) => ["--key", k])], { encoding: "utf8" });
    const ok = verifyExport(key.publicKey);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/[1-9]\d* signed checkpoints \([1-9]\d* tree heads, roots recomputed\)/);
    // Another pinned key: each line names the key it carries as not pinned, and the script goes on to the end.
    const other = loadSigningKey(generateSigningKey()).publicKey;
    const unpinned = verifyExport(other);
    expect(unpinned.status).toBe(1);
    expect(unpinned.stderr).toContain(`line ${at + 1}: checkpoint at ${checkpoint.seq} carries key ${key.publicKey} (id ${key.keyId}), not a pinned key`);
    expect(unpinned.stderr).not.toMatch(/at file:|Error:/);
    // Bad lines are named by number, and the check goes on: a changed signature, a root the
    // entries do not reach, a line that is not JSON, a head without its root's type.
    const replaceHead = (text: string) => writeFileSync(file, lines.map((l, i) => (i === at ? `${text}\n` : l)).join(""));
    const cases: [string, RegExp][] = [
      [JSON.stringify({ ...checkpoint, signature: Buffer.alloc(64).toString("base64") }), /the signature does not verify with the pinned key/],
      [JSON.stringify({ ...checkpoint, rootHash: "0".repeat(64) }), /the signature does not verify/],
      ["{not json", /not JSON/],
      [JSON.stringify({ ...checkpoint, rootHash: 7 }), /rootHash missing or not a string/],
    ];
    for (const [text, reason] of cases) {
      replaceHead(text);
      const r = verifyExport(key.publicKey);
      expect(r.status, r.stdout).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`line ${at + 1}: .*${reason.source}`));
      expect(r.stderr).toMatch(/fails: 1 problem in /);
    }
    // A root that is signed (by the pinned key) but is not the root of the entries: named.
    const forged = signCheckpoint({ seq: checkpoint.seq, rootHash: "ab".repeat(32), headHash: checkpoint.headHash, signedAt: checkpoint.signedAt }, key);
    replaceHead(JSON.stringify(forged));
    expect(verifyExport(key.publicKey).stderr).toContain(`line ${at + 1}: tree head at ${checkpoint.seq}: the signed root ${"ab".repeat(32)} is not the root of the ${checkpoint.seq} entries read`);
    // Checkpoints are append-only too.
    await expect(db.handle().pool.query("DELETE FROM ledger_checkpoints")).rejects.toThrow(/permission denied/);
    await expect(db.owner().pool.query("UPDATE ledger_checkpoints SET signature = 'x'")).rejects.toThrow(/append-only/);
  });

  it("the database refuses a forged tree head: no INSERT for the app, and its function checks the key, the head, the root and the signature", async () => {
    await appendEntry(db.handle().pool, entry(`led-f-${randomUUID().slice(0, 8)}`), 0);
    const { checkpoint } = await createCheckpoint(GOVERNANCE);
    const key = ledgerSigningKey();
    const app = db.handle().pool;
    const count = async () => Number((await app.query("SELECT count(*) AS n FROM ledger_checkpoints")).rows[0].n);
    const before = await count();
    const append = (c: typeof checkpoint) =>
      app.query("SELECT ledger_checkpoint_append($1::bigint, $2, $3, $4, $5, $6, $7)", [c.seq, c.rootHash ?? null, c.headHash, c.signedAt, c.keyId, c.publicKey, c.signature]);
    const refused = async (c: typeof checkpoint, rule: RegExp) => expect(append(c)).rejects.toMatchObject({ code: "SR422", message: expect.stringMatching(rule) });

    await expect(
      app.query("INSERT INTO ledger_checkpoints (seq, root_hash, head_hash, signed_at, key_id, public_key, signature) VALUES ($1, $2, $3, $4, $5, $6, $7)", [checkpoint.seq, checkpoint.rootHash, checkpoint.headHash, checkpoint.signedAt, checkpoint.keyId, checkpoint.publicKey, checkpoint.signature]),
    ).rejects.toThrow(/permission denied/);
    // The right key, a signature of other bytes.
    await refused({ ...checkpoint, signature: signCheckpoint({ ...checkpoint, signedAt: "2020-01-01T00:00:00.000Z" }, key).signature }, /^signature: does not verify/);
    await refused({ ...checkpoint, signature: Buffer.alloc(64).toString("base64") }, /^signature: does not verify/);
    // A key the app made up and signed with: not registered, and the app may not register it.
    const forger = loadSigningKey(generateSigningKey());
    const forged = signCheckpoint({ seq: checkpoint.seq, rootHash: checkpoint.rootHash, headHash: checkpoint.headHash, signedAt: new Date().toISOString() }, forger);
    await refused(forged, /^keyId: .* is not a registered signing key/);
    await expect(app.query("INSERT INTO ledger_signing_keys (key_id, public_key) VALUES ($1, $2)", [forger.keyId, forger.publicKey])).rejects.toThrow(/permission denied/);
    // Correctly signed by the registered key, but about another log: the head and the root must be the log's own.
    await refused(signCheckpoint({ seq: checkpoint.seq, rootHash: checkpoint.rootHash, headHash: "ab".repeat(32), signedAt: checkpoint.signedAt }, key), /^headHash: not the chain's hash after/);
    await refused(signCheckpoint({ seq: checkpoint.seq, rootHash: "ab".repeat(32), headHash: checkpoint.headHash, signedAt: checkpoint.signedAt }, key), /^rootHash: not the Merkle root of the first/);
    await refused(signCheckpoint({ seq: String(Number(checkpoint.seq) + 1000), rootHash: checkpoint.rootHash, headHash: checkpoint.headHash, signedAt: checkpoint.signedAt }, key), /^seq: .* is not a size of the log/);
    expect(await count()).toBe(before);
    // The genuine head goes in.
    await expect(append(signCheckpoint({ seq: checkpoint.seq, rootHash: checkpoint.rootHash, headHash: checkpoint.headHash, signedAt: new Date().toISOString() }, key))).resolves.toMatchObject({ rowCount: 1 });
    expect(await count()).toBe(before + 1);
  });
});
