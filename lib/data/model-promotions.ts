/**
 * Promoting and rolling back model versions (spec model-cards.md §2; the same two-person
 * path as policy changes, governance spec §4): a governance user proposes a version as the
 * model's champion with a reason — a candidate (promotion) or a version that was champion
 * before (rollback) — and a second governance user, never the proposer, approves or rejects
 * it. Each step is an edit-log entry on model/<name>, written in the same transaction as
 * the row it changes; which version is champion is derived from the approved rows
 * (lib/model-cards/status.ts), so a rollback keeps every version and every step.
 *
 * Refused: a version whose gauntlet failed, unless the proposal carries a governance
 * override with its reason (recorded in the entry); a reference-scorer version other than
 * the one this server scores with. Approving a reference-scorer version starts the
 * re-gating of the queued records another version scored (lib/data/regating.ts).
 *
 * Races: one waiting proposal per model (a unique index), and a per-model advisory lock
 * while proposing and deciding; approval checks that the champion is still the one the
 * proposal replaces.
 */
import type { PoolClient } from "pg";
import { assertCanRead, assertPersonCan, type Actor } from "@/lib/auth/actor";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { gauntletVerdict, REFERENCE_SCORER_MODEL } from "@/lib/model-cards/card";
import { loadReferenceScorer } from "@/lib/reference-data";
import { decideModelPromotionInputSchema, proposeModelPromotionInputSchema } from "@/lib/validations/model-promotions";
import { db, transaction } from "./db";
import { isPgUniqueViolation, parseInput } from "./input";
import { appendEntry, userEntry } from "./ledger";
import { modelRegistry, type StoredModelCard } from "./model-cards";
import { staleQueueCount, startRegating } from "./regating";
import { oneProposal, orReplayed, REQUEST_JOIN, STEP_COLUMNS, STEP_JOINS, stepsOf, type TwoPersonRow, type TwoPersonSteps } from "./two-person";

export interface ModelPromotionView extends TwoPersonSteps {
  id: string;
  model: string;
  kind: "promote" | "rollback";
  status: "proposed" | "approved" | "rejected";
  card: { id: string; version: string };
  /** the champion it replaces (null: the model had none) */
  from: { id: string; version: string } | null;
  reason: string;
  gauntletOverride: string | null;
}

type PromotionRow = TwoPersonRow & {
  id: string;
  model: string;
  kind: "promote" | "rollback";
  status: "proposed" | "approved" | "rejected";
  card_id: string;
  card_version: string;
  from_card_id: string | null;
  from_version: string | null;
  reason: string;
  gauntlet_override: string | null;
};

const SELECT_PROMOTIONS = `SELECT p.id, p.model, p.kind, p.status, p.card_id, c.version AS card_version, p.from_card_id, f.version AS from_version, p.reason, p.gauntlet_override, ${STEP_COLUMNS}
  FROM model_promotions p JOIN model_cards c ON c.id = p.card_id LEFT JOIN model_cards f ON f.id = p.from_card_id ${STEP_JOINS}`;

function promotionView(r: PromotionRow): ModelPromotionView {
  return {
    id: r.id,
    model: r.model,
    kind: r.kind,
    status: r.status,
    card: { id: r.card_id, version: r.card_version },
    from: r.from_card_id ? { id: r.from_card_id, version: r.from_version! } : null,
    reason: r.reason,
    gauntletOverride: r.gauntlet_override,
    ...stepsOf(r),
  };
}

/** A model's proposals, newest first: its promotion history (models:read, or a read token). */
export async function modelPromotions(actor: Actor, model: string): Promise<ModelPromotionView[]> {
  assertCanRead(actor, "models:read");
  const { rows } = await db().pool.query<PromotionRow>(`${SELECT_PROMOTIONS} WHERE p.model = $1 ORDER BY p.proposed_at DESC, p.id`, [model]);
  return rows.map(promotionView);
}

/** Reads back the proposal a write made or decided; a replayed request gets the one it made the first time. */
function orPromotionReplayed(requestId: string, write: () => Promise<string>): Promise<ModelPromotionView> {
  return orReplayed(requestId, write, {
    byId: (id) => oneProposal(`${SELECT_PROMOTIONS} WHERE p.id = $1`, [id], promotionView),
    ofRequest: (request) => oneProposal(`${SELECT_PROMOTIONS} ${REQUEST_JOIN} WHERE e.c::jsonb->>'requestId' = $1 LIMIT 1`, [request], promotionView),
  });
}

