/**
 * GLM fallback scoring (spec/gating.md §5): a standardised logistic regression whose
 * coefficients live in the policy snapshot; scoring is a dot product and a sigmoid.
 *
 * Features follow the grammar of glm-features.ts. A feature whose input is missing has no
 * raw value (NaN from `featurizeGlm`) and scores as its mean — standardised 0 — while its
 * `missing:` indicator column carries the effect. Fitting (calibration) must use
 * `featurizeGlm` so fitting and scoring read records the same way.
 */
import { parseGlmFeatureName, glmContextText, type GlmFeature } from "./glm-features";
import { sigmoid } from "./numeric";
import type { GlmCoefficients, PolicySnapshot } from "./schemas";
import type { ContextInput, SpendInput, SpendTopology } from "./topology";

export interface CompiledGlm {
  readonly features: readonly GlmFeature[];
  readonly mean: Float64Array;
  readonly invScale: Float64Array;
  readonly coef: Float64Array;
  readonly intercept: number;
  /** per channel: global outlier quantile used to winsorise `spend:` features */
  readonly winsorCap: Float64Array;
  readonly channels: readonly string[];
}

export function compileGlm(glm: GlmCoefficients, snapshot: PolicySnapshot): CompiledGlm {
  const channels = snapshot.channels;
  const features = glm.features.map((name) => {
    const f = parseGlmFeatureName(name, channels);
    if (typeof f === "string") throw new Error(`glm.features: "${name}" ${f}`);
    return f;
  });
  const winsorCap = new Float64Array(channels.length);
  channels.forEach((ch, j) => {
    winsorCap[j] = snapshot.statistics.global.channels[ch]?.qOutlier ?? Number.POSITIVE_INFINITY;
  });
  return {
    features,
    mean: Float64Array.from(glm.mean),
    invScale: Float64Array.from(glm.scale, (s) => 1 / s),
    coef: Float64Array.from(glm.coef),
    intercept: glm.intercept,
    winsorCap,
    channels,
  };
}

/** Raw (unstandardised) value of one feature; NaN when its input is missing. */
function featureValue(f: GlmFeature, glm: CompiledGlm, spend: SpendInput, context: ContextInput, topology: SpendTopology, flagMask: number): number {
  switch (f.kind) {
    case "spend": {
      const v = spend[glm.channels[f.channelIndex] as string];
      if (v === null || v === undefined) return Number.NaN;
      const cap = glm.winsorCap[f.channelIndex] as number;
      return Math.log1p(v > cap ? cap : v);
    }
    case "spendMissing": {
      const v = spend[glm.channels[f.channelIndex] as string];
      return v === null || v === undefined ? 1 : 0;
    }
    case "flag":
      return flagMask & f.bit ? 1 : 0;
    case "topology":
      return f.field === "log1pTop2Sum" ? Math.log1p(topology.top2Sum) : f.field === "log1pTop3Sum" ? Math.log1p(topology.top3Sum) : topology.entropy;
    case "onehot":
      return glmContextText(context, f.key) === f.level ? 1 : 0;
    case "missing":
      return glmContextText(context, f.key) === null ? 1 : 0;
  }
}

/** The raw feature vector (NaN = missing input). For fitting and for provenance/debugging. */
export function featurizeGlm(glm: CompiledGlm, spend: SpendInput, context: ContextInput, topology: SpendTopology, flagMask: number): Float64Array {
  const out = new Float64Array(glm.features.length);
  for (let i = 0; i < glm.features.length; i++) out[i] = featureValue(glm.features[i] as GlmFeature, glm, spend, context, topology, flagMask);
  return out;
}

/** pGlm = σ(intercept + Σ coef · (x − mean) / scale), missing inputs at their mean. */
export function predictGlm(glm: CompiledGlm, spend: SpendInput, context: ContextInput, topology: SpendTopology, flagMask: number): number {
  let z = glm.intercept;
  const features = glm.features;
  for (let i = 0; i < features.length; i++) {
    const x = featureValue(features[i] as GlmFeature, glm, spend, context, topology, flagMask);
    if (x === x) z += (glm.coef[i] as number) * (x - (glm.mean[i] as number)) * (glm.invScale[i] as number);
  }
  return sigmoid(z);
}
