/**
 * The what-if of a proposal and the queue's re-gating on activation, against real
 * PostgreSQL in a database of this file's own (an activation changes what every later
 * ingest gates with). The what-if's stored figures are held against a direct gating of the
 * same records in the test; the re-gating is cut off after one batch and resumed, and must
 * leave decided records and held batches alone.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { gateBatch, type GatingResult, type PolicySnapshot, type ScoredRecord } from "@/lib/gating";
import { routingQuality } from "@/lib/gating/routing-quality";
import { referenceRows, scoredReferenceData } from "@/lib/reference-data";
import { db } from "./db";
import { decideRecord } from "./decisions";
import { ingestBatch } from "./ingest";
import { activePolicy, policiesById } from "./policies";
import { canarySignatureMatches, decidePolicyProposal, proposePolicyChange } from "./policy-changes";
import { signatureMatchCounts } from "@/lib/governance/policy-change";
import { listQueue } from "./queue";
import { driftRollupAgainstBase } from "./drift";
import { latestRegating, regateQueue } from "./regating";
import { getRecordResult } from "./results";
import { createUser } from "./users";
import { createWhatIf, latestWhatIf, requestWhatIf, runWhatIf } from "./what-if";
import { queueQuerySchema } from "@/lib/validations/queue";

withTestDatabase({ own: "whatif" });

type Person = Extract<Actor, { kind: "user" }>;
const ingestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["ingest"] };
let grace: Person;
let gus: Person;
let ana: Person;
/** three batches of the shipped data as sent, by batch id */
const sent = new Map<string, ScoredRecord[]>();
/** true labels given as feedback, by record id */
const truth = new Map<string, boolean>();

async function person(name: string, role: "governance" | "analyst"): Promise<Person> {
  const u = await createUser(OPERATOR, { email: `${name.toLowerCase()}-${randomUUID().slice(0, 6)}@example.test`, name, role, password: "correct horse battery" });
  return { kind: "user", id: u.id, email: u.email, name, role };
}

