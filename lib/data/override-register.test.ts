/**
 * The override register against real PostgreSQL: the rollup a trigger maintains equals a
 * full recomputation over the base tables after any mix of ingests, decisions, overrides,
 * amendments and labels; the register reads its figures by analyst, reason and week.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError } from "@/lib/errors";
import { assessRecord, compilePolicy, type ScoredRecord } from "@/lib/gating";
import { readPolicyFile, scoredReferenceData } from "@/lib/reference-data";
import { OVERRIDE_REASONS } from "@/lib/validations/decision-labels";
import { amendRecord, decideRecord } from "./decisions";
import { ingestBatch } from "./ingest";
import { ingestLabels } from "./labels";
import { overrideRegister, overrideRollupAgainstBase, weekStart } from "./override-register";
import { getRecordResult } from "./results";
import { routingQualityRollupAgainstBase } from "./routing-health";
import { drainSliceRollup, sliceRollupAgainstBase } from "./slices";
import { createUser } from "./users";

withTestDatabase();
type Person = Extract<Actor, { kind: "user" }>;
const prefix = `o${randomUUID().slice(0, 6)}`;
let analysts: Person[] = [];
let lead: Person;
/** Records the gating core sends to audit (close to 0.5, not fragile), renamed per use. */
let uncertain: ScoredRecord[] = [];
let used = 0;

async function person(name: string, role: "analyst" | "lead"): Promise<Person> {
  const user = await createUser(OPERATOR, { email: `${name.toLowerCase()}-${prefix}@example.test`, name, role, password: "correct horse battery" });
  return { kind: "user", id: user.id, email: user.email, name, role };
}

beforeAll(async () => {
  analysts = await Promise.all([person("Ann", "analyst"), person("Bob", "analyst")]);
  lead = await person("Lee", "lead");
  const policy = readPolicyFile();
  const compiled = compilePolicy(policy);
  uncertain = scoredReferenceData().filter((r) => Math.abs(r.pModel - 0.5) < 0.04 && assessRecord(r, compiled).fragilityScore < policy.theta);
  expect(uncertain.length).toBeGreaterThan(100);
});

/** Ingests `n` records bound for audit; their ids. */
async function ingestQueued(n: number): Promise<string[]> {
  const records = uncertain.slice(used % uncertain.length, (used % uncertain.length) + n).map((r, i) => ({ ...r, recordId: `${prefix}-${used + i}` }));
  used += records.length;
  const res = await ingestBatch(OPERATOR, { body: JSON.stringify({ batchId: `${prefix}-b${used}`, records }), contentType: "application/json", idempotencyKey: null });
  expect(res.status).toBe(201);
  return records.map((r) => r.recordId);
}

/** Each decided record's current outcome (the label released, then amended). */
const outcome = new Map<string, boolean>();

async function decide(who: Person, recordId: string, override: boolean, reason: number): Promise<void> {
  const r = await getRecordResult(who, recordId);
  outcome.set(recordId, override ? !r.current.decision : r.current.decision);
  await decideRecord(who, {
    recordId,
    resultVersion: r.current.version,
    ledgerVersion: r.ledgerVersion,
    machineLabel: r.current.decision,
    action: override ? "override" : "confirm",
    ...(override ? { reasonCode: OVERRIDE_REASONS[reason % OVERRIDE_REASONS.length], reasonText: "The evidence says otherwise." } : {}),
    requestId: randomUUID(),
  });
}

async function amend(recordId: string): Promise<void> {
  const r = await getRecordResult(lead, recordId);
  const label = !outcome.get(recordId)!;
  await amendRecord(lead, { recordId, ledgerVersion: r.ledgerVersion, label, reasonCode: "new_evidence", reasonText: "The outcome arrived.", requestId: randomUUID() });
  outcome.set(recordId, label);
}

type Step =
  | { op: "ingest"; n: number }
  | { op: "decide"; who: number; override: boolean; reason: number; pick: number }
  | { op: "amend"; pick: number }
  | { op: "label"; pick: number; value: boolean; source: number }
  | { op: "resend"; pick: number }
  | { op: "drain" };

// Weighted so a run decides, labels and drains often enough to revisit records it drained.
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant("ingest" as const), n: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("decide" as const), who: fc.nat(1), override: fc.boolean(), reason: fc.nat(9), pick: fc.nat(50) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant("amend" as const), pick: fc.nat(50) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant("label" as const), pick: fc.nat(50), value: fc.boolean(), source: fc.nat(1) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant("resend" as const), pick: fc.nat(50) }), weight: 1 },
  // The incremental rollups drained between writes: a record's old facts leave them, its new ones enter.
  { arbitrary: fc.record({ op: fc.constant("drain" as const) }), weight: 2 },
);

