/**
 * A model card (spec model-cards.md §1): one zod schema, versioned, for binary classifiers
 * and count regressors. A training pipeline registers one per (model, version); the
 * registry keeps them append-only. Fields the schema does not know are kept as they came
 * (loose objects), so a newer pipeline's extras survive a round trip. Every figure is
 * checked for its range; a curve says where its points came from (`source`): measured by
 * the pipeline, copied from a source document, or synthesised where the source gives
 * none (and the page says so). Pure: zod and node:crypto only.
 */
import * as z from "zod";
import { featureSignature } from "./signature";

/** The console's own models (their cards are written by `npm run calibrate`). */
export const REFERENCE_SCORER_MODEL = "sentinel-reference-scorer";
export const GLM_FALLBACK_MODEL = "sentinel-glm-fallback";

/** The card formats this console reads; a card names its own. */
export const CARD_SCHEMA_VERSIONS = ["1"] as const;
export const TASKS = ["binary_classifier", "count_regressor"] as const;
export type Task = (typeof TASKS)[number];
export const CARD_STATUSES = ["candidate", "champion", "retired"] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];
export const GATE_RESULTS = ["PASS", "FAIL", "NOT_APPLICABLE"] as const;
export type GateResult = (typeof GATE_RESULTS)[number];
/** Where a curve's points come from: measured by the pipeline, copied from a source document, or synthesised for display. */
export const CURVE_SOURCES = ["measured", "from_source", "synthesised"] as const;

const unit = z.number({ error: "must be a number" }).min(0, { error: "must be between 0 and 1" }).max(1, { error: "must be between 0 and 1" });
const nonNegative = z.number({ error: "must be a number" }).min(0, { error: "must be 0 or more" });
const count = z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).min(0, { error: "must be 0 or more" });
const finite = z.number({ error: "must be a number" }).finite();
const day = z.iso.date({ error: "must be a date YYYY-MM-DD" });
const instant = z.iso.datetime({ offset: true, error: "must be an ISO 8601 time" });
const text = (max: number) => z.string().trim().min(1, { error: "must not be empty" }).max(max, { error: `must be at most ${max} characters` });
const gate = z.enum(GATE_RESULTS, { error: `must be one of ${GATE_RESULTS.join(", ")}` });
const source = z.enum(CURVE_SOURCES, { error: `must be one of ${CURVE_SOURCES.join(", ")}` });
const window = z.looseObject({ from: day, to: day }).refine((w) => w.from <= w.to, { error: "from must not be after to", path: ["to"] });

const binaryMetrics = z.looseObject({
  auc: unit,
  prAuc: unit.nullable().default(null),
  brier: unit.nullable().default(null),
  calibrationMae: unit.nullable().default(null),
  /** at the decision threshold */
  fnr: unit.nullable().default(null),
  recall: unit.nullable().default(null),
  precision: unit.nullable().default(null),
});

const countMetrics = z.looseObject({
  poissonDeviance: nonNegative,
  /** weighted MAPE as a fraction (0.6486 = 64.86 %) */
  weightedMape: nonNegative.nullable().default(null),
  /** R² in count space; at most 1, negative when worse than the mean */
  r2: finite.max(1, { error: "must be at most 1" }).nullable().default(null),
});

const calibration = z.looseObject({
  method: z.enum(["platt", "isotonic", "none"], { error: "must be platt, isotonic or none" }),
  bins: z.array(z.looseObject({ meanPredicted: unit, observedRate: unit, count })).max(100),
  source,
});

const topK = z.looseObject({
  /** the top K percent of scores */
  kPercent: z.number().gt(0, { error: "must be more than 0" }).max(100, { error: "must be at most 100" }),
  threshold: finite,
  positiveRate: unit,
  capture: unit,
});

const gains = z.looseObject({
  points: z.array(z.looseObject({ fraction: unit, capture: unit })).max(1000),
  source,
});

