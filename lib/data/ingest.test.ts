/**
 * Ingest against real PostgreSQL: all-or-nothing, idempotency, versions, the active
 * policy, scopes, and the database's own guards on the stored results.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { BadRequestError, ConflictError, ForbiddenError, UnsupportedMediaTypeError, ValidationError } from "@/lib/errors";
import { computeSnapshotHash, type ScoredRecord } from "@/lib/gating";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { ingestBatch } from "./ingest";
import { readPolicyFile } from "@/lib/reference-data";
import { activePolicy } from "./policies";

const db = withTestDatabase();
const token = (scopes: ("ingest" | "read")[] = ["ingest"]): Actor => ({ kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@local", scopes });
const SHIPPED = readFileSync("data/spaceship-titanic/train.csv", "utf8").replace(/\r\n/g, "\n").trimEnd().split("\n");

function record(id: string, overrides: Partial<ScoredRecord> = {}): ScoredRecord {
  return {
    recordId: id,
    spend: { RoomService: 0, FoodCourt: 120, ShoppingMall: null, Spa: 0, VRDeck: 35 },
    context: { HomePlanet: "Earth", Destination: "TRAPPIST-1e", Cabin: "F/10/S", CryoSleep: false, Age: 31 },
    pModel: 0.2,
    ensemble: [0.18, 0.2, 0.22, 0.19, 0.21, 0.2, 0.2, 0.17, 0.23, 0.2],
    scorerVersion: "upstream-7",
    ...overrides,
  };
}

const json = (body: unknown) => ({ body: JSON.stringify(body), contentType: "application/json", idempotencyKey: null });

async function countRows(table: string, where = "true", params: unknown[] = []): Promise<number> {
  const r = await db.handle().pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table} WHERE ${where}`, params);
  return Number(r.rows[0]!.n);
}

describe("ingest (data layer)", () => {
  it("activates the committed default policy once and gates with it", async () => {
    const [a, b] = await Promise.all([activePolicy(), activePolicy()]);
    const committed = readPolicyFile();
    expect(a.snapshot.id).toBe(committed.id);
    expect(b.hash).toBe(computeSnapshotHash(committed));
    expect(await countRows("policy_snapshots", "active")).toBe(1);
  });

  it("writes the batch, the record versions and the results with provenance, keeping nulls", async () => {
    const prefix = randomUUID().slice(0, 8);
    const res = await ingestBatch(token(), json({ batchId: `b-${prefix}`, records: [record(`${prefix}-1`), record(`${prefix}-2`, { pModel: 0.97, ensemble: undefined })] }));
    expect(res.status).toBe(201);
    const summary = JSON.parse(res.body);
    expect(summary).toMatchObject({ batchId: `b-${prefix}`, records: 2, superseded: 0, policy: { id: readPolicyFile().id } });
    expect(summary.routes.auto + summary.routes.audit).toBe(2);
    const rows = (
      await db.handle().pool.query("SELECT record_id, version, current, route, input, provenance, flags, reason_codes FROM gating_results WHERE batch_id = $1 ORDER BY record_id", [`b-${prefix}`])
    ).rows;
    expect(rows).toHaveLength(2);
    const input = JSON.parse(rows[0].input);
    expect(input.spend.ShoppingMall).toBeNull();
    const provenance = JSON.parse(rows[0].provenance);
    expect(provenance.spend.ShoppingMall).toBeNull();
    expect(provenance.missingChannels.ShoppingMall).toBe(true);
    expect(provenance.policy.hash).toBe(summary.policy.hash);
    // A record without an ensemble fails closed only when fragile; its reasons are stored as sent by the core.
    expect(Array.isArray(rows[1].reason_codes)).toBe(true);
  });

  it("stores each result's error estimate, and the triage key as its negation", async () => {
    const prefix = randomUUID().slice(0, 8);
    await ingestBatch(token(), json({ batchId: `b-${prefix}`, records: [record(`${prefix}-1`), record(`${prefix}-2`, { pModel: 0.55 }), record(`${prefix}-3`, { pModel: 0.97, ensemble: undefined })] }));
    const rows = (
      await db.handle().pool.query<{ error_estimate: number; triage_key: number; provenance: string }>(
        "SELECT error_estimate, triage_key, provenance FROM gating_results WHERE batch_id = $1 ORDER BY record_id",
        [`b-${prefix}`],
      )
    ).rows;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.error_estimate).toBe(JSON.parse(row.provenance).errorEstimate);
      expect(row.triage_key).toBe(-row.error_estimate);
    }
    expect(new Set(rows.map((r) => r.error_estimate)).size).toBe(3);
    // The database holds the pair together, whoever writes.
    await expect(
      db.owner().pool.query(
        `INSERT INTO gating_results (record_id, version, current, batch_id, policy_id, route, decision, fragile, fragility_score, theta, triage_key, error_estimate,
           p10, p50, p90, confidence, p_model, cluster_id, scorer_version, input, provenance)
         SELECT record_id, version + 100, false, batch_id, policy_id, route, decision, fragile, fragility_score, theta, theta - fragility_score, error_estimate,
           p10, p50, p90, confidence, p_model, cluster_id, scorer_version, input, provenance FROM gating_results WHERE batch_id = $1 LIMIT 1`,
        [`b-${prefix}`],
      ),
    ).rejects.toThrow(/gating_results_triage_key_is_estimate/);
  });

  it("refuses a batch with one bad record, naming index, field and rule, and writes nothing", async () => {
    const prefix = randomUUID().slice(0, 8);
    const before = await countRows("gating_results");
    const bad = [record(`${prefix}-1`), record(`${prefix}-2`, { spend: { RoomService: -5, FoodCourt: 0, ShoppingMall: 0, Spa: 0, VRDeck: 0 } }), record(`${prefix}-3`, { pModel: 1.5 })];
    const error = await ingestBatch(token(), json({ records: bad })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const fields = (error as ValidationError).fields!;
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(["records[1].spend.RoomService", "records[2].pModel"]));
    expect((error as ValidationError).message).toMatch(/2 invalid record\(s\).*nothing was written/);
    expect(await countRows("gating_results")).toBe(before);
    expect(await countRows("scored_records", "record_id LIKE $1", [`${prefix}%`])).toBe(0);

    const missingKey = record(`${prefix}-4`);
    delete (missingKey.spend as Record<string, unknown>).Spa;
    const dup = await ingestBatch(token(), json({ records: [record(`${prefix}-5`), record(`${prefix}-5`), missingKey] })).catch((e: unknown) => e);
    expect(Object.keys((dup as ValidationError).fields!)).toEqual(expect.arrayContaining(["records[1].recordId", "records[2].spend.Spa"]));
    const many = await ingestBatch(token(), json({ records: Array.from({ length: 10_001 }, (_, i) => record(`${prefix}-m${i}`)) })).catch((e: unknown) => e);
    expect((many as ValidationError).fields).toHaveProperty("records");
  });

  it("tells malformed JSON and a wrong content type apart from invalid records", async () => {
    await expect(ingestBatch(token(), { body: "{", contentType: "application/json", idempotencyKey: null })).rejects.toBeInstanceOf(BadRequestError);
    await expect(ingestBatch(token(), { body: "{}", contentType: "text/plain", idempotencyKey: null })).rejects.toBeInstanceOf(UnsupportedMediaTypeError);
    // NaN cannot be written in JSON; a string where a number belongs is named.
    const e = await ingestBatch(token(), json({ records: [{ ...record("x-nan"), pModel: "NaN" }] })).catch((x: unknown) => x);
    expect((e as ValidationError).fields).toHaveProperty("records[0].pModel");
  });

  it("replays the first response byte for byte under the same key, and refuses a different body (409)", async () => {
    const actor = token();
    const prefix = randomUUID().slice(0, 8);
    const request = { ...json({ records: [record(`${prefix}-1`)] }), idempotencyKey: `key-${prefix}` };
    const first = await ingestBatch(actor, request);
    const again = await ingestBatch(actor, request);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await countRows("gating_results", "record_id = $1", [`${prefix}-1`])).toBe(1);
    await expect(ingestBatch(actor, { ...json({ records: [record(`${prefix}-2`)] }), idempotencyKey: `key-${prefix}` })).rejects.toBeInstanceOf(ConflictError);
    // Concurrent identical requests write once.
    const concurrent = { ...json({ records: [record(`${prefix}-c`)] }), idempotencyKey: `key-c-${prefix}` };
    const results = await Promise.all([ingestBatch(actor, concurrent), ingestBatch(actor, concurrent), ingestBatch(actor, concurrent)]);
    expect(new Set(results.map((r) => r.body)).size).toBe(1);
    expect(await countRows("gating_results", "record_id = $1", [`${prefix}-c`])).toBe(1);
    // Without a key, the batch id is the key.
    const byBatch = json({ batchId: `bb-${prefix}`, records: [record(`${prefix}-b`)] });
    expect((await ingestBatch(actor, byBatch)).body).toBe((await ingestBatch(actor, byBatch)).body);
  });

  it("re-ingesting a record adds a version that supersedes the queued one; history keeps both", async () => {
    const id = `v-${randomUUID().slice(0, 8)}`;
    await ingestBatch(token(), json({ records: [record(id, { pModel: 0.3 })] }));
    const second = JSON.parse((await ingestBatch(token(), json({ records: [record(id, { pModel: 0.8 })] }))).body);
    expect(second.superseded).toBe(1);
    const rows = (await db.handle().pool.query("SELECT version, current, p_model FROM gating_results WHERE record_id = $1 ORDER BY version", [id])).rows;
    expect(rows).toEqual([
      { version: 1, current: false, p_model: 0.3 },
      { version: 2, current: true, p_model: 0.8 },
    ]);
  });

  it("gates CSV in the Kaggle dialect with the reference scorer, refusing a bad row by line", async () => {
    const prefix = randomUUID().slice(0, 6);
    const header = SHIPPED[0]!;
    const rows = SHIPPED.slice(1, 41).map((line) => line.replace(/^(\d{4})_/, `$1${prefix}_`).replace(/NaN/g, "").replace(/TRUE/g, "True").replace(/FALSE/g, "False"));
    const csv = (body: string[]) => ({ body: [header, ...body].join("\n"), contentType: "text/csv; charset=utf-8", idempotencyKey: null });
    const ok = JSON.parse((await ingestBatch(token(), csv(rows))).body);
    expect(ok.records).toBe(40);
    const stored = (await db.handle().pool.query("SELECT scorer_version FROM gating_results WHERE batch_id = $1 LIMIT 1", [ok.batchId])).rows[0];
    expect(stored.scorer_version).toMatch(/^gbdt-ens-/);

    const bad = [...rows];
    bad[6] = bad[6]!.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)[^,]*/, "$1-3");
    const error = await ingestBatch(token(), csv(bad)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toHaveProperty(["line 8, RoomService"]);
  });

  it("lets only actors with the ingest scope ingest", async () => {
    await expect(ingestBatch(token(["read"]), json({ records: [record("s-1")] }))).rejects.toBeInstanceOf(ForbiddenError);
    const analyst: Actor = { kind: "user", id: randomUUID(), email: "a@x", name: "A", role: "lead" };
    await expect(ingestBatch(analyst, json({ records: [record("s-2")] }))).rejects.toBeInstanceOf(ForbiddenError);
    expect((await ingestBatch(OPERATOR, json({ records: [record(`s-op-${randomUUID().slice(0, 8)}`)] }))).status).toBe(201);
  });

  it("guards every column of a result: each is either immutable or one of the allowed transitions", async () => {
    const columns = async (trigger: string | null) =>
      (
        await db.owner().pool.query<{ name: string }>(
          trigger === null
            ? "SELECT attname AS name FROM pg_attribute WHERE attrelid = 'gating_results'::regclass AND attnum > 0 AND NOT attisdropped"
            : `SELECT a.attname AS name FROM pg_trigger t JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr::int2[])
               WHERE t.tgrelid = 'gating_results'::regclass AND t.tgname = $1`,
          trigger === null ? [] : [trigger],
        )
      ).rows.map((r) => r.name).sort();
    const immutable = await columns("gating_results_immutable");
    const transitions = await columns("gating_results_transitions");
    expect(transitions).toEqual(["current", "review_action", "review_label", "review_seq", "reviewed_at", "reviewed_by"]);
    expect([...immutable, ...transitions].sort()).toEqual(await columns(null));
  });

  it("refuses, in the database, to change or delete a stored result or policy", async () => {
    await expect(db.handle().pool.query("DELETE FROM gating_results")).rejects.toThrow(/permission denied/);
    // The owner (a superuser here) is refused by the triggers.
    const pool = db.owner().pool;
    await expect(pool.query("UPDATE gating_results SET route = 'auto' WHERE id = (SELECT min(id) FROM gating_results)")).rejects.toThrow(/append-only/);
    await expect(pool.query("UPDATE gating_results SET current = true WHERE NOT current")).rejects.toThrow(/append-only/);
    await expect(pool.query("DELETE FROM gating_results")).rejects.toThrow(/append-only/);
    await expect(pool.query("UPDATE policy_snapshots SET content = '{}'::jsonb")).rejects.toThrow(/immutable/);
    await expect(pool.query("DELETE FROM policy_snapshots")).rejects.toThrow(/immutable/);
  });
});
