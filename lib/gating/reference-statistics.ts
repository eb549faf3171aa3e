/**
 * Reference statistics (spec/gating.md §1.3, §2) from parsed reference rows, and the two
 * thresholds calibration derives from reference scores: θ (§3.2) and CS_ACCEPT (§7).
 * Pure: rows come in as data (the CSV reader or the database produce them).
 *
 * Definitions, as the spec fixes them:
 * - per cluster and channel, the quantiles at CHANNEL_Q_FOR_MEDIUM / _MULTI /
 *   CHANNEL_OUTLIER_QUANTILE over **all observed values including zeros**,
 *   Hyndman–Fan type 7 (numpy's default); null when the channel was never observed;
 * - the sorted distribution of every row's top2Sum (over observed values; 0 when the row
 *   has none), for top2SumPctile;
 * - median, MAD and IQR of log1p(top2Sum) over rows with total > tol, for zTop2
 *   (`logTop2Basis: "positiveTotal"`, the default). Finding on the shipped data: under
 *   this definition no cluster has MAD = 0, and the seed's canaries score at the
 *   49.7th / 70.3rd / 72.7th percentile. The spec's remarks ("MAD is 0 in two real
 *   clusters holding 18 % of rows"; canaries at the "49th–78th percentile") are what
 *   the statistics give over *all* rows, zero-spend rows included (`"allRows"`: MAD 0 in
 *   Earth|PSO J318.5-22 and Europa|55 Cancri e, 1,598 rows = 18.4 %; canaries at 48.0 /
 *   54.8 / 77.2 %). The spec's explicit definition wins; "allRows" is kept as an option
 *   so calibration can switch and the snapshot records which was used;
 * - N, positives and μ = positives / labelled (rows without a label count in N only);
 * - the global statistics over all rows; clusters with N < N_MIN_SLICE are marked small
 *   (gating then uses the global statistics and sets SMALL_CLUSTER).
 */
import { DEFAULT_THRESHOLDS, REFERENCE_CHANNELS, type DistributionStatistics, type LogTop2Basis, type ReferenceStatistics } from "./schemas";
import { nextUp, quantileType7, sortedAscending } from "./numeric";
import { deriveClusterId, type ContextInput, type SpendInput } from "./topology";

export interface ReferenceRow {
  readonly spend: SpendInput;
  readonly context: ContextInput;
  /** upstream label (Transported); null/absent when unknown */
  readonly label?: boolean | null;
  /** overrides the cluster derived from context, as for scored records */
  readonly clusterId?: string;
}

export interface ReferenceStatisticsOptions {
  readonly channels?: readonly string[];
  readonly clusterKey?: readonly string[];
  readonly tolerance?: number;
  readonly quantileLevels?: { readonly medium: number; readonly multi: number; readonly outlier: number };
  readonly nMinSlice?: number;
  /** rows the log1p(top2Sum) median/MAD/IQR use (default "positiveTotal": total > tol, as §2 says) */
  readonly logTop2Basis?: LogTop2Basis;
}

interface Accumulator {
  n: number;
  labelled: number;
  positives: number;
  values: number[][];
  top2: number[];
  logTop2: number[];
}

function newAccumulator(nChannels: number): Accumulator {
  return { n: 0, labelled: 0, positives: 0, values: Array.from({ length: nChannels }, () => []), top2: [], logTop2: [] };
}

function medianOfSorted(sorted: readonly number[]): number {
  return quantileType7(sorted, 0.5);
}

function summarise(acc: Accumulator, channels: readonly string[], levels: Required<ReferenceStatisticsOptions>["quantileLevels"]): DistributionStatistics {
  const chStats: DistributionStatistics["channels"] = {};
  channels.forEach((ch, j) => {
    const sorted = sortedAscending(acc.values[j] as number[]);
    chStats[ch] =
      sorted.length === 0
        ? { observed: 0, qMedium: null, qMulti: null, qOutlier: null }
        : {
            observed: sorted.length,
            qMedium: quantileType7(sorted, levels.medium),
            qMulti: quantileType7(sorted, levels.multi),
            qOutlier: quantileType7(sorted, levels.outlier),
          };
  });
  const logs = sortedAscending(acc.logTop2);
  let logTop2: DistributionStatistics["logTop2"] = { rows: 0, median: null, mad: null, iqr: null };
  if (logs.length > 0) {
    const median = medianOfSorted(logs);
    const deviations = sortedAscending(logs.map((x) => Math.abs(x - median)));
    logTop2 = {
      rows: logs.length,
      median,
      mad: medianOfSorted(deviations),
      iqr: quantileType7(logs, 0.75) - quantileType7(logs, 0.25),
    };
  }
  return {
    n: acc.n,
    labelled: acc.labelled,
    positives: acc.positives,
    positiveRate: acc.labelled > 0 ? acc.positives / acc.labelled : null,
    channels: chStats,
    top2SumSorted: sortedAscending(acc.top2),
    logTop2,
  };
}

