/**
 * zod 4 schemas and inferred types of the gating core's inputs (spec/gating.md §1, §8):
 * a scored record, a batch, and the policy snapshot. Validation is a separate step from
 * gating (`validation.ts`): `gateBatch` trusts its input and never runs zod on the hot path.
 *
 * Every error names the field path, e.g. `records[3].spend.Spa: must be a number ≥ 0 or null`.
 * Nothing is coerced: NaN, negative spends, probabilities outside [0, 1], unknown fields
 * and absent channels are errors.
 */
import { z } from "zod";
import { FLAG_CODES, TOPOLOGY_NUMERIC_FIELDS, type FlagCode, type TopologyNumericField } from "./reasons";
import { glmFeatureNameError } from "./glm-features";
import { logit } from "./numeric";
import { AUDIT_PRIORITY_FEATURES } from "./audit-priority";

/** Semver of the gating core; bump whenever results for the same input can change (§9). */
export const GATING_CORE_VERSION = "1.1.0";

/** Most records a batch may hold (§1.2). */
export const MAX_BATCH_SIZE = 10_000;

/** recordId / batchId alphabet (§1.1). */
export const RECORD_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** |base + Σ byFeature − logit(pModel)| allowed by the additivity rule (§1.1). */
const CONTRIBUTION_ADDITIVITY_TOLERANCE = 1e-6;

/** Channels of the shipped domain (Spaceship Titanic). Policy settings, not constants of the core. */
export const REFERENCE_CHANNELS = ["RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck"] as const;
export const REFERENCE_CONTEXT_KEYS = ["HomePlanet", "CryoSleep", "Cabin", "Destination", "Age", "VIP"] as const;

// ---------------------------------------------------------------------------------------
// §8 defaults
// ---------------------------------------------------------------------------------------

/** Gates a fragile record must pass to be released (§6.3 step 4): δ / A / QW / CS. */
export interface FragileGates {
  /** δ: largest allowed |pModel − pGlm|. */
  GLM_GAP_MAX: number;
  /** A: smallest allowed share of ensemble members agreeing with the decision. */
  ENSEMBLE_AGREEMENT_MIN: number;
  /** QW: widest allowed p90 − p10. */
  INTERVAL_WIDTH_MAX: number;
  /** CS: smallest allowed confidence (pessimistic bound of the decision's probability). */
  CONFIDENCE_MIN: number;
}

const DEFAULT_FRAGILE_GATES: FragileGates = {
  GLM_GAP_MAX: 0.05,
  ENSEMBLE_AGREEMENT_MIN: 0.99,
  INTERVAL_WIDTH_MAX: 0.12,
  CONFIDENCE_MIN: 0.8,
};

export type DeepReadonly<T> = T extends (infer E)[] ? readonly DeepReadonly<E>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** Freezes `value` and everything reachable from it (in place); returns it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Every default of spec §8, by its spec name. All are sweepable and stored in the snapshot.
 * κ and fragility weights are listed for every flag (0 where the spec gives none, which
 * the spec says means "adds 0").
 */
