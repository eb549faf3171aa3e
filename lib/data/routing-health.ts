/**
 * Routing health (governance spec §3, seed 000 §I; gating spec §11): is the gate routing as
 * designed, and does it send the model's errors to a person?
 *  - daily, from `routing_rollup` (kept by statement triggers in each ingest's transaction):
 *    audit share, fragile share against its expected rate with a binomial band, batch hold
 *    rate, n == 1 and n == 1-fragile auto-release (target 0), caps trigger rate, canaries
 *    sent to audit and any released (an alert);
 *  - the canary ids of the active policy: each one's current route;
 *  - §11 routing quality on labelled current results of the window (docs/labels.md: label
 *    feedback first, else the analysts' final decision): error capture against the
 *    uncertainty baseline, released error rate and its upper bound against
 *    TARGET_RELEASE_ERROR, per reason and flag, the risk–coverage curve. Read from
 *    `routing_quality_rollup`, which the slices' drain keeps from the same per-record facts
 *    (lib/data/slices.ts), and computed by `routingQualityOf`, the function the calibration
 *    report's figures come from too.
 */
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { emptyCodeFigures, routingQuality, routingQualityOf, type LabelledRouting, type RoutingQuality } from "@/lib/gating/routing-quality";
import type { FlagCode, ReasonCode, Route } from "@/lib/gating/reasons";
import { recordTruth } from "@/lib/governance/truth";
import { addDays, dayWindow } from "@/lib/governance/window";
import { db, transaction } from "./db";
import { routingDrift, type RoutingDrift } from "./drift";
import { activePolicy } from "./policies";
import { LATEST_AMENDMENT_JOIN } from "./record-outcome";
import { drainedRollupAgainstBase, drainSliceRollup } from "./slices";

export interface RoutingCounts {
  results: number;
  audit: number;
  fragile: number;
  caps: number;
  single: number;
  singleAuto: number;
  singleFragile: number;
  singleFragileAuto: number;
  canary: number;
  canaryAuto: number;
  batches: number;
  heldBatches: number;
}

export interface RoutingDay extends RoutingCounts {
  day: string;
  /** the 95 % binomial band of the fragile share around its expected rate for this day's results; null without results */
  fragileBand: { low: number; high: number } | null;
}

export interface RoutingHealth {
  days: number;
  /** first day of the window, YYYY-MM-DD (UTC) */
  from: string;
  policy: { id: string; expectedFragileShare: number; targetReleaseError: number };
  total: RoutingCounts;
  /** every day of the window, oldest first, zeros where nothing was gated */
  series: RoutingDay[];
  canaries: { recordId: string; route: Route | null; version: number | null; gatedAt: string | null }[];
  quality: { labelled: { feedback: number; decision: number; disputed: number }; figures: RoutingQuality | null };
  /** PSI and KS of pModel and each spend channel against the policy's reference data */
  drift: Omit<RoutingDrift, "days" | "from">;
}

const ZERO: RoutingCounts = { results: 0, audit: 0, fragile: 0, caps: 0, single: 0, singleAuto: 0, singleFragile: 0, singleFragileAuto: 0, canary: 0, canaryAuto: 0, batches: 0, heldBatches: 0 };

/**
 * The 95 % band of a share around `p` for `n` draws: the exact binomial 2.5 % and 97.5 %
 * quantiles divided by n (so a day's share outside it is unusual at the expected rate).
 */
export function binomialBand(p: number, n: number): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  let cdf = 0;
  let low = -1;
  let high = n;
  // P(X = k) by the recurrence from P(X = 0) = (1 − p)^n, in logs for large n.
  let logPk = n * Math.log1p(-p);
  for (let k = 0; k <= n; k++) {
    if (k > 0) logPk += Math.log((n - k + 1) / k) + Math.log(p) - Math.log1p(-p);
    cdf += Math.exp(logPk);
    if (low < 0 && cdf >= 0.025) low = k;
    if (cdf >= 0.975) {
      high = k;
      break;
    }
  }
  return { low: Math.max(low, 0) / n, high: high / n };
}

type CountsRow = { [K in keyof RoutingCounts]: number };
const COUNT_SQL = `sum(results)::int AS results, sum(audit)::int AS audit, sum(fragile)::int AS fragile, sum(caps)::int AS caps,
  sum(single)::int AS single, sum(single_auto)::int AS "singleAuto", sum(single_fragile)::int AS "singleFragile", sum(single_fragile_auto)::int AS "singleFragileAuto",
  sum(canary)::int AS canary, sum(canary_auto)::int AS "canaryAuto", sum(batches)::int AS batches, sum(held_batches)::int AS "heldBatches"`;

