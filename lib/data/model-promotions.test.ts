/**
 * Promoting and rolling back model versions against real PostgreSQL: a proposal waits for a
 * second governance user; approval makes the version champion and retires the one before;
 * a rollback is one more approval and keeps every version and step; a failed gauntlet is
 * refused naming the gate unless overridden with a reason; a stale or raced decision is
 * refused; the reference scorer's champion must be the version the server runs.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { testPerson, withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ForbiddenError, ValidationError } from "@/lib/errors";
import { REFERENCE_SCORER_MODEL, type ModelCardInput } from "@/lib/model-cards/card";
import { featureSignature } from "@/lib/model-cards/signature";
import { loadReferenceScorer } from "@/lib/reference-data";
import { db } from "./db";
import { getModelCardDetail, listModelCards, registerModelCard } from "./model-cards";
import { decideModelPromotion, modelPromotions, proposeModelPromotion } from "./model-promotions";

withTestDatabase();
type Person = Extract<Actor, { kind: "user" }>;
let grace: Person;
let gus: Person;
let manager: Person;

beforeAll(async () => {
  [grace, gus, manager] = [await testPerson("governance"), await testPerson("governance"), await testPerson("manager")];
});

const FEATURES = [{ name: "Spend", type: "float" }];
const PASSING = { permutation: { baselineAuc: 0.8, permutedMean: 0.5, degradation: 0.3, pValue: 0.04, permutations: 20, gate: "PASS" } };

/** Registers versions of a new model: the first as champion, the rest as candidates. */
async function model(versions: { version: string; gauntlet?: unknown }[]): Promise<{ name: string; ids: string[] }> {
  const name = `promo-${randomUUID().slice(0, 8)}`;
  const ids: string[] = [];
  for (const [i, v] of versions.entries()) {
    const card: ModelCardInput = {
      schemaVersion: "1",
      model: name,
      domain: "Tests",
      version: v.version,
      task: "binary_classifier",
      owner: "ml-platform",
      createdAt: "2026-12-01T10:00:00.000Z",
      runId: `run-${v.version}`,
      configHash: "c0ffee12",
      status: i === 0 ? "champion" : "candidate",
      metrics: { auc: 0.8 + i / 100, brier: 0.16 },
      gauntlet: (v.gauntlet ?? PASSING) as ModelCardInput["gauntlet"],
      features: { count: 1, categoricalCount: 0, signature: featureSignature(FEATURES), list: FEATURES },
    } as ModelCardInput;
    ids.push((await registerModelCard(OPERATOR, card)).stored.id);
  }
  return { name, ids };
}

const reason = "Better AUC on the holdout, calibration unchanged.";
const propose = (who: Actor, cardId: string, kind: "promote" | "rollback" = "promote", extra: Record<string, unknown> = {}) =>
  proposeModelPromotion(who, { cardId, kind, reason, requestId: randomUUID(), ...extra });
const decide = (who: Actor, promotionId: string, decision: "approve" | "reject" = "approve") =>
  decideModelPromotion(who, { promotionId, decision, reason: "Checked the compare page with the team.", requestId: randomUUID() });
const statuses = async (name: string) => Object.fromEntries((await listModelCards(manager)).filter((c) => c.model === name).map((c) => [c.version, c.status]));
const entries = async (name: string) =>
  (await db().pool.query<{ action: string; actor: string; after: unknown }>("SELECT action, c::jsonb->'actor'->>'id' AS actor, c::jsonb->'after' AS after FROM edit_log WHERE subject_type = 'model' AND subject_id = $1 ORDER BY seq", [name])).rows;

