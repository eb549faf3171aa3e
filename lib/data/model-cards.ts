/**
 * The model-card registry (spec model-cards.md): cards registered by training pipelines
 * (`POST /api/v1/model-cards`, scope models:write) and by the console for its own models
 * (the operator), kept append-only per (model, version). Registering is idempotent by the
 * card's identity (model, version, run id, config hash): the same card again answers with
 * the stored one; another body, run or config under a registered (model, version) is a
 * conflict that names what differs. Reading takes models:read (managers, governance) or a
 * read token.
 */
import { createHash } from "node:crypto";
import type { Pool, PoolClient } from "pg";
import { actorTokenId, assertCanRead, assertScope, type Actor } from "@/lib/auth/actor";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { canonicalJson } from "@/lib/ledger/chain";
import { gauntletVerdict, headlineMetric, modelCardSchema, type CardStatus, type GateResult, type ModelCard, type Task } from "@/lib/model-cards/card";
import { registryStatuses } from "@/lib/model-cards/status";
import { fieldErrorsOf } from "@/lib/validations/field-errors";
import { db } from "./db";
import { isPgUniqueViolation } from "./input";

export interface StoredModelCard {
  id: string;
  /** in the registry: champion, candidate or retired, from its approved promotions (lib/model-cards/status.ts); the card's own `status` is what it was registered with */
  status: CardStatus;
  registeredAt: string;
  /** the API token that registered it; null for the console's own cards */
  tokenId: string | null;
  card: ModelCard;
}

/** One row of the registry's list: what a list shows without the whole card. */
export interface ModelCardSummary {
  id: string;
  model: string;
  displayName: string | null;
  domain: string;
  version: string;
  task: Task;
  status: CardStatus;
  gauntlet: GateResult | null;
  headline: { name: string; value: number; higherIsBetter: boolean; synthesised: boolean };
  /** the previous version of the model (the one this card replaces, else the one registered before it) and the headline's change since */
  previous: { id: string; version: string; change: number } | null;
  trainingCutoff: string | null;
  createdAt: string;
  registeredAt: string;
}

type Queryable = Pool | PoolClient;
type Row = { id: string; body: ModelCard; token_id: string | null; created_at: Date };

const toStored = (r: Row, status: CardStatus): StoredModelCard => ({ id: r.id, status, registeredAt: r.created_at.toISOString(), tokenId: r.token_id, card: r.body });

const CARD_COLUMNS = "id, body, token_id, created_at";

/** Rows with their registry status, and each model's champions in the order they held the title: each model's versions in registration order against its approved promotions. */
async function withStatuses(rows: readonly Row[], client: Queryable = db().pool): Promise<{ cards: StoredModelCard[]; champions: Map<string, string[]> }> {
  const models = [...new Set(rows.map((r) => r.body.model))];
  const approved = (
    await client.query<{ model: string; card_id: string }>("SELECT model, card_id FROM model_promotions WHERE status = 'approved' AND model = ANY($1::text[]) ORDER BY decided_seq", [models])
  ).rows;
  const status = new Map<string, CardStatus>();
  const champions = new Map<string, string[]>();
  for (const model of models) {
    const versions = rows
      .filter((r) => r.body.model === model)
      .sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id))
      .map((r) => ({ id: r.id, registeredStatus: r.body.status }));
    const registry = registryStatuses(versions, approved.filter((a) => a.model === model).map((a) => a.card_id));
    for (const [id, s] of registry.status) status.set(id, s);
    champions.set(model, registry.champions);
  }
  return { cards: rows.map((r) => toStored(r, status.get(r.id)!)), champions };
}

/** Every version of one model, oldest registration first, with their registry status, and the champions in the order they held the title. */
export async function modelRegistry(model: string, client: Queryable = db().pool): Promise<{ versions: StoredModelCard[]; champions: string[] }> {
  const { cards, champions } = await withStatuses((await client.query<Row>(`SELECT ${CARD_COLUMNS} FROM model_cards WHERE model = $1 ORDER BY created_at, id`, [model])).rows, client);
  return { versions: cards, champions: champions.get(model) ?? [] };
}

export function summaryOf(stored: StoredModelCard, previous: StoredModelCard | null = null): ModelCardSummary {
  const { card } = stored;
  const headline = headlineMetric(card);
  return {
    id: stored.id,
    model: card.model,
    displayName: card.displayName,
    domain: card.domain,
    version: card.version,
    task: card.task,
    status: stored.status,
    gauntlet: gauntletVerdict(card).result,
    headline,
    previous: previous ? { id: previous.id, version: previous.card.version, change: headline.value - headlineMetric(previous.card).value } : null,
    trainingCutoff: card.trainingCutoff,
    createdAt: card.createdAt,
    registeredAt: stored.registeredAt,
  };
}

/** Validates a card (every problem named by its field path); nothing is coerced. */
export function parseModelCard(input: unknown): ModelCard {
  const parsed = modelCardSchema.safeParse(input);
  if (!parsed.success) {
    const fields = fieldErrorsOf(parsed.error);
    const [first] = Object.entries(fields);
    throw new ValidationError(`The model card is invalid (first: ${first![0]}: ${first![1][0]}); nothing was registered.`, fields);
  }
  return parsed.data;
}

const bodyHashOf = (card: ModelCard) => createHash("sha256").update(canonicalJson(card)).digest("hex");

/**
 * Registers a card. `created` is false when this very card (same identity, same body) was
 * registered before: a pipeline's retry is answered with the stored card, never a second row.
 */
