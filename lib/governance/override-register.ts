import { parseWindow } from "./window";

/**
 * The override register's vocabulary (governance spec §3): its dimensions, what each
 * means, the threshold an override rate is held against, and the window in weeks.
 */

/** Overrides / human decisions above this share call for a look (governance spec §3: 15 %). */
export const OVERRIDE_RATE_THRESHOLD = 0.15;

export const OVERRIDE_DIMENSIONS = ["all", "analyst", "override_reason", "gating_reason", "cluster", "policy", "scorer"] as const;
export type OverrideDimension = (typeof OVERRIDE_DIMENSIONS)[number];

export const OVERRIDE_DIMENSION_LABELS: Record<Exclude<OverrideDimension, "all">, { title: string; column: string; meaning: string }> = {
  analyst: { title: "By analyst", column: "Analyst", meaning: "who decided; amendments are counted under the lead who amended" },
  override_reason: { title: "By override reason", column: "Reason code", meaning: "the reason code an analyst gave for each override (overrides only)" },
  gating_reason: { title: "By gating reason", column: "Gating reason", meaning: "why the gating core sent the record to a person; a record with several reasons counts under each" },
  cluster: { title: "By cluster", column: "Cluster", meaning: "the decided result's cluster: its values of the policy's CLUSTER_KEY (HomePlanet / Destination by default)" },
  policy: { title: "By policy snapshot", column: "Policy snapshot", meaning: "the policy that gated the decided result version" },
  scorer: { title: "By scorer version", column: "Scorer version", meaning: "the model version that scored the decided result version" },
};

export const DEFAULT_WEEKS = 12;
export const MAX_WEEKS = 104;

/** The `weeks` URL parameter: an integer in [1, 104]; absent means DEFAULT_WEEKS. */
export function parseWeeks(value: string | string[] | undefined | null): { ok: true; weeks: number } | { ok: false; message: string } {
  const parsed = parseWindow(value, { unit: "weeks", default: DEFAULT_WEEKS, max: MAX_WEEKS });
  return parsed.ok ? { ok: true, weeks: parsed.value } : parsed;
}

/** The `by` URL parameter of the register's CSV export. */
export function parseDimension(value: string | null): Exclude<OverrideDimension, "all"> | null {
  return value !== null && value !== "all" && (OVERRIDE_DIMENSIONS as readonly string[]).includes(value) ? (value as Exclude<OverrideDimension, "all">) : null;
}
