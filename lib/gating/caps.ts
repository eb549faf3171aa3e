/**
 * Per-feature logit caps and top-k dampening (spec/gating.md §4.2), over spend-channel
 * contributions and spend-derived features. A channel's contribution is the sum of the
 * `byFeature` entries the scorer's feature → channel map assigns to it (its value and its
 * missing indicator); a feature derived only from spends but from several channels (the
 * snapshot's `spendDerivedFeatures`, e.g. a log total spend) is a term of its own, so a
 * spend signal cannot escape the cap by being summed first. Every other feature is a
 * non-channel contribution and passes through untouched.
 *
 *   capped_j = clamp(c_j, −CAP, +CAP)
 *   if Σ of the k largest |capped| > TOPK_SUM_CAP: scale those k by TOPK_SUM_CAP / sum
 *   capsTriggered = any |c_j| > CAP
 *   capsScaling   = 1 − Σ|final| / Σ|raw|   (0 when Σ|raw| = 0)
 *   pCapped       = σ(base + Σ final + Σ non-channel)   (reported; the decision uses pModel)
 * Ties among the k largest |capped| go to the earlier channel in policy order.
 */
import type { CompiledPolicy } from "./compiled-policy";
import { sigmoid } from "./numeric";
import type { LogitContributions } from "./schemas";

export interface CapsOutcome {
  /** the capped terms: the policy channels in order, then the spend-derived features */
  readonly terms: readonly string[];
  /** per term: summed raw contribution */
  readonly raw: readonly number[];
  /** per term: after the per-feature cap and top-k dampening */
  readonly final: readonly number[];
  readonly base: number;
  /** Σ contributions of features that belong to no spend channel */
  readonly nonChannel: number;
  readonly capsTriggered: boolean;
  /** largest |raw| and its term (a channel or a spend-derived feature; the CAPS_TRIGGERED reason's value) */
  readonly maxAbsRaw: number;
  readonly maxAbsRawChannel: string | null;
  /** the top-k sum exceeded LOGIT_TOPK_SUM_CAP and was scaled down */
  readonly topKScaled: boolean;
  readonly capsScaling: number;
  readonly pCapped: number;
}

export interface CapSettings {
  readonly cap: number;
  readonly topKSumCap: number;
  readonly k: number;
}

/** Scalar outputs of `capInto` (one reused object: the core runs one record at a time). */
export interface CapScalars {
  capsTriggered: boolean;
  maxAbsRaw: number;
  maxIdx: number;
  topKScaled: boolean;
  capsScaling: number;
}
const scalars: CapScalars = { capsTriggered: false, maxAbsRaw: 0, maxIdx: -1, topKScaled: false, capsScaling: 0 };

/** Writes the capped, dampened contributions of `raw` into `final`; scalars into the shared object. */
function capInto(raw: ArrayLike<number>, final: number[] | Float64Array, cap: number, topKSumCap: number, k: number): CapScalars {
  const n = raw.length;
  let triggered = false;
  let sumAbsRaw = 0;
  let maxAbsRaw = 0;
  let maxIdx = -1;
  let sumAbsCapped = 0;
  for (let j = 0; j < n; j++) {
    const c = raw[j] as number;
    const a = Math.abs(c);
    sumAbsRaw += a;
    if (a > maxAbsRaw) {
      maxAbsRaw = a;
      maxIdx = j;
    }
    if (a > cap) triggered = true;
    const f = c > cap ? cap : c < -cap ? -cap : c;
    final[j] = f;
    sumAbsCapped += Math.abs(f);
  }
  // Σ|capped| bounds the sum of any k of them: clearly under the limit (a margin far above
  // the rounding of sums in two orders), nothing can be dampened and the selection is skipped.
  let topKScaled = false;
  let sumAbsFinal = sumAbsCapped;
  if (!(sumAbsCapped < topKSumCap * (1 - 1e-9))) {
    // The k largest |capped| by repeated scans (a handful of channels); ties → earlier channel.
    let chosenMask = 0;
    let topSum = 0;
    const take = k < n ? k : n;
    for (let r = 0; r < take; r++) {
      let best = -1;
      let bestAbs = -1;
      for (let j = 0; j < n; j++) {
        if (chosenMask & (1 << j)) continue;
        const a = Math.abs(final[j] as number);
        if (a > bestAbs) {
          bestAbs = a;
          best = j;
        }
      }
      chosenMask |= 1 << best;
      topSum += bestAbs;
    }
    topKScaled = topSum > topKSumCap;
    if (topKScaled) {
      const f = topKSumCap / topSum;
      for (let j = 0; j < n; j++) if (chosenMask & (1 << j)) final[j] = (final[j] as number) * f;
      sumAbsFinal = 0;
      for (let j = 0; j < n; j++) sumAbsFinal += Math.abs(final[j] as number);
    }
  }
  scalars.capsTriggered = triggered;
  scalars.maxAbsRaw = maxAbsRaw;
  scalars.maxIdx = maxIdx;
  scalars.topKScaled = topKScaled;
  scalars.capsScaling = sumAbsRaw === 0 ? 0 : 1 - sumAbsFinal / sumAbsRaw;
  return scalars;
}