/** The model's versions with their statuses, read under its lock (so no other proposal or decision moves the champion meanwhile). */
async function lockedModel(client: PoolClient, model: string): Promise<{ versions: StoredModelCard[]; champion: StoredModelCard | null; formerChampions: Set<string> }> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('sentinel.model_promotion:' || $1))", [model]);
  const { versions, champions } = await modelRegistry(model, client);
  return { versions, champion: versions.find((v) => v.status === "champion") ?? null, formerChampions: new Set(champions) };
}

/** The reference scorer version this server runs when it is not `version` (a champion must be the running one), else null. */
function otherRunningScorer(version: string): string | null {
  const running = loadReferenceScorer().scorerVersion;
  return running === version ? null : running;
}

/** What approving `version` as the reference scorer's champion re-gates: the queued records another version scored, under the active policy. */
async function regatingFor(client: PoolClient, version: string): Promise<{ policyId: string; queued: number }> {
  const running = otherRunningScorer(version);
  if (running) throw new ConflictError(`This server scores with ${running}, not ${version}: restart it with ${version} before approving.`);
  const policyId = (await client.query<{ id: string }>("SELECT id FROM policy_snapshots WHERE active")).rows[0]?.id;
  if (!policyId) throw new ConflictError("No policy is active yet: start the console once.");
  return { policyId, queued: await staleQueueCount(client, policyId, version) };
}

const ref = (c: StoredModelCard | null) => (c ? { card: c.id, version: c.card.version } : null);

/**
 * Proposes a version as its model's champion (models:promote): `promote` for a candidate,
 * `rollback` for a version that was champion before. The same request again answers with
 * the proposal it made.
 */
export async function proposeModelPromotion(actor: Actor, input: unknown): Promise<ModelPromotionView> {
  const user = assertPersonCan(actor, "models:promote");
  const d = parseInput(proposeModelPromotionInputSchema, input);
  return orPromotionReplayed(d.requestId, () =>
    transaction(async (client) => {
      const model = (await client.query<{ model: string }>("SELECT model FROM model_cards WHERE id = $1", [d.cardId])).rows[0]?.model;
      if (!model) throw new NotFoundError(`No model card ${d.cardId}.`);
      const { versions, champion, formerChampions } = await lockedModel(client, model);
      const target = versions.find((v) => v.id === d.cardId)!;
      const label = `${model} ${target.card.version}`;
      if (champion?.id === target.id) throw new ValidationError(`${label} is already the champion.`, { cardId: ["is already the champion"] });
      if (d.kind === "promote" && target.status !== "candidate") {
        throw new ValidationError(`${label} is ${target.status}: ${formerChampions.has(target.id) ? "it was champion before, so propose a rollback to it" : "only a candidate is promoted"}.`, {
          kind: [formerChampions.has(target.id) ? "must be rollback: this version was champion before" : "only a candidate is promoted"],
        });
      }
      if (d.kind === "rollback" && !formerChampions.has(target.id)) {
        throw new ValidationError(`${label} was never the champion: a rollback returns to an earlier champion; promote a candidate instead.`, { kind: ["must be promote: this version was never champion"] });
      }
      const verdict = gauntletVerdict(target.card);
      const failing = verdict.gates.filter((g) => g.result === "FAIL").map((g) => g.name);
      if (failing.length > 0 && d.gauntletOverride === undefined) {
        throw new ValidationError(`The gauntlet of ${label} failed (${failing.map((g) => `${g}: FAIL`).join(", ")}): it becomes champion only with a governance override that says why.`, {
          gauntletOverride: [`is required: the ${failing.join(" and ")} gate failed`],
        });
      }
      if (failing.length === 0 && d.gauntletOverride !== undefined) {
        throw new ValidationError(`The gauntlet of ${label} did not fail: there is nothing to override.`, { gauntletOverride: ["only for a version whose gauntlet failed"] });
      }
      if (model === REFERENCE_SCORER_MODEL) {
        const running = otherRunningScorer(target.card.version);
        if (running) {
          throw new ValidationError(`This server scores with ${running}, not ${target.card.version}: the reference scorer's champion is the version the console runs (npm run calibrate writes it; restart with it, then promote).`, {
            cardId: [`must be the running scorer version ${running}`],
          });
        }
      }
      const waiting = (await client.query<{ id: string }>("SELECT id FROM model_promotions WHERE model = $1 AND status = 'proposed'", [model])).rows[0];
      if (waiting) throw new ConflictError(`A proposal for ${model} is already waiting for approval: decide that one first.`);
      const entry = await appendEntry(
        client,
        userEntry(user, {
          subjectType: "model",
          subjectId: model,
          action: d.kind === "rollback" ? "propose_rollback" : "propose_promotion",
          before: { champion: ref(champion) },
          after: { proposed: ref(target), gauntlet: verdict.result, failingGates: failing, gauntletOverride: d.gauntletOverride ?? null },
          reasonText: d.reason,
          requestId: d.requestId,
        }),
        null,
      );
      try {
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO model_promotions (model, card_id, from_card_id, kind, reason, gauntlet_override, proposed_by, proposed_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
          [model, target.id, champion?.id ?? null, d.kind, d.reason, d.gauntletOverride ?? null, user.id, entry.seq],
        );
        return rows[0]!.id;
      } catch (error) {
        if (isPgUniqueViolation(error)) throw new ConflictError(`A proposal for ${model} is already waiting for approval: decide that one first.`);
        throw error;
      }
    }),
  );
}

