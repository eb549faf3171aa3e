/**
 * Fits the GLM fallback of spec/gating.md §5 on labelled reference rows: elastic net with
 * α = 0.5, λ chosen by 5-fold cross-validation over passenger groups (minimum mean
 * held-out deviance; the folds are the deterministic GroupKFold the scorer uses, so "seed
 * 42" has nothing left to seed), features standardised on the fitting rows.
 *
 * Features are built by the gating core's own `featurizeGlm` under a draft policy (the
 * training statistics), so fitting and scoring read a record the same way:
 *   spend:<ch> (log1p, winsorised at the global q995) and missing:spend:<ch> per channel;
 *   flag:<F> for every §3.1 flag except CAPS_TRIGGERED;
 *   topology:log1pTop2Sum, topology:log1pTop3Sum, topology:entropy;
 *   onehot:<key>=<level> for the levels seen in the fitting rows, and missing:<key>, for
 *   HomePlanet, Destination, CabinDeck, CabinSide, CryoSleep, VIP, AgeBucket.
 */
import { assessRecord, compileGlm, compilePolicy, featurizeGlm, FLAG_CODES, glmContextText, AGE_BUCKETS, type GlmCoefficients, type PolicySnapshot, type ReferenceRow } from "@/lib/gating";
import { binaryMetrics, type BinaryMetrics } from "@/lib/scorer/metrics";
import { groupKFold } from "@/lib/scorer/split";
import { applyStandardisation, fitElasticNetPath, lambdaMax, lambdaPath, linearPredictor, meanDeviance, standardise } from "./elastic-net";

export const GLM_ALPHA = 0.5;
const GLM_FOLDS = 5;
const GLM_LAMBDA_COUNT = 50;
const GLM_LAMBDA_RATIO = 1e-3;
const GLM_CONTEXT_KEYS = ["HomePlanet", "Destination", "CabinDeck", "CabinSide", "CryoSleep", "VIP", "AgeBucket"] as const;

export type LabelledRow = ReferenceRow & { readonly recordId: string; readonly label: boolean };


/** The feature names, in a fixed order (levels sorted, age buckets in age order). */
export function glmFeatureNames(rows: readonly ReferenceRow[], channels: readonly string[]): string[] {
  const names: string[] = [];
  for (const ch of channels) names.push(`spend:${ch}`);
  for (const ch of channels) names.push(`missing:spend:${ch}`);
  for (const code of FLAG_CODES) if (code !== "CAPS_TRIGGERED") names.push(`flag:${code}`);
  names.push("topology:log1pTop2Sum", "topology:log1pTop3Sum", "topology:entropy");
  for (const key of GLM_CONTEXT_KEYS) {
    const levels =
      key === "AgeBucket"
        ? [...AGE_BUCKETS]
        : [...new Set(rows.map((row) => glmContextText(row.context, key)).filter((v): v is string => v !== null))].sort();
    for (const level of levels) names.push(`onehot:${key}=${level}`);
    names.push(`missing:${key}`);
  }
  return names;
}

/** Raw feature rows (NaN = missing input) under the draft policy. */
export function glmFeatureRows(rows: readonly ReferenceRow[], features: readonly string[], policy: PolicySnapshot): Float64Array[] {
  const compiled = compilePolicy(policy);
  const placeholder: GlmCoefficients = {
    features: [...features],
    mean: features.map(() => 0),
    scale: features.map(() => 1),
    coef: features.map(() => 0),
    intercept: 0,
  };
  const glm = compileGlm(placeholder, policy);
  return rows.map((row) => {
    const a = assessRecord({ spend: row.spend, context: row.context, clusterId: row.clusterId }, compiled);
    return featurizeGlm(glm, row.spend, row.context, a.topology, a.flagMask);
  });
}


function pick<T>(items: readonly T[], keep: readonly boolean[]): T[] {
  return items.filter((_, i) => keep[i]);
}

