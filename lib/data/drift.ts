/**
 * Drift of the gate's inputs against the active policy's reference data (governance spec
 * §3): per variable (pModel, each spend channel) the window's bins from `drift_rollup` —
 * which a statement trigger keeps in each ingest's transaction — against the same bins
 * over the reference rows, by PSI and KS, for the whole window and for each day.
 */
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import type { ScoredRecord } from "@/lib/gating";
import { addDays, dayWindow } from "@/lib/governance/window";
import { DRIFT_VARIABLES, BIN_COUNT, driftBin, driftFigure, type DriftFigure, type DriftVariable } from "@/lib/governance/drift";
import { referenceTrainingRecords } from "@/lib/reference-data";
import { db, transaction } from "./db";
import { activePolicy } from "./policies";

export interface DriftVariableFigures {
  variable: DriftVariable;
  /** the window's counts per bin (0 = missing) */
  bins: number[];
  referenceBins: number[];
  window: DriftFigure;
  /** per day of the window, oldest first; null figures on days under MIN_RESULTS_FOR_DRIFT results */
  days: { day: string; n: number; psi: number | null; level: DriftFigure["level"] }[];
}

export interface RoutingDrift {
  days: number;
  from: string;
  reference: { policyId: string; rows: number; description: string };
  variables: DriftVariableFigures[];
}

const REFERENCE_DESCRIPTION = "the training part of data/spaceship-titanic/train.csv (the rows the policy's statistics describe), scored by the reference scorer";

const emptyBins = (v: DriftVariable) => Array.from({ length: BIN_COUNT[v] }, () => 0);

/** The reference rows binned, as the rollup bins results. */
export function referenceBins(records: readonly ScoredRecord[]): Record<DriftVariable, number[]> {
  const bins = Object.fromEntries(DRIFT_VARIABLES.map((v) => [v, emptyBins(v)])) as Record<DriftVariable, number[]>;
  for (const r of records) {
    for (const v of DRIFT_VARIABLES) bins[v][driftBin(v, v === "pModel" ? r.pModel : (r.spend[v] ?? null))]! += 1;
  }
  return bins;
}

/**
 * The active policy's reference bins: read from `drift_reference`, or worked out once from
 * the shipped data (scoring it takes seconds) and stored for every later read.
 */
async function policyReference(policyId: string): Promise<{ bins: Record<DriftVariable, number[]>; rows: number }> {
  const { pool } = db();
  const read = async () => (await pool.query<{ variable: DriftVariable; bin: number; n: number }>("SELECT variable, bin, n FROM drift_reference WHERE policy_id = $1", [policyId])).rows;
  let rows = await read();
  if (rows.length === 0) {
    const training = referenceTrainingRecords();
    const bins = referenceBins(training);
    const flat = DRIFT_VARIABLES.flatMap((v) => bins[v].map((n, bin) => ({ variable: v, bin, n })));
    await pool.query(
      `INSERT INTO drift_reference (policy_id, variable, bin, n) SELECT $1, * FROM unnest($2::text[], $3::smallint[], $4::int[]) ON CONFLICT DO NOTHING`,
      [policyId, flat.map((f) => f.variable), flat.map((f) => f.bin), flat.map((f) => f.n)],
    );
    rows = await read();
  }
  const bins = Object.fromEntries(DRIFT_VARIABLES.map((v) => [v, emptyBins(v)])) as Record<DriftVariable, number[]>;
  for (const r of rows) if (bins[r.variable]) bins[r.variable][r.bin] = r.n;
  return { bins, rows: bins.pModel.reduce((a, b) => a + b, 0) };
}

/** Drift over the last `days` UTC days (today included). People with dashboards:read; the operator (alert evaluation). */
export async function routingDrift(actor: Actor, options: { days: number; now?: Date }): Promise<RoutingDrift> {
  if (actor.kind !== "operator") assertCanRead(actor, "dashboards:read");
  const { from } = dayWindow(options.days, options.now);
  const policy = await activePolicy();
  const reference = await policyReference(policy.snapshot.id);
  const { rows } = await db().pool.query<{ day: string; variable: DriftVariable; bin: number; n: number }>(
    "SELECT to_char(day, 'YYYY-MM-DD') AS day, variable, bin, n FROM drift_rollup WHERE day >= $1::date",
    [from],
  );
  const days = Array.from({ length: options.days }, (_, i) => addDays(from, i));
  const variables = DRIFT_VARIABLES.map((variable) => {
    const byDay = new Map(days.map((d) => [d, emptyBins(variable)]));
    const bins = emptyBins(variable);
    for (const r of rows) {
      if (r.variable !== variable || r.bin >= bins.length) continue;
      bins[r.bin]! += r.n;
      byDay.get(r.day)![r.bin]! += r.n;
    }
    const ref = reference.bins[variable];
    return {
      variable,
      bins,
      referenceBins: ref,
      window: driftFigure(ref, bins),
      days: days.map((day) => {
        const f = driftFigure(ref, byDay.get(day)!);
        return { day, n: f.n, psi: f.psi, level: f.level };
      }),
    };
  });
  return { days: options.days, from, reference: { policyId: policy.snapshot.id, rows: reference.rows, description: REFERENCE_DESCRIPTION }, variables };
}

/** The rollup as stored and as recomputed from the base tables (`drift_facts`), in one snapshot: equal. */
export async function driftRollupAgainstBase(): Promise<{ stored: string[]; recomputed: string[] }> {
  return transaction(async (client) => {
    const stored = await client.query<{ l: string }>("SELECT day || '|' || variable || '|' || bin || '|' || n AS l FROM drift_rollup ORDER BY 1");
    const recomputed = await client.query<{ l: string }>("SELECT day || '|' || variable || '|' || bin || '|' || count(*) AS l FROM drift_facts GROUP BY day, variable, bin ORDER BY 1");
    return { stored: stored.rows.map((r) => r.l), recomputed: recomputed.rows.map((r) => r.l) };
  }, { readOnlySnapshot: true });
}