export const DEFAULT_THRESHOLDS: DeepReadonly<Thresholds> = deepFreeze({
  SPEND_ZERO_TOLERANCE: 1e-6,
  TOP1_SHARE_SUPERDOM: 0.75,
  CHANNEL_OUTLIER_QUANTILE: 0.995,
  CHANNEL_Q_FOR_MULTI: 0.9,
  CHANNEL_Q_FOR_MEDIUM: 0.75,
  AGG_MIN_COUNT: 2,
  AGG_TOP2_PCTILE: 0.85,
  TOPK_K: 3,
  CLUSTER_KEY: ["HomePlanet", "Destination"],
  REQUIRED_CONTEXT_KEYS: ["HomePlanet", "Destination", "Cabin"],
  /** Context key whose `true` means "asleep, cannot spend" (CRYO_* flags). */
  CRYO_SLEEP_KEY: "CryoSleep",
  TOP2_SUM_ABS_LOW: 800,
  MULTI_HIGH_MIN_COUNT: 2,
  CAP_PER_FEATURE_LOGIT: 0.6,
  LOGIT_TOPK_SUM_CAP: 1.0,
  CAPS_SCALING_ALPHA: 0.25,
  TARGET_FRAGILE_RATE: 0.04,
  /** §11: error rate allowed among auto-released records; calibrates CS_ACCEPT by the release guarantee */
  TARGET_RELEASE_ERROR: 0.15,
  /** §11: the guarantee holds with probability 1 − RELEASE_DELTA */
  RELEASE_DELTA: 0.05,
  /** §4.2: share of training records whose largest spend contribution exceeds the cap; calibrates CAP_PER_FEATURE_LOGIT */
  CAPS_TARGET_RATE: 0.05,
  /** §6.2: batches smaller than this are never held (their fragile records go to audit anyway) */
  BATCH_HOLD_MIN_N: 5,
  BATCH_FRAGILE_THRESHOLD: 0.05,
  BATCH_HOLD_ALPHA: 0.05,
  SMALL_BATCH_MAX: 10,
  N_MIN_SLICE: 60,
  /** τ of the prior blend μ_blend = N/(N+τ)·μ_cluster + τ/(N+τ)·μ_global. */
  PRIOR_TAU: 60,
  /** Gates for fragile records in batches of size ≤ SMALL_BATCH_MAX. */
  SMALL_BATCH_FRAGILE_GATES: { ...DEFAULT_FRAGILE_GATES },
  /** Gates for fragile records in larger batches (same as small-batch by default). */
  FRAGILE_GATES: { ...DEFAULT_FRAGILE_GATES },
  /** CS_ACCEPT when no calibration has run; calibration replaces it (snapshot `csAccept`). */
  CS_ACCEPT_UNCALIBRATED: 0.6,
  DECISION_THRESHOLD: 0.5,
  /** varBase when neither upstream nor calibration gives one (logit variance). */
  VAR_BASE_DEFAULT: 0.04,
  /** κ per flag (logit variance), added for fragile records only (§4.1). */
  KAPPA_FLAGS: {
    SUPER_DOMINANT: 2.1,
    MULTI_HIGH_SPEND: 2.0,
    AGGREGATE_MEDIUM_HIGH: 1.6,
    MISSING_CONTEXT: 0,
    IMPUTED_ZERO_ALL: 0,
    CRYO_UNKNOWN_ALLZERO: 0,
    CRYO_CONFLICT: 0,
    PER_FEATURE_OUTLIER: 0,
    SMALL_CLUSTER: 0,
    CAPS_TRIGGERED: 0,
  } satisfies Record<FlagCode, number>,
  /** κ_impute: logit variance per missing spend channel (every record). */
  KAPPA_IMPUTE: 0.3,
  /** κ_missing: logit variance per missing required context key (every record). */
  KAPPA_MISSING: 0.6,
  /** Fragility-score weight of each flag (§3.2). CAPS_TRIGGERED counts only when contributions are expected. */
  FRAGILITY_WEIGHTS: {
    SUPER_DOMINANT: 1.0,
    MULTI_HIGH_SPEND: 1.0,
    AGGREGATE_MEDIUM_HIGH: 0.8,
    MISSING_CONTEXT: 0.6,
    IMPUTED_ZERO_ALL: 0.6,
    CRYO_UNKNOWN_ALLZERO: 0.6,
    CRYO_CONFLICT: 1.0,
    PER_FEATURE_OUTLIER: 0.8,
    SMALL_CLUSTER: 0.5,
    CAPS_TRIGGERED: 0.5,
  } satisfies Record<FlagCode, number>,
  /** Weight of clamp(zTop2, 0, 3). */
  FRAGILITY_WEIGHT_TOP2_Z: 0.25,
  /** Weight per missing spend channel. */
  FRAGILITY_WEIGHT_MISSING_CHANNEL: 0.3,
});

