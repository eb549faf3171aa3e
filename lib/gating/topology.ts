/**
 * Pre-imputation spend topology of one record (spec/gating.md §2). Nulls are kept as
 * missing — never read as 0 — so a missing channel changes `missingChannelCount`, the
 * observed set and everything derived from it.
 */
import { namesOfMask, type CompiledCluster, type CompiledPolicy } from "./compiled-policy";
import { clusterPart, isMissingContextValue, MISSING_CLUSTER_PART } from "./context-values";
import { countBelow } from "./numeric";
import type { ContextValue } from "./schemas";

export { MISSING_CLUSTER_PART, isMissingContextValue };

export type SpendInput = Readonly<Record<string, number | null | undefined>>;
export type ContextInput = Readonly<Record<string, ContextValue | undefined>>;

export interface SpendTopology {
  readonly clusterId: string;
  /** channels with a non-null value */
  readonly observedCount: number;
  /** channels − observed */
  readonly missingChannelCount: number;
  /** names of the missing channels, in policy order */
  readonly missingChannels: readonly string[];
  /** Σ observed spends */
  readonly total: number;
  /** largest observed spend (0 when nothing is observed) */
  readonly top1Value: number;
  /** its channel (ties → policy order); null when total ≤ tol */
  readonly top1Channel: string | null;
  /** top1Value / total when total > tol, else 0 */
  readonly top1Share: number;
  /** sum of the two / three largest observed spends (over what exists) */
  readonly top2Sum: number;
  readonly top3Sum: number;
  /** −Σ pᵢ ln pᵢ over observed spends > tol; 0 when total ≤ tol */
  readonly entropy: number;
  /** Gini coefficient of the observed spends (population form Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n Σx)); 0 when all equal or empty */
  readonly gini: number;
  /** observed channels with spend > tol */
  readonly nonZeroCount: number;
  /** observed channels strictly above the cluster's CHANNEL_Q_FOR_MEDIUM quantile (q75 by default) */
  readonly countAboveQ75: number;
  /** observed channels strictly above the cluster's CHANNEL_Q_FOR_MULTI quantile (q90 by default) */
  readonly countAboveQ90: number;
  /** observed channels with spend > tol and ≥ the cluster's outlier quantile (q995) — PER_FEATURE_OUTLIER */
  readonly countAtOrAboveOutlier: number;
  /** top1Value ≥ the cluster's outlier quantile of top1Channel (false when top1Channel is null) */
  readonly top1AtOrAboveOutlier: boolean;
  /** share of the cluster's reference top2Sum values strictly below this top2Sum */
  readonly top2SumPctile: number;
  /** (log1p(top2Sum) − median) / robust scale over the cluster's reference rows with total > tol */
  readonly zTop2: number;
  /** REQUIRED_CONTEXT_KEYS that are null, absent or empty */
  readonly missingContext: readonly string[];
  readonly missingContextCount: number;
}

/** The cluster id from context (§2): CLUSTER_KEY parts joined by `|`, a missing part written `∅`. */
export function deriveClusterId(context: ContextInput, clusterKey: readonly string[]): string {
  let id = "";
  for (let i = 0; i < clusterKey.length; i++) {
    const part = clusterPart(context[clusterKey[i] as string]);
    id = i === 0 ? part : id + "|" + part;
  }
  return id;
}

/** Reused per call: topology is computed one record at a time (JS is single-threaded). */
let scratch = new Float64Array(8);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A topology with every field present, in the order provenance serialises them. */
function emptyTopology(): Mutable<SpendTopology> {
  return {
    clusterId: "",
    observedCount: 0,
    missingChannelCount: 0,
    missingChannels: [],
    total: 0,
    top1Value: 0,
    top1Channel: null,
    top1Share: 0,
    top2Sum: 0,
    top3Sum: 0,
    entropy: 0,
    gini: 0,
    nonZeroCount: 0,
    countAboveQ75: 0,
    countAboveQ90: 0,
    countAtOrAboveOutlier: 0,
    top1AtOrAboveOutlier: false,
    top2SumPctile: 0,
    zTop2: 0,
    missingContext: [],
    missingContextCount: 0,
  };
}

/**
 * Computes the §2 topology of one record against its cluster's statistics (for a small
 * or unknown cluster, `cluster` already carries the global statistics).
 */
export function computeTopology(
  spend: SpendInput,
  context: ContextInput,
  clusterId: string,
  cluster: CompiledCluster,
  policy: CompiledPolicy,
): SpendTopology {
  return topologyInto(emptyTopology(), spend, context, clusterId, cluster, policy, true);
}

/** The one topology the gate's fast pass overwrites per record; nothing may keep it. */
export const SCRATCH_TOPOLOGY: SpendTopology = emptyTopology();

/**
 * computeTopology into `out` (fields overwritten, nothing allocated): the gate's fast pass.
 * Without `shape`, entropy and Gini are left 0 (see CompiledPolicy.shapeRead).
 */