/** Routing health over the last `days` UTC days (today included). People with dashboards:read; tokens with read. */
export async function routingHealth(actor: Actor, options: { days: number; now?: Date }): Promise<RoutingHealth> {
  const daily = await routingDaily(actor, options);
  const { days: _days, from: _from, ...drift } = await routingDrift(actor, options);
  return { ...daily, quality: await labelledRoutingQuality(daily.from), drift };
}

/** Routing health's figures from the rollup alone (no §11): what the daily rows and the canaries say. */
export async function routingDaily(actor: Actor, options: { days: number; now?: Date }): Promise<Omit<RoutingHealth, "quality" | "drift">> {
  // The operator: the scheduled alert evaluation runs as the system (lib/data/alerts.ts).
  if (actor.kind !== "operator") assertCanRead(actor, "dashboards:read");
  const { from } = dayWindow(options.days, options.now);
  const policy = await activePolicy();
  const expectedFragileShare = policy.snapshot.thresholds.BATCH_FRAGILE_THRESHOLD;
  const { pool } = db();

  const daily = await pool.query<CountsRow & { day: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, ${COUNT_SQL} FROM routing_rollup WHERE day >= $1::date GROUP BY day`, [from]);
  const byDay = new Map(daily.rows.map((r) => [r.day, r]));
  const total = { ...ZERO };
  const series = Array.from({ length: options.days }, (_, i) => {
    const day = addDays(from, i);
    const { day: _day, ...counts } = byDay.get(day) ?? { day, ...ZERO };
    for (const key of Object.keys(ZERO) as (keyof RoutingCounts)[]) total[key] += counts[key];
    return { day, ...counts, fragileBand: counts.results > 0 ? binomialBand(expectedFragileShare, counts.results) : null };
  });

  const canaryIds = policy.snapshot.canaries.ids;
  const canaryRows = await pool.query<{ record_id: string; route: Route; version: number; created_at: Date }>(
    "SELECT record_id, route, version, created_at FROM gating_results WHERE current AND record_id = ANY($1::text[])",
    [canaryIds],
  );
  const canaryById = new Map(canaryRows.rows.map((r) => [r.record_id, r]));
  const canaries = canaryIds.map((recordId) => {
    const r = canaryById.get(recordId);
    return { recordId, route: r?.route ?? null, version: r?.version ?? null, gatedAt: r?.created_at.toISOString() ?? null };
  });

  return {
    days: options.days,
    from,
    policy: { id: policy.snapshot.id, expectedFragileShare, targetReleaseError: policy.snapshot.thresholds.TARGET_RELEASE_ERROR },
    total,
    series,
    canaries,
  };
}

/** Width of the rollup's model-confidence bands (migration …_routing_quality_rollup): 250 from 0.5 to 1. */
export const CONFIDENCE_BAND = 0.002;

/**
 * §11 on the current results gated since `from` that carry a truth (label feedback, or a
 * human decision), from `routing_quality_rollup` (drained first, so every committed write
 * counts). The counts are exact; the uncertainty baseline and the risk–coverage curve take
 * records by confidence band, pro rata within the band where the share ends.
 */
export async function labelledRoutingQuality(from: string): Promise<RoutingHealth["quality"]> {
  await drainSliceRollup();
  const { rows } = await db().pool.query<{ kind: string; key: string; audit: boolean; error: boolean; records: number }>(
    `SELECT kind, key, audit, error, sum(records)::int AS records FROM routing_quality_rollup WHERE day >= $1::date GROUP BY 1, 2, 3, 4`,
    [from],
  );
  const labelled = { feedback: 0, decision: 0, disputed: 0 };
  const totals = { records: 0, errors: 0, audited: 0, caught: 0 };
  const { byReason, byFlag } = emptyCodeFigures();
  const bands = new Map<number, { records: number; errors: number }>();
  for (const { kind, key, audit, error, records } of rows) {
    if (records === 0) continue;
    if (kind === "truth") labelled[key as keyof typeof labelled] += records;
    else if (kind === "all") {
      totals.records += records;
      if (error) totals.errors += records;
      if (audit) totals.audited += records;
      if (audit && error) totals.caught += records;
    } else if (kind === "confidence") {
      const band = bands.get(Number(key)) ?? { records: 0, errors: 0 };
      band.records += records;
      if (error) band.errors += records;
      bands.set(Number(key), band);
    } else if (kind === "alone") {
      const f = byReason[key as ReasonCode];
      if (f && error) f.caughtAlone = (f.caughtAlone ?? 0) + records;
    } else {
      const f = kind === "reason" ? byReason[key as ReasonCode] : byFlag[key as FlagCode];
      if (!f) continue; // a code this build no longer knows
      f.records += records;
      if (audit) f.audited += records;
      if (error) f.errors += records;
      if (audit && error) f.caught += records;
    }
  }
  const byConfidence = [...bands.entries()].sort(([a], [b]) => a - b).map(([band, t]) => ({ confidence: 0.5 + (band + 0.5) * CONFIDENCE_BAND, ...t }));
  return { labelled, figures: totals.records > 0 ? routingQualityOf({ ...totals, byReason, byFlag, byConfidence }) : null };
}

/**
 * The same figures recomputed from the base tables, one row per labelled record, exactly
 * (no bands): what the rollup is checked against, in the tests and in B5.
 */
export async function labelledRoutingQualityFromBase(from: string): Promise<RoutingHealth["quality"]> {
  const { pool } = db();
  // Current results of the window that carry a truth: label feedback, or a human decision.
  const labelled = await pool.query<{ route: Route; decision: boolean; p50: number; reason_codes: ReasonCode[]; flags: FlagCode[]; error_estimate: number; feedback: boolean[] | null; decided: boolean | null }>(
    `SELECT r.route, r.decision, r.p50, r.reason_codes, r.flags, r.error_estimate, fb.labels AS feedback, coalesce(am.label, r.review_label) AS decided
     FROM gating_results r
     LEFT JOIN LATERAL (SELECT array_agg(l.label) AS labels FROM record_labels l WHERE l.record_id = r.record_id) fb ON true
     ${LATEST_AMENDMENT_JOIN}
     WHERE r.current AND r.created_at >= $1::date AND (r.review_seq IS NOT NULL OR EXISTS (SELECT 1 FROM record_labels l WHERE l.record_id = r.record_id))
     ORDER BY r.id`,
    [from],
  );
  const items: LabelledRouting[] = [];
  const counts = { feedback: 0, decision: 0, disputed: 0 };
  for (const row of labelled.rows) {
    const truth = recordTruth(row.feedback ?? [], row.decided);
    if (truth.kind === "disputed") counts.disputed++;
    if (truth.kind !== "labelled") continue;
    counts[truth.from]++;
    items.push({ route: row.route, decision: row.decision, label: truth.label, p50: row.p50, reasonCodes: row.reason_codes, flags: row.flags, errorEstimate: row.error_estimate, canary: row.reason_codes.includes("CANARY") });
  }
  return { labelled: counts, figures: items.length > 0 ? routingQuality(items) : null };
}

/** The §11 rollup as stored and as recomputed from the base tables (`routing_quality_facts`), drained and read in one snapshot: equal. */
export async function routingQualityRollupAgainstBase(): Promise<{ stored: string[]; recomputed: string[] }> {
  const line = `day || '|' || kind || '|' || key || '|' || audit || '|' || error || '|' || records`;
  return drainedRollupAgainstBase(
    `SELECT ${line} AS l FROM routing_quality_rollup WHERE records <> 0 ORDER BY 1`,
    `SELECT ${line} AS l FROM (SELECT day, kind, key, audit, error, sum(records) AS records FROM routing_quality_facts GROUP BY 1, 2, 3, 4, 5) f ORDER BY 1`,
  );
}

/** The rollup as stored and as recomputed from the base tables (`routing_facts`), in one snapshot: equal. */
export async function routingRollupAgainstBase(): Promise<{ stored: string[]; recomputed: string[] }> {
  const cols = ["results", "audit", "fragile", "caps", "single", "single_auto", "single_fragile", "single_fragile_auto", "canary", "canary_auto", "batches", "held_batches"];
  const line = `day || '|' || policy_id || '|' || ${cols.map((c) => `${c}`).join(" || '|' || ")}`;
  return transaction(async (client) => {
    const stored = await client.query<{ l: string }>(`SELECT ${line} AS l FROM routing_rollup ORDER BY 1`);
    const recomputed = await client.query<{ l: string }>(`SELECT ${line} AS l FROM (SELECT day, policy_id, ${cols.map((c) => `sum(${c}) AS ${c}`).join(", ")} FROM routing_facts GROUP BY 1, 2) f ORDER BY 1`);
    return { stored: stored.rows.map((r) => r.l), recomputed: recomputed.rows.map((r) => r.l) };
  }, { readOnlySnapshot: true });
}
