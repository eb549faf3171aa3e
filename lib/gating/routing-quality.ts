/**
 * Routing quality (spec/gating.md §11): does the gate send the model's errors to a person?
 * Pure figures over labelled, gated records — the calibration report, `npm run
 * eval:routing` and the governance routing page all compute them here.
 *
 *   audit share A = audited / records
 *   error capture EC = errors routed to audit / all errors (an error: decision ≠ label)
 *   released error rate R = errors among released / released, with its Clopper–Pearson
 *     95 % upper bound
 *   lift = EC / A
 *   per reason and per flag: records, errors, and errors caught by that reason alone
 *   uncertainty baseline: audit the same number of records with the lowest model
 *     confidence max(p50, 1 − p50) (selective classification by softmax response)
 *   oracle: EC = min(1, A / base error rate)
 *   risk–coverage curve of the baseline, with the policy's operating point
 *
 * Ties in the baseline's confidence are broken by input order, so the figures are
 * deterministic. `routingQualityOf` computes the same figures from tallies, which the
 * governance page reads from a rollup (confidence in bands; the baseline pro rata).
 */
import { clopperPearsonUpper } from "./release-guarantee";
import { FLAG_CODES, REASON_CODES, type FlagCode, type ReasonCode, type Route } from "./reasons";

/** One labelled record as the figures see it (a gating result plus its true label). */
export interface LabelledRouting {
  readonly route: Route;
  /** the machine's label */
  readonly decision: boolean;
  /** the true label (analyst decision or label feedback) */
  readonly label: boolean;
  readonly p50: number;
  readonly reasonCodes: readonly ReasonCode[];
  readonly flags: readonly FlagCode[];
  /** §11 audit priority; used by `queueYield` */
  readonly errorEstimate?: number;
  /** a canary leads the queue whatever its estimate */
  readonly canary?: boolean;
}

/** The view of a gating result these figures need. */
export function labelledRoutingOf(
  result: { route: Route; decision: boolean; p50: number; reasons: readonly { code: ReasonCode }[]; flags: readonly FlagCode[]; errorEstimate: number },
  label: boolean,
): LabelledRouting {
  const reasonCodes = result.reasons.map((r) => r.code);
  return { route: result.route, decision: result.decision, label, p50: result.p50, reasonCodes, flags: result.flags, errorEstimate: result.errorEstimate, canary: reasonCodes.includes("CANARY") };
}

export interface CodeFigures {
  /** records carrying the reason (or flag) */
  readonly records: number;
  /** records carrying it that went to audit (= records for a reason) */
  readonly audited: number;
  /** model errors among the records carrying it */
  readonly errors: number;
  /** errors among them that went to audit */
  readonly caught: number;
  /** errors no other reason would have sent to audit (reasons only; for flags: null) */
  readonly caughtAlone: number | null;
}

export interface RiskCoveragePoint {
  /** share of records released (the most confident first) */
  readonly coverage: number;
  /** error rate among them */
  readonly risk: number;
}

