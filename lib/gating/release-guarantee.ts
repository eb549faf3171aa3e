/**
 * The release guarantee (spec/gating.md §11): CS_ACCEPT is chosen so that, with
 * probability ≥ 1 − RELEASE_DELTA, the error rate among the records it releases is at
 * most TARGET_RELEASE_ERROR (selective classification with guaranteed risk, Geifman &
 * El-Yaniv 2017, in the fixed-sequence form of Learn-then-Test, Angelopoulos et al. 2021).
 *
 * Bars are tested from strict to loose on labelled calibration records; at each bar
 * H₀ "the error rate among the records this bar releases exceeds the target" is rejected
 * when P(X ≤ errors | released, target) ≤ δ (exact binomial tail). Testing stops at the
 * first bar not rejected; CS_ACCEPT is the loosest bar rejected before it. Because the
 * order is fixed in advance, no multiplicity correction is needed.
 *
 * Also the Clopper–Pearson bound the reports and the governance page show.
 */
import { binomialUpperTail } from "./batch-hold";

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialLowerTail(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return 1 - binomialUpperTail(k + 1, n, p);
}

/**
 * Upper end of the two-sided 95 % (by default) Clopper–Pearson interval for a binomial
 * rate with `k` events in `n` trials: the p at which P(X ≤ k | n, p) = (1 − level) / 2.
 * 1 when n = 0 (nothing observed bounds nothing).
 */
export function clopperPearsonUpper(k: number, n: number, level = 0.95): number {
  if (n === 0 || k >= n) return 1;
  const tail = (1 - level) / 2;
  let lo = k / n;
  let hi = 1;
  // P(X ≤ k | p) falls as p grows: bisection to 1e-12.
  for (let i = 0; i < 60 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (binomialLowerTail(k, n, mid) > tail) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** One labelled record as the release test sees it: its confidence and whether the machine label was wrong. */
export interface ReleaseCandidate {
  readonly confidence: number;
  readonly error: boolean;
}

export interface ReleaseBarTest {
  readonly bar: number;
  readonly released: number;
  readonly errors: number;
  /** P(X ≤ errors | released, target): small = the released error rate is below target */
  readonly pValue: number;
  readonly rejected: boolean;
}

export interface ReleaseGuarantee {
  /** the chosen CS_ACCEPT */
  readonly csAccept: number;
  /** false: even the strictest bar could not be shown to meet the target; csAccept is that bar */
  readonly reached: boolean;
  readonly target: number;
  readonly delta: number;
  /** every bar tested, strict to loose, up to and including the first not rejected */
  readonly tests: readonly ReleaseBarTest[];
}

/** The default grid: CS (the strictest bar the schema allows) down to 0.5 in steps of 0.005. Below 0.5 an interval straddles the threshold. */
export function releaseBarGrid(strictest: number, loosest = 0.5, step = 0.005): number[] {
  const bars: number[] = [];
  for (let i = 0; ; i++) {
    const bar = Math.round((strictest - i * step) * 1e9) / 1e9;
    if (bar < loosest - 1e-12) break;
    bars.push(bar);
  }
  return bars;
}

/**
 * Fixed-sequence test over `bars` (strict → loose). A record is released by a bar when its
 * confidence ≥ bar. Throws on a grid that is not strictly decreasing or a target / δ
 * outside (0, 0.5).
 */
export function chooseReleaseBar(candidates: readonly ReleaseCandidate[], bars: readonly number[], target: number, delta: number): ReleaseGuarantee {
  if (!(target > 0 && target < 0.5)) throw new RangeError("TARGET_RELEASE_ERROR must be in (0, 0.5)");
  if (!(delta > 0 && delta < 0.5)) throw new RangeError("RELEASE_DELTA must be in (0, 0.5)");
  if (bars.length === 0) throw new RangeError("the bar grid is empty");
  for (let i = 1; i < bars.length; i++) if (!((bars[i] as number) < (bars[i - 1] as number))) throw new RangeError("bars must run strict to loose (strictly decreasing)");

  const sorted = [...candidates].sort((a, b) => b.confidence - a.confidence);
  const tests: ReleaseBarTest[] = [];
  let csAccept: number | null = null;
  let released = 0;
  let errors = 0;
  for (const bar of bars) {
    while (released < sorted.length && (sorted[released] as ReleaseCandidate).confidence >= bar) {
      if ((sorted[released] as ReleaseCandidate).error) errors++;
      released++;
    }
    const pValue = binomialLowerTail(errors, released, target);
    const rejected = released > 0 && pValue <= delta;
    tests.push({ bar, released, errors, pValue, rejected });
    if (!rejected) break;
    csAccept = bar;
  }
  return { csAccept: csAccept ?? (bars[0] as number), reached: csAccept !== null, target, delta, tests };
}
