/**
 * Policy changes against real PostgreSQL, in a database of this file's own (activating a
 * policy would change what every other test file gates with): propose, approve by a second
 * person, reject, roll back; self-approval, stale bases and racing approvals refused.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { db } from "./db";
import { activePolicy } from "./policies";
import { decidePolicyProposal, getPolicySnapshot, listPolicySnapshots, proposePolicyChange, proposePolicyRollback, proposeUploadedPolicy } from "./policy-changes";
import { createUser } from "./users";

withTestDatabase({ own: "policies" });

type Person = Extract<Actor, { kind: "user" }>;
let grace: Person;
let gus: Person;
let gia: Person;
let defaultId: string;

async function governanceUser(name: string): Promise<Person> {
  const u = await createUser(OPERATOR, { email: `${name.toLowerCase()}-${randomUUID().slice(0, 6)}@example.test`, name, role: "governance", password: "correct horse battery" });
  return { kind: "user", id: u.id, email: u.email, name, role: "governance" };
}

beforeAll(async () => {
  [grace, gus, gia] = [await governanceUser("Grace"), await governanceUser("Gus"), await governanceUser("Gia")];
  defaultId = (await activePolicy()).snapshot.id;
});

const reason = "Fewer fragile records slip through at 5 %.";
const propose = async (who: Actor, values: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  proposePolicyChange(who, { baseSnapshotId: (await activePolicy()).snapshot.id, values, reason, requestId: randomUUID(), ...extra });
const decide = (who: Actor, proposalId: string, decision: "approve" | "reject" = "approve") =>
  decidePolicyProposal(who, { proposalId, decision, reason: "Checked the what-if with the team.", requestId: randomUUID() });
const entriesOf = async (snapshotId: string) =>
  (await db().pool.query<{ action: string; actor: string }>("SELECT action, c::jsonb->'actor'->>'id' AS actor FROM edit_log WHERE subject_type = 'policy' AND subject_id = $1 ORDER BY seq", [snapshotId])).rows;

describe("policy changes", () => {
  it("a proposal waits until a second governance user approves it; approval activates it; every step is in the edit log", async () => {
    const p = await propose(grace, { "thresholds.TARGET_FRAGILE_RATE": "0.05" });
    expect(p).toMatchObject({ status: "proposed", kind: "change", baseSnapshotId: defaultId, proposedBy: { id: grace.id, name: "Grace" } });
    expect((await activePolicy()).snapshot.id).toBe(defaultId);
    const detail = await getPolicySnapshot(grace, p.snapshotId);
    expect(detail.status).toBe("proposed");
    // θ is chosen again for the new target on the reference training rows, and the batch-hold base rate follows.
    expect(detail.diffFromActive).toEqual([
      { section: "Thresholds", name: "TARGET_FRAGILE_RATE", before: "0.04", after: "0.05", change: "+0.01 (+25 %)" },
      { section: "Calibrated", name: "theta", before: "2.9503445588823305", after: "2.8", change: "−0.150345 (−5.1 %)" },
      { section: "Calibrated", name: "realisedFragileRate", before: "0.056520908917319077", after: "0.06625930876455986", change: "+0.0097384 (+17 %)" },
    ]);

    await expect(decide(grace, p.id)).rejects.toBeInstanceOf(ForbiddenError);
    const approved = await decide(gus, p.id);
    expect(approved).toMatchObject({ status: "approved", decidedBy: { id: gus.id } });
    expect((await activePolicy()).snapshot.id).toBe(p.snapshotId);
    expect((await activePolicy()).snapshot.thresholds.TARGET_FRAGILE_RATE).toBe(0.05);
    expect(await entriesOf(p.snapshotId)).toEqual([
      { action: "propose", actor: grace.id },
      { action: "approve", actor: gus.id },
      { action: "activate", actor: gus.id },
    ]);
    const list = await listPolicySnapshots(gus);
    expect(list[0]).toMatchObject({ id: p.snapshotId, status: "active" });
    expect(list.find((s) => s.id === defaultId)!.status).toBe("retired");
    await expect(decide(gia, p.id)).rejects.toBeInstanceOf(ConflictError);
  });

  it("rolls back through the same path: an earlier snapshot proposed again, approved by someone else, active again", async () => {
    const before = (await activePolicy()).snapshot.id;
    const rollback = await proposePolicyRollback(gus, { baseSnapshotId: before, targetSnapshotId: defaultId, reason: "Back to the calibrated default.", requestId: randomUUID() });
    expect(rollback).toMatchObject({ kind: "rollback", snapshotId: defaultId, baseSnapshotId: before });
    await decide(grace, rollback.id);
    expect((await activePolicy()).snapshot.id).toBe(defaultId);
    expect((await entriesOf(defaultId)).map((e) => e.action)).toEqual(["propose_rollback", "approve", "activate"]);
    await expect(proposePolicyRollback(gus, { baseSnapshotId: defaultId, targetSnapshotId: "policy-nope", reason: "Back to a snapshot nobody stored.", requestId: randomUUID() })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("two approvals racing activate once: the same proposal, or two proposals made against the same active snapshot", async () => {
    const same = await propose(grace, { "thresholds.BATCH_HOLD_ALPHA": 0.04 });
    const both = await Promise.allSettled([decide(gus, same.id), decide(gia, same.id)]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((both.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect((await entriesOf(same.snapshotId)).filter((e) => e.action === "activate")).toHaveLength(1);

    const a = await propose(grace, { "thresholds.BATCH_HOLD_ALPHA": 0.03 });
    const b = await propose(grace, { "thresholds.BATCH_HOLD_ALPHA": 0.02 });
    const race = await Promise.allSettled([decide(gus, a.id), decide(gia, b.id)]);
    expect(race.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = race.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(ConflictError);
    expect(String(loser.reason.message)).toMatch(/re-run the what-if/);
    const active = (await activePolicy()).snapshot.id;
    expect([a.snapshotId, b.snapshotId]).toContain(active);
    expect((await db().pool.query("SELECT count(*)::int AS n FROM policy_snapshots WHERE active")).rows[0].n).toBe(1);
  });

  it("refuses what is not valid, naming the field, and a manager's proposal; a rejection leaves the active policy", async () => {
    const fields = async (values: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const error = await propose(grace, values, extra).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).fields ?? {};
    };
    expect(await fields({ "thresholds.TARGET_FRAGILE_RATE": 1.5 })).toHaveProperty(["thresholds.TARGET_FRAGILE_RATE"]);
    expect(await fields({ "thresholds.TARGET_FRAGILE_RATE": "" })).toHaveProperty(["values.thresholds.TARGET_FRAGILE_RATE"], ["is required"]);
    expect(await fields({ "thresholds.TARGET_FRAGILE_RATE": "five" })).toHaveProperty(["values.thresholds.TARGET_FRAGILE_RATE"], ["must be a number"]);
    expect(Object.keys(await fields({ csAccept: 0.999, "thresholds.FRAGILE_GATES.CONFIDENCE_MIN": 0.9 })).join(" ")).toMatch(/CONFIDENCE_MIN|csAccept/);
    expect(Object.keys(await fields({}, { canarySignatures: JSON.stringify([{ name: "x", allFlags: ["NOT_A_FLAG"] }]) })).join(" ")).toMatch(/canaries\.signatures/);
    expect(await fields({}, { canarySignatures: "[{" })).toHaveProperty(["canarySignatures"]);
    expect(await fields({})).toHaveProperty(["values"]);
    const manager: Actor = { ...grace, role: "manager" } as Actor;
    await expect(propose(manager, { "thresholds.BATCH_HOLD_ALPHA": 0.01 })).rejects.toBeInstanceOf(ForbiddenError);

    const active = (await activePolicy()).snapshot.id;
    const retire = await propose(grace, {}, { canaryIds: "0253_01\n0254_01" });
    expect((await getPolicySnapshot(grace, retire.snapshotId)).diffFromActive).toContainEqual(expect.objectContaining({ name: "id 0257_01", change: "retired" }));
    const rejected = await decide(gus, retire.id, "reject");
    expect(rejected.status).toBe("rejected");
    expect((await activePolicy()).snapshot.id).toBe(active);
    expect((await listPolicySnapshots(grace)).find((s) => s.id === retire.snapshotId)!.status).toBe("rejected");
  });

  it("proposes a calibration output as it is, named by its content, and refuses one that breaks a rule, naming the field", async () => {
    const active = (await activePolicy()).snapshot;
    const upload = (snapshot: unknown) => proposeUploadedPolicy(grace, { baseSnapshotId: active.id, snapshot: typeof snapshot === "string" ? snapshot : JSON.stringify(snapshot), reason: "A new calibration on this month's outcomes.", requestId: randomUUID() });
    const recalibrated = { ...structuredClone(active), id: "whatever-the-file-says", theta: active.theta + 0.25 };
    const p = await upload(recalibrated);
    expect(p.snapshotId).toMatch(/^policy-[0-9a-f]{16}$/);
    const detail = await getPolicySnapshot(grace, p.snapshotId);
    expect(detail.source).toBe("upload");
    expect(detail.diffFromActive.map((l) => l.name)).toEqual(["theta"]);
    const fields = async (snapshot: unknown) => {
      const error = await upload(snapshot).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      return (error as ValidationError).fields ?? {};
    };
    expect(await fields("{ not json")).toHaveProperty(["snapshot"]);
    expect(await fields({ ...structuredClone(active), thresholds: { ...active.thresholds, TARGET_FRAGILE_RATE: 2 } })).toHaveProperty(["thresholds.TARGET_FRAGILE_RATE"]);
    expect(await fields(active)).toHaveProperty(["snapshot"], ["changes nothing"]);
  });

  it("refuses a proposal made from a snapshot that is no longer active, and answers a repeated request with its proposal", async () => {
    await expect(proposePolicyChange(grace, { baseSnapshotId: "policy-stale", values: { "thresholds.BATCH_HOLD_ALPHA": 0.01 }, reason, requestId: randomUUID() })).rejects.toBeInstanceOf(NotFoundError);
    const retired = (await listPolicySnapshots(grace)).find((s) => s.status === "retired")!.id;
    await expect(proposePolicyChange(grace, { baseSnapshotId: retired, values: { "thresholds.BATCH_HOLD_ALPHA": 0.011 }, reason, requestId: randomUUID() })).rejects.toThrow(/active policy changed/);
    const input = { baseSnapshotId: (await activePolicy()).snapshot.id, values: { "thresholds.BATCH_HOLD_ALPHA": 0.012 }, reason, requestId: randomUUID() };
    const first = await proposePolicyChange(grace, input);
    expect(await proposePolicyChange(grace, input)).toEqual(first);
  });
});
