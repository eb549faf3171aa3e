/**
 * Record decisions against real PostgreSQL, on real records (the shipped data scored by the
 * reference scorer, renamed so no other test touches them): confirm / override / note /
 * claim append one entry each and take the record out of the queue; every refusal of the
 * issue (unknown, not queued, stale, bad reason, text too long, no permission) writes
 * nothing; two analysts at the same instant give exactly one decision; replays write
 * nothing; bulk confirm is all-or-nothing; a lead's release re-gates a held batch.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { assessRecord, compilePolicy, type ScoredRecord } from "@/lib/gating";
import { readPolicyFile, scoredReferenceData } from "@/lib/reference-data";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { getBatch, releaseBatch } from "./batches";
import { activeClaim, amendRecord, annotateRecord, bulkConfirm, claimRecord, decideRecord, projectOutcome, recordActivity, recordEntries, recordVersion, similarDecided, takeOverRecord } from "./decisions";
import { ingestBatch } from "./ingest";
import { appendRecordDecision, awaitDurable, userEntry, verifyLedger } from "./ledger";
import { listQueue, queueQuery } from "./queue";
import { getRecordResult, groupMembers, recordExists } from "./results";
import { createUser } from "./users";

const db = withTestDatabase();
const prefix = `d${randomUUID().slice(0, 6)}`;
const ingestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["ingest"] };
let ann: Extract<Actor, { kind: "user" }>;
let bob: Extract<Actor, { kind: "user" }>;
let lead: Extract<Actor, { kind: "user" }>;
/** queued (low confidence) record ids, auto-released ids, and a held batch of five fragile records */
let queued: string[] = [];
let released: string[] = [];
let heldBatch = "";

async function person(name: string, role: "analyst" | "lead"): Promise<Extract<Actor, { kind: "user" }>> {
  const user = await createUser(OPERATOR, { email: `${name.toLowerCase()}-${prefix}@example.test`, name, role, password: "correct horse battery" });
  return { kind: "user", id: user.id, email: user.email, name, role };
}

beforeAll(async () => {
  [ann, bob, lead] = await Promise.all([person("Ann", "analyst"), person("Bob", "analyst"), person("Lee", "lead")]);
  const policy = readPolicyFile();
  const compiled = compilePolicy(policy);
  const scored = scoredReferenceData();
  const rename = (r: ScoredRecord): ScoredRecord => ({ ...r, recordId: `${prefix}-${r.recordId}` });
  const notFragile = scored.filter((r) => assessRecord(r, compiled).fragilityScore < policy.theta);
  const uncertain = notFragile.filter((r) => Math.abs(r.pModel - 0.5) < 0.03).slice(0, 30).map(rename);
  const sure = notFragile.filter((r) => r.pModel < 0.03).slice(0, 5).map(rename);
  const fragile = scored.filter((r) => assessRecord(r, compiled).fragilityScore >= policy.theta && !r.recordId.startsWith("025")).slice(0, 5).map(rename);
  const send = async (batchId: string, records: ScoredRecord[]) =>
    JSON.parse((await ingestBatch(ingestor, { body: JSON.stringify({ batchId, records }), contentType: "application/json", idempotencyKey: null })).body);
  await send(`${prefix}-b1`, [...uncertain, ...sure]);
  const held = await send(`${prefix}-held`, fragile);
  expect(held.hold.held).toBe(true);
  heldBatch = `${prefix}-held`;
  const page = await listQueue(ann, queueQuery({ batch: `${prefix}-b1`, limit: "200" }));
  queued = page.items.map((i) => i.recordId);
  released = sure.map((r) => r.recordId).filter((id) => !queued.includes(id));
  expect(queued.length).toBeGreaterThanOrEqual(20);
  expect(released.length).toBeGreaterThan(0);
}, 120_000);

let next = 0;
/** A queued record nobody has touched yet, with what an analyst would see of it. */
async function fresh() {
  const recordId = queued[next++]!;
  const r = await getRecordResult(ann, recordId);
  return { recordId, resultVersion: r.current.version, ledgerVersion: r.ledgerVersion, machineLabel: r.current.decision };
}

