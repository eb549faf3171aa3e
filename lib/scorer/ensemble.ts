/**
 * An ensemble of independently fitted boosters (spec/gating.md §5a): member m draws its
 * own bootstrap sample and subsamples from a PRNG seeded by (seed, m). All members share
 * the bin edges (computed once from the training rows) and use every training row as
 * the reference set of their node means, so each member's attribution base is the
 * training mean of that member's logit and the ensemble's base is the training mean of
 * the ensemble logit.
 */
import {
  attribute,
  binMatrix,
  computeBinEdges,
  decodeBooster,
  fitBooster,
  predictLogit,
  sigmoid,
  type BinEdges,
  type Booster,
  type CompactBooster,
  type GbdtParams,
} from "./gbdt";
import { createPrng, deriveSeed } from "./prng";

export type EnsembleParams = {
  members: number;
  /** "bootstrap": n rows drawn with replacement (counts become weights); "subsample": each row kept with probability `memberSampleFraction`. */
  memberSampling: "bootstrap" | "subsample";
  memberSampleFraction: number;
  booster: GbdtParams;
};

export type CompactEnsemble = { binEdges: number[][]; members: CompactBooster[] };
export type Ensemble = { binEdges: BinEdges; members: Booster[] };

export type FitEnsembleInput = {
  /** Feature vectors, one per training row (NaN = missing). */
  matrix: readonly Float64Array[];
  /** 0/1 labels. */
  labels: ArrayLike<number>;
  params: EnsembleParams;
  seed: number;
};

export function fitEnsemble({ matrix, labels, params, seed }: FitEnsembleInput): CompactEnsemble {
  if (matrix.length === 0) throw new Error("fitEnsemble needs rows");
  if (params.members < 1) throw new Error("fitEnsemble needs at least one member");
  const featureCount = matrix[0]!.length;
  const binEdges: number[][] = [];
  const column = new Float64Array(matrix.length);
  for (let f = 0; f < featureCount; f++) {
    for (let i = 0; i < matrix.length; i++) column[i] = matrix[i]![f]!;
    binEdges.push(computeBinEdges(column, params.booster.maxBins));
  }
  const binned = binMatrix(matrix, binEdges);
  const members: CompactBooster[] = [];
  for (let m = 0; m < params.members; m++) {
    const prng = createPrng(deriveSeed(seed, m));
    const weights = new Float64Array(matrix.length);
    if (params.memberSampling === "bootstrap") {
      for (let draw = 0; draw < matrix.length; draw++) weights[prng.nextInt(matrix.length)]! += 1;
    } else {
      for (let i = 0; i < matrix.length; i++) weights[i] = prng.nextFloat() < params.memberSampleFraction ? 1 : 0;
    }
    members.push(fitBooster({ binned, labels, weights, params: params.booster, prng }));
  }
  return { binEdges, members };
}

export function decodeEnsemble(compact: CompactEnsemble): Ensemble {
  return { binEdges: compact.binEdges, members: compact.members.map((member) => decodeBooster(member, compact.binEdges)) };
}

/** Member logits and the ensemble logit (their mean) for one feature vector. */
export function ensembleLogits(ensemble: Ensemble, x: Float64Array): { logit: number; memberLogits: number[] } {
  const memberLogits = ensemble.members.map((member) => predictLogit(member, x));
  return { logit: mean(memberLogits), memberLogits };
}

export type EnsembleScore = {
  /** Mean of the member logits; pModel = σ(logit). */
  logit: number;
  memberProbabilities: number[];
  /** Mean of the member bases: the training mean of the ensemble logit. */
  base: number;
  /** Mean of the member contributions, per feature index. */
  contributions: Float64Array;
};

export function scoreVector(ensemble: Ensemble, x: Float64Array): EnsembleScore {
  const contributions = new Float64Array(x.length);
  const memberContributions = new Float64Array(x.length);
  const memberLogits: number[] = [];
  const bases: number[] = [];
  for (const member of ensemble.members) {
    memberContributions.fill(0);
    const attribution = attribute(member, x, x.length, memberContributions);
    memberLogits.push(attribution.logit);
    bases.push(attribution.base);
    for (let f = 0; f < x.length; f++) contributions[f] = contributions[f]! + memberContributions[f]!;
  }
  const count = ensemble.members.length;
  for (let f = 0; f < x.length; f++) contributions[f] = contributions[f]! / count;
  return {
    logit: mean(memberLogits),
    memberProbabilities: memberLogits.map(sigmoid),
    base: mean(bases),
    contributions,
  };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}
