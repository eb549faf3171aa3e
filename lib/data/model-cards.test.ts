/**
 * The model-card registry in real PostgreSQL: a pipeline registers a card once per
 * (model, version); a retry of the same card answers with the stored one (also when sent
 * eight times at once), anything else under that version is a conflict naming what
 * differs; bad figures are refused naming the field; unknown fields survive; the table is
 * append-only even for its owner; reading takes models:read or a read token.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { testPerson, withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import type { ModelCardInput } from "@/lib/model-cards/card";
import { featureSignature } from "@/lib/model-cards/signature";
import { getModelCard, listModelCards, registerModelCard, registerOwnModelCards } from "./model-cards";

const db = withTestDatabase();
const pipeline: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "trainer@x", scopes: ["models:write"] };
const reader: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "auditor@x", scopes: ["read"] };
const FEATURES = [
  { name: "CryoSleep", type: "bool" },
  { name: "RoomService", type: "float" },
  { name: "HomePlanet", type: "category" },
];

function card(fields: Partial<Record<string, unknown>> = {}): ModelCardInput & Record<string, unknown> {
  return {
    schemaVersion: "1",
    model: `test-model-${randomUUID().slice(0, 8)}`,
    domain: "Tests",
    version: "1.0.0",
    task: "binary_classifier",
    owner: "ml-platform",
    createdAt: "2026-12-01T10:00:00.000Z",
    runId: "run-1",
    configHash: "c0ffee12",
    metrics: { auc: 0.81, brier: 0.16 },
    features: { count: FEATURES.length, categoricalCount: 1, signature: featureSignature(FEATURES), list: FEATURES },
    ...fields,
  } as ModelCardInput & Record<string, unknown>;
}

const fieldsOf = (error: unknown) => Object.keys((error as ValidationError).fields ?? {});

describe("registering a model card", () => {
  it("stores it once; the same card again answers with the stored one, whatever the key order", async () => {
    const sent = card({ pipelineExtra: { lineage: ["a", "b"] } });
    const first = await registerModelCard(pipeline, sent);
    expect(first.created).toBe(true);
    expect(first.stored.tokenId).toBe((pipeline as { tokenId: string }).tokenId);
    const reordered = Object.fromEntries(Object.entries(sent).reverse());
    const again = await registerModelCard(pipeline, reordered);
    expect(again).toMatchObject({ created: false, stored: { id: first.stored.id } });
    // Unknown fields are kept, not dropped; defaults are filled in.
    const read = await getModelCard(reader, first.stored.id);
    expect(read.card).toMatchObject({ pipelineExtra: { lineage: ["a", "b"] }, status: "candidate", metrics: { auc: 0.81, brier: 0.16, prAuc: null } });
    expect((await db.handle().pool.query("SELECT count(*)::int AS n FROM model_cards WHERE model = $1", [sent.model])).rows[0].n).toBe(1);
  });

  it("is a conflict naming what differs when the version holds another card", async () => {
    const sent = card();
    await registerModelCard(OPERATOR, sent);
    const conflict = async (other: Record<string, unknown>, what: RegExp) => {
      const error = await registerModelCard(pipeline, { ...sent, ...other }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toMatch(what);
    };
    await conflict({ metrics: { auc: 0.82 } }, /already registered with another the card's content; a changed card is a new version/);
    await conflict({ runId: "run-2" }, /another runId \(run-1 is registered\)/);
    await conflict({ configHash: "deadbeef" }, /another configHash \(c0ffee12 is registered\)/);
    // Another version is another card; the list shows the headline's change since the version it replaces.
    const next = await registerModelCard(pipeline, { ...sent, version: "1.0.1", replaces: "1.0.0", runId: "run-2", metrics: { auc: 0.84 } });
    expect(next.created).toBe(true);
    const row = (await listModelCards(reader)).find((c) => c.id === next.stored.id)!;
    expect(row.previous).toMatchObject({ version: "1.0.0" });
    expect(row.previous!.change).toBeCloseTo(0.03, 12);
  });

  it("eight identical registrations at once store one row and all succeed", async () => {
    const sent = card();
    const results = await Promise.all(Array.from({ length: 8 }, () => registerModelCard(pipeline, sent)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.stored.id)).size).toBe(1);
  });

  it("refuses bad figures naming the field and the rule, and writes nothing", async () => {
    const sent = card();
    const refused = async (input: unknown, field: string, rule: RegExp) => {
      const error = await registerModelCard(pipeline, input).catch((e: unknown) => e);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect(fieldsOf(error)).toContain(field);
      expect((error as ValidationError).fields?.[field]?.join(" ")).toMatch(rule);
    };
    await refused({ ...sent, metrics: { auc: 1.2 } }, "metrics.auc", /between 0 and 1/);
    await refused({ ...sent, metrics: { auc: -0.1 } }, "metrics.auc", /between 0 and 1/);
    await refused({ ...sent, task: "count_regressor", metrics: { poissonDeviance: -0.5 } }, "metrics.poissonDeviance", /0 or more/);
    await refused({ ...sent, task: "count_regressor", metrics: { auc: 0.8 } }, "metrics.poissonDeviance", /number/);
    await refused({ ...sent, schemaVersion: "7" }, "schemaVersion", /must be one of 1/);
    await refused({ ...sent, task: "ranker" }, "task", /binary_classifier, count_regressor/);
    await refused({ ...sent, features: { ...(sent.features as object), signature: "0".repeat(64) } }, "features.signature", /does not match the feature list/);
    await refused({ ...sent, features: { ...(sent.features as object), list: [...FEATURES].reverse() } }, "features.signature", /does not match the feature list/);
    await refused({ ...sent, features: { ...(sent.features as object), count: 4 } }, "features.count", /length of list \(3\)/);
    await refused({ ...sent, calibration: { method: "platt", source: "measured", bins: [{ meanPredicted: 0.5, observedRate: 1.5, count: 3 }] } }, "calibration.bins.0.observedRate", /between 0 and 1/);
    await refused({ ...sent, artifacts: [{ name: "model", uri: "s3://m", checksum: "md5:abc" }] }, "artifacts.0.checksum", /sha256:/);
    expect((await db.handle().pool.query("SELECT count(*)::int AS n FROM model_cards WHERE model = $1", [sent.model])).rows[0].n).toBe(0);
  });
});

describe("who may register and read", () => {
  it("registers with models:write (or the operator) only; reads with models:read or a read token", async () => {
    const analyst = await testPerson("analyst");
    const manager = await testPerson("manager");
    const ingestOnly: Actor = { ...(pipeline as Extract<Actor, { kind: "token" }>), scopes: ["ingest", "read"] };
    for (const actor of [ingestOnly, reader, manager, analyst]) await expect(registerModelCard(actor, card())).rejects.toBeInstanceOf(ForbiddenError);
    const { stored } = await registerModelCard(OPERATOR, card());
    for (const actor of [manager, reader, await testPerson("governance")]) {
      expect((await listModelCards(actor)).map((c) => c.id)).toContain(stored.id);
      expect((await getModelCard(actor, stored.id)).id).toBe(stored.id);
    }
    await expect(listModelCards(analyst)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getModelCard(manager, randomUUID())).rejects.toBeInstanceOf(NotFoundError);
    await expect(getModelCard(manager, "not-a-uuid")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("lists each card's summary: headline metric by task, gauntlet verdict, status", async () => {
    const count = card({ task: "count_regressor", metrics: { poissonDeviance: 0.9934, weightedMape: 0.6486, r2: 0.0735, source: "synthesised" } });
    const { stored } = await registerModelCard(pipeline, count);
    const gated = card({ gauntlet: { permutation: { baselineAuc: 0.7, permutedMean: 0.5, degradation: 0.2, pValue: 0.0476, permutations: 20, gate: "PASS" }, reproducibility: { deltaAuc: 0, groupOverlap: 0, gate: "FAIL" } } });
    const other = await registerModelCard(pipeline, gated);
    const list = await listModelCards(reader);
    expect(list.find((c) => c.id === stored.id)).toMatchObject({ task: "count_regressor", headline: { name: "Poisson deviance", value: 0.9934, higherIsBetter: false, synthesised: true }, gauntlet: null, status: "candidate" });
    expect(list.find((c) => c.id === other.stored.id)).toMatchObject({ headline: { name: "AUC", value: 0.81, synthesised: false }, gauntlet: "FAIL" });
  });
});

describe("the registry's table", () => {
  it("is append-only: the app may not change or delete a card, the owner neither", async () => {
    const { stored } = await registerModelCard(pipeline, card());
    await expect(db.handle().pool.query("UPDATE model_cards SET version = '9' WHERE id = $1", [stored.id])).rejects.toThrow(/permission denied/);
    await expect(db.handle().pool.query("DELETE FROM model_cards WHERE id = $1", [stored.id])).rejects.toThrow(/permission denied/);
    await expect(db.owner().pool.query("UPDATE model_cards SET version = '9' WHERE id = $1", [stored.id])).rejects.toThrow(/append-only/);
    await expect(db.owner().pool.query("DELETE FROM model_cards WHERE id = $1", [stored.id])).rejects.toThrow(/append-only/);
  });
});

describe("the console's own cards (calibration's file, registered at start)", () => {
  it("adds the first version of a model as champion, a later one as candidate, and nothing on a restart", async () => {
    const model = `own-${randomUUID().slice(0, 8)}`;
    const v1 = card({ model, version: "gbdt-ens-aaaaaaaaaaaa", runId: "calibrate-1" });
    const first = await registerOwnModelCards(OPERATOR, [v1]);
    expect(first.map((c) => [c.card.version, c.card.status])).toEqual([["gbdt-ens-aaaaaaaaaaaa", "champion"]]);
    expect(await registerOwnModelCards(OPERATOR, [v1])).toEqual([]);
    const v2 = card({ model, version: "gbdt-ens-bbbbbbbbbbbb", runId: "calibrate-2" });
    const second = await registerOwnModelCards(OPERATOR, [v1, v2]);
    expect(second.map((c) => [c.card.version, c.card.status])).toEqual([["gbdt-ens-bbbbbbbbbbbb", "candidate"]]);
    const listed = (await listModelCards(reader)).filter((c) => c.model === model);
    expect(listed.map((c) => c.version).sort()).toEqual(["gbdt-ens-aaaaaaaaaaaa", "gbdt-ens-bbbbbbbbbbbb"]);
  });

  it("refuses a file card that is invalid, naming the field, and registers none after it", async () => {
    const model = `own-${randomUUID().slice(0, 8)}`;
    const bad = card({ model, version: "2", metrics: { auc: 1.2 } });
    await expect(registerOwnModelCards(OPERATOR, [bad])).rejects.toThrow(/metrics\.auc/);
    expect((await listModelCards(reader)).filter((c) => c.model === model)).toEqual([]);
  });
});
