/**
 * The batch hold through the ingest data layer, against real PostgreSQL (gating spec §6.2):
 * batches below BATCH_HOLD_MIN_N are never held; a record whose result sits in a held,
 * unreleased batch keeps BATCH_HOLD when it is sent again in another batch (re-sending
 * never launders a hold) until a lead releases the held batch; its new result still gets
 * its own checks. Records are the shipped data scored by the reference scorer, renamed.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { assessRecord, compilePolicy, gateBatch, type GatingReason, type ScoredRecord } from "@/lib/gating";
import { readPolicyFile, scoredReferenceData } from "@/lib/reference-data";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { getBatch, releaseBatch } from "./batches";
import { ingestBatch } from "./ingest";
import { getRecordResult } from "./results";
import { createUser } from "./users";

withTestDatabase();
const prefix = `h${randomUUID().slice(0, 6)}`;
const ingestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["ingest"] };
let lead: Extract<Actor, { kind: "user" }>;
/** fragile records (none a canary): any five of them hold a batch */
let fragile: ScoredRecord[] = [];
/** non-fragile, confident records: each routes auto on its own */
let sure: ScoredRecord[] = [];

beforeAll(async () => {
  const user = await createUser(OPERATOR, { email: `lead-${prefix}@example.test`, name: "Lee", role: "lead", password: "correct horse battery" });
  lead = { kind: "user", id: user.id, email: user.email, name: "Lee", role: "lead" };
  const policy = readPolicyFile();
  const compiled = compilePolicy(policy);
  const scored = scoredReferenceData();
  fragile = scored.filter((r) => !r.recordId.startsWith("025") && assessRecord(r, compiled).fragilityScore >= policy.theta).slice(0, 20);
  const calm = scored.filter((r) => assessRecord(r, compiled).fragilityScore < policy.theta && (r.pModel < 0.03 || r.pModel > 0.97)).slice(0, 40);
  sure = gateBatch(calm, compiled, { batchId: "pick", now: "t" })
    .results.flatMap((r, i) => (r.route === "auto" ? [calm[i]!] : []))
    .slice(0, 20);
  expect(fragile).toHaveLength(20);
  expect(sure).toHaveLength(20);
}, 120_000);

const as = (record: ScoredRecord, recordId: string): ScoredRecord => ({ ...record, recordId });
const send = async (batchId: string, records: ScoredRecord[]) =>
  JSON.parse((await ingestBatch(ingestor, { body: JSON.stringify({ batchId, records }), contentType: "application/json", idempotencyKey: null })).body) as {
    routes: { auto: number; audit: number };
    hold: { held: boolean; fragileFraction: number; pValue: number; inherited: number };
  };
const current = async (recordId: string) => (await getRecordResult(lead, recordId)).current;
const holdReasons = (reasons: readonly GatingReason[]) => reasons.filter((r) => r.code === "BATCH_HOLD");