/**
 * Approves (the version becomes champion) or rejects a waiting proposal (models:promote),
 * never the decider's own. Approval refuses when the champion is no longer the one the
 * proposal replaces.
 */
export async function decideModelPromotion(actor: Actor, input: unknown): Promise<ModelPromotionView> {
  const user = assertPersonCan(actor, "models:promote");
  const d = parseInput(decideModelPromotionInputSchema, input);
  return orPromotionReplayed(d.requestId, () =>
    transaction(async (client) => {
      const p = (
        await client.query<{ id: string; model: string; card_id: string; from_card_id: string | null; status: string; proposed_by: string; decided_seq: string | null }>(
          "SELECT id, model, card_id, from_card_id, status, proposed_by, decided_seq::text AS decided_seq FROM model_promotions WHERE id = $1 FOR UPDATE",
          [d.promotionId],
        )
      ).rows[0];
      if (!p) throw new NotFoundError(`No model promotion ${d.promotionId}.`);
      if (p.status !== "proposed") throw new ConflictError(`This proposal was already ${p.status} (edit-log entry #${p.decided_seq}). Reload to see who decided it.`);
      if (p.proposed_by === user.id) throw new ForbiddenError("You proposed this: a second governance user must approve or reject it.");
      const { versions, champion } = await lockedModel(client, p.model);
      const target = versions.find((v) => v.id === p.card_id)!;
      if (d.decision === "approve" && (champion?.id ?? null) !== p.from_card_id) {
        throw new ConflictError(`The champion of ${p.model} changed since this was proposed (it is now ${champion?.card.version ?? "none"}): reject it and propose again.`);
      }
      const approve = d.decision === "approve";
      // A new reference-scorer champion scores the queue again (lib/data/regating.ts), under the active policy.
      const regate = approve && p.model === REFERENCE_SCORER_MODEL ? await regatingFor(client, target.card.version) : null;
      const entry = await appendEntry(
        client,
        userEntry(user, {
          subjectType: "model",
          subjectId: p.model,
          action: approve ? "approve" : "reject",
          before: { champion: ref(champion), proposal: p.id },
          after: { champion: approve ? ref(target) : ref(champion), ...(regate ? { queuedToRegate: regate.queued } : {}) },
          reasonText: d.reason,
          requestId: d.requestId,
        }),
        null,
      );
      if (regate) await startRegating(client, entry.seq, regate.policyId, regate.queued);
      await client.query("UPDATE model_promotions SET status = $2, decided_by = $3, decided_at = now(), decided_seq = $4, decision_reason = $5 WHERE id = $1", [
        p.id,
        approve ? "approved" : "rejected",
        user.id,
        entry.seq,
        d.reason,
      ]);
      return p.id;
    }),
  );
}
