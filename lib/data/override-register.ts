/**
 * The override register (governance spec §3): override rate = overrides / human decisions,
 * by analyst, override reason, gating reason, cluster, policy snapshot, scorer version and
 * week, against the threshold; amendments per lead. Read from `override_rollup`, which a
 * trigger on the edit log maintains in the transaction of each decision (see the migration
 * …_override_rollup): a page reads at most (dimensions × keys × weeks) small rows, never
 * the decisions themselves. Only analyst decisions count here (docs/labels.md).
 */
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { OVERRIDE_RATE_THRESHOLD, OVERRIDE_DIMENSIONS, type OverrideDimension } from "@/lib/governance/override-register";
import { addDays } from "@/lib/governance/window";
import { db, transaction } from "./db";

export interface OverrideCell {
  decisions: number;
  overrides: number;
  amendments: number;
  /** overrides / decisions; null without decisions */
  rate: number | null;
}

export interface OverrideRow extends OverrideCell {
  key: string;
  /** what the key means to a person (an analyst's name for their id) */
  label: string;
}

export interface OverrideRegister {
  threshold: number;
  weeks: number;
  /** the first day (a Monday, UTC) of the window */
  from: string;
  total: OverrideCell;
  /** every week of the window, oldest first, with zeros where nothing was decided */
  trend: ({ week: string } & OverrideCell)[];
  by: Record<Exclude<OverrideDimension, "all">, OverrideRow[]>;
}

const rate = (decisions: number, overrides: number) => (decisions > 0 ? overrides / decisions : null);

/** Monday (UTC) of the week holding `at`, as YYYY-MM-DD. */
export function weekStart(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** The register over the last `weeks` ISO weeks (this one included). People with dashboards:read; tokens with read. */
export async function overrideRegister(actor: Actor, options: { weeks: number; now?: Date }): Promise<OverrideRegister> {
  // The operator: the scheduled alert evaluation runs as the system (lib/data/alerts.ts).
  if (actor.kind !== "operator") assertCanRead(actor, "dashboards:read");
  const thisWeek = weekStart(options.now ?? new Date());
  const from = addDays(thisWeek, -7 * (options.weeks - 1));
  const { rows } = await db().pool.query<{ dimension: OverrideDimension; key: string; week: string | null; decisions: number; overrides: number; amendments: number; name: string | null }>(
    `SELECT g.dimension, g.key, g.week, g.decisions, g.overrides, g.amendments, u.name
     FROM (
       SELECT dimension, key, CASE WHEN dimension = 'all' THEN to_char(week, 'YYYY-MM-DD') END AS week,
              sum(decisions)::int AS decisions, sum(overrides)::int AS overrides, sum(amendments)::int AS amendments
       FROM override_rollup WHERE week >= $1::date
       GROUP BY 1, 2, 3
     ) g
     LEFT JOIN users u ON g.dimension = 'analyst' AND u.id::text = g.key`,
    [from],
  );
  const by = Object.fromEntries(OVERRIDE_DIMENSIONS.filter((d) => d !== "all").map((d) => [d, [] as OverrideRow[]])) as OverrideRegister["by"];
  const weekly = new Map<string, OverrideCell>();
  const total: OverrideCell = { decisions: 0, overrides: 0, amendments: 0, rate: null };
  for (const r of rows) {
    const cell = { decisions: r.decisions, overrides: r.overrides, amendments: r.amendments, rate: rate(r.decisions, r.overrides) };
    if (r.dimension === "all") {
      weekly.set(r.week!, cell);
      total.decisions += r.decisions;
      total.overrides += r.overrides;
      total.amendments += r.amendments;
    } else {
      by[r.dimension]?.push({ key: r.key, label: r.dimension === "analyst" ? (r.name ?? "unknown user") : r.key, ...cell });
    }
  }
  total.rate = rate(total.decisions, total.overrides);
  // Most decisions first; the key breaks ties so the order is stable.
  for (const list of Object.values(by)) list.sort((a, b) => b.decisions - a.decisions || b.amendments - a.amendments || a.key.localeCompare(b.key));
  const trend = Array.from({ length: options.weeks }, (_, i) => {
    const week = addDays(from, 7 * i);
    return { week, ...(weekly.get(week) ?? { decisions: 0, overrides: 0, amendments: 0, rate: null }) };
  });
  return { threshold: OVERRIDE_RATE_THRESHOLD, weeks: options.weeks, from, total, trend, by };
}

/**
 * The rollup as stored and as recomputed from the base tables (`override_facts`), each as
 * sorted lines, read in one snapshot (writes elsewhere cannot fall between them): equal.
 */
export async function overrideRollupAgainstBase(): Promise<{ stored: string[]; recomputed: string[] }> {
  const line = "dimension || '|' || key || '|' || week || '|' || decisions || '|' || overrides || '|' || amendments";
  return transaction(async (client) => {
    const stored = await client.query<{ l: string }>(`SELECT ${line} AS l FROM override_rollup WHERE decisions + overrides + amendments > 0 ORDER BY 1`);
    const recomputed = await client.query<{ l: string }>(
      `SELECT ${line} AS l FROM (
         SELECT dimension, key, week, sum(decisions) AS decisions, sum(overrides) AS overrides, sum(amendments) AS amendments FROM override_facts GROUP BY 1, 2, 3
       ) f ORDER BY 1`,
    );
    return { stored: stored.rows.map((r) => r.l), recomputed: recomputed.rows.map((r) => r.l) };
  }, { readOnlySnapshot: true });
}
