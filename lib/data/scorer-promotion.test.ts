/**
 * Promoting a reference-scorer version re-gates the queue (spec model-cards.md §2), against
 * real PostgreSQL in a database of this file's own: queued, undecided records an older
 * version of the console's scorer scored are scored again by the new champion and gated
 * again, the approval their cause; decided records and records another scorer family
 * scored keep their result; a version this server does not run cannot become champion.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { testPerson, withTestDatabase } from "@/lib/db/test-database";
import type { ScoredRecord } from "@/lib/gating";
import { REFERENCE_SCORER_MODEL, type ModelCardInput } from "@/lib/model-cards/card";
import { featureSignature } from "@/lib/model-cards/signature";
import { loadReferenceScorer, scoredReferenceData } from "@/lib/reference-data";
import { db } from "./db";
import { decideRecord } from "./decisions";
import { ingestBatch } from "./ingest";
import { registerModelCard } from "./model-cards";
import { decideModelPromotion, proposeModelPromotion } from "./model-promotions";
import { activePolicy } from "./policies";
import { regateQueue } from "./regating";
import { getRecordResult } from "./results";

withTestDatabase({ own: "scorer_promotion" });

const OLD = "gbdt-ens-0ld000000000";
const ingestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["ingest"] };
const FEATURES = [{ name: "Spa", type: "float" }];

const scorerCard = (version: string, status: "champion" | "candidate"): ModelCardInput =>
  ({
    schemaVersion: "1",
    model: REFERENCE_SCORER_MODEL,
    domain: "Tests",
    version,
    task: "binary_classifier",
    owner: "tests",
    createdAt: "2026-12-01T10:00:00.000Z",
    runId: `run-${version}`,
    configHash: "c0ffee12",
    status,
    metrics: { auc: 0.85, brier: 0.13 },
    features: { count: 1, categoricalCount: 0, signature: featureSignature(FEATURES), list: FEATURES },
  }) as ModelCardInput;

let truth: Map<string, ScoredRecord>;

beforeAll(async () => {
  await activePolicy();
  const data = scoredReferenceData().slice(2000, 2600);
  truth = new Map(data.map((r) => [r.recordId, r]));
  // What the old version said: a flat 0.5 for everyone (the same per-feature contributions, another base).
  const flat = (r: ScoredRecord, scorerVersion: string): ScoredRecord => {
    const byFeature = r.logitContributions!.byFeature;
    return { ...r, pModel: 0.5, logitContributions: { base: -Object.values(byFeature).reduce((a, b) => a + b, 0), byFeature }, scorerVersion };
  };
  const old = data.slice(0, 500).map((r) => flat(r, OLD));
  // Another family's scores are not the console's to redo.
  const upstream = data.slice(500).map((r) => flat(r, "upstream-7"));
  for (const [batchId, records] of [["sp-old", old], ["sp-upstream", upstream]] as const) {
    await ingestBatch(ingestor, { body: JSON.stringify({ batchId, records }), contentType: "application/json", idempotencyKey: null });
  }
}, 120_000);

describe("promoting a reference-scorer version", () => {
  it("scores the queued records of an older version again with the champion and gates them again; decided records and another family's records stay", async () => {
    const running = loadReferenceScorer().scorerVersion;
    const [grace, gus, ana] = [await testPerson("governance"), await testPerson("governance"), await testPerson("analyst")];
    const oldCard = (await registerModelCard(OPERATOR, scorerCard(OLD, "champion"))).stored;
    const newCard = (await registerModelCard(OPERATOR, scorerCard(running, "candidate"))).stored;

    const queued = async (where: string) =>
      (await db().pool.query<{ record_id: string; version: number }>(`SELECT record_id, version FROM gating_results WHERE current AND route = 'audit' AND review_seq IS NULL AND ${where} ORDER BY record_id`)).rows;
    const oldQueued = await queued(`scorer_version = '${OLD}'`);
    const upstreamBefore = await queued("scorer_version = 'upstream-7'");
    expect(oldQueued.length).toBeGreaterThan(5);
    expect(upstreamBefore.length).toBeGreaterThan(5);
    // One decided before the promotion keeps its result.
    const decided = oldQueued[0]!;
    const r = await getRecordResult(ana, decided.record_id);
    await decideRecord(ana, { recordId: decided.record_id, resultVersion: r.current.version, ledgerVersion: r.ledgerVersion, machineLabel: r.current.decision, action: "confirm", requestId: randomUUID() });

    const p = await proposeModelPromotion(grace, { cardId: newCard.id, kind: "promote", reason: "Calibration trained a better scorer.", requestId: randomUUID() });
    await decideModelPromotion(gus, { promotionId: p.id, decision: "approve", reason: "Compared with the champion: every criterion passes.", requestId: randomUUID() });
    const approval = (await db().pool.query<{ seq: string; after: { queuedToRegate: number } }>("SELECT seq::text AS seq, c::jsonb->'after' AS after FROM edit_log WHERE subject_type = 'model' AND action = 'approve' ORDER BY seq DESC LIMIT 1")).rows[0]!;
    expect(approval.after.queuedToRegate).toBe(oldQueued.length - 1);
    expect(await regateQueue()).toBe(oldQueued.length - 1);
    expect(await regateQueue()).toBe(0);

    const now = new Map(
      (
        await db().pool.query<{ record_id: string; version: number; scorer_version: string; p_model: number; cause_seq: string | null }>(
          "SELECT record_id, version, scorer_version, p_model, cause_seq::text AS cause_seq FROM gating_results WHERE current AND record_id = ANY($1::text[])",
          [[...oldQueued, ...upstreamBefore].map((q) => q.record_id)],
        )
      ).rows.map((row) => [row.record_id, row]),
    );
    for (const q of oldQueued.slice(1)) {
      const row = now.get(q.record_id)!;
      expect(row).toMatchObject({ version: q.version + 1, scorer_version: running, cause_seq: approval.seq });
      // The champion's own score for the record, not the old version's flat 0.5.
      expect(row.p_model).toBeCloseTo(truth.get(q.record_id)!.pModel, 12);
    }
    expect(now.get(decided.record_id)).toMatchObject({ version: decided.version, scorer_version: OLD });
    for (const q of upstreamBefore) expect(now.get(q.record_id)).toMatchObject({ version: q.version, scorer_version: "upstream-7" });

    // Rolling back to the old version would need a server that runs it.
    await expect(proposeModelPromotion(gus, { cardId: oldCard.id, kind: "rollback", reason: "Back to the old scorer for a while.", requestId: randomUUID() })).rejects.toMatchObject({
      fields: { cardId: [`must be the running scorer version ${running}`] },
    });
  }, 120_000);
});