async function waitFor(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 600 && !(await done()); i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

const propose = async (who: Actor, values: Record<string, unknown>) =>
  proposePolicyChange(who, { baseSnapshotId: (await activePolicy()).snapshot.id, values, reason: "Audit more of the fragile tail.", requestId: randomUUID() });

beforeAll(async () => {
  [grace, gus, ana] = [await person("Grace", "governance"), await person("Gus", "governance"), await person("Ana", "analyst")];
}, 60_000);

describe("what-if", () => {
  it("over a window with no records: done, with an empty figure set (the page's empty state)", async () => {
    const p = await propose(grace, { "thresholds.TARGET_FRAGILE_RATE": "0.05" });
    await runWhatIf(await createWhatIf(grace, { proposalId: p.id, window: "days", days: "7" }));
    const done = (await latestWhatIf(gus, p.id))!;
    expect(done).toMatchObject({ status: "done", total: 0, done: 0 });
    expect(done.figures).toMatchObject({ records: 0, batches: 0, quality: { labelled: 0, base: null, proposed: null } });
    await decidePolicyProposal(gus, { proposalId: p.id, decision: "reject", reason: "Nothing to compare yet.", requestId: randomUUID() });
  });

  it("refuses a bad window naming the field: days out of range, unknown batches, a decided proposal", async () => {
    const p = await propose(grace, { "thresholds.BATCH_HOLD_ALPHA": "0.04" });
    const fields = async (input: Record<string, unknown>) => {
      const error = await createWhatIf(grace, { proposalId: p.id, ...input }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return Object.keys((error as ValidationError).fields ?? {});
    };
    expect(await fields({ window: "days", days: "0" })).toEqual(["days"]);
    expect(await fields({ window: "days", days: "two" })).toEqual(["days"]);
    expect(await fields({ window: "batches", batchIds: "no-such-batch" })).toEqual(["batchIds"]);
    await decidePolicyProposal(gus, { proposalId: p.id, decision: "reject", reason: "Only checking the form.", requestId: randomUUID() });
    expect(await fields({ window: "days", days: "7" })).toEqual(["proposalId"]);
  });

  it("stores figures equal to a direct gating of the same records under both policies", async () => {
    const scored = scoredReferenceData();
    const slices: [string, number, number][] = [
      ["wi-a", 0, 400],
      ["wi-b", 400, 1000],
      ["wi-c", 1000, 1250],
    ];
    for (const [batchId, from, to] of slices) {
      const records = scored.slice(from, to);
      await ingestBatch(ingestor, { body: JSON.stringify({ batchId, records }), contentType: "application/json", idempotencyKey: null });
      sent.set(batchId, records);
    }
    // Label feedback for every third record: the shipped data's true label.
    const labels = new Map(referenceRows().map((r) => [r.recordId, r.label!]));
    const truthOf = (id: string) => labels.get(id)!;
    const labelled = [...sent.values()].flat().filter((_, i) => i % 3 === 0);
    for (const r of labelled) truth.set(r.recordId, truthOf(r.recordId));
    await db().pool.query("INSERT INTO record_labels (record_id, source, label, observed_at) SELECT * FROM unnest($1::text[], $2::text[], $3::bool[], $4::timestamptz[])", [
      labelled.map((r) => r.recordId),
      labelled.map(() => "test-feedback"),
      labelled.map((r) => truth.get(r.recordId)!),
      labelled.map(() => new Date().toISOString()),
    ]);

    const p = await propose(grace, { "thresholds.TARGET_FRAGILE_RATE": "0.05" });
    const snapshots = await policiesById([p.baseSnapshotId, p.snapshotId]);
    const base = snapshots.get(p.baseSnapshotId)!.snapshot;
    const proposed = snapshots.get(p.snapshotId)!.snapshot;
    expect(proposed.theta).toBeLessThan(base.theta);

    // As the page asks: the request answers within about a second, done or with progress to show.
    const asked = await requestWhatIf(grace, { proposalId: p.id, window: "days", days: "1" });
    expect(["running", "done"]).toContain(asked.status);
    await waitFor(async () => (await latestWhatIf(gus, p.id))!.status === "done");
    const stored = (await latestWhatIf(gus, p.id))!;
    expect(stored).toMatchObject({ status: "done", total: 1250, done: 1250 });
    const f = stored.figures!;

    // Directly: each batch as sent, gated whole under each policy.
    const direct = { base: { auto: 0, audit: 0 }, proposed: { auto: 0, audit: 0 }, toAudit: 0, toAuto: 0, held: { base: 0, proposed: 0 }, canaryReleased: [] as string[] };
    const reasons = new Map<string, { base: number; proposed: number }>();
    const labelledBase: GatingResult[] = [];
    const labelledProposed: GatingResult[] = [];
    const gate = (records: ScoredRecord[], policy: PolicySnapshot, batchId: string) => gateBatch(records, policy, { batchId, now: "2026-12-07T00:00:00.000Z" });
    for (const [batchId, records] of sent) {
      const b = gate(records, base, batchId);
      const a = gate(records, proposed, batchId);
      direct.held.base += b.batch.held ? 1 : 0;
      direct.held.proposed += a.batch.held ? 1 : 0;
      b.results.forEach((rb, i) => {
        const ra = a.results[i]!;
        direct.base[rb.route]++;
        direct.proposed[ra.route]++;
        if (rb.route === "auto" && ra.route === "audit") direct.toAudit++;
        if (rb.route === "audit" && ra.route === "auto") direct.toAuto++;
        for (const c of rb.reasons) reasons.set(c.code, { ...(reasons.get(c.code) ?? { base: 0, proposed: 0 }), base: (reasons.get(c.code)?.base ?? 0) + 1 });
        for (const c of ra.reasons) reasons.set(c.code, { ...(reasons.get(c.code) ?? { base: 0, proposed: 0 }), proposed: (reasons.get(c.code)?.proposed ?? 0) + 1 });
        if (rb.reasons.some((c) => c.code === "CANARY") && ra.route === "auto") direct.canaryReleased.push(rb.recordId);
        if (truth.has(rb.recordId)) {
          labelledBase.push(rb);
          labelledProposed.push(ra);
        }
      });
    }
    expect(f.records).toBe(1250);
    expect(f.batches).toBe(3);
    expect(f.routes).toEqual({ base: direct.base, proposed: direct.proposed });
    expect({ toAudit: f.flips.toAudit, toAuto: f.flips.toAuto }).toEqual({ toAudit: direct.toAudit, toAuto: direct.toAuto });
    // Lowering θ audits more: the change shows.
    expect(direct.toAudit).toBeGreaterThan(0);
    expect(f.heldBatches).toEqual(direct.held);
    expect(Object.fromEntries(f.byReason.map((r) => [r.code, { base: r.base, proposed: r.proposed }]))).toEqual(Object.fromEntries(reasons));
    expect(f.canariesReleased.map((c) => c.recordId)).toEqual(direct.canaryReleased);
    expect(f.workload.reduce((s, d) => s + d.proposed, 0)).toBe(direct.proposed.audit);
    // §11 under both policies on the labelled records.
    const q = (results: GatingResult[]) =>
      routingQuality(results.map((r) => ({ route: r.route, decision: r.decision, label: truth.get(r.recordId)!, p50: r.p50, reasonCodes: r.reasons.map((c) => c.code), flags: r.flags })));
    const [qb, qp] = [q(labelledBase), q(labelledProposed)];
    expect(f.quality.labelled).toBe(truth.size);
    expect(f.quality.base).toMatchObject({ records: qb.records, errors: qb.errors, audited: qb.audited, caught: qb.caught, errorCapture: qb.errorCapture, releasedErrorRate: qb.releasedErrorRate });
    expect(f.quality.proposed).toMatchObject({ records: qp.records, errors: qp.errors, audited: qp.audited, caught: qp.caught, errorCapture: qp.errorCapture, releasedErrorRate: qp.releasedErrorRate });
    expect(qp.audited).toBeGreaterThanOrEqual(qb.audited);

    // A chosen batch only.
    await runWhatIf(await createWhatIf(gus, { proposalId: p.id, window: "batches", batchIds: "wi-c" }));
    expect((await latestWhatIf(grace, p.id))!.figures).toMatchObject({ records: 250, batches: 1 });
    await decidePolicyProposal(gus, { proposalId: p.id, decision: "reject", reason: "Keep it for the re-gating test.", requestId: randomUUID() });
  }, 120_000);
});

describe("the signature editor", () => {
  it("counts each signature's matches among the records of the last days, and refuses a bad signature naming the field", async () => {
    const { snapshot } = await activePolicy();
    const count = (who: Actor, canarySignatures: string) => canarySignatureMatches(who, { baseSnapshotId: snapshot.id, canarySignatures, days: 7 });
    const m = await count(grace, JSON.stringify(snapshot.canaries.signatures));
    expect(m).toMatchObject({ days: 7, records: 1250, capped: false });
    expect(m.signatures).toEqual(signatureMatchCounts([...sent.values()].flat(), snapshot));
    const fields = async (text: string) => Object.keys(((await count(grace, text).catch((e: unknown) => e)) as ValidationError).fields ?? {});
    expect(await fields("[{")).toEqual(["canarySignatures"]);
    expect((await fields(JSON.stringify([{ name: "x", allFlags: ["NOT_A_FLAG"] }]))).join(" ")).toMatch(/^canaries\.signatures\[0\]\.allFlags/);
    await expect(count(ana, "[]")).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("re-gating on activation", () => {
  it("re-gates queued, undecided records as new versions caused by the activation; resumes after a cut; leaves decided records and held batches alone", async () => {
    const queueIds = async () => {
      const page = await listQueue(ana, queueQuerySchema.parse({ limit: "200" }));
      return page.items;
    };
    const queued = (await db().pool.query<{ record_id: string; id: string; version: number; batch_id: string }>(
      "SELECT record_id, id::text AS id, version, batch_id FROM gating_results WHERE current AND route = 'audit' AND review_seq IS NULL ORDER BY record_id",
    )).rows;
    expect(queued.length).toBeGreaterThan(20);
    // The shipped data's first 400 records are held as a batch (a real excess of fragile records).
    const held = new Set((await db().pool.query<{ id: string }>("SELECT id FROM ingest_batches WHERE held AND released_seq IS NULL")).rows.map((r) => r.id));
    expect([...held]).toEqual(["wi-a"]);
    const heldQueued = queued.filter((q) => held.has(q.batch_id));
    // Two records decided before the change.
    const decided = queued.filter((q) => !held.has(q.batch_id)).slice(0, 2);
    for (const q of decided) {
      const r = await getRecordResult(ana, q.record_id);
      await decideRecord(ana, { recordId: q.record_id, resultVersion: r.current.version, ledgerVersion: r.ledgerVersion, machineLabel: r.current.decision, action: "confirm", requestId: randomUUID() });
    }
    const toRegate = queued.filter((q) => !held.has(q.batch_id) && !decided.includes(q));
    const before = new Map(queued.map((q) => [q.record_id, q]));

    // A lower CS_ACCEPT releases confident-enough records (some leave the queue); wider intervals allowed to fragile ones (others lose a reason).
    const p = await propose(grace, { csAccept: "0.45", "thresholds.FRAGILE_GATES.INTERVAL_WIDTH_MAX": "0.2", "thresholds.SMALL_BATCH_FRAGILE_GATES.INTERVAL_WIDTH_MAX": "0.2" });
    await decidePolicyProposal(gus, { proposalId: p.id, decision: "approve", reason: "What-if reviewed with the team.", requestId: randomUUID() });
    const activation = (await db().pool.query<{ seq: string }>("SELECT seq::text AS seq FROM edit_log WHERE subject_type = 'policy' AND subject_id = $1 AND action = 'activate' ORDER BY seq DESC LIMIT 1", [p.snapshotId])).rows[0]!.seq;
    let run = (await latestRegating(gus, p.snapshotId))!.run;
    expect(run).toMatchObject({ activationSeq: activation, status: "running", total: toRegate.length, done: 0 });

    // Cut off after one batch, then resumed, then run again with nothing left.
    const first = await regateQueue({ maxBatches: 1 });
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(toRegate.length);
    expect((await latestRegating(gus, p.snapshotId))!.run).toMatchObject({ status: "running", done: first });
    expect(await regateQueue()).toBe(toRegate.length - first);
    expect(await regateQueue()).toBe(0);
    run = (await latestRegating(gus, p.snapshotId))!.run;
    expect(run).toMatchObject({ status: "done", total: toRegate.length, done: toRegate.length });

    // Exactly one new version per re-gated record, under the new policy, the activation its cause.
    const versions = (await db().pool.query<{ record_id: string; version: number; policy_id: string; current: boolean; route: string; cause_seq: string | null }>(
      "SELECT record_id, version, policy_id, current, route, cause_seq::text AS cause_seq FROM gating_results WHERE record_id = ANY($1::text[]) AND current",
      [queued.map((q) => q.record_id)],
    )).rows;
    const now = new Map(versions.map((v) => [v.record_id, v]));
    for (const q of toRegate) expect(now.get(q.record_id)).toMatchObject({ version: q.version + 1, policy_id: p.snapshotId, cause_seq: activation });
    const caused = (await db().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM gating_results WHERE cause_seq = $1", [activation])).rows[0]!.n;
    expect(caused).toBe(toRegate.length);
    // Drift counts what arrived, not the re-gated versions: the rollup still equals its definition, one count per arrival and variable.
    const drift = await driftRollupAgainstBase();
    expect(drift.stored).toEqual(drift.recomputed);
    const arrivals = (await db().pool.query<{ n: number }>("SELECT count(*)::int AS n FROM gating_results WHERE cause_seq IS NULL")).rows[0]!.n;
    expect((await db().pool.query<{ n: number }>("SELECT sum(n)::int AS n FROM drift_rollup")).rows[0]!.n).toBe(arrivals * 6);
    // Decided records and the held batch's records keep their result.
    for (const q of [...decided, ...heldQueued]) expect(now.get(q.record_id)).toMatchObject({ version: before.get(q.record_id)!.version, cause_seq: null });
    // Records now routed auto left the queue; the queue shows what changed on those that stayed.
    const leftQueue = toRegate.filter((q) => now.get(q.record_id)!.route === "auto").length;
    expect(run.leftQueue).toBe(leftQueue);
    expect(leftQueue).toBeGreaterThan(0);
    const items = await queueIds();
    const regatedItem = items.find((i) => i.regated);
    expect(regatedItem?.regated).toMatchObject({ activationSeq: activation, route: "audit", policyId: p.baseSnapshotId });
    expect(items.filter((i) => i.regated).every((i) => now.get(i.recordId)!.route === "audit")).toBe(true);
    // The queue's "re-gated" view lists exactly the records whose reasons the re-gating changed.
    const changedIds = (await db().pool.query<{ record_id: string }>(
      "SELECT g.record_id FROM gating_results g JOIN gating_results p ON p.record_id = g.record_id AND p.version = g.version - 1 WHERE g.current AND g.cause_seq = $1 AND g.route = 'audit' AND g.reason_codes <> p.reason_codes ORDER BY 1",
      [activation],
    )).rows.map((r) => r.record_id);
    expect(changedIds.length).toBeGreaterThan(0);
    const view = await listQueue(ana, queueQuerySchema.parse({ kind: "regated", limit: "200" }));
    expect(view.items.map((i) => i.recordId).sort()).toEqual(changedIds);
    expect(view.items.every((i) => i.regated && i.regated.reasonCodes.join() !== i.reasonCodes.join())).toBe(true);
  }, 120_000);

  it("a decision racing the re-gating is recorded on the version it saw, or refused as stale: never lost, never overwritten", async () => {
    const open = (await db().pool.query<{ record_id: string }>(
      "SELECT g.record_id FROM gating_results g JOIN ingest_batches b ON b.id = g.batch_id WHERE g.current AND g.route = 'audit' AND g.review_seq IS NULL AND NOT (b.held AND b.released_seq IS NULL) ORDER BY g.record_id LIMIT 40",
    )).rows.map((r) => r.record_id);
    expect(open.length).toBe(40);
    const seen = await Promise.all(open.map((id) => getRecordResult(ana, id)));
    // Back to the calibrated CS_ACCEPT: the queue is re-gated again while analysts decide what they opened before.
    const back = await proposePolicyChange(gus, { baseSnapshotId: (await activePolicy()).snapshot.id, values: { csAccept: "0.555" }, reason: "Back to the calibrated CS_ACCEPT.", requestId: randomUUID() });
    await decidePolicyProposal(grace, { proposalId: back.id, decision: "approve", reason: "Agreed after the what-if.", requestId: randomUUID() });
    const [decisions] = await Promise.all([
      Promise.allSettled(
        // Spread over the re-gating's run: some land before it reaches their batch, some while it holds it, some after.
        seen.map(async (r, i) => {
          await new Promise((resolve) => setTimeout(resolve, i * 10));
          return decideRecord(ana, { recordId: r.recordId, resultVersion: r.current.version, ledgerVersion: r.ledgerVersion, machineLabel: r.current.decision, action: "confirm", requestId: randomUUID() });
        }),
      ),
      regateQueue(),
    ]);
    await regateQueue();
    const outcomes = { recorded: 0, refused: 0 };
    for (const [i, outcome] of decisions.entries()) {
      const id = open[i]!;
      const now = (await db().pool.query<{ version: number; review_seq: string | null; policy_id: string }>("SELECT version, review_seq::text AS review_seq, policy_id FROM gating_results WHERE record_id = $1 AND current", [id])).rows[0]!;
      const decided = (await db().pool.query<{ version: number }>("SELECT version FROM gating_results WHERE record_id = $1 AND review_seq IS NOT NULL", [id])).rows;
      if (outcome.status === "fulfilled") {
        outcomes.recorded++;
        // Recorded on the version the analyst saw, which stays current: the re-gating left it alone.
        expect(now).toMatchObject({ version: seen[i]!.current.version, review_seq: outcome.value.seq });
      } else {
        outcomes.refused++;
        expect(outcome.reason).toBeInstanceOf(ConflictError);
        expect(decided).toEqual([]);
        expect(now).toMatchObject({ version: seen[i]!.current.version + 1, review_seq: null, policy_id: back.snapshotId });
      }
    }
    expect(outcomes.recorded + outcomes.refused).toBe(40);
    // The race happened: some decisions met the re-gating (a stale version, or a row superseded while they waited).
    expect(outcomes.refused).toBeGreaterThan(0);
  }, 120_000);
});