// ---------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------

const finite = (what = "must be a finite number") => z.number({ error: what });
const nonNegative = (what = "must be a number ≥ 0") => z.number({ error: what }).min(0, { error: what });
const probability = (what = "must be a probability in [0, 1]") =>
  z.number({ error: what }).min(0, { error: what }).max(1, { error: what });
/** A rate in (0, 0.5): a release error or a test level of 0.5 or more guarantees nothing. */
const openHalf = (what = "must be in (0, 0.5)") => z.number({ error: what }).gt(0, { error: what }).lt(0.5, { error: what });
const count = (what = "must be a whole number ≥ 0") => z.int({ error: what }).min(0, { error: what });

export const recordIdSchema = z
  .string({ error: "must be a string of 1–128 characters [A-Za-z0-9_.:-]" })
  .regex(RECORD_ID_PATTERN, { error: "must be 1–128 characters of [A-Za-z0-9_.:-]" });

const SPEND_MESSAGE = "must be a number ≥ 0 or null";
/** One channel's raw spend: null = missing upstream (never 0). */
const spendValueSchema = z.number({ error: SPEND_MESSAGE }).min(0, { error: SPEND_MESSAGE }).nullable();

const contextValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: "must be a string, a finite number, a boolean or null",
});
export type ContextValue = z.infer<typeof contextValueSchema>;

export const logitContributionsSchema = z.strictObject({
  base: finite(),
  byFeature: z.record(z.string().min(1, { error: "feature names must not be empty" }), finite()),
});
export type LogitContributions = z.infer<typeof logitContributionsSchema>;

/**
 * A scored record (§1.1). `spend` is checked against the policy's channels by
 * `validateScoredBatch` (every channel present, no unknown channel); this schema alone
 * only checks each value.
 */
export const scoredRecordSchema = z
  .strictObject({
    recordId: recordIdSchema,
    spend: z.record(z.string(), spendValueSchema, { error: "must be an object of channel → number ≥ 0 or null" }),
    context: z.record(z.string(), contextValueSchema, { error: "must be an object of key → value" }),
    clusterId: z.string().min(1, { error: "must not be empty" }).max(256, { error: "must be at most 256 characters" }).optional(),
    pModel: probability(),
    pGlm: probability().nullable().optional(),
    ensemble: z.array(probability(), { error: "must be an array of probabilities" }).optional(),
    logitContributions: logitContributionsSchema.optional(),
    varBase: nonNegative().optional(),
    scorerVersion: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }),
  })
  .superRefine((r, ctx) => {
    // Only meaningful once pModel itself is valid (its own error is reported already).
    if (!r.logitContributions || typeof r.pModel !== "number" || !(r.pModel >= 0 && r.pModel <= 1)) return;
    const error = contributionAdditivityError(r.logitContributions, r.pModel);
    if (error) ctx.addIssue({ code: "custom", path: ["logitContributions"], message: error });
  });
export type ScoredRecord = z.infer<typeof scoredRecordSchema>;

/**
 * The additivity rule (§1.1): base + Σ byFeature = logit(pModel) within 1e-6.
 * logit uses the §4.1 clip, so pModel of exactly 0 or 1 compares against ±13.8155;
 * there a sum beyond the clip boundary (in the same direction) is accepted too, because
 * the clip makes it indistinguishable. Returns the message, or null when the rule holds.
 */
export function contributionAdditivityError(c: LogitContributions, pModel: number): string | null {
  let sum = c.base;
  for (const k in c.byFeature) sum += c.byFeature[k] as number;
  const target = logit(pModel);
  if (Math.abs(sum - target) <= CONTRIBUTION_ADDITIVITY_TOLERANCE) return null;
  const boundary = logit(1);
  if (target >= boundary - CONTRIBUTION_ADDITIVITY_TOLERANCE && sum >= boundary) return null;
  if (target <= -boundary + CONTRIBUTION_ADDITIVITY_TOLERANCE && sum <= -boundary) return null;
  return `must add up to logit(pModel): base + Σ byFeature = ${sum}, logit(pModel) = ${target} (tolerance ${CONTRIBUTION_ADDITIVITY_TOLERANCE})`;
}

