/**
 * Governance alert rules (governance spec §3; gating spec §6.1, §11): pure functions of the
 * figures the governance pages show. Each raised alert has a rule and a key — the day, week
 * or subject it concerns — so evaluating again raises nothing twice.
 */
import { clopperPearsonUpper } from "@/lib/gating/release-guarantee";
import { PSI_SIGNIFICANT } from "./drift";
import { durationLabel } from "./event-pipeline";

export const ALERT_RULES = {
  canary_auto_released: "Canary released automatically",
  single_fragile_auto_released: "Fragile record in a batch of one released automatically",
  fragile_share_out_of_band: "Fragile share outside its expected band",
  override_rate_over_threshold: "Override rate over the threshold",
  released_error_bound_over_target: "Released error bound over the target",
  ledger_verification_failed: "Edit log verification failed",
  drift_over_threshold: "Input drift over the threshold",
  fragile_error_spike: "Fragile records' FP or FN rate spiked",
  event_freshness_breach: "Event pipeline stage behind its freshness SLO",
} as const;
export type AlertRule = keyof typeof ALERT_RULES;

/** The alert list's `status` parameter: open (default) or all; anything else names the rule. */
export function parseAlertStatus(value: string | string[] | null | undefined): { ok: true; value: "open" | "all" } | { ok: false; message: string } {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === null || text === "" || text === "open") return { ok: true, value: "open" };
  if (text === "all") return { ok: true, value: "all" };
  return { ok: false, message: "must be open or all" };
}

export interface RaisedAlert {
  rule: AlertRule;
  key: string;
  title: string;
  detail: string;
}

/** Fewest results a day needs before its fragile share is judged; fewest decisions a week before its override rate is. */
export const MIN_RESULTS_FOR_BAND = 20;
export const MIN_DECISIONS_FOR_RATE = 10;
/** Fewest labelled released records before the released error bound is judged. */
export const MIN_RELEASED_FOR_BOUND = 30;

export interface AlertInputs {
  today: string;
  days: readonly { day: string; results: number; fragile: number; canaryAuto: number; singleFragileAuto: number; fragileBand: { low: number; high: number } | null }[];
  canaries: readonly { recordId: string; route: "auto" | "audit" | null }[];
  weeks: readonly { week: string; decisions: number; overrides: number }[];
  overrideThreshold: number;
  quality: { released: number; releasedErrorUpper: number; targetReleaseError: number } | null;
  ledger: { ok: true } | { ok: false; seq: string; reason: string };
  /** each variable's PSI per day against the policy's reference data (null: too few results to judge) */
  drift: readonly { variable: string; days: readonly { day: string; n: number; psi: number | null }[] }[];
  /** labelled fragile records per day of the evaluation, and over the days before it (the baseline) */
  fragileErrors: { days: readonly ({ day: string } & LabelledErrors)[]; baseline: LabelledErrors };
  /** each minority-event stage's freshness (now − its log's newest row) against its SLO; null when the log is empty */
  eventStages: readonly { stage: string; log: string; freshnessSeconds: number | null; sloSeconds: number }[];
}

export interface LabelledErrors {
  labelled: number;
  positives: number;
  falsePos: number;
  falseNeg: number;
}

/** Fewest labelled negatives (for FP) or positives (for FN) a day needs, and its baseline, before a spike is judged. */
export const MIN_LABELLED_FOR_SPIKE = 30;
export const MIN_LABELLED_FOR_SPIKE_BASELINE = 100;

/**
 * A day's fragile FP (or FN) rate spiked when even the lower end of its 95 % Clopper–Pearson
 * interval is above the rate of the fragile records before the evaluation window.
 */
