import { REFERENCE_CHANNELS } from "@/lib/gating/schemas";

/**
 * Drift of the gate's inputs (governance spec §3; seed 002's monitoring, seed 001's drift
 * badges): pModel and each spend channel, binned the same way over the policy's reference
 * data and over the results of a window, compared by PSI (missing share included, as a bin
 * of its own) and by KS on the binned distribution of the values present.
 */

export const DRIFT_VARIABLES = ["pModel", ...REFERENCE_CHANNELS] as const;
export type DriftVariable = (typeof DRIFT_VARIABLES)[number];

/** PSI at or above this is a moderate shift; at or above the second, a significant one (an alert). */
export const PSI_MODERATE = 0.1;
export const PSI_SIGNIFICANT = 0.25;
/** Fewest results a window (or a day) needs before its drift is judged. */
export const MIN_RESULTS_FOR_DRIFT = 100;
/** An empty bin counts as this share, so PSI stays finite (the usual smoothing). */
const EMPTY_SHARE = 1e-4;

/** The bins: 0 is missing. pModel 1–20 (width 0.05); a spend 1 = zero, 2 = (0, 1], then half-decades up to 12 = above 10^4.5. */
export const BIN_COUNT: Record<DriftVariable, number> = Object.fromEntries(DRIFT_VARIABLES.map((v) => [v, v === "pModel" ? 21 : 13])) as Record<DriftVariable, number>;

/** The bin of a value; the SQL functions drift_bin_probability / drift_bin_spend (migration …_drift_rollup) are the same rule. */
export function driftBin(variable: DriftVariable, value: number | null): number {
  if (value === null) return 0;
  if (variable === "pModel") return 1 + Math.min(Math.max(Math.floor(value * 20), 0), 19);
  if (value <= 0) return 1;
  return 2 + Math.min(Math.max(Math.ceil(2 * Math.log10(value)), 0), 10);
}

/** What a bin holds, in words (for tables and CSV). */
export function binLabel(variable: DriftVariable, bin: number): string {
  if (bin === 0) return "missing";
  if (variable === "pModel") return `${((bin - 1) * 0.05).toFixed(2)}–${(bin * 0.05).toFixed(2)}`;
  if (bin === 1) return "0";
  if (bin === 2) return "(0, 1]";
  const edge = (k: number) => Math.round(10 ** (k / 2)).toLocaleString("en-US");
  return bin === 12 ? `> ${edge(9)}` : `(${edge(bin - 3)}, ${edge(bin - 2)}]`;
}

export type BinCounts = readonly number[];

export interface DriftFigure {
  /** results counted in the window */
  n: number;
  referenceMissingShare: number | null;
  missingShare: number | null;
  psi: number | null;
  ks: number | null;
  level: "stable" | "moderate" | "significant" | null;
}

const sum = (xs: BinCounts) => xs.reduce((a, b) => a + b, 0);

/** Population stability index of `current` against `reference`, over every bin (missing included). */
export function psi(reference: BinCounts, current: BinCounts): number | null {
  const r = sum(reference);
  const c = sum(current);
  if (r === 0 || c === 0) return null;
  let total = 0;
  for (let i = 0; i < Math.max(reference.length, current.length); i++) {
    const e = Math.max((reference[i] ?? 0) / r, EMPTY_SHARE);
    const a = Math.max((current[i] ?? 0) / c, EMPTY_SHARE);
    total += (a - e) * Math.log(a / e);
  }
  return total;
}

/** Kolmogorov–Smirnov distance between the binned distributions of the values present (bin 0, missing, left out). */
export function ks(reference: BinCounts, current: BinCounts): number | null {
  const r = sum(reference.slice(1));
  const c = sum(current.slice(1));
  if (r === 0 || c === 0) return null;
  let cr = 0;
  let cc = 0;
  let max = 0;
  for (let i = 1; i < Math.max(reference.length, current.length); i++) {
    cr += (reference[i] ?? 0) / r;
    cc += (current[i] ?? 0) / c;
    max = Math.max(max, Math.abs(cr - cc));
  }
  return max;
}

export function psiLevel(value: number | null): DriftFigure["level"] {
  if (value === null) return null;
  return value >= PSI_SIGNIFICANT ? "significant" : value >= PSI_MODERATE ? "moderate" : "stable";
}

/** A window's drift of one variable; not judged (null figures) under MIN_RESULTS_FOR_DRIFT results. */
export function driftFigure(reference: BinCounts, current: BinCounts): DriftFigure {
  const n = sum(current);
  const r = sum(reference);
  const judged = n >= MIN_RESULTS_FOR_DRIFT && r > 0;
  const value = judged ? psi(reference, current) : null;
  return {
    n,
    referenceMissingShare: r > 0 ? (reference[0] ?? 0) / r : null,
    missingShare: n > 0 ? (current[0] ?? 0) / n : null,
    psi: value,
    ks: judged ? ks(reference, current) : null,
    level: psiLevel(value),
  };
}