describe("promoting and rolling back a model version", () => {
  it("a promotion waits for a second governance user; approval makes the version champion and retires the one before; a rollback brings it back and keeps every step", async () => {
    const { name, ids } = await model([{ version: "1.0.0" }, { version: "1.1.0" }]);
    const p = await propose(grace, ids[1]!);
    expect(p).toMatchObject({ status: "proposed", kind: "promote", card: { id: ids[1], version: "1.1.0" }, from: { id: ids[0], version: "1.0.0" }, proposedBy: { id: grace.id } });
    expect(await statuses(name)).toEqual({ "1.0.0": "champion", "1.1.0": "candidate" });
    await expect(decide(grace, p.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await decide(gus, p.id)).toMatchObject({ status: "approved", decidedBy: { id: gus.id } });
    expect(await statuses(name)).toEqual({ "1.0.0": "retired", "1.1.0": "champion" });

    // The retired version cannot be "promoted": it was champion, so it is a rollback.
    await expect(propose(gus, ids[0]!, "promote")).rejects.toMatchObject({ fields: { kind: ["must be rollback: this version was champion before"] } });
    const back = await propose(gus, ids[0]!, "rollback");
    expect((await decide(grace, back.id)).status).toBe("approved");
    expect(await statuses(name)).toEqual({ "1.0.0": "champion", "1.1.0": "retired" });

    // Every version and every step stays: the history, the lineage and the edit log.
    const history = await modelPromotions(manager, name);
    expect(history.map((h) => [h.kind, h.card.version, h.status])).toEqual([
      ["rollback", "1.0.0", "approved"],
      ["promote", "1.1.0", "approved"],
    ]);
    expect((await getModelCardDetail(manager, ids[1]!)).versions.map((v) => [v.version, v.status])).toEqual([
      ["1.0.0", "champion"],
      ["1.1.0", "retired"],
    ]);
    expect((await entries(name)).map((e) => [e.action, e.actor])).toEqual([
      ["propose_promotion", grace.id],
      ["approve", gus.id],
      ["propose_rollback", gus.id],
      ["approve", grace.id],
    ]);
  });

  it("a rejected proposal changes nothing and frees the model for the next one; only one proposal waits per model", async () => {
    const { name, ids } = await model([{ version: "1" }, { version: "2" }, { version: "3" }]);
    const p = await propose(grace, ids[1]!);
    await expect(propose(gus, ids[2]!)).rejects.toBeInstanceOf(ConflictError);
    expect((await decide(gus, p.id, "reject")).status).toBe("rejected");
    await expect(decide(gus, p.id)).rejects.toThrow(/already rejected/);
    expect(await statuses(name)).toEqual({ "1": "champion", "2": "candidate", "3": "candidate" });
    expect((await propose(gus, ids[2]!)).status).toBe("proposed");
  });

  it("a version whose gauntlet failed is refused naming the gate, unless a governance override says why (recorded)", async () => {
    const failing = { shiftGrid: { meaning: "cutoff earlier", rows: [], gate: "FAIL" }, permutation: PASSING.permutation };
    const { name, ids } = await model([{ version: "1" }, { version: "2", gauntlet: failing }]);
    const refused = await propose(grace, ids[1]!).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).message).toContain("shift grid: FAIL");
    expect((refused as ValidationError).fields).toEqual({ gauntletOverride: ["is required: the shift grid gate failed"] });
    const override = "The shift grid fails on a known holiday window; accepted for one quarter.";
    const p = await propose(grace, ids[1]!, "promote", { gauntletOverride: override });
    expect(p.gauntletOverride).toBe(override);
    expect((await entries(name)).at(-1)!.after).toMatchObject({ failingGates: ["shift grid"], gauntlet: "FAIL", gauntletOverride: override });
    // No override where nothing failed: it would be recorded for nothing.
    const other = await model([{ version: "1" }, { version: "2" }]);
    await expect(propose(grace, other.ids[1]!, "promote", { gauntletOverride: override })).rejects.toMatchObject({ fields: { gauntletOverride: ["only for a version whose gauntlet failed"] } });
  });

  it("approval refuses when the champion changed since the proposal; the same request twice decides once", async () => {
    const { ids } = await model([{ version: "1" }, { version: "2" }]);
    const p = await propose(grace, ids[1]!);
    // Racing approvals: one wins, the other finds it decided.
    const results = await Promise.allSettled([decide(gus, p.id), decide(gus, p.id)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    const requestId = randomUUID();
    const once = await proposeModelPromotion(grace, { cardId: ids[0], kind: "rollback", reason, requestId });
    const again = await proposeModelPromotion(grace, { cardId: ids[0], kind: "rollback", reason, requestId });
    expect(again.id).toBe(once.id);
  });

  it("only governance promotes; a manager reads the history; the reference scorer's champion must be the version the server runs", async () => {
    const { ids } = await model([{ version: "1" }, { version: "2" }]);
    await expect(propose(manager, ids[1]!)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(propose(OPERATOR, ids[1]!)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(proposeModelPromotion(grace, { cardId: ids[1], kind: "promote", reason: "short", requestId: randomUUID() })).rejects.toMatchObject({ fields: { reason: ["must say why, in at least 10 characters"] } });

    const running = loadReferenceScorer().scorerVersion;
    const base = (await db().pool.query<{ body: ModelCardInput }>("SELECT body FROM model_cards WHERE model = $1 LIMIT 1", [REFERENCE_SCORER_MODEL])).rows[0]?.body;
    if (!base) {
      await registerModelCard(OPERATOR, { schemaVersion: "1", model: REFERENCE_SCORER_MODEL, domain: "Tests", version: running, task: "binary_classifier", owner: "x", createdAt: "2026-12-01T10:00:00.000Z", runId: "r", configHash: "c0ffee12", status: "champion", metrics: { auc: 0.8, brier: 0.1 }, features: { count: 1, categoricalCount: 0, signature: featureSignature(FEATURES), list: FEATURES } } as ModelCardInput);
    }
    const other = await registerModelCard(OPERATOR, { schemaVersion: "1", model: REFERENCE_SCORER_MODEL, domain: "Tests", version: "gbdt-ens-not-running", task: "binary_classifier", owner: "x", createdAt: "2026-12-01T10:00:00.000Z", runId: "r2", configHash: "c0ffee13", metrics: { auc: 0.9, brier: 0.1 }, features: { count: 1, categoricalCount: 0, signature: featureSignature(FEATURES), list: FEATURES } } as ModelCardInput);
    await expect(propose(grace, other.stored.id)).rejects.toMatchObject({ fields: { cardId: [`must be the running scorer version ${running}`] } });
  });
});