export interface RoutingQuality {
  readonly records: number;
  readonly errors: number;
  readonly baseErrorRate: number;
  readonly audited: number;
  readonly auditShare: number;
  readonly caught: number;
  /** null when there are no errors */
  readonly errorCapture: number | null;
  readonly released: number;
  readonly releasedErrors: number;
  /** null when nothing was released */
  readonly releasedErrorRate: number | null;
  /** Clopper–Pearson 95 % upper bound of the released error rate (1 when nothing was released) */
  readonly releasedErrorUpper: number;
  /** EC / A; null when either is 0 or undefined */
  readonly lift: number | null;
  readonly byReason: Readonly<Record<ReasonCode, CodeFigures>>;
  readonly byFlag: Readonly<Record<FlagCode, CodeFigures>>;
  /** audit the same number of records, least confident first */
  readonly baseline: { readonly caught: number; readonly errorCapture: number | null; readonly releasedErrorRate: number | null };
  /** the best any router could do at this audit share */
  readonly oracle: { readonly errorCapture: number | null };
  /** the baseline's risk at coverage 5 %, 10 %, …, 100 % */
  readonly riskCoverage: readonly RiskCoveragePoint[];
  /** the policy on the same axes */
  readonly operatingPoint: RiskCoveragePoint;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** Model confidence for the baseline: the probability of the label it gives. */
export function modelConfidence(p50: number): number {
  return p50 >= 0.5 ? p50 : 1 - p50;
}

/** Record indices, least confident first (ties: input order). */
function leastConfidentOrder(items: readonly LabelledRouting[]): number[] {
  return items.map((_, i) => i).sort((a, b) => modelConfidence(items[a]!.p50) - modelConfidence(items[b]!.p50) || a - b);
}

type MutableFigures = { records: number; audited: number; errors: number; caught: number; caughtAlone: number | null };

function emptyFigures(withAlone: boolean): MutableFigures {
  return { records: 0, audited: 0, errors: 0, caught: 0, caughtAlone: withAlone ? 0 : null };
}

/** Labelled records of one model confidence (or one band of it), and the model's errors among them. */
export interface ConfidenceTally {
  readonly confidence: number;
  readonly records: number;
  readonly errors: number;
}

/**
 * What the §11 figures are computed from: counts, and the records by model confidence,
 * least confident first. One tally per record gives the exact figures; tallies of
 * confidence bands (the governance rollup) give the baseline and the risk–coverage curve
 * pro rata within the band where a share ends.
 */
export interface RoutingTallies {
  readonly records: number;
  readonly errors: number;
  readonly audited: number;
  readonly caught: number;
  readonly byReason: Readonly<Record<ReasonCode, CodeFigures>>;
  readonly byFlag: Readonly<Record<FlagCode, CodeFigures>>;
  readonly byConfidence: readonly ConfidenceTally[];
}

/** Empty per-code figures for every reason (with `caughtAlone`) and every flag (without): to be filled. */
export function emptyCodeFigures(): { byReason: Record<ReasonCode, MutableFigures>; byFlag: Record<FlagCode, MutableFigures> } {
  return {
    byReason: Object.fromEntries(REASON_CODES.map((c) => [c, emptyFigures(true)])) as Record<ReasonCode, MutableFigures>,
    byFlag: Object.fromEntries(FLAG_CODES.map((c) => [c, emptyFigures(false)])) as Record<FlagCode, MutableFigures>,
  };
}

/** The tallies of labelled records, one confidence tally per record. */
export function routingTallies(items: readonly LabelledRouting[]): RoutingTallies {
  const { byReason, byFlag } = emptyCodeFigures();
  let errors = 0;
  let audited = 0;
  let caught = 0;
  for (const item of items) {
    const error = item.decision !== item.label;
    const audit = item.route === "audit";
    if (error) errors++;
    if (audit) audited++;
    if (error && audit) caught++;
    for (const code of item.reasonCodes) {
      const f = byReason[code];
      f.records++;
      if (audit) f.audited++;
      if (error) {
        f.errors++;
        if (audit) f.caught++;
        if (item.reasonCodes.length === 1) f.caughtAlone = (f.caughtAlone as number) + 1;
      }
    }
    for (const code of item.flags) {
      const f = byFlag[code];
      f.records++;
      if (audit) f.audited++;
      if (error) {
        f.errors++;
        if (audit) f.caught++;
      }
    }
  }
  const byConfidence = leastConfidentOrder(items).map((i) => {
    const item = items[i]!;
    return { confidence: modelConfidence(item.p50), records: 1, errors: item.decision !== item.label ? 1 : 0 };
  });
  return { records: items.length, errors, audited, caught, byReason, byFlag, byConfidence };
}

/** Errors among the `count` least (or most) confident records; pro rata within the tally where the count ends. */
function errorsAmong(byConfidence: readonly ConfidenceTally[], count: number, mostConfident: boolean): number {
  let left = count;
  let errors = 0;
  for (let k = 0; k < byConfidence.length && left > 0; k++) {
    const t = byConfidence[mostConfident ? byConfidence.length - 1 - k : k]!;
    const take = Math.min(left, t.records);
    if (take > 0) errors += take === t.records ? t.errors : (t.errors * take) / t.records;
    left -= take;
  }
  return errors;
}

export function routingQuality(items: readonly LabelledRouting[]): RoutingQuality {
  return routingQualityOf(routingTallies(items));
}

export function routingQualityOf(tallies: RoutingTallies): RoutingQuality {
  const { records: n, errors, audited, caught, byReason, byFlag, byConfidence } = tallies;
  const baselineCaught = errorsAmong(byConfidence, audited, false);
  // Coverage c releases the most confident c·n records.
  const riskCoverage: RiskCoveragePoint[] = [];
  for (let step = 1; step <= 20; step++) {
    const coverage = step / 20;
    const releasedCount = Math.round(coverage * n);
    riskCoverage.push({ coverage, risk: releasedCount === 0 ? 0 : errorsAmong(byConfidence, releasedCount, true) / releasedCount });
  }

  const released = n - audited;
  const releasedErrors = errors - caught;
  const auditShare = n === 0 ? 0 : audited / n;
  const errorCapture = ratio(caught, errors);
  const baseErrorRate = n === 0 ? 0 : errors / n;
  return {
    records: n,
    errors,
    baseErrorRate,
    audited,
    auditShare,
    caught,
    errorCapture,
    released,
    releasedErrors,
    releasedErrorRate: ratio(releasedErrors, released),
    releasedErrorUpper: clopperPearsonUpper(releasedErrors, released),
    lift: errorCapture === null || auditShare === 0 ? null : errorCapture / auditShare,
    byReason,
    byFlag,
    baseline: { caught: baselineCaught, errorCapture: ratio(baselineCaught, errors), releasedErrorRate: ratio(errors - baselineCaught, released) },
    oracle: { errorCapture: errors === 0 ? null : Math.min(1, auditShare / baseErrorRate) },
    riskCoverage,
    operatingPoint: { coverage: n === 0 ? 0 : released / n, risk: released === 0 ? 0 : releasedErrors / released },
  };
}

/** The per-reason and per-flag figures as rows, reasons then flags in code order: what tables and exports list. */
export function codeFigureRows(q: RoutingQuality): { kind: "reason" | "flag"; code: ReasonCode | FlagCode; figures: CodeFigures }[] {
  return [
    ...REASON_CODES.map((code) => ({ kind: "reason" as const, code, figures: q.byReason[code] })),
    ...FLAG_CODES.map((code) => ({ kind: "flag" as const, code, figures: q.byFlag[code] })),
  ];
}

export interface QueueYieldPoint {
  /** share of the audit queue worked, from the top */
  readonly share: number;
  /** errors found there by the queue's order (canaries first, then the error estimate) */
  readonly byEstimate: number;
  /** errors found there ordering by the model's own confidence instead */
  readonly byConfidence: number;
  /** all errors in the queue */
  readonly errorsInQueue: number;
}

/**
 * How many of the audit queue's errors an analyst meets in the first 10 %, 25 % and 50 %
 * of the queue, ordered by the error estimate (§11 audit priority) against the model's own
 * confidence: what the audit-priority model gains.
 */
export function queueYield(items: readonly LabelledRouting[], shares: readonly number[] = [0.1, 0.25, 0.5]): QueueYieldPoint[] {
  const queue = items.filter((i) => i.route === "audit");
  const errorsInQueue = queue.filter((i) => i.decision !== i.label).length;
  const canaryFirst = (a: LabelledRouting, b: LabelledRouting) => Number(b.canary ?? false) - Number(a.canary ?? false);
  const idx = queue.map((_, i) => i);
  const byEstimate = [...idx].sort((a, b) => canaryFirst(queue[a]!, queue[b]!) || (queue[b]!.errorEstimate ?? 0) - (queue[a]!.errorEstimate ?? 0) || a - b);
  const byConfidence = [...idx].sort((a, b) => canaryFirst(queue[a]!, queue[b]!) || modelConfidence(queue[a]!.p50) - modelConfidence(queue[b]!.p50) || a - b);
  const found = (order: number[], k: number) => order.slice(0, k).filter((i) => queue[i]!.decision !== queue[i]!.label).length;
  return shares.map((share) => {
    const k = Math.round(share * queue.length);
    return { share, byEstimate: found(byEstimate, k), byConfidence: found(byConfidence, k), errorsInQueue };
  });
}