const shiftGrid = z.looseObject({
  /** what moving the cutoff earlier means for this model's data (a time, an ordering, …) */
  meaning: text(400),
  rows: z.array(z.looseObject({ shiftDays: count, auc: unit, lift10: nonNegative.nullable().default(null), deltaAuc: finite, deltaLift10: finite.nullable().default(null) })).max(50),
  gate,
  note: text(1000).nullable().default(null),
});

const permutation = z.looseObject({
  baselineAuc: unit,
  permutedMean: unit,
  degradation: finite,
  pValue: unit,
  permutations: count.min(1, { error: "must be at least 1" }).nullable().default(null),
  gate,
});

const reproducibility = z.looseObject({ deltaAuc: nonNegative, deltaLift10: nonNegative.nullable().default(null), groupOverlap: count, gate });

const prequential = z.looseObject({
  rows: z.array(z.looseObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: "must be a month YYYY-MM" }), auc: unit.nullable(), lift10: nonNegative.nullable(), brier: unit.nullable() })).max(120),
  source,
  note: text(1000).nullable().default(null),
});

const features = z
  .looseObject({
    count: count,
    categoricalCount: count,
    /** order-sensitive SHA-256 of names and types (signature.ts); a change against the champion is schema drift */
    signature: z.string().regex(/^[0-9a-f]{64}$/, { error: "must be 64 lowercase hex (SHA-256)" }),
    /** the features in order, when the pipeline sends them; the signature must then be theirs */
    list: z.array(z.looseObject({ name: text(200), type: text(40) })).max(5000).nullable().default(null),
  })
  .superRefine((f, ctx) => {
    if (f.categoricalCount > f.count) ctx.addIssue({ code: "custom", path: ["categoricalCount"], message: `must be at most count (${f.count})` });
    if (!f.list) return;
    if (f.list.length !== f.count) ctx.addIssue({ code: "custom", path: ["count"], message: `must equal the length of list (${f.list.length})` });
    const expected = featureSignature(f.list);
    if (f.signature !== expected) ctx.addIssue({ code: "custom", path: ["signature"], message: `does not match the feature list (its signature is ${expected})` });
  });

const artifact = z.looseObject({
  name: text(200),
  uri: text(2000),
  checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: "must be sha256:<64 lowercase hex>" }),
});

const cardFields = {
  schemaVersion: z.enum(CARD_SCHEMA_VERSIONS, { error: `must be one of ${CARD_SCHEMA_VERSIONS.join(", ")} (the card formats this console reads)` }),
  model: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/, { error: "must be 1–80 letters, digits, '.', '_' or '-', starting with a letter or digit" }),
  displayName: text(120).nullable().default(null),
  /** division or business domain */
  domain: text(80),
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.+-]{0,39}$/, { error: "must be 1–40 letters, digits, '.', '_', '+' or '-'" }),
  owner: text(120),
  createdAt: instant,
  trainingCutoff: day.nullable().default(null),
  runId: text(120),
  configHash: z.string().regex(/^[0-9a-f]{8,64}$/, { error: "must be 8–64 lowercase hex" }),
  /** the status the pipeline proposes (a new card is a candidate); promotion changes it in the registry, never here */
  status: z.enum(CARD_STATUSES, { error: `must be one of ${CARD_STATUSES.join(", ")}` }).default("candidate"),
  /** the version this one replaced */
  replaces: z.string().max(40).nullable().default(null),
  data: z
    .looseObject({
      trainWindow: window.nullable().default(null),
      holdoutWindow: window.nullable().default(null),
      cv: z.looseObject({ folds: count.min(2, { error: "must be at least 2" }), groupKey: text(80).nullable(), purgeDays: count.nullable(), seed: z.number().int() }).nullable().default(null),
      /** groups (customers, passenger groups) found in more than one split: must be 0 */
      groupOverlap: count.nullable().default(null),
      /** what the holdout is, in words (e.g. "the shipped data's test part: 20 % of passenger groups") */
      description: text(1000).nullable().default(null),
    })
    .default({ trainWindow: null, holdoutWindow: null, cv: null, groupOverlap: null, description: null }),
  calibration: calibration.nullable().default(null),
  threshold: z.looseObject({ value: finite, rationale: text(2000) }).nullable().default(null),
  topK: z.array(topK).max(50).default([]),
  gains: gains.nullable().default(null),
  gauntlet: z
    .looseObject({
      shiftGrid: shiftGrid.nullable().default(null),
      permutation: permutation.nullable().default(null),
      reproducibility: reproducibility.nullable().default(null),
    })
    .default({ shiftGrid: null, permutation: null, reproducibility: null }),
  prequential: prequential.nullable().default(null),
  ablations: z.array(z.looseObject({ variant: text(80), metric: text(40), value: finite, note: text(1000).nullable().default(null) })).max(50).default([]),
  /** the SAFE feature policy (seed 001): adjacency-risky features dropped */
  safePolicy: z.boolean().nullable().default(null),
  features,
  artifacts: z.array(artifact).max(100).default([]),
  notes: z.string().max(10_000).default(""),
};