describe("batch hold at ingest (§6.2)", () => {
  it("a batch of 4 fragile records is not held (its records go to audit on their own checks); a batch of 5 is", async () => {
    const four = await send(`${prefix}-four`, fragile.slice(0, 4).map((r, i) => as(r, `${prefix}-four-${i}`)));
    expect(four.hold).toMatchObject({ held: false, fragileFraction: 1 });
    expect(four.hold.pValue).toBeLessThan(0.05);
    expect(four.routes.audit).toBe(4);
    expect((await getBatch(lead, `${prefix}-four`)).hold).toMatchObject({ indicated: false, held: false });
    for (let i = 0; i < 4; i++) expect(holdReasons((await current(`${prefix}-four-${i}`)).provenance.reasons)).toEqual([]);

    const five = await send(`${prefix}-five`, fragile.slice(0, 5).map((r, i) => as(r, `${prefix}-five-${i}`)));
    expect(five.hold.held).toBe(true);
    expect((await getBatch(lead, `${prefix}-five`)).hold).toMatchObject({ indicated: true, held: true });
  });

  it("re-sending a held record in another batch keeps BATCH_HOLD until the held batch is released", async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `${prefix}-r${i}`);
    const heldBatch = `${prefix}-held`;
    expect((await send(heldBatch, fragile.slice(5, 10).map((r, i) => as(r, ids[i]!)))).hold.held).toBe(true);

    // Upstream re-scores the first record and sends it with four confident records: on its
    // own the new result would be released, but its earlier result sits in a held batch.
    const kept = ids[0]!;
    const resend = `${prefix}-resend`;
    const out = await send(resend, [as(sure[0]!, kept), ...sure.slice(1, 5).map((r, i) => as(r, `${prefix}-c${i}`))]);
    expect(out.hold).toMatchObject({ held: false, inherited: 1 });
    expect(out.routes).toEqual({ auto: 4, audit: 1 });
    const again = await current(kept);
    expect(again).toMatchObject({ batchId: resend, route: "audit", version: 2, batchHeld: false });
    expect(again.provenance.reasons).toEqual([
      expect.objectContaining({ code: "BATCH_HOLD", heldBatchId: heldBatch, inherited: true, batchSize: 5, fragileCount: 5, value: 1 }),
    ]);
    expect(again.provenance.inheritedHold).toMatchObject({ batchId: heldBatch, size: 5, fragileCount: 5, fragileFraction: 1 });
    // The new result is gated on its own: the confident record is not fragile, and the new batch is not held.
    expect(again.fragile).toBe(false);
    expect(again.provenance.batch).toMatchObject({ batchId: resend, size: 5, held: false, fragileCount: 0 });

    // Sent yet again, alone: still kept (the held batch holds an earlier result), and its own
    // checks still run; a fragile version of it alone is SINGLETON_FRAGILE as well.
    await send(`${prefix}-resend2`, [as(fragile[10]!, kept)]);
    const third = await current(kept);
    expect(third.provenance.reasons.map((r) => r.code).slice(0, 2)).toEqual(["BATCH_HOLD", "SINGLETON_FRAGILE"]);
    expect(holdReasons(third.provenance.reasons)[0]).toMatchObject({ heldBatchId: heldBatch, inherited: true });

    // The lead releases the held batch: its four open records are gated again without the
    // hold; the re-sent record's current result is elsewhere and stays in the queue.
    const released = await releaseBatch(lead, { batchId: heldBatch, ledgerVersion: 0, reasonText: "Checked with upstream.", requestId: randomUUID() });
    expect(released.rerouted).toBe(4);
    for (const id of ids.slice(1)) expect(holdReasons((await current(id)).provenance.reasons)).toEqual([]);
    expect(await current(kept)).toMatchObject({ version: 3, route: "audit" });

    // After the release, sending it again no longer carries the hold.
    await send(`${prefix}-after`, [as(sure[5]!, kept), ...sure.slice(6, 10).map((r, i) => as(r, `${prefix}-d${i}`))]);
    const after = await current(kept);
    expect(after).toMatchObject({ version: 4, route: "auto" });
    expect(after.provenance.inheritedHold).toBeNull();
  });

  it("releasing the batch a record was re-sent in does not lift the hold it keeps from an earlier one", async () => {
    const first = `${prefix}-first`;
    const second = `${prefix}-second`;
    const ids = Array.from({ length: 5 }, (_, i) => `${prefix}-s${i}`);
    expect((await send(first, fragile.slice(10, 15).map((r, i) => as(r, ids[i]!)))).hold.held).toBe(true);
    // The same records, rescored, as another batch: held on its own, and each keeps the first hold.
    const resent = await send(second, fragile.slice(15, 20).map((r, i) => as(r, ids[i]!)));
    expect(resent.hold).toMatchObject({ held: true, inherited: 5 });
    const both = await current(ids[0]!);
    expect(holdReasons(both.provenance.reasons)).toEqual([expect.objectContaining({ heldBatchId: second, inherited: false })]);
    expect(both.provenance.inheritedHold).toMatchObject({ batchId: first });

    await releaseBatch(lead, { batchId: second, ledgerVersion: 0, reasonText: "Second copy checked.", requestId: randomUUID() });
    for (const id of ids) {
      const r = await current(id);
      expect(r).toMatchObject({ batchId: second, route: "audit" });
      expect(r.provenance.batch).toMatchObject({ holdReleased: true, held: false });
      expect(holdReasons(r.provenance.reasons)).toEqual([expect.objectContaining({ heldBatchId: first, inherited: true })]);
    }
  });
});