export function computeReferenceStatistics(rows: readonly ReferenceRow[], options: ReferenceStatisticsOptions = {}): ReferenceStatistics {
  const channels = options.channels ?? REFERENCE_CHANNELS;
  const clusterKey = options.clusterKey ?? DEFAULT_THRESHOLDS.CLUSTER_KEY;
  const tol = options.tolerance ?? DEFAULT_THRESHOLDS.SPEND_ZERO_TOLERANCE;
  const levels = options.quantileLevels ?? {
    medium: DEFAULT_THRESHOLDS.CHANNEL_Q_FOR_MEDIUM,
    multi: DEFAULT_THRESHOLDS.CHANNEL_Q_FOR_MULTI,
    outlier: DEFAULT_THRESHOLDS.CHANNEL_OUTLIER_QUANTILE,
  };
  const nMinSlice = options.nMinSlice ?? DEFAULT_THRESHOLDS.N_MIN_SLICE;
  const logTop2Basis = options.logTop2Basis ?? "positiveTotal";
  const global = newAccumulator(channels.length);
  const byCluster = new Map<string, Accumulator>();
  for (const row of rows) {
    const clusterId = row.clusterId ?? deriveClusterId(row.context, clusterKey);
    let acc = byCluster.get(clusterId);
    if (!acc) byCluster.set(clusterId, (acc = newAccumulator(channels.length)));
    // Top two observed values and the total, nulls skipped (never read as 0).
    let m1 = 0;
    let m2 = 0;
    let total = 0;
    const observed: (number | null)[] = channels.map((ch) => {
      const v = row.spend[ch];
      return v === null || v === undefined ? null : v;
    });
    for (const v of observed) {
      if (v === null) continue;
      total += v;
      if (v > m1) {
        m2 = m1;
        m1 = v;
      } else if (v > m2) m2 = v;
    }
    const top2 = m1 + m2;
    for (const a of [global, acc]) {
      a.n++;
      if (row.label === true || row.label === false) {
        a.labelled++;
        if (row.label) a.positives++;
      }
      observed.forEach((v, j) => {
        if (v !== null) (a.values[j] as number[]).push(v);
      });
      a.top2.push(top2);
      if (total > tol || logTop2Basis === "allRows") a.logTop2.push(Math.log1p(top2));
    }
  }
  const clusters: ReferenceStatistics["clusters"] = {};
  for (const id of [...byCluster.keys()].sort()) {
    const acc = byCluster.get(id) as Accumulator;
    clusters[id] = { ...summarise(acc, channels, levels), small: acc.n < nMinSlice };
  }
  return { quantileLevels: { ...levels }, logTop2Basis, global: summarise(global, channels, levels), clusters };
}

/** Re-marks `small` for another N_MIN_SLICE (statistics are otherwise unchanged). */
export function markSmallClusters(statistics: ReferenceStatistics, nMinSlice: number): ReferenceStatistics {
  const clusters: ReferenceStatistics["clusters"] = {};
  for (const [id, c] of Object.entries(statistics.clusters)) clusters[id] = c.small === c.n < nMinSlice ? c : { ...c, small: c.n < nMinSlice };
  return { ...statistics, clusters };
}

/**
 * θ (§3.2): the smallest reference score whose upper tail — the share of reference scores
 * ≥ θ — does not exceed `targetRate`, so ties never push the share above the target.
 * When even the largest score's tie group exceeds the target, θ is the next double above
 * the largest score (nothing in the reference is fragile) and the realised rate is 0.
 */
export function chooseTheta(scores: readonly number[], targetRate: number): { theta: number; realisedFragileRate: number } {
  const n = scores.length;
  if (n === 0) throw new RangeError("chooseTheta needs at least one reference score");
  if (scores.some((s) => !Number.isFinite(s))) throw new RangeError("reference scores must be finite");
  const desc = sortedAscending(scores).reverse();
  let theta = nextUp(desc[0] as number);
  let tail = 0;
  let i = 0;
  while (i < n) {
    const v = desc[i] as number;
    let j = i;
    while (j < n && desc[j] === v) j++;
    // j scores are ≥ v
    if (j / n > targetRate) break;
    theta = v;
    tail = j;
    i = j;
  }
  return { theta, realisedFragileRate: tail / n };
}

/**
 * CAP_PER_FEATURE_LOGIT (§4.2): the (1 − `targetRate`) type-7 quantile of each record's
 * largest |contribution| over the cap terms (spend channels and spend-derived features),
 * so about `targetRate` of records trip CAPS_TRIGGERED. Records without contributions
 * are not passed in.
 */
export function chooseCapPerFeature(maxAbsContributions: readonly number[], targetRate: number): number {
  if (maxAbsContributions.length === 0) throw new RangeError("chooseCapPerFeature needs at least one record with contributions");
  if (!(targetRate > 0 && targetRate < 1)) throw new RangeError("CAPS_TARGET_RATE must be in (0, 1)");
  const cap = quantileType7(sortedAscending(maxAbsContributions), 1 - targetRate);
  // The schema needs a cap > 0; all-zero contributions cap at the smallest positive double.
  return cap > 0 ? cap : Number.MIN_VALUE;
}