/** The task decides the metrics: a classifier's AUC and friends, a count model's deviance. */
export const modelCardSchema = z
  .discriminatedUnion(
    "task",
    [
      z.looseObject({ ...cardFields, task: z.literal("binary_classifier"), metrics: binaryMetrics }),
      z.looseObject({ ...cardFields, task: z.literal("count_regressor"), metrics: countMetrics }),
    ],
    { error: `must be one of ${TASKS.join(", ")}` },
  )
  .superRefine((card, ctx) => {
    if (card.replaces !== null && card.replaces === card.version) ctx.addIssue({ code: "custom", path: ["replaces"], message: "must be another version than this card's" });
  });

export type ModelCardInput = z.input<typeof modelCardSchema>;
export type ModelCard = z.infer<typeof modelCardSchema>;
export type BinaryMetrics = z.infer<typeof binaryMetrics>;
export type CountMetrics = z.infer<typeof countMetrics>;

export function isBinaryMetrics(metrics: ModelCard["metrics"]): metrics is BinaryMetrics {
  return "auc" in metrics && typeof metrics.auc === "number";
}

/** The card's gates in one list: each PASS, FAIL or NOT_APPLICABLE, and the card's verdict (FAIL if any gate fails). */
export function gauntletVerdict(card: ModelCard): { gates: { name: string; result: GateResult }[]; result: GateResult | null } {
  const g = card.gauntlet;
  const gates = [
    ...(g.shiftGrid ? [{ name: "shift grid", result: g.shiftGrid.gate }] : []),
    ...(g.permutation ? [{ name: "label permutation", result: g.permutation.gate }] : []),
    ...(g.reproducibility ? [{ name: "reproducibility", result: g.reproducibility.gate }] : []),
  ];
  if (gates.length === 0) return { gates, result: null };
  const result: GateResult = gates.some((x) => x.result === "FAIL") ? "FAIL" : gates.every((x) => x.result === "NOT_APPLICABLE") ? "NOT_APPLICABLE" : "PASS";
  return { gates, result };
}

/**
 * The figure a list shows for a card: AUC for a classifier, Poisson deviance (lower is
 * better) for a count model; `synthesised` when the card marks its metrics so (a source
 * document that gave none).
 */
export function headlineMetric(card: ModelCard): { name: string; value: number; higherIsBetter: boolean; synthesised: boolean } {
  const synthesised = (card.metrics as { source?: unknown }).source === "synthesised";
  return isBinaryMetrics(card.metrics)
    ? { name: "AUC", value: card.metrics.auc, higherIsBetter: true, synthesised }
    : { name: "Poisson deviance", value: (card.metrics as CountMetrics).poissonDeviance, higherIsBetter: false, synthesised };
}
