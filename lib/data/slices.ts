/**
 * Slice KPIs (governance spec §3): per flag and per HomePlanet, Destination and CabinDeck,
 * the records, audit rate, override rate, the model's FP/FN rates on labelled records and
 * calibration coverage, over the UTC days of the records' current results.
 *
 * Read from `slice_rollup`, kept by an incremental job (migration …_slice_rollup): writes
 * of results, decisions and labels mark their records in `slice_dirty` (one insert per
 * statement, in the writer's transaction) and `slice_rollup_drain()` replaces those
 * records' facts and moves the rollup by the difference. Every read drains first, so the
 * figures include every committed write; the scheduler drains too, so reads stay short.
 */
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { BadRequestError } from "@/lib/errors";
import type { LabelledErrors } from "@/lib/governance/alerts";
import {
  reliability,
  sliceFigures,
  sliceName,
  SPEC_FLAGS,
  SLICE_DIMENSIONS,
  type ReliabilityBucket,
  type SliceBucketCounts,
  type SliceCounts,
  type SliceFigures,
  type SliceRef,
} from "@/lib/governance/slices";
import { dayWindow } from "@/lib/governance/window";
import { db } from "./db";

export interface SliceRow extends SliceCounts {
  dimension: SliceRef["dimension"];
  key: string;
  figures: SliceFigures;
}

export interface SliceKpis {
  days: number;
  /** first day of the window, YYYY-MM-DD (UTC) */
  from: string;
  /** `all` first, then each dimension's slices (the spec's flags first, then by records) */
  slices: SliceRow[];
  selected: { slice: SliceRef; row: SliceRow | null; reliability: ReliabilityBucket[] };
}

const ZERO: SliceCounts = { records: 0, audit: 0, decided: 0, overrides: 0, labelled: 0, positives: 0, falsePos: 0, falseNeg: 0, disputed: 0 };

/** Brings the rollup up to every committed write; returns how many records it refreshed. */
export async function drainSliceRollup(): Promise<number> {
  const { rows } = await db().pool.query<{ n: number }>("SELECT slice_rollup_drain() AS n");
  return rows[0]!.n;
}

function order(a: SliceRow, b: SliceRow): number {
  const dim = (d: SliceRow["dimension"]) => (d === "all" ? -1 : SLICE_DIMENSIONS.indexOf(d));
  if (a.dimension !== b.dimension) return dim(a.dimension) - dim(b.dimension);
  const spec = (r: SliceRow) => (r.dimension === "flag" && (SPEC_FLAGS as readonly string[]).includes(r.key) ? 0 : 1);
  return spec(a) - spec(b) || b.records - a.records || a.key.localeCompare(b.key);
}

/**
 * Slice KPIs over the last `days` UTC days (today included), with the reliability buckets
 * of one slice. A slice whose value never occurred is a 400 naming `slice`. People with
 * dashboards:read; tokens with read; the operator (alert evaluation).
 */
export async function sliceKpis(actor: Actor, options: { days: number; slice: SliceRef; now?: Date }): Promise<SliceKpis> {
  if (actor.kind !== "operator") assertCanRead(actor, "dashboards:read");
  const { from } = dayWindow(options.days, options.now);
  await drainSliceRollup();
  const { rows } = await db().pool.query<{ dimension: SliceRow["dimension"]; key: string; bucket: number } & SliceCounts & { p10: string; p50: string; p90: string }>(
    `SELECT dimension, key, bucket, sum(records)::int AS records, sum(audit)::int AS audit, sum(decided)::int AS decided, sum(overrides)::int AS overrides,
            sum(labelled)::int AS labelled, sum(positives)::int AS positives, sum(false_pos)::int AS "falsePos", sum(false_neg)::int AS "falseNeg",
            sum(disputed)::int AS disputed, sum(p10_micro) AS p10, sum(p50_micro) AS p50, sum(p90_micro) AS p90
     FROM slice_rollup WHERE day >= $1::date
     GROUP BY 1, 2, 3 HAVING sum(records) > 0`,
    [from],
  );
  const bySlice = new Map<string, { ref: Pick<SliceRow, "dimension" | "key">; counts: SliceCounts; buckets: SliceBucketCounts[] }>();
  for (const r of rows) {
    const id = `${r.dimension}:${r.key}`;
    let s = bySlice.get(id);
    if (!s) bySlice.set(id, (s = { ref: { dimension: r.dimension, key: r.key }, counts: { ...ZERO }, buckets: [] }));
    for (const k of Object.keys(ZERO) as (keyof SliceCounts)[]) s.counts[k] += r[k];
    s.buckets.push({ bucket: r.bucket, labelled: r.labelled, positives: r.positives, p10Sum: Number(r.p10) / 1e6, p50Sum: Number(r.p50) / 1e6, p90Sum: Number(r.p90) / 1e6 });
  }
  const slices = [...bySlice.values()].map((s) => ({ ...s.ref, ...s.counts, figures: sliceFigures(s.counts, s.buckets) })).sort(order);

  const wanted = options.slice;
  const chosen = bySlice.get(`${wanted.dimension}:${wanted.key}`);
  if (!chosen && wanted.dimension !== "all" && wanted.dimension !== "flag" && wanted.dimension !== "fragility") {
    const seen = await db().pool.query("SELECT 1 FROM slice_rollup WHERE dimension = $1 AND key = $2 AND records > 0 LIMIT 1", [wanted.dimension, wanted.key]);
    if (seen.rowCount === 0) throw new BadRequestError(`slice names no slice: no record has ${sliceName(wanted)}.`);
  }
  return {
    days: options.days,
    from,
    slices,
    selected: {
      slice: wanted,
      row: slices.find((s) => s.dimension === wanted.dimension && s.key === wanted.key) ?? null,
      reliability: chosen ? reliability(chosen.buckets) : [],
    },
  };
}