/** A batch (§1.2): 1 … 10,000 records. */
export const scoredBatchSchema = z.strictObject({
  batchId: recordIdSchema,
  records: z
    .array(scoredRecordSchema, { error: "must be an array of scored records" })
    .min(1, { error: "must hold at least 1 record" })
    .max(MAX_BATCH_SIZE, { error: `must hold at most ${MAX_BATCH_SIZE} records` }),
});
export type ScoredBatch = z.infer<typeof scoredBatchSchema>;

// ---------------------------------------------------------------------------------------
// Policy snapshot (§1.3)
// ---------------------------------------------------------------------------------------

const fragileGatesSchema = z.strictObject({
  GLM_GAP_MAX: probability(),
  ENSEMBLE_AGREEMENT_MIN: probability(),
  INTERVAL_WIDTH_MAX: probability(),
  CONFIDENCE_MIN: probability(),
});

const perFlagNonNegative = z.strictObject(
  Object.fromEntries(FLAG_CODES.map((f) => [f, nonNegative()])) as Record<FlagCode, z.ZodNumber>,
);

const quantileLevel = z.number({ error: "must be in (0, 1)" }).gt(0, { error: "must be in (0, 1)" }).lt(1, { error: "must be in (0, 1)" });
const keyList = z.array(z.string().min(1, { error: "must not be empty" }), { error: "must be a list of keys" });

/**
 * Thresholds and weights (§8). Weights and κ must be ≥ 0: that is what makes "adding a
 * flag never narrows the interval" and "tightening never releases" hold (§10).
 */