export function topologyInto(
  out: SpendTopology,
  spend: SpendInput,
  context: ContextInput,
  clusterId: string,
  cluster: CompiledCluster,
  policy: CompiledPolicy,
  shape: boolean,
): SpendTopology {
  const channels = policy.channels;
  const nCh = channels.length;
  const tol = policy.thresholds.SPEND_ZERO_TOLERANCE;
  if (scratch.length < nCh) scratch = new Float64Array(nCh);
  const values = scratch;

  let observed = 0;
  let missingMask = 0;
  let total = 0;
  let nonZero = 0;
  let aboveMedium = 0;
  let aboveMulti = 0;
  let atOutlier = 0;
  // Top three observed values; ties keep the earlier channel first (strict >).
  let m1 = -1;
  let m2 = -1;
  let m3 = -1;
  let i1 = -1;
  const qMedium = cluster.qMedium;
  const qMulti = cluster.qMulti;
  const qOutlier = cluster.qOutlier;
  for (let j = 0; j < nCh; j++) {
    const v = policy.spendOf(spend, j) as number | null | undefined;
    if (v === null || v === undefined) {
      missingMask |= 1 << j;
      continue;
    }
    values[observed++] = v;
    total += v;
    if (v > tol) {
      nonZero++;
      if (v >= (qOutlier[j] as number)) atOutlier++;
    }
    if (v > (qMedium[j] as number)) aboveMedium++;
    if (v > (qMulti[j] as number)) aboveMulti++;
    if (v > m1) {
      m3 = m2;
      m2 = m1;
      m1 = v;
      i1 = j;
    } else if (v > m2) {
      m3 = m2;
      m2 = v;
    } else if (v > m3) {
      m3 = v;
    }
  }
  const top1Value = m1 > 0 ? m1 : 0;
  const top2Sum = top1Value + (m2 > 0 ? m2 : 0);
  const top3Sum = top2Sum + (m3 > 0 ? m3 : 0);
  const positive = total > tol;

  let entropy = 0;
  let gini = 0;
  if (positive && shape) {
    for (let k = 0; k < observed; k++) {
      const v = values[k] as number;
      if (v > tol) {
        const p = v / total;
        entropy -= p * Math.log(p);
      }
    }
    let absDiff = 0;
    for (let a = 0; a < observed; a++) {
      const va = values[a] as number;
      for (let b = a + 1; b < observed; b++) absDiff += Math.abs(va - (values[b] as number));
    }
    // Σᵢ Σⱼ |xᵢ − xⱼ| counts each pair twice; the loop above counts it once.
    gini = absDiff / (observed * total);
  }

  const sorted = cluster.top2Sorted;
  const top2SumPctile = sorted.length === 0 ? 0 : countBelow(sorted, top2Sum) / sorted.length;
  const zTop2 = cluster.logTop2Scale > 0 ? (Math.log1p(top2Sum) - cluster.logTop2Median) / cluster.logTop2Scale : 0;

  const required = policy.requiredContextKeys;
  const requiredSlots = policy.requiredContextSlots;
  let missingContextMask = 0;
  let missingContextCount = 0;
  for (let k = 0; k < required.length; k++) {
    if (isMissingContextValue(policy.contextOf(context, requiredSlots[k] as number))) {
      missingContextMask |= 1 << k;
      missingContextCount++;
    }
  }

  const memo = policy.memo;
  const o = out as Mutable<SpendTopology>;
  o.clusterId = clusterId;
  o.observedCount = observed;
  o.missingChannelCount = nCh - observed;
  o.missingChannels = namesOfMask(memo.missingChannelLists, channels, missingMask);
  o.total = total;
  o.top1Value = top1Value;
  o.top1Channel = positive ? (channels[i1] as string) : null;
  o.top1Share = positive ? top1Value / total : 0;
  o.top2Sum = top2Sum;
  o.top3Sum = top3Sum;
  o.entropy = entropy;
  o.gini = gini;
  o.nonZeroCount = nonZero;
  o.countAboveQ75 = aboveMedium;
  o.countAboveQ90 = aboveMulti;
  o.countAtOrAboveOutlier = atOutlier;
  o.top1AtOrAboveOutlier = positive && top1Value >= (qOutlier[i1] as number);
  o.top2SumPctile = top2SumPctile;
  o.zTop2 = zTop2;
  o.missingContext = namesOfMask(memo.missingContextLists, required, missingContextMask);
  o.missingContextCount = missingContextCount;
  return out;
}

/** Per-channel missing flags for provenance (§9), memoised per (memoised) missing list. */
export function missingChannelMap(policy: CompiledPolicy, missing: readonly string[]): Readonly<Record<string, boolean>> {
  const memo = policy.memo.missingChannelMaps;
  let map = memo.get(missing);
  if (map === undefined) {
    const out: Record<string, boolean> = {};
    for (const ch of policy.channels) out[ch] = missing.includes(ch);
    map = Object.freeze(out);
    memo.set(missing, map);
  }
  return map;
}
