/**
 * The reference scorer's feature vector (spec/gating.md §5a), built from a raw record with
 * missing values kept missing: a missing spend or context value becomes `NaN`, never 0,
 * and the trees send `NaN` down each split's learned default direction. Each spend
 * channel also has an explicit 0/1 missing indicator, so "missing" can be a split of
 * its own and its contribution counts towards that channel (§1.1).
 */

export const SPEND_CHANNELS = ["RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck"] as const;
export type SpendChannel = (typeof SPEND_CHANNELS)[number];

export type ContextValue = string | number | boolean | null;

/** A record as the scorer receives it: raw spends (null = missing) and context. */
export type ScorerRecord = {
  recordId: string;
  spend: Readonly<Record<string, number | null>>;
  context: Readonly<Record<string, ContextValue>>;
};

const HOME_PLANETS = ["Earth", "Europa", "Mars"] as const;
const DESTINATIONS = ["TRAPPIST-1e", "55 Cancri e", "PSO J318.5-22"] as const;
/** Decks in ship order (A top … G, T the tank top deck), so an ordinal code keeps neighbours together. */
const CABIN_DECKS = ["A", "B", "C", "D", "E", "F", "G", "T"] as const;
const CABIN_SIDES = ["P", "S"] as const;

export type FeatureKind = "log1p" | "indicator" | "count" | "numeric" | "ordinal" | "one-hot";

export type FeatureDefinition = {
  name: string;
  kind: FeatureKind;
  /** The one spend channel the feature derives from, or null when it mixes channels or none. */
  channel: SpendChannel | null;
};

function defineFeatures(): FeatureDefinition[] {
  const features: FeatureDefinition[] = [];
  for (const channel of SPEND_CHANNELS) features.push({ name: `${channel}_log1p`, kind: "log1p", channel });
  for (const channel of SPEND_CHANNELS) features.push({ name: `${channel}_missing`, kind: "indicator", channel });
  features.push(
    { name: "TotalSpend_log1p", kind: "log1p", channel: null },
    { name: "MissingSpendCount", kind: "count", channel: null },
    { name: "CryoSleep", kind: "indicator", channel: null },
    { name: "VIP", kind: "indicator", channel: null },
    { name: "Age", kind: "numeric", channel: null },
    { name: "CabinDeck", kind: "ordinal", channel: null },
    { name: "CabinNumber", kind: "numeric", channel: null },
    { name: "CabinSide", kind: "indicator", channel: null },
    { name: "GroupSize", kind: "count", channel: null },
  );
  for (const planet of HOME_PLANETS) features.push({ name: `HomePlanet=${planet}`, kind: "one-hot", channel: null });
  for (const destination of DESTINATIONS) features.push({ name: `Destination=${destination}`, kind: "one-hot", channel: null });
  return features;
}

export const FEATURES: readonly FeatureDefinition[] = Object.freeze(defineFeatures());
export const FEATURE_NAMES: readonly string[] = Object.freeze(FEATURES.map((feature) => feature.name));
/** Feature → the spend channel it derives from only (null: total, counts, context). */
export const FEATURE_CHANNELS: Readonly<Record<string, SpendChannel | null>> = Object.freeze(
  Object.fromEntries(FEATURES.map((feature) => [feature.name, feature.channel])),
);

/**
 * Only the channel features (feature → channel, no nulls): the form of the policy
 * snapshot's `featureChannelMap` (lib/gating), which lists just the features a channel owns.
 */
export const SPEND_FEATURE_CHANNELS: Readonly<Record<string, SpendChannel>> = Object.freeze(
  Object.fromEntries(FEATURES.flatMap((feature) => (feature.channel === null ? [] : [[feature.name, feature.channel]]))),
);

/**
 * Features derived only from the spends but from several channels: the policy caps each as
 * a term of its own (spec/gating.md §4.2), so a spend signal cannot escape the cap by
 * being summed first.
 */
export const SPEND_DERIVED_FEATURES: readonly string[] = Object.freeze(["TotalSpend_log1p", "MissingSpendCount"]);

const INDEX = new Map(FEATURE_NAMES.map((name, index) => [name, index]));
function featureIndex(name: string): number {
  const index = INDEX.get(name);
  if (index === undefined) throw new Error(`unknown feature ${name}`);
  return index;
}

/** Input the scorer cannot read; names the record and the field, never coerced. */
export class ScorerInputError extends Error {
  constructor(
    readonly recordId: string,
    readonly field: string,
    readonly rule: string,
  ) {
    super(`record ${recordId}: ${field}: ${rule}`);
    this.name = "ScorerInputError";
  }
}

const MISSING_TOKENS = new Set(["", "nan", "na"]);

function isMissingToken(value: string): boolean {
  return MISSING_TOKENS.has(value.trim().toLowerCase());
}

function readBoolean(record: ScorerRecord, key: string): boolean | null {
  const value = record.context[key];
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    if (isMissingToken(value)) return null;
    const lower = value.trim().toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
  }
  throw new ScorerInputError(record.recordId, `context.${key}`, `expected a boolean, got ${JSON.stringify(value)}`);
}

function readNumber(record: ScorerRecord, key: string): number | null {
  const value = record.context[key];
  if (value === undefined || value === null) return null;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string") {
    if (isMissingToken(value)) return null;
    const parsed = Number(value.trim());
    if (Number.isFinite(parsed)) return parsed;
  }
  throw new ScorerInputError(record.recordId, `context.${key}`, `expected a finite number, got ${JSON.stringify(value)}`);
}

function readString(record: ScorerRecord, key: string): string | null {
  const value = record.context[key];
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return isMissingToken(value) ? null : value.trim();
  throw new ScorerInputError(record.recordId, `context.${key}`, `expected a string, got ${JSON.stringify(value)}`);
}