describe("override register", () => {
  // The slice KPIs' and routing quality's rollups (lib/data/slices.ts) are checked on the
  // same mixes: they count the same decisions, labels (two sources, so some records are
  // disputed) and re-sends.
  it("the override, slice and routing-quality rollups equal a recomputation from the base tables after any mix of ingests, decisions, amendments, labels and re-sends", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 6, maxLength: 16 }), async (steps) => {
        const open: string[] = [];
        const decided: string[] = [];
        for (const s of steps) {
          if (s.op === "ingest") open.push(...(await ingestQueued(s.n)));
          else if (s.op === "decide" && open.length > 0) {
            const [id] = open.splice(s.pick % open.length, 1);
            await decide(analysts[s.who]!, id!, s.override, s.reason);
            decided.push(id!);
          } else if (s.op === "amend" && decided.length > 0) await amend(decided[s.pick % decided.length]!);
          else if (s.op === "label" && decided.length + open.length > 0) {
            const all = [...decided, ...open];
            // A contradicting label is refused (409) and must leave the rollup as it was.
            await ingestLabels(OPERATOR, { body: JSON.stringify({ labels: [{ recordId: all[s.pick % all.length], label: s.value, observedAt: "2026-12-01T00:00:00Z", source: `prop${s.source}` }] }), contentType: "application/json" }).catch(() => undefined);
          } else if (s.op === "resend" && decided.length > 0) {
            // A decided record scored again: a new result version waits for a person; the old decision still counts.
            const id = decided.splice(s.pick % decided.length, 1)[0]!;
            const original = uncertain[Number(id.split("-").at(-1)) % uncertain.length]!;
            await ingestBatch(OPERATOR, { body: JSON.stringify({ records: [{ ...original, recordId: id }] }), contentType: "application/json", idempotencyKey: null });
            open.push(id);
          } else if (s.op === "drain") await drainSliceRollup();
        }
        const { stored, recomputed } = await overrideRollupAgainstBase();
        expect(stored).toEqual(recomputed);
        const slices = await sliceRollupAgainstBase();
        expect(slices.stored).toEqual(slices.recomputed);
        // Routing quality's rollup (gating spec §11) moves with the same drain.
        const quality = await routingQualityRollupAgainstBase();
        expect(quality.stored).toEqual(quality.recomputed);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 150) >= 1000 ? 60 : 12 },
    );
  });

  it("reads overrides / decisions by analyst and by override reason, amendments under the lead, in this week's row of the trend", async () => {
    const [a, b, c] = await ingestQueued(3);
    const [ann, bob] = analysts as [Person, Person];
    const before = await overrideRegister(lead, { weeks: 4 }).catch((e: unknown) => e);
    expect(before).toBeInstanceOf(ForbiddenError);
    const governance: Actor = { kind: "user", id: randomUUID(), email: "g@x", name: "G", role: "governance" };
    const start = await overrideRegister(governance, { weeks: 4 });
    await decide(ann, a!, true, 0);
    await decide(ann, b!, false, 0);
    await decide(bob, c!, true, 1);
    await amend(b!);
    const after = await overrideRegister(governance, { weeks: 4 });
    const row = (r: typeof after, dim: keyof typeof after.by, key: string) => r.by[dim].find((x) => x.key === key) ?? { decisions: 0, overrides: 0, amendments: 0 };
    const delta = (dim: keyof typeof after.by, key: string) => {
      const [x, y] = [row(after, dim, key), row(start, dim, key)];
      return { decisions: x.decisions - y.decisions, overrides: x.overrides - y.overrides, amendments: x.amendments - y.amendments };
    };
    expect(delta("analyst", ann.id)).toEqual({ decisions: 2, overrides: 1, amendments: 0 });
    expect(delta("analyst", bob.id)).toEqual({ decisions: 1, overrides: 1, amendments: 0 });
    expect(delta("analyst", lead.id)).toEqual({ decisions: 0, overrides: 0, amendments: 1 });
    expect(row(after, "analyst", ann.id)).toMatchObject({ label: "Ann" });
    expect(delta("override_reason", OVERRIDE_REASONS[0])).toMatchObject({ decisions: 1, overrides: 1 });
    expect(after.total.decisions - start.total.decisions).toBe(3);
    expect(after.total.rate).toBeCloseTo(after.total.overrides / after.total.decisions, 12);
    expect(after.trend).toHaveLength(4);
    expect(after.trend.at(-1)!.week).toBe(weekStart(new Date()));
    expect(after.trend.at(-1)!.decisions - start.trend.at(-1)!.decisions).toBe(3);
    expect(after.threshold).toBe(0.15);
  });

  it("a decision refused by the database leaves the rollup untouched (the count commits with the entry or not at all)", async () => {
    const [id] = await ingestQueued(1);
    const [ann] = analysts as [Person];
    await decide(ann, id!, false, 0);
    const { stored } = await overrideRollupAgainstBase();
    // Deciding the same result again is refused inside the append transaction.
    await expect(decide(ann, id!, true, 0)).rejects.toThrow();
    const after = await overrideRollupAgainstBase();
    expect(after.stored).toEqual(after.recomputed);
    expect(after.stored.filter((l) => l.startsWith(`analyst|${ann.id}|`))).toEqual(stored.filter((l) => l.startsWith(`analyst|${ann.id}|`)));
  });
});