/** An elastic-net logistic regression with λ by 5-fold group CV, and what the CV saw. */
export interface GroupCvFit {
  readonly coefficients: { features: string[]; mean: number[]; scale: number[]; coef: number[]; intercept: number };
  readonly lambda: number;
  /** position of the chosen λ on the path (0 = λ_max) */
  readonly lambdaIndex: number;
  readonly lambdaCount: number;
  readonly nonZero: number;
  /** held-out metrics of each fold at the chosen λ */
  readonly folds: BinaryMetrics[];
}

/**
 * Elastic net (α = GLM_ALPHA) on raw feature rows (NaN = missing, scored at the mean),
 * standardised on the fitting rows, λ chosen by 5-fold GroupKFold over the records'
 * passenger groups (smallest mean held-out deviance; ties keep the larger λ). Shared by
 * the GLM fallback (§5) and the audit-priority model (§11).
 */
export function fitElasticNetByGroupCv(raw: readonly Float64Array[], features: readonly string[], labels: readonly boolean[], recordIds: readonly string[]): GroupCvFit {
  const y = Float64Array.from(labels, (label) => (label ? 1 : 0));
  const design = standardise(raw, features.length);
  const lambdas = lambdaPath(lambdaMax(design.columns, y, GLM_ALPHA), GLM_LAMBDA_COUNT, GLM_LAMBDA_RATIO);

  const foldOf = groupKFold(recordIds, GLM_FOLDS);
  const deviance = new Float64Array(lambdas.length);
  const foldEta: Float64Array[][] = [];
  const foldLabels: boolean[][] = [];
  for (let k = 0; k < GLM_FOLDS; k++) {
    const inFit = foldOf.map((f) => f !== k);
    const inTest = foldOf.map((f) => f === k);
    const fitDesign = standardise(pick(raw, inFit), features.length);
    const path = fitElasticNetPath(fitDesign.columns, Float64Array.from(pick(labels, inFit), (label) => (label ? 1 : 0)), lambdas, { alpha: GLM_ALPHA });
    const testColumns = applyStandardisation(pick(raw, inTest), fitDesign);
    const testLabels = pick(labels, inTest);
    const yTest = Float64Array.from(testLabels, (label) => (label ? 1 : 0));
    const etas = path.map((fit) => linearPredictor(testColumns, fit));
    etas.forEach((eta, l) => {
      deviance[l] = (deviance[l] as number) + (meanDeviance(eta, yTest) * yTest.length) / labels.length;
    });
    foldEta.push(etas);
    foldLabels.push(testLabels);
  }
  let best = 0;
  for (let l = 1; l < lambdas.length; l++) if ((deviance[l] as number) < (deviance[best] as number)) best = l;

  const path = fitElasticNetPath(design.columns, y, lambdas.slice(0, best + 1), { alpha: GLM_ALPHA });
  const fit = path[path.length - 1]!;
  const coef = Array.from(fit.coef);
  return {
    coefficients: { features: [...features], mean: Array.from(design.mean), scale: Array.from(design.scale), coef, intercept: fit.intercept },
    lambda: lambdas[best]!,
    lambdaIndex: best,
    lambdaCount: lambdas.length,
    nonZero: coef.filter((c) => c !== 0).length,
    folds: foldEta.map((etas, k) => binaryMetrics(Array.from(etas[best]!, (e) => 1 / (1 + Math.exp(-e))), foldLabels[k]!)),
  };
}

export type GlmFitResult = GroupCvFit & { readonly coefficients: GlmCoefficients };

export function fitGlmFallback(rows: readonly LabelledRow[], policy: PolicySnapshot): GlmFitResult {
  const features = glmFeatureNames(rows, policy.channels);
  return fitElasticNetByGroupCv(
    glmFeatureRows(rows, features, policy),
    features,
    rows.map((row) => row.label),
    rows.map((row) => row.recordId),
  );
}