export interface SliceRecordFact {
  recordId: string;
  day: string;
  route: "audit" | "auto";
  machineLabel: boolean;
  p10: number;
  p50: number;
  p90: number;
  decided: boolean;
  overridden: boolean;
  truth: boolean | null;
  disputed: boolean;
}

/** The records one slice counts in the window (the drill-down behind its figures), oldest first, in pages. */
export async function* sliceRecordFacts(actor: Actor, options: { days: number; slice: SliceRef; now?: Date }): AsyncGenerator<SliceRecordFact> {
  assertCanRead(actor, "dashboards:read");
  const { from } = dayWindow(options.days, options.now);
  await drainSliceRollup();
  const { dimension, key } = options.slice;
  const where = {
    all: "true",
    flag: "$2 = ANY (flags)",
    fragility: "fragile = ($2 = 'fragile')",
    home_planet: "home_planet = $2",
    destination: "destination = $2",
    cabin_deck: "cabin_deck = $2",
  }[dimension];
  let after = "";
  for (;;) {
    const { rows } = await db().pool.query<SliceRecordFact>(
      `SELECT record_id AS "recordId", to_char(day, 'YYYY-MM-DD') AS day, CASE WHEN audit THEN 'audit' ELSE 'auto' END AS route, decision AS "machineLabel",
              p10_micro / 1e6 AS p10, p50_micro / 1e6 AS p50, p90_micro / 1e6 AS p90, decided, overridden, truth, disputed
       FROM slice_record_facts WHERE day >= $1::date AND record_id > $3 AND ${where}
       ORDER BY record_id LIMIT 5000`,
      [from, dimension === "all" ? null : key, after],
    );
    for (const r of rows) yield { ...r, p10: Number(r.p10), p50: Number(r.p50), p90: Number(r.p90) };
    if (rows.length < 5000) return;
    after = rows[rows.length - 1]!.recordId;
  }
}

/** The slice rollup as stored and as recomputed from the base tables (`slice_facts`): equal. */
export async function sliceRollupAgainstBase(): Promise<{ stored: string[]; recomputed: string[] }> {
  const cols = ["records", "audit", "decided", "overrides", "labelled", "positives", "false_pos", "false_neg", "disputed", "p10_micro", "p50_micro", "p90_micro"];
  const line = `dimension || '|' || key || '|' || day || '|' || bucket || '|' || ${cols.join(" || '|' || ")}`;
  return drainedRollupAgainstBase(
    `SELECT ${line} AS l FROM slice_rollup WHERE records <> 0 ORDER BY 1`,
    `SELECT ${line} AS l FROM (SELECT dimension, key, day, bucket, ${cols.map((c) => `sum(${c}) AS ${c}`).join(", ")} FROM slice_facts GROUP BY 1, 2, 3, 4) f ORDER BY 1`,
  );
}

/**
 * A rollup the slices' drain keeps (slices, routing quality), as stored and as recomputed
 * by its definition over the base tables, drained and read in one snapshot (so writes of
 * concurrent tests do not show in one and not the other). A drain racing another one is
 * retried. Each query returns one text line `l` per row.
 */
export async function drainedRollupAgainstBase(storedSql: string, recomputedSql: string): Promise<{ stored: string[]; recomputed: string[] }> {
  const client = await db().pool.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
        await client.query("SELECT slice_rollup_drain()");
        const stored = await client.query<{ l: string }>(storedSql);
        const recomputed = await client.query<{ l: string }>(recomputedSql);
        await client.query("COMMIT");
        return { stored: stored.rows.map((r) => r.l), recomputed: recomputed.rows.map((r) => r.l) };
      } catch (error) {
        await client.query("ROLLBACK");
        if ((error as { code?: string }).code !== "40001" || attempt === 5) throw error;
      }
    }
  } finally {
    client.release();
  }
}

/** Labelled fragile records per UTC day since `from` (for the FP/FN spike alert), from the rollup. */
export async function fragileLabelledByDay(from: string): Promise<({ day: string } & LabelledErrors)[]> {
  await drainSliceRollup();
  const { rows } = await db().pool.query<{ day: string } & LabelledErrors>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(labelled)::int AS labelled, sum(positives)::int AS positives, sum(false_pos)::int AS "falsePos", sum(false_neg)::int AS "falseNeg"
     FROM slice_rollup WHERE dimension = 'fragility' AND key = 'fragile' AND day >= $1::date GROUP BY day ORDER BY day`,
    [from],
  );
  return rows;
}