function spikes(day: LabelledErrors, baseline: LabelledErrors): { kind: "FP" | "FN"; errors: number; of: number; lower: number; baseline: number }[] {
  const out = [];
  for (const kind of ["FP", "FN"] as const) {
    const of = kind === "FP" ? day.labelled - day.positives : day.positives;
    const errors = kind === "FP" ? day.falsePos : day.falseNeg;
    const baseOf = kind === "FP" ? baseline.labelled - baseline.positives : baseline.positives;
    const baseErrors = kind === "FP" ? baseline.falsePos : baseline.falseNeg;
    if (of < MIN_LABELLED_FOR_SPIKE || baseOf < MIN_LABELLED_FOR_SPIKE_BASELINE) continue;
    const lower = errors === 0 ? 0 : 1 - clopperPearsonUpper(of - errors, of);
    if (lower > baseErrors / baseOf) out.push({ kind, errors, of, lower, baseline: baseErrors / baseOf });
  }
  return out;
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function raisedAlerts(input: AlertInputs): RaisedAlert[] {
  const out: RaisedAlert[] = [];
  const raise = (rule: AlertRule, key: string, detail: string) => out.push({ rule, key, title: ALERT_RULES[rule], detail });
  for (const d of input.days) {
    if (d.canaryAuto > 0) raise("canary_auto_released", `day:${d.day}`, `${d.canaryAuto} result(s) carrying CANARY were released automatically on ${d.day}.`);
    if (d.singleFragileAuto > 0) raise("single_fragile_auto_released", `day:${d.day}`, `${d.singleFragileAuto} fragile record(s) sent alone were released automatically on ${d.day} (target 0).`);
    if (d.fragileBand && d.results >= MIN_RESULTS_FOR_BAND) {
      const share = d.fragile / d.results;
      if (share < d.fragileBand.low || share > d.fragileBand.high) {
        raise("fragile_share_out_of_band", `day:${d.day}`, `${pct(share)} of ${d.results} results on ${d.day} were fragile; the expected rate's 95 % band for that count is ${pct(d.fragileBand.low)}–${pct(d.fragileBand.high)}.`);
      }
    }
  }
  for (const c of input.canaries) {
    if (c.route === "auto") raise("canary_auto_released", `record:${c.recordId}`, `Canary ${c.recordId}'s current result was released automatically.`);
  }
  for (const w of input.weeks) {
    if (w.decisions >= MIN_DECISIONS_FOR_RATE && w.overrides / w.decisions > input.overrideThreshold) {
      raise("override_rate_over_threshold", `week:${w.week}`, `${w.overrides} of ${w.decisions} decisions in the week of ${w.week} were overrides (${pct(w.overrides / w.decisions)}; threshold ${pct(input.overrideThreshold)}).`);
    }
  }
  const q = input.quality;
  if (q && q.released >= MIN_RELEASED_FOR_BOUND && q.releasedErrorUpper > q.targetReleaseError) {
    raise("released_error_bound_over_target", `day:${input.today}`, `The released error rate's 95 % upper bound is ${pct(q.releasedErrorUpper)} on ${q.released} labelled released records; the target is ${pct(q.targetReleaseError)}.`);
  }
  for (const v of input.drift) {
    for (const d of v.days) {
      if (d.psi !== null && d.psi >= PSI_SIGNIFICANT) {
        raise("drift_over_threshold", `day:${d.day}:${v.variable}`, `${v.variable} drifted on ${d.day}: PSI ${d.psi.toFixed(3)} over ${d.n} results against the policy's reference data (significant from ${PSI_SIGNIFICANT}).`);
      }
    }
  }
  for (const d of input.fragileErrors.days) {
    for (const x of spikes(d, input.fragileErrors.baseline)) {
      raise(
        "fragile_error_spike",
        `day:${d.day}:${x.kind.toLowerCase()}`,
        `The model's ${x.kind} rate on fragile records was ${pct(x.errors / x.of)} (${x.errors} of ${x.of} labelled ${x.kind === "FP" ? "negatives" : "positives"}) on ${d.day}; its 95 % lower bound ${pct(x.lower)} is above the ${pct(x.baseline)} of the fragile records before.`,
      );
    }
  }
  for (const st of input.eventStages) {
    // Once a day while it lasts: a feed that stays behind keeps asking for a look.
    if (st.freshnessSeconds !== null && st.freshnessSeconds > st.sloSeconds) {
      raise("event_freshness_breach", `day:${input.today}:${st.stage}`, `The ${st.stage} stage's newest ${st.log} row is ${durationLabel(st.freshnessSeconds)} old; its freshness SLO is ${durationLabel(st.sloSeconds)}.`);
    }
  }
  if (!input.ledger.ok) raise("ledger_verification_failed", `seq:${input.ledger.seq}`, `Entry #${input.ledger.seq}: ${input.ledger.reason}`);
  return out;
}