describe("record decisions (data layer)", () => {
  it("commits a decision without waiting for the disk inside the chain head's lock, and acknowledges only once the WAL is flushed past it", async () => {
    const seen = await fresh();
    const entry = userEntry(ann, { subjectType: "record", subjectId: seen.recordId, action: "confirm", before: { label: seen.machineLabel, resultVersion: seen.resultVersion }, after: { label: seen.machineLabel }, requestId: randomUUID() });
    const client = await db.handle().pool.connect();
    try {
      await client.query("BEGIN");
      expect((await client.query("SHOW synchronous_commit")).rows[0].synchronous_commit).toBe("on");
      await appendRecordDecision(client, entry, seen.ledgerVersion, seen.resultVersion);
      // record_decide turned it off for its own transaction: the commit releases the head at once.
      expect((await client.query("SHOW synchronous_commit")).rows[0].synchronous_commit).toBe("off");
      await client.query("COMMIT");
      expect((await client.query("SHOW synchronous_commit")).rows[0].synchronous_commit).toBe("on");
      const { lsn } = (await client.query("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0];
      await awaitDurable();
      const { flushed } = (await client.query("SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn AS flushed", [lsn])).rows[0];
      expect(flushed).toBe(true);
    } finally {
      client.release();
    }
    expect((await recordVersion(ann, seen.recordId)).latest).toMatchObject({ action: "confirm", name: "Ann" });
  });

  it("confirms: one entry, the result marked decided, the record out of the queue, the chain verifies", async () => {
    const seen = await fresh();
    const out = await decideRecord(ann, { ...seen, action: "confirm", requestId: randomUUID() });
    expect(out).toMatchObject({ replayed: false, subjectVersion: 1 });
    const after = await getRecordResult(ann, seen.recordId);
    expect(after.current.review).toMatchObject({ seq: out.seq, action: "confirm", label: seen.machineLabel });
    expect(after.ledgerVersion).toBe(1);
    const page = await listQueue(ann, queueQuery({ batch: `${prefix}-b1`, limit: "200" }));
    expect(page.items.map((i) => i.recordId)).not.toContain(seen.recordId);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
    // Recorded once: not even the owner may change or clear it.
    const owner = db.owner().pool;
    await expect(owner.query("UPDATE gating_results SET review_label = NOT review_label WHERE review_seq = $1", [out.seq])).rejects.toThrow(/recorded once/);
    await expect(owner.query("UPDATE gating_results SET review_seq = NULL, review_label = NULL, review_action = NULL, reviewed_at = NULL WHERE review_seq = $1", [out.seq])).rejects.toThrow(/recorded once/);
  });

  it("overrides to the other label with a reason from the enum and text", async () => {
    const seen = await fresh();
    const out = await decideRecord(bob, { ...seen, action: "override", reasonCode: "data_error", reasonText: "Spends swapped between channels upstream.", requestId: randomUUID() });
    const row = (await db.handle().pool.query("SELECT c FROM edit_log WHERE seq = $1", [out.seq])).rows[0];
    expect(JSON.parse(row.c)).toMatchObject({
      subjectType: "record",
      subjectId: seen.recordId,
      action: "override",
      before: { label: seen.machineLabel, resultVersion: seen.resultVersion },
      after: { label: !seen.machineLabel },
      reasonCode: "data_error",
      actor: { type: "user", id: bob.id, role: "analyst" },
    });
    expect((await getRecordResult(ann, seen.recordId)).current.review).toMatchObject({ action: "override", label: !seen.machineLabel });
  });

  it("refuses bad input naming the field and the rule, writing nothing", async () => {
    const seen = await fresh();
    const refused = async (input: object) => {
      const error = await decideRecord(ann, { ...seen, requestId: randomUUID(), ...input }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).fields;
    };
    expect(await refused({ action: "override", reasonText: "because" })).toEqual({ reasonCode: ["is required for an override"] });
    expect(await refused({ action: "override", reasonCode: "data_error" })).toEqual({ reasonText: ["is required for an override: say why"] });
    expect(await refused({ action: "override", reasonCode: "gut_feeling", reasonText: "x" })).toHaveProperty("reasonCode", [expect.stringContaining("must be one of model_wrong_evidence")]);
    expect(await refused({ action: "override", reasonCode: "other", reasonText: "x".repeat(2001) })).toEqual({ reasonText: ["must be at most 2000 characters"] });
    expect(await refused({ action: "approve" })).toHaveProperty("action");
    // The label shown must be the machine's: a forged one is refused by the database.
    await expect(decideRecord(ann, { ...seen, machineLabel: !seen.machineLabel, action: "confirm", requestId: randomUUID() })).rejects.toThrow(/does not match the machine decision/);
    expect((await getRecordResult(ann, seen.recordId)).ledgerVersion).toBe(0);
  });

  it("refuses an unknown record, an auto-released one and a stale result version", async () => {
    await expect(decideRecord(ann, { recordId: `${prefix}-nope`, resultVersion: 1, ledgerVersion: 0, machineLabel: true, action: "confirm", requestId: randomUUID() })).rejects.toBeInstanceOf(NotFoundError);
    const auto = await getRecordResult(ann, released[0]!);
    await expect(
      decideRecord(ann, { recordId: released[0], resultVersion: auto.current.version, ledgerVersion: 0, machineLabel: auto.current.decision, action: "confirm", requestId: randomUUID() }),
    ).rejects.toThrow(/not in the audit queue/);
    const seen = await fresh();
    await expect(decideRecord(ann, { ...seen, resultVersion: seen.resultVersion + 1, action: "confirm", requestId: randomUUID() })).rejects.toThrow(/re-scored/);
  });

  it("lets nobody without the permission decide, even calling the function directly", async () => {
    const seen = await fresh();
    for (const role of ["governance", "manager", "admin"] as const) {
      const actor: Actor = { kind: "user", id: randomUUID(), email: "x@x", name: "X", role };
      await expect(decideRecord(actor, { ...seen, action: "confirm", requestId: randomUUID() })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(claimRecord(actor, { recordId: seen.recordId })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(annotateRecord(actor, { recordId: seen.recordId, text: "hi", requestId: randomUUID() })).rejects.toBeInstanceOf(ForbiddenError);
    }
    await expect(decideRecord({ ...ingestor, scopes: ["ingest", "read"] }, { ...seen, action: "confirm", requestId: randomUUID() })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(bulkConfirm(ann, { items: [seen], requestId: randomUUID() })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(releaseBatch(ann, { batchId: heldBatch, ledgerVersion: 0, reasonText: "x", requestId: randomUUID() })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await getRecordResult(ann, seen.recordId)).ledgerVersion).toBe(0);
  });

  it("two analysts deciding the same record at the same instant: exactly one wins, the other learns who", async () => {
    for (let round = 0; round < 3; round++) {
      const seen = await fresh();
      const outcomes = await Promise.allSettled([
        decideRecord(ann, { ...seen, action: "confirm", requestId: randomUUID() }),
        decideRecord(bob, { ...seen, action: "override", reasonCode: "missing_context", reasonText: "Known account.", requestId: randomUUID() }),
      ]);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const loser = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(ConflictError);
      expect(loser.reason.message).toMatch(/^(Ann confirmed|Bob overrode) this record at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(entry #\d+\) after you opened it\. Reload/);
      const entries = (await db.handle().pool.query("SELECT count(*)::int AS n FROM edit_log WHERE subject_type = 'record' AND subject_id = $1", [seen.recordId])).rows[0].n;
      expect(entries).toBe(1);
    }
  });

  it("a double click or a replayed request writes once and answers the same", async () => {
    const seen = await fresh();
    const requestId = randomUUID();
    const input = { ...seen, action: "confirm", requestId };
    const [a, b] = await Promise.all([decideRecord(ann, input), decideRecord(ann, input)]);
    const again = await decideRecord(ann, input);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(again).toMatchObject({ replayed: true, seq: a.seq, hash: a.hash });
    expect(b.seq).toBe(a.seq);
    const n = (await db.handle().pool.query("SELECT count(*)::int AS n FROM edit_log WHERE subject_id = $1", [seen.recordId])).rows[0].n;
    expect(n).toBe(1);
  });

  it("a claim holds the record: others see the holder and cannot claim; a claim makes older pages stale, the holder's own note does not", async () => {
    const seen = await fresh();
    const claim = await claimRecord(ann, { recordId: seen.recordId });
    expect(Date.parse(claim.until) - Date.now()).toBeGreaterThan(14 * 60_000);
    await expect(claimRecord(bob, { recordId: seen.recordId })).rejects.toThrow(/^Ann holds this record until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    // Bob's page was opened before the claim: refused, told who holds it.
    await expect(decideRecord(bob, { ...seen, action: "confirm", requestId: randomUUID() })).rejects.toThrow(/^Ann holds this record/);
    await annotateRecord(ann, { recordId: seen.recordId, text: "Checking the cabin history.", requestId: randomUUID() });
    const out = await decideRecord(ann, { ...seen, ledgerVersion: claim.ledgerVersion, action: "confirm", requestId: randomUUID() });
    expect(out.subjectVersion).toBe(3);
    await expect(claimRecord(bob, { recordId: seen.recordId })).rejects.toThrow(/already decided/);
  });

  it("bulk confirm: each record its own entry, all or nothing", async () => {
    const items = [await fresh(), await fresh(), await fresh()];
    const stale = { ...items[2]!, ledgerVersion: 5 };
    const reasonText = "Checked together: same cabin, same evidence.";
    // No reason: refused naming the field, nothing written.
    for (const missing of [{}, { reasonText: "   " }]) {
      const refused = await bulkConfirm(lead, { items, requestId: randomUUID(), ...missing }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).fields?.reasonText).toEqual([expect.stringContaining("required")]);
    }
    for (const item of items) expect((await getRecordResult(ann, item.recordId)).ledgerVersion).toBe(0);
    const error = await bulkConfirm(lead, { items: [items[0], items[1], stale], reasonText, requestId: randomUUID() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain(`Nothing was confirmed — record ${items[2]!.recordId}`);
    for (const item of items) expect((await getRecordResult(ann, item.recordId)).ledgerVersion).toBe(0);
    const requestId = randomUUID();
    const done = await bulkConfirm(lead, { items, reasonText, requestId });
    expect(done.entries.map((e) => e.subjectVersion)).toEqual([1, 1, 1]);
    const written = (await db.handle().pool.query("SELECT c FROM edit_log WHERE seq = $1::bigint", [done.entries[0]!.seq])).rows[0].c as string;
    expect(JSON.parse(written)).toMatchObject({ action: "confirm", reasonCode: "bulk", reasonText });
    expect(new Set(done.entries.map((e) => e.seq)).size).toBe(3);
    expect(await bulkConfirm(lead, { items, reasonText, requestId })).toMatchObject({ replayed: true });
    await expect(bulkConfirm(lead, { items: [items[0], items[0]], reasonText, requestId: randomUUID() })).rejects.toBeInstanceOf(ValidationError);
  });

  it("a lead releases a held batch: one entry, a new result version per record without the hold, the old kept", async () => {
    const before = await getBatch(lead, heldBatch);
    expect(before.hold.held).toBe(true);
    const recordId = (await db.handle().pool.query("SELECT record_id FROM gating_results WHERE batch_id = $1", [heldBatch])).rows[0].record_id as string;
    const old = await getRecordResult(ann, recordId);
    expect(old.current.provenance.reasons.map((r) => r.code)).toContain("BATCH_HOLD");
    await expect(releaseBatch(lead, { batchId: heldBatch, ledgerVersion: 0, reasonText: "", requestId: randomUUID() })).rejects.toBeInstanceOf(ValidationError);
    const requestId = randomUUID();
    const out = await releaseBatch(lead, { batchId: heldBatch, ledgerVersion: 0, reasonText: "Upstream confirmed the batch is a real cohort.", requestId });
    expect(out).toMatchObject({ rerouted: 5, replayed: false });
    const now = await getRecordResult(ann, recordId);
    expect(now.current.version).toBe(old.current.version + 1);
    expect(now.current.provenance.reasons.map((r) => r.code)).not.toContain("BATCH_HOLD");
    expect(now.current.provenance.batch).toMatchObject({ holdIndicated: true, held: false, holdReleased: true });
    // The re-gated version stores its own error estimate (the queue's order), as ingest does.
    const stored = (await db.handle().pool.query("SELECT error_estimate, triage_key FROM gating_results WHERE record_id = $1 AND current", [recordId])).rows[0];
    expect(now.current.errorEstimate).toBe(now.current.provenance.errorEstimate);
    expect(stored).toEqual({ error_estimate: now.current.provenance.errorEstimate, triage_key: -now.current.provenance.errorEstimate });
    expect(now.versions.map((v) => v.current)).toEqual([true, false]);
    expect((await getBatch(lead, heldBatch)).hold).toMatchObject({ held: false, releasedSeq: out.entry.seq });
    expect(await releaseBatch(lead, { batchId: heldBatch, ledgerVersion: 0, reasonText: "again", requestId })).toMatchObject({ replayed: true, rerouted: 5 });
    await expect(releaseBatch(lead, { batchId: heldBatch, ledgerVersion: 1, reasonText: "again", requestId: randomUUID() })).rejects.toThrow(/already released/);
    await expect(releaseBatch(lead, { batchId: `${prefix}-b1`, ledgerVersion: 0, reasonText: "x", requestId: randomUUID() })).rejects.toThrow(/not held/);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
  });
});

/** Entries about a record, counted (what a refusal must leave unchanged). */
async function entryCount(recordId: string): Promise<number> {
  return (await db.handle().pool.query("SELECT count(*)::int AS n FROM edit_log WHERE subject_type = 'record' AND subject_id = $1", [recordId])).rows[0].n;
}

describe("decision versions, takeovers and amendments", () => {
  it("a note by someone else does not make a later decision stale; a real decision does", async () => {
    const seen = await fresh();
    await annotateRecord(bob, { recordId: seen.recordId, text: "Group 0042 looked odd last week.", requestId: randomUUID() });
    expect(await recordVersion(ann, seen.recordId)).toMatchObject({ version: 1, decisionVersion: 0, latest: { action: "note", name: "Bob" } });
    const out = await decideRecord(ann, { ...seen, action: "confirm", requestId: randomUUID() });
    expect(out.subjectVersion).toBe(2);

    const other = await fresh();
    await decideRecord(bob, { ...other, action: "confirm", requestId: randomUUID() });
    const before = await entryCount(other.recordId);
    await expect(decideRecord(ann, { ...other, action: "override", reasonCode: "other", reasonText: "x", requestId: randomUUID() })).rejects.toThrow(/^Bob confirmed this record/);
    expect(await entryCount(other.recordId)).toBe(before);
  });

  it("take over: recorded with whose claim it ends; then the taker may decide and the former holder may not", async () => {
    const seen = await fresh();
    const claim = await claimRecord(ann, { recordId: seen.recordId });
    // While Ann holds it, Bob's decision is refused even with the current version.
    await expect(decideRecord(bob, { ...seen, ledgerVersion: claim.ledgerVersion, action: "confirm", requestId: randomUUID() })).rejects.toThrow(/^Ann holds this record until \d{4}-\d\d-\d\d \d\d:\d\d UTC\. Take it over/);
    // A takeover from a page that did not see the claim is stale; nobody else holding it is refused.
    await expect(takeOverRecord(bob, { recordId: seen.recordId, ledgerVersion: seen.ledgerVersion })).rejects.toBeInstanceOf(ConflictError);
    await expect(takeOverRecord(ann, { recordId: seen.recordId, ledgerVersion: claim.ledgerVersion })).rejects.toThrow(/Nobody else holds/);
    expect(await entryCount(seen.recordId)).toBe(1);
    const taken = await takeOverRecord(bob, { recordId: seen.recordId, ledgerVersion: claim.ledgerVersion });
    const row = (await db.handle().pool.query("SELECT c FROM edit_log WHERE seq = $1", [taken.seq])).rows[0];
    expect(JSON.parse(row.c)).toMatchObject({ action: "takeover", before: { holder: ann.id }, actor: { id: bob.id } });
    expect(await activeClaim(ann, seen.recordId)).toMatchObject({ userId: bob.id, name: "Bob" });
    await expect(decideRecord(ann, { ...seen, ledgerVersion: taken.ledgerVersion, action: "confirm", requestId: randomUUID() })).rejects.toThrow(/^Bob holds this record/);
    const out = await decideRecord(bob, { ...seen, ledgerVersion: taken.ledgerVersion, action: "confirm", requestId: randomUUID() });
    expect(out.subjectVersion).toBe(3);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
  });

  it("amend: a lead only, on decided records, reason code and text required, version-checked; the outcome is the latest entry", async () => {
    const seen = await fresh();
    const amend = (actor: Actor, input: object) =>
      amendRecord(actor, { recordId: seen.recordId, ledgerVersion: 1, label: !seen.machineLabel, reasonCode: "new_evidence", reasonText: "The cabin log arrived.", requestId: randomUUID(), ...input });
    // Not decided yet: nothing to amend.
    await expect(amend(lead, { ledgerVersion: 0 })).rejects.toThrow(/not decided yet/);
    const decided = await decideRecord(ann, { ...seen, action: "confirm", requestId: randomUUID() });
    await expect(amend(ann, {})).rejects.toBeInstanceOf(ForbiddenError);
    const refused = async (input: object) => ((await amend(lead, input).catch((e: unknown) => e)) as ValidationError).fields;
    expect(await refused({ reasonText: "  " })).toEqual({ reasonText: ["is required for an amendment: say why"] });
    expect(await refused({ reasonCode: undefined })).toHaveProperty("reasonCode");
    expect(await refused({ label: seen.machineLabel })).toEqual({ label: ["must differ from the current outcome"] });
    await expect(amend(lead, { ledgerVersion: 0 })).rejects.toBeInstanceOf(ConflictError);
    expect(await entryCount(seen.recordId)).toBe(1);

    const out = await amend(lead, {});
    const entries = await recordEntries(ann, seen.recordId, []);
    const after = await getRecordResult(ann, seen.recordId);
    expect(projectOutcome(after.current.review!.seq, entries)).toMatchObject({ action: "amend", label: !seen.machineLabel, seq: out.seq, by: "Lee", amended: true });
    // The first decision stays as it was recorded; the amendment lives in the log.
    expect(after.current.review).toMatchObject({ seq: decided.seq, label: seen.machineLabel });
    expect(after.ledgerVersion).toBe(2);
    // Similar decided records show the amended label too: the record itself, at distance 0 from its own spends.
    const p = after.current.provenance;
    const similar = await similarDecided(ann, "probe", p.cluster.clusterId, p.spend);
    expect(similar.find((r) => r.recordId === seen.recordId)).toMatchObject({ action: "amend", decidedLabel: !seen.machineLabel });
    // The queue's decided view shows the amended outcome, by the lead.
    const decidedView = await listQueue(ann, queueQuery({ status: "decided", batch: after.current.batchId, limit: "200" }));
    expect(decidedView.items.find((i) => i.recordId === seen.recordId)?.review).toMatchObject({ action: "amend", label: !seen.machineLabel, by: "Lee" });
    // Amending back is another entry; the latest wins.
    const back = await amend(lead, { ledgerVersion: 2, label: seen.machineLabel, reasonCode: "decision_error" });
    expect(projectOutcome(decided.seq, await recordEntries(ann, seen.recordId, []))).toMatchObject({ seq: back.seq, label: seen.machineLabel });
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
  });

  it("the queue's activity feed lists claims and decisions after a position, not notes", async () => {
    const { head } = await recordActivity(ann, null);
    const seen = await fresh();
    await annotateRecord(bob, { recordId: seen.recordId, text: "fyi", requestId: randomUUID() });
    const claim = await claimRecord(bob, { recordId: seen.recordId });
    await decideRecord(bob, { ...seen, ledgerVersion: claim.ledgerVersion, action: "confirm", requestId: randomUUID() });
    const activity = await recordActivity(ann, head);
    expect(activity.changes.filter((c) => c.recordId === seen.recordId).map((c) => [c.action, c.name])).toEqual([
      ["confirm", "Bob"],
      ["claim", "Bob"],
    ]);
    expect(BigInt(activity.head)).toBeGreaterThan(BigInt(head));
    expect((await recordActivity(ann, activity.head)).changes).toEqual([]);
  });

  it("the case file: the travelling group (same id before the last _), with amended outcomes; the threshold from the policy snapshot", async () => {
    const scored = scoredReferenceData().slice(0, 3);
    const ids = [`${prefix}g-0001_01`, `${prefix}g-0001_02`, `${prefix}g-00011_01`];
    await ingestBatch(ingestor, {
      body: JSON.stringify({ batchId: `${prefix}-group`, records: scored.map((r, i) => ({ ...r, recordId: ids[i] })) }),
      contentType: "application/json",
      idempotencyKey: null,
    });
    const members = await groupMembers(ann, ids[0]!);
    expect(members.map((m) => m.recordId)).toEqual([ids[1]]);
    expect(members[0]!.context).toHaveProperty("HomePlanet");
    expect(await groupMembers(ann, ids[2]!)).toEqual([]);
    const result = await getRecordResult(ann, ids[0]!);
    expect(result.threshold).toBe(readPolicyFile().thresholds.DECISION_THRESHOLD);
    expect(await recordExists(ann, ids[0]!)).toBe(true);
    expect(await recordExists(ann, `${prefix}g-9999_01`)).toBe(false);
    expect(await recordExists(ann, "not an id")).toBe(false);
  });
});