/** The passenger group of an id `gggg_pp` (the part before the first `_`; the whole id when it has none). */
export function groupOf(recordId: string): string {
  const underscore = recordId.indexOf("_");
  return underscore < 0 ? recordId : recordId.slice(0, underscore);
}

/** Group → number of records sharing it, over the given records (a batch or a whole file). */
export function groupSizes(records: readonly Pick<ScorerRecord, "recordId">[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const record of records) {
    const group = groupOf(record.recordId);
    sizes.set(group, (sizes.get(group) ?? 0) + 1);
  }
  return sizes;
}

/**
 * Returns the records with `context.GroupSize` filled from these records where it is
 * absent. A single record cannot know its group's size; the caller decides which
 * records count as the group (a whole file is better than a sub-batch of it).
 */
export function withGroupSizes<R extends ScorerRecord>(records: readonly R[]): R[] {
  const sizes = groupSizes(records);
  return records.map((record) =>
    record.context.GroupSize === undefined || record.context.GroupSize === null
      ? { ...record, context: { ...record.context, GroupSize: sizes.get(groupOf(record.recordId)) ?? null } }
      : record,
  );
}

type Cabin = { deck: number; number: number; side: number };

function readCabin(record: ScorerRecord): Cabin | null {
  const cabin = readString(record, "Cabin");
  if (cabin === null) return null;
  const parts = cabin.split("/");
  const rule = `expected deck/number/side (e.g. F/54/P), got ${JSON.stringify(cabin)}`;
  if (parts.length !== 3) throw new ScorerInputError(record.recordId, "context.Cabin", rule);
  const [deckText, numberText, sideText] = parts as [string, string, string];
  const number = /^\d+$/.test(numberText) ? Number(numberText) : NaN;
  const side = (CABIN_SIDES as readonly string[]).indexOf(sideText.toUpperCase());
  if (Number.isNaN(number) || side < 0) throw new ScorerInputError(record.recordId, "context.Cabin", rule);
  // A deck the scorer never saw is not a position on the ship it knows: treated as missing.
  const deckIndex = (CABIN_DECKS as readonly string[]).indexOf(deckText.toUpperCase());
  return { deck: deckIndex < 0 ? NaN : deckIndex, number, side };
}

function oneHot(value: string | null, vocabulary: readonly string[], names: readonly string[], vector: Float64Array): void {
  vocabulary.forEach((category, position) => {
    const index = featureIndex(names[position]!);
    // Missing stays missing; an unseen category is "none of the known ones" (all zeros).
    vector[index] = value === null ? NaN : value === category ? 1 : 0;
  });
}

const HOME_PLANET_FEATURES = HOME_PLANETS.map((planet) => `HomePlanet=${planet}`);
const DESTINATION_FEATURES = DESTINATIONS.map((destination) => `Destination=${destination}`);

/** Reads one spend: a number ≥ 0 or null; an absent channel is an error, as in gating §1.1. */
function readSpend(record: ScorerRecord, channel: SpendChannel): number | null {
  if (!Object.hasOwn(record.spend, channel)) {
    throw new ScorerInputError(record.recordId, `spend.${channel}`, "channel is absent (send null for a missing spend)");
  }
  const value = record.spend[channel];
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ScorerInputError(record.recordId, `spend.${channel}`, `expected a finite number ≥ 0 or null, got ${String(value)}`);
  }
  return value;
}

/** The feature vector of one record, in `FEATURE_NAMES` order; NaN marks missing. */
export function buildFeatureVector(record: ScorerRecord): Float64Array {
  const vector = new Float64Array(FEATURE_NAMES.length);
  let total = 0;
  let missing = 0;
  for (const channel of SPEND_CHANNELS) {
    const spend = readSpend(record, channel);
    vector[featureIndex(`${channel}_log1p`)] = spend === null ? NaN : Math.log1p(spend);
    vector[featureIndex(`${channel}_missing`)] = spend === null ? 1 : 0;
    if (spend === null) missing += 1;
    else total += spend;
  }
  // The observed total; with every channel missing there is nothing observed to sum.
  vector[featureIndex("TotalSpend_log1p")] = missing === SPEND_CHANNELS.length ? NaN : Math.log1p(total);
  vector[featureIndex("MissingSpendCount")] = missing;

  const cryo = readBoolean(record, "CryoSleep");
  vector[featureIndex("CryoSleep")] = cryo === null ? NaN : cryo ? 1 : 0;
  const vip = readBoolean(record, "VIP");
  vector[featureIndex("VIP")] = vip === null ? NaN : vip ? 1 : 0;

  const age = readNumber(record, "Age");
  if (age !== null && age < 0) throw new ScorerInputError(record.recordId, "context.Age", `expected ≥ 0, got ${age}`);
  vector[featureIndex("Age")] = age ?? NaN;

  const cabin = readCabin(record);
  vector[featureIndex("CabinDeck")] = cabin?.deck ?? NaN;
  vector[featureIndex("CabinNumber")] = cabin?.number ?? NaN;
  vector[featureIndex("CabinSide")] = cabin?.side ?? NaN;

  const groupSize = readNumber(record, "GroupSize");
  if (groupSize !== null && (!Number.isInteger(groupSize) || groupSize < 1)) {
    throw new ScorerInputError(record.recordId, "context.GroupSize", `expected an integer ≥ 1, got ${groupSize}`);
  }
  vector[featureIndex("GroupSize")] = groupSize ?? NaN;

  oneHot(readString(record, "HomePlanet"), HOME_PLANETS, HOME_PLANET_FEATURES, vector);
  oneHot(readString(record, "Destination"), DESTINATIONS, DESTINATION_FEATURES, vector);
  return vector;
}
