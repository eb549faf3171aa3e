/**
 * One request, one edit-log entry (migration …_edit_log_request_once), against real
 * PostgreSQL: concurrent replays of a note or an amendment write exactly one entry and
 * every caller gets the first one's result; the chain still verifies; and the migration
 * applies to a database that already holds duplicated replays without touching them.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { recreateDatabase } from "@/lib/db/scratch-database";
import { ReplayedRequestError } from "@/lib/errors";
import type { ScoredRecord } from "@/lib/gating";
import { canonicalJson, createChainVerifier } from "@/lib/ledger/chain";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { amendRecord, annotateRecord, decideRecord } from "./decisions";
import { ingestBatch } from "./ingest";
import { appendEntry, userEntry, verifyLedger } from "./ledger";
import { listQueue, queueQuery } from "./queue";
import { createUser } from "./users";

const db = withTestDatabase();
const prefix = `once${randomUUID().slice(0, 6)}`;
const ingestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["ingest"] };
let analyst: Extract<Actor, { kind: "user" }>;
let lead: Extract<Actor, { kind: "user" }>;

function record(i: number): ScoredRecord {
  return {
    recordId: `${prefix}-${i}`,
    spend: { RoomService: 10 + i, FoodCourt: 20, ShoppingMall: 0, Spa: 5, VRDeck: 0 },
    context: { HomePlanet: "Earth", Destination: "TRAPPIST-1e", Cabin: `F/${i}/P`, CryoSleep: false },
    pModel: 0.5,
    ensemble: Array.from({ length: 10 }, (_, m) => 0.5 + (m - 5) * 0.005),
    scorerVersion: "once-1",
  };
}

async function person(name: string, role: "analyst" | "lead"): Promise<Extract<Actor, { kind: "user" }>> {
  const user = await createUser(OPERATOR, { email: `${name.toLowerCase()}-${prefix}@example.test`, name, role, password: "correct horse battery" });
  return { kind: "user", id: user.id, email: user.email, name, role };
}

const entriesWith = async (requestId: string) =>
  (await db.handle().pool.query<{ seq: string }>("SELECT seq::text AS seq FROM edit_log WHERE c::jsonb->>'requestId' = $1", [requestId])).rows;

beforeAll(async () => {
  [analyst, lead] = await Promise.all([person("Nora", "analyst"), person("Leo", "lead")]);
  await ingestBatch(ingestor, { body: JSON.stringify({ batchId: prefix, records: [record(1), record(2)] }), contentType: "application/json", idempotencyKey: null });
});

describe("one request, one entry", () => {
  it("16 concurrent identical notes write one entry; every caller gets it; the chain verifies", async () => {
    const input = { recordId: `${prefix}-1`, text: "Checked the cabin deck against the manifest.", requestId: randomUUID() };
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => annotateRecord(analyst, input)));
    expect(results.every((r) => r.status === "fulfilled")).toBe(true);
    const outcomes = results.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof annotateRecord>>>).value);
    const rows = await entriesWith(input.requestId);
    expect(rows).toHaveLength(1);
    for (const o of outcomes) expect({ seq: o.seq, hash: o.hash }).toEqual({ seq: rows[0]!.seq, hash: outcomes[0]!.hash });
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    expect((await verifyLedger(OPERATOR)).ok).toBe(true);
  });

  it("8 concurrent identical amendments write one entry and all succeed", async () => {
    const queued = (await listQueue(analyst, queueQuery({ batch: prefix, limit: "10" }))).items.find((i) => i.recordId === `${prefix}-2`)!;
    await decideRecord(analyst, { recordId: queued.recordId, resultVersion: queued.version, ledgerVersion: 0, machineLabel: queued.decision, action: "confirm", requestId: randomUUID() });
    const input = { recordId: queued.recordId, ledgerVersion: 1, label: !queued.decision, reasonCode: "other", reasonText: "Outcome came back the other way.", requestId: randomUUID() };
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => amendRecord(lead, input)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill("fulfilled"));
    expect(await entriesWith(input.requestId)).toHaveLength(1);
    expect((await verifyLedger(OPERATOR)).ok).toBe(true);
  });

  it("the append function itself refuses a request id the subject already holds", async () => {
    const requestId = randomUUID();
    const entry = userEntry(analyst, { subjectType: "record", subjectId: `${prefix}-1`, action: "note", before: null, after: null, reasonText: "once", requestId });
    await appendEntry(db.handle().pool, entry, null);
    await expect(appendEntry(db.handle().pool, { ...entry, reasonText: "twice" }, null)).rejects.toBeInstanceOf(ReplayedRequestError);
    // Another subject may carry the same id (a bulk confirm gives every record one).
    await appendEntry(db.handle().pool, { ...entry, subjectId: `${prefix}-2` }, null);
    expect(await entriesWith(requestId)).toHaveLength(2);
  });
});

describe("the migration on a log that already holds duplicated replays", () => {
  const migrationsDir = path.resolve("prisma/migrations");
  const names = fs.readdirSync(migrationsDir).filter((n) => fs.existsSync(path.join(migrationsDir, n, "migration.sql"))).sort();
  const target = "20261206120000_edit_log_request_once";
  const dbName = `${new URL(process.env.DATABASE_URL ?? "postgresql://x@y/sentinel").pathname.slice(1)}_dups`;
  let client: pg.Client | undefined;

  afterAll(async () => {
    await client?.end();
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });

  it("applies cleanly, leaves the old rows as they are, and refuses new replays", async () => {
    const url = await recreateDatabase(process.env.DATABASE_URL!, dbName);
    client = new pg.Client({ connectionString: url });
    await client.connect();
    for (const name of names.slice(0, names.indexOf(target))) await client.query(fs.readFileSync(path.join(migrationsDir, name, "migration.sql"), "utf8"));
    const c = (requestId: string, text: string) =>
      canonicalJson({ subjectType: "record", subjectId: "r-1", action: "note", before: null, after: null, reasonCode: null, reasonText: text, evidence: [], sessionId: null, effectiveAt: new Date().toISOString(), actor: { type: "user", id: randomUUID(), role: "analyst" }, requestId });
    const replayed = randomUUID();
    // The bug this migration ends: the old function wrote a replayed note twice.
    await client.query("SELECT edit_log_append($1, NULL)", [c(replayed, "first")]);
    await client.query("SELECT edit_log_append($1, NULL)", [c(replayed, "first again")]);
    await client.query("SELECT edit_log_append($1, NULL)", [c(randomUUID(), "another")]);
    const before = (await client.query("SELECT seq, hash FROM edit_log ORDER BY seq")).rows;

    await client.query(fs.readFileSync(path.join(migrationsDir, target, "migration.sql"), "utf8"));

    expect((await client.query("SELECT seq, hash FROM edit_log ORDER BY seq")).rows).toEqual(before);
    const index = (await client.query<{ def: string }>("SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'edit_log_request_once_idx'")).rows[0]!.def;
    expect(index).toMatch(/^CREATE UNIQUE INDEX/);
    expect(index).toMatch(/seq > 2\b/);
    const refused = (sql: string, text: string) => client!.query(sql, [c(replayed, text)]).then(() => null, (e: { code?: string }) => e.code);
    expect(await refused("SELECT edit_log_append($1, NULL)", "a third time")).toBe("SR208");
    const fresh = randomUUID();
    await client.query("SELECT edit_log_append($1, NULL)", [c(fresh, "new")]);
    expect(await client.query("SELECT edit_log_append($1, NULL)", [c(fresh, "new again")]).then(() => null, (e: { code?: string }) => e.code)).toBe("SR208");
    // The chain, old duplicates included, still verifies.
    const verifier = createChainVerifier();
    const rows = (
      await client.query(`SELECT seq::text AS seq, c, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "recordedAt", prev_hash AS "prevHash", hash FROM edit_log ORDER BY seq`)
    ).rows;
    for (const row of rows) verifier.push(row);
    expect(verifier.result()).toMatchObject({ ok: true, count: 4 });
  });
});
