/**
 * Test support: a small hand-made policy whose statistics have round numbers, so unit
 * tests can state expected topology, flags and scores by hand.
 *
 * Cluster "Earth|TRAPPIST-1e" (n = 100): every channel q75 = 10, q90 = 100, q995 = 1000;
 * top2Sum reference values 0, 10, …, 990; log1p(top2Sum): median log1p(100), MAD 0.5.
 * Cluster "Mars|∅" (n = 10): small. Global (n = 100): q75 = 20, q90 = 200, q995 = 2000;
 * top2Sum 0, 20, …, 1980; median log1p(200), MAD 0 and IQR 1.349 (so the scale is 1).
 */
import { buildPolicySnapshot, type PolicySnapshotInput } from "./policy-snapshot";
import { REFERENCE_CHANNELS, type DistributionStatistics, type PolicySnapshot, type ReferenceStatistics, type ScoredRecord } from "./schemas";
import { logit } from "./numeric";

function distribution(n: number, q: [number, number, number], step: number, logTop2: DistributionStatistics["logTop2"], positives: number): DistributionStatistics {
  return {
    n,
    labelled: n,
    positives,
    positiveRate: positives / n,
    channels: Object.fromEntries(REFERENCE_CHANNELS.map((ch) => [ch, { observed: n, qMedium: q[0], qMulti: q[1], qOutlier: q[2] }])),
    top2SumSorted: Array.from({ length: n }, (_, i) => i * step),
    logTop2,
  };
}

export const SYNTHETIC_CLUSTER = "Earth|TRAPPIST-1e";

export function syntheticStatistics(): ReferenceStatistics {
  return {
    quantileLevels: { medium: 0.75, multi: 0.9, outlier: 0.995 },
    logTop2Basis: "positiveTotal",
    global: distribution(100, [20, 200, 2000], 20, { rows: 80, median: Math.log1p(200), mad: 0, iqr: 1.349 }, 50),
    clusters: {
      [SYNTHETIC_CLUSTER]: { ...distribution(100, [10, 100, 1000], 10, { rows: 80, median: Math.log1p(100), mad: 0.5, iqr: 1 }, 30), small: false },
      "Mars|∅": { ...distribution(10, [5, 50, 500], 5, { rows: 8, median: 1, mad: 1, iqr: 1 }, 5), small: true },
    },
  };
}

export function syntheticSnapshot(overrides: Partial<PolicySnapshotInput> = {}): PolicySnapshot {
  return buildPolicySnapshot({
    id: "synthetic",
    statistics: syntheticStatistics(),
    theta: 1.5,
    realisedFragileRate: 0.04,
    canaries: { ids: [], signatures: [] },
    ...overrides,
  });
}

export const EARTH_CONTEXT = { HomePlanet: "Earth", CryoSleep: false, Cabin: "F/1/S", Destination: "TRAPPIST-1e", Age: 30, VIP: false };

export type SpendVector = [number | null, number | null, number | null, number | null, number | null];

export function spendOf(values: SpendVector): Record<string, number | null> {
  return Object.fromEntries(REFERENCE_CHANNELS.map((ch, i) => [ch, values[i] as number | null]));
}

export function syntheticRecord(
  recordId: string,
  spend: SpendVector,
  extra: Partial<ScoredRecord> & { context?: ScoredRecord["context"] } = {},
): ScoredRecord {
  return {
    recordId,
    spend: spendOf(spend),
    context: { ...EARTH_CONTEXT },
    pModel: 0.5,
    scorerVersion: "synthetic",
    ...extra,
  };
}

/** Contributions that add up to logit(pModel) exactly: channel values as given, the rest in base. */
export function contributionsFor(pModel: number, channelValues: number[], nonChannel = 0): ScoredRecord["logitContributions"] {
  const byFeature: Record<string, number> = {};
  let sum = nonChannel;
  REFERENCE_CHANNELS.forEach((ch, j) => {
    const c = channelValues[j] ?? 0;
    byFeature[ch] = c;
    sum += c;
  });
  if (nonChannel !== 0) byFeature.Age = nonChannel;
  return { base: logit(pModel) - sum, byFeature };
}