/** The §4.2 arithmetic on per-channel raw contributions (for tests and what-if). `raw` is not modified. */
export function capChannelContributions(raw: readonly number[], settings: CapSettings) {
  const final = new Array<number>(raw.length);
  const r = capInto(raw, final, settings.cap, settings.topKSumCap, settings.k);
  return { final, capsTriggered: r.capsTriggered, maxAbsRaw: r.maxAbsRaw, topKScaled: r.topKScaled, capsScaling: r.capsScaling };
}

/**
 * Σ of each cap term's contributions into `raw` (overwritten); returns Σ of the non-channel
 * ones. Records from one scorer list their features in one order, so each feature's term
 * comes from the order last seen (a string identity check) instead of a Map lookup; a
 * record in another order is summed by lookup and its order learnt. Sums run in the
 * record's own key order either way, so the floating-point result is the same.
 */
function sumByTerm(byFeature: Readonly<Record<string, number>>, policy: CompiledPolicy, raw: number[] | Float64Array): number {
  const n = policy.capTerms.length;
  for (let j = 0; j < n; j++) raw[j] = 0;
  const order = policy.memo.featureOrder;
  const names = order.names;
  const terms = order.terms;
  let k = 0;
  let same = true;
  let nonChannel = 0;
  for (const feature in byFeature) {
    const c = byFeature[feature] as number;
    let j: number;
    if (same && k < names.length && names[k] === feature) j = terms[k] as number;
    else {
      same = false;
      j = policy.featureChannel.get(feature) ?? -1;
    }
    k++;
    if (j < 0) nonChannel += c;
    else raw[j] = (raw[j] as number) + c;
  }
  if (!same || k !== names.length) {
    order.names = Object.keys(byFeature);
    order.terms = Int32Array.from(order.names, (f) => policy.featureChannel.get(f) ?? -1);
  }
  return nonChannel;
}

/** §4.2 for one record's contributions. */
export function applyLogitCaps(contributions: LogitContributions, policy: CompiledPolicy): CapsOutcome {
  const terms = policy.capTerms;
  const n = terms.length;
  const raw = new Array<number>(n);
  const nonChannel = sumByTerm(contributions.byFeature, policy, raw);
  const t = policy.thresholds;
  const final = new Array<number>(n);
  const r = capInto(raw, final, t.CAP_PER_FEATURE_LOGIT, t.LOGIT_TOPK_SUM_CAP, t.TOPK_K);
  let logit = contributions.base + nonChannel;
  for (let j = 0; j < n; j++) logit += final[j] as number;
  return {
    terms,
    raw,
    final,
    base: contributions.base,
    nonChannel,
    capsTriggered: r.capsTriggered,
    maxAbsRaw: r.maxAbsRaw,
    maxAbsRawChannel: r.maxIdx >= 0 ? (terms[r.maxIdx] as string) : null,
    topKScaled: r.topKScaled,
    capsScaling: r.capsScaling,
    pCapped: sigmoid(logit),
  };
}

let scratchRaw = new Float64Array(0);
let scratchFinal = new Float64Array(0);

/**
 * What routing and the flags read of §4.2 (the scalars of `applyLogitCaps`, same
 * arithmetic) without building the outcome: the gate's fast pass. The returned object
 * is shared and overwritten by the next call.
 */
export function capScalars(contributions: LogitContributions, policy: CompiledPolicy): Readonly<CapScalars> {
  const n = policy.capTerms.length;
  if (scratchRaw.length !== n) {
    scratchRaw = new Float64Array(n);
    scratchFinal = new Float64Array(n);
  }
  if (policy.sumTerms !== null) policy.sumTerms(contributions.byFeature, scratchRaw);
  else sumByTerm(contributions.byFeature, policy, scratchRaw);
  const t = policy.thresholds;
  return capInto(scratchRaw, scratchFinal, t.CAP_PER_FEATURE_LOGIT, t.LOGIT_TOPK_SUM_CAP, t.TOPK_K);
}