export const thresholdsSchema = z.strictObject({
  SPEND_ZERO_TOLERANCE: nonNegative(),
  TOP1_SHARE_SUPERDOM: probability(),
  CHANNEL_OUTLIER_QUANTILE: quantileLevel,
  CHANNEL_Q_FOR_MULTI: quantileLevel,
  CHANNEL_Q_FOR_MEDIUM: quantileLevel,
  AGG_MIN_COUNT: count(),
  AGG_TOP2_PCTILE: probability(),
  TOPK_K: z.int({ error: "must be a whole number ≥ 1" }).min(1, { error: "must be a whole number ≥ 1" }),
  CLUSTER_KEY: keyList.min(1, { error: "must name at least one context key" }),
  REQUIRED_CONTEXT_KEYS: keyList.max(30, { error: "must name at most 30 keys" }),
  CRYO_SLEEP_KEY: z.string().min(1, { error: "must not be empty" }),
  TOP2_SUM_ABS_LOW: nonNegative(),
  MULTI_HIGH_MIN_COUNT: count(),
  CAP_PER_FEATURE_LOGIT: z.number({ error: "must be a number > 0" }).gt(0, { error: "must be a number > 0" }),
  LOGIT_TOPK_SUM_CAP: z.number({ error: "must be a number > 0" }).gt(0, { error: "must be a number > 0" }),
  CAPS_SCALING_ALPHA: probability(),
  TARGET_FRAGILE_RATE: probability(),
  TARGET_RELEASE_ERROR: openHalf(),
  RELEASE_DELTA: openHalf(),
  CAPS_TARGET_RATE: z.number({ error: "must be in (0, 1)" }).gt(0, { error: "must be in (0, 1)" }).lt(1, { error: "must be in (0, 1)" }),
  BATCH_HOLD_MIN_N: z.int({ error: "must be a whole number ≥ 1" }).min(1, { error: "must be a whole number ≥ 1" }),
  BATCH_FRAGILE_THRESHOLD: probability(),
  BATCH_HOLD_ALPHA: probability(),
  SMALL_BATCH_MAX: count(),
  N_MIN_SLICE: count(),
  PRIOR_TAU: nonNegative(),
  SMALL_BATCH_FRAGILE_GATES: fragileGatesSchema,
  FRAGILE_GATES: fragileGatesSchema,
  CS_ACCEPT_UNCALIBRATED: probability(),
  DECISION_THRESHOLD: probability(),
  VAR_BASE_DEFAULT: nonNegative(),
  KAPPA_FLAGS: perFlagNonNegative,
  KAPPA_IMPUTE: nonNegative(),
  KAPPA_MISSING: nonNegative(),
  FRAGILITY_WEIGHTS: perFlagNonNegative,
  FRAGILITY_WEIGHT_TOP2_Z: nonNegative(),
  FRAGILITY_WEIGHT_MISSING_CHANNEL: nonNegative(),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

/** Per-channel reference quantiles (over all observed values including zeros, type 7); null when nothing was observed. */
const channelQuantilesSchema = z.strictObject({
  observed: count(),
  /** quantile at CHANNEL_Q_FOR_MEDIUM (q75 by default) */
  qMedium: finite().nullable(),
  /** quantile at CHANNEL_Q_FOR_MULTI (q90 by default) */
  qMulti: finite().nullable(),
  /** quantile at CHANNEL_OUTLIER_QUANTILE (q995 by default) */
  qOutlier: finite().nullable(),
});
export type ChannelQuantiles = z.infer<typeof channelQuantilesSchema>;

/** Robust location/scale of log1p(top2Sum) over the reference rows of `logTop2Basis` (for zTop2). */
const logTop2StatisticsSchema = z.strictObject({
  rows: count(),
  median: finite().nullable(),
  mad: nonNegative().nullable(),
  iqr: nonNegative().nullable(),
});
export type LogTop2Statistics = z.infer<typeof logTop2StatisticsSchema>;

/** Statistics of one set of reference rows (a cluster, or all rows = global). */
const distributionStatisticsSchema = z.strictObject({
  /** reference rows */
  n: count(),
  /** rows with a known label */
  labelled: count(),
  /** rows with label true */
  positives: count(),
  /** μ: positives / labelled, null without labels */
  positiveRate: probability().nullable(),
  channels: z.record(z.string(), channelQuantilesSchema),
  /** every reference row's top2Sum (observed values only), ascending; for top2SumPctile */
  top2SumSorted: z.array(nonNegative()),
  logTop2: logTop2StatisticsSchema,
});
export type DistributionStatistics = z.infer<typeof distributionStatisticsSchema>;

const clusterReferenceSchema = distributionStatisticsSchema.extend({
  /** n < N_MIN_SLICE: gating uses the global statistics and flags SMALL_CLUSTER */
  small: z.boolean(),
});
export type ClusterReference = z.infer<typeof clusterReferenceSchema>;

/**
 * Rows the log1p(top2Sum) median/MAD/IQR are taken over. §2 says rows with total > tol
 * ("positiveTotal", the default). The spec's remarks "MAD is 0 in two real clusters
 * holding 18 % of rows" and "the canaries score at the 49th–78th percentile" hold on the
 * reference data only over all rows ("allRows"); see reference-statistics.ts.
 */
const LOG_TOP2_BASES = ["positiveTotal", "allRows"] as const;
export type LogTop2Basis = (typeof LOG_TOP2_BASES)[number];

export const referenceStatisticsSchema = z.strictObject({
  /** quantile levels the channel quantiles were computed at; must equal the thresholds' */
  quantileLevels: z.strictObject({ medium: quantileLevel, multi: quantileLevel, outlier: quantileLevel }),
  logTop2Basis: z.enum(LOG_TOP2_BASES, { error: `must be one of ${LOG_TOP2_BASES.join(", ")}` }),
  global: distributionStatisticsSchema,
  clusters: z.record(z.string(), clusterReferenceSchema),
});
export type ReferenceStatistics = z.infer<typeof referenceStatisticsSchema>;

/**
 * GLM fallback (§5): standardised logistic regression, scored as
 * pGlm = σ(intercept + Σ coef[i] · (x[i] − mean[i]) / scale[i]).
 * Feature names follow the grammar of `glm.ts` (e.g. `spend:Spa`, `missing:spend:Spa`,
 * `flag:SUPER_DOMINANT`, `topology:log1pTop2Sum`, `onehot:HomePlanet=Earth`, `missing:Age`).
 */
export const glmCoefficientsSchema = z
  .strictObject({
    features: z.array(z.string().min(1)),
    mean: z.array(finite()),
    scale: z.array(z.number({ error: "must be a number > 0" }).gt(0, { error: "must be a number > 0" })),
    coef: z.array(finite()),
    intercept: finite(),
  })
  .superRefine((g, ctx) => {
    const n = g.features.length;
    for (const key of ["mean", "scale", "coef"] as const) {
      if (g[key].length !== n) ctx.addIssue({ code: "custom", path: [key], message: `must have one entry per feature (${n})` });
    }
    const seen = new Set<string>();
    g.features.forEach((f, i) => {
      if (seen.has(f)) ctx.addIssue({ code: "custom", path: ["features", i], message: `duplicates feature "${f}"` });
      seen.add(f);
    });
  });
export type GlmCoefficients = z.infer<typeof glmCoefficientsSchema>;

/**
 * Audit-priority model (§11, `audit-priority.ts`): a standardised logistic regression over
 * AUDIT_PRIORITY_FEATURES estimating P(the machine label is wrong). `features` must equal
 * that list (it is stored so a snapshot says what it was fitted on).
 */
export const auditPriorityModelSchema = z
  .strictObject({
    features: z.array(z.string().min(1)),
    mean: z.array(finite()),
    scale: z.array(z.number({ error: "must be a number > 0" }).gt(0, { error: "must be a number > 0" })),
    coef: z.array(finite()),
    intercept: finite(),
  })
  .superRefine((m, ctx) => {
    const expected = AUDIT_PRIORITY_FEATURES as readonly string[];
    if (m.features.length !== expected.length || m.features.some((f, i) => f !== expected[i])) {
      ctx.addIssue({ code: "custom", path: ["features"], message: `must be exactly ${expected.join(", ")}` });
    }
    for (const key of ["mean", "scale", "coef"] as const) {
      if (m[key].length !== expected.length) ctx.addIssue({ code: "custom", path: [key], message: `must have one entry per feature (${expected.length})` });
    }
  });
export type AuditPriorityModel = z.infer<typeof auditPriorityModelSchema>;

const boundSchema = z
  .strictObject({ gte: finite().optional(), lte: finite().optional() })
  .refine((b) => b.gte !== undefined || b.lte !== undefined, { error: "must give gte and/or lte" });

/** A canary signature (§6.1): a conjunction over one record's flags and topology; bounds inclusive. */
export const canarySignatureSchema = z
  .strictObject({
    name: z.string().min(1, { error: "must not be empty" }),
    allFlags: z.array(z.enum(FLAG_CODES, { error: `must be one of ${FLAG_CODES.join(", ")}` })).optional(),
    where: z
      .strictObject({
        ...(Object.fromEntries(TOPOLOGY_NUMERIC_FIELDS.map((f) => [f, boundSchema.optional()])) as Record<TopologyNumericField, z.ZodOptional<typeof boundSchema>>),
        /** the dominant channel is one of these (null: no spend above tolerance) */
        top1Channel: z
          .strictObject({ in: z.array(z.string().min(1).nullable()).min(1, { error: "must list at least one channel (or null)" }) })
          .optional(),
      })
      .optional(),
  })
  .refine((s) => (s.allFlags?.length ?? 0) > 0 || Object.values(s.where ?? {}).some((b) => b !== undefined), {
    // An empty conjunction would match every record.
    error: "must have at least one flag or one bound",
  });
export type CanarySignature = z.infer<typeof canarySignatureSchema>;

export const canariesSchema = z.strictObject({
  ids: z.array(recordIdSchema),
  signatures: z.array(canarySignatureSchema),
});
export type Canaries = z.infer<typeof canariesSchema>;

export const POLICY_SNAPSHOT_SCHEMA_VERSION = 1;

/**
 * The policy snapshot (§1.3): immutable, versioned, referenced by every result.
 * Cross-field rules: channel sets agree everywhere; quantile levels equal the thresholds';
 * `small` ⇔ n < N_MIN_SLICE; top2SumSorted ascending with one entry per row;
 * CS ≥ CS_ACCEPT for both gate sets; feature → channel map targets policy channels;
 * GLM features follow the grammar and never use CAPS_TRIGGERED (§5).
 */
export const policySnapshotSchema = z
  .strictObject({
    schemaVersion: z.literal(POLICY_SNAPSHOT_SCHEMA_VERSION, { error: `must be ${POLICY_SNAPSHOT_SCHEMA_VERSION}` }),
    id: z.string().min(1, { error: "must not be empty" }).max(128, { error: "must be at most 128 characters" }),
    /** spend channels, in tie-break order (§2) */
    channels: z
      .array(z.string().min(1))
      .min(1, { error: "must name at least one channel" })
      // Missing-channel patterns are 32-bit masks.
      .max(30, { error: "must name at most 30 channels" }),
    /** known context keys (informational; unknown keys are still accepted as context) */
    contextKeys: z.array(z.string().min(1)),
    thresholds: thresholdsSchema,
    statistics: referenceStatisticsSchema,
    /** θ: fragile ⇔ fragilityScore ≥ θ (§3.2) */
    theta: finite(),
    /** share of reference records that are fragile (score ≥ θ, or a canary signature matches); the base rate of the batch-hold test (§6.2) */
    realisedFragileRate: probability(),
    /** calibration saw contributions: CAPS_TRIGGERED enters the score and their absence fails fragile records */
    contributionsExpected: z.boolean({ error: "must be true or false" }),
    /** scorer metadata: contribution feature → the spend channel it derives from (only that channel) */
    featureChannelMap: z.record(z.string().min(1), z.string().min(1)),
    /** scorer metadata: features derived only from spends but from several channels (each capped as its own term, §4.2) */
    spendDerivedFeatures: z.array(z.string().min(1)),
    /** default varBase in logit variance (§4.1) */
    varBase: nonNegative(),
    /** CS_ACCEPT: confidence bar for non-fragile records (§6.3 step 5); must not exceed CS */
    csAccept: probability(),
    glm: glmCoefficientsSchema.nullable(),
    /** audit-priority model (§11); null = the model's own confidence orders the queue */
    auditPriority: auditPriorityModelSchema.nullable(),
    canaries: canariesSchema,
  })
  .superRefine((s, ctx) => {
    const channels = s.channels;
    const channelSet = new Set(channels);
    if (channelSet.size !== channels.length) ctx.addIssue({ code: "custom", path: ["channels"], message: "must not repeat a channel" });
    const t = s.thresholds;
    const lv = s.statistics.quantileLevels;
    const levelPairs: [keyof typeof lv, number, string][] = [
      ["medium", t.CHANNEL_Q_FOR_MEDIUM, "CHANNEL_Q_FOR_MEDIUM"],
      ["multi", t.CHANNEL_Q_FOR_MULTI, "CHANNEL_Q_FOR_MULTI"],
      ["outlier", t.CHANNEL_OUTLIER_QUANTILE, "CHANNEL_OUTLIER_QUANTILE"],
    ];
    for (const [k, v, name] of levelPairs) {
      if (lv[k] !== v) ctx.addIssue({ code: "custom", path: ["statistics", "quantileLevels", k], message: `must equal thresholds.${name} (${v}); recompute the statistics` });
    }
    const checkDistribution = (d: DistributionStatistics, path: (string | number)[]) => {
      for (const c of channels) if (!(c in d.channels)) ctx.addIssue({ code: "custom", path: [...path, "channels", c], message: "is required (a policy channel)" });
      for (const c in d.channels) if (!channelSet.has(c)) ctx.addIssue({ code: "custom", path: [...path, "channels", c], message: "is not a policy channel" });
      if (d.top2SumSorted.length !== d.n) ctx.addIssue({ code: "custom", path: [...path, "top2SumSorted"], message: `must hold one value per reference row (${d.n})` });
      for (let i = 1; i < d.top2SumSorted.length; i++) {
        if ((d.top2SumSorted[i] as number) < (d.top2SumSorted[i - 1] as number)) {
          ctx.addIssue({ code: "custom", path: [...path, "top2SumSorted", i], message: "must be sorted ascending" });
          break;
        }
      }
      if (d.positives > d.labelled || d.labelled > d.n) ctx.addIssue({ code: "custom", path: [...path, "labelled"], message: "must satisfy positives ≤ labelled ≤ n" });
    };
    checkDistribution(s.statistics.global, ["statistics", "global"]);
    for (const [id, c] of Object.entries(s.statistics.clusters)) {
      checkDistribution(c, ["statistics", "clusters", id]);
      const small = c.n < t.N_MIN_SLICE;
      if (c.small !== small) ctx.addIssue({ code: "custom", path: ["statistics", "clusters", id, "small"], message: `must be ${small} (n = ${c.n}, N_MIN_SLICE = ${t.N_MIN_SLICE})` });
    }
    for (const gates of ["SMALL_BATCH_FRAGILE_GATES", "FRAGILE_GATES"] as const) {
      if (t[gates].CONFIDENCE_MIN < s.csAccept) {
        ctx.addIssue({ code: "custom", path: ["csAccept"], message: `must not exceed thresholds.${gates}.CONFIDENCE_MIN (CS = ${t[gates].CONFIDENCE_MIN}): the rule is CS ≥ CS_ACCEPT` });
      }
    }
    s.spendDerivedFeatures.forEach((feature, i) => {
      if (feature in s.featureChannelMap) ctx.addIssue({ code: "custom", path: ["spendDerivedFeatures", i], message: `must not also be in featureChannelMap ("${feature}" derives from one channel there)` });
    });
    if (channels.length + s.spendDerivedFeatures.length > 30) ctx.addIssue({ code: "custom", path: ["spendDerivedFeatures"], message: "channels and spend-derived features together must be at most 30" });
    for (const [feature, channel] of Object.entries(s.featureChannelMap)) {
      if (!channelSet.has(channel)) ctx.addIssue({ code: "custom", path: ["featureChannelMap", feature], message: `must name a policy channel (got "${channel}")` });
    }
    if (s.glm) {
      s.glm.features.forEach((f, i) => {
        const error = glmFeatureNameError(f, channels);
        if (error) ctx.addIssue({ code: "custom", path: ["glm", "features", i], message: error });
      });
    }
    const names = new Set<string>();
    s.canaries.signatures.forEach((sig, i) => {
      if (names.has(sig.name)) ctx.addIssue({ code: "custom", path: ["canaries", "signatures", i, "name"], message: `duplicates "${sig.name}"` });
      names.add(sig.name);
      sig.where?.top1Channel?.in.forEach((c, j) => {
        if (c !== null && !channelSet.has(c)) ctx.addIssue({ code: "custom", path: ["canaries", "signatures", i, "where", "top1Channel", "in", j], message: `must name a policy channel or null (got "${c}")` });
      });
    });
  });
export type PolicySnapshot = z.infer<typeof policySnapshotSchema>;