export async function registerModelCard(actor: Actor, input: unknown): Promise<{ created: boolean; stored: StoredModelCard }> {
  assertScope(actor, "models:write");
  const card = parseModelCard(input);
  const hash = bodyHashOf(card);
  try {
    const row = (
      await db().pool.query<Row>(
        `INSERT INTO model_cards (id, model, version, run_id, config_hash, task, domain, body, body_hash, token_id)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)
         RETURNING ${CARD_COLUMNS}`,
        [card.model, card.version, card.runId, card.configHash, card.task, card.domain, JSON.stringify(card), hash, actorTokenId(actor)],
      )
    ).rows[0]!;
    return { created: true, stored: await storedWithStatus(row) };
  } catch (error) {
    if (!isPgUniqueViolation(error)) throw error;
  }
  const existing = (
    await db().pool.query<Row & { run_id: string; config_hash: string; body_hash: string }>(
      "SELECT id, body, token_id, created_at, run_id, config_hash, body_hash FROM model_cards WHERE model = $1 AND version = $2",
      [card.model, card.version],
    )
  ).rows[0]!;
  const differs = [
    ...(existing.run_id !== card.runId ? [`runId (${existing.run_id} is registered)`] : []),
    ...(existing.config_hash !== card.configHash ? [`configHash (${existing.config_hash} is registered)`] : []),
    ...(existing.run_id === card.runId && existing.config_hash === card.configHash && existing.body_hash !== hash ? ["the card's content"] : []),
  ];
  if (differs.length > 0) {
    throw new ConflictError(`${card.model} version ${card.version} is already registered with another ${differs.join(" and ")}; a changed card is a new version.`);
  }
  return { created: false, stored: await storedWithStatus(existing) };
}

/**
 * The console's own cards (calibration's `models/model-cards.json`), registered at every
 * start: a version not yet registered is added, the first of its model as `champion` (it is
 * the version the server runs), a later one as `candidate` (promotion decides). A version
 * already registered is left as it is, so a restart changes nothing. Returns the new ones.
 */
export async function registerOwnModelCards(actor: Actor, cards: readonly unknown[]): Promise<StoredModelCard[]> {
  assertScope(actor, "models:write");
  const added: StoredModelCard[] = [];
  for (const input of cards) {
    const card = parseModelCard(input);
    const known = (await db().pool.query<{ version: string }>("SELECT version FROM model_cards WHERE model = $1", [card.model])).rows;
    if (known.some((r) => r.version === card.version)) continue;
    const { created, stored } = await registerModelCard(actor, { ...card, status: known.length === 0 ? "champion" : "candidate" });
    if (created) added.push(stored);
  }
  return added;
}

/** The version before each card: the one it names as replaced, else the one of its model registered just before it. */
function previousOf(cards: readonly StoredModelCard[]): Map<string, StoredModelCard> {
  const out = new Map<string, StoredModelCard>();
  const byModel = new Map<string, StoredModelCard[]>();
  for (const c of cards) byModel.set(c.card.model, [...(byModel.get(c.card.model) ?? []), c]);
  for (const versions of byModel.values()) {
    const ordered = [...versions].sort((a, b) => a.registeredAt.localeCompare(b.registeredAt) || a.id.localeCompare(b.id));
    ordered.forEach((c, i) => {
      const named = c.card.replaces === null ? undefined : ordered.find((o) => o.card.version === c.card.replaces);
      const before = named ?? (c.card.replaces === null ? ordered[i - 1] : undefined);
      if (before) out.set(c.id, before);
    });
  }
  return out;
}

/** One card with its registry status (read with its model's versions). */
async function storedWithStatus(row: Row): Promise<StoredModelCard> {
  return (await modelRegistry(row.body.model)).versions.find((c) => c.id === row.id)!;
}

/** Every card, newest registration first within each model (models by name). */
export async function listModelCards(actor: Actor): Promise<ModelCardSummary[]> {
  assertCanRead(actor, "models:read");
  const { cards } = await withStatuses((await db().pool.query<Row>(`SELECT ${CARD_COLUMNS} FROM model_cards ORDER BY model, created_at DESC, id`)).rows);
  const previous = previousOf(cards);
  return cards.map((c) => summaryOf(c, previous.get(c.id) ?? null));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One card by its id; a 404 names it. */
export async function getModelCard(actor: Actor, id: string): Promise<StoredModelCard> {
  assertCanRead(actor, "models:read");
  return storedWithStatus(await cardRow(id));
}

/** A card's row by its id; a 404 names it. */
async function cardRow(id: string): Promise<Row> {
  const row = UUID.test(id) ? (await db().pool.query<Row>(`SELECT ${CARD_COLUMNS} FROM model_cards WHERE id = $1`, [id])).rows[0] : undefined;
  if (!row) throw new NotFoundError(`No model card ${id}.`);
  return row;
}

export interface ModelCardDetail {
  stored: StoredModelCard;
  /** every version of the same model, oldest registration first (the lineage) */
  versions: ModelCardSummary[];
  /** the model's champion when it is another version: its features are the reference for schema drift */
  champion: StoredModelCard | null;
}

/** One card with its model's lineage and champion (for the card page). */
export async function getModelCardDetail(actor: Actor, id: string): Promise<ModelCardDetail> {
  assertCanRead(actor, "models:read");
  // The model's versions are read once: the card's registry status is among them.
  const row = await cardRow(id);
  const cards = (await modelRegistry(row.body.model)).versions;
  const stored = cards.find((c) => c.id === row.id)!;
  const previous = previousOf(cards);
  const champion = cards.find((c) => c.status === "champion" && c.id !== stored.id) ?? null;
  return { stored, versions: cards.map((c) => summaryOf(c, previous.get(c.id) ?? null)), champion };
}
