/**
 * Policy changes (governance spec §4; gating spec §1.3, §6.1, §8): the snapshot a proposal
 * makes from the active one and a set of edits, and what differs between two snapshots,
 * in words and numbers. Pure.
 */
import { assessRecord, canarySignatureLabel, compileCanaries, compilePolicy, computeSnapshotHash, matchCanaries, parsePolicySnapshot, type PolicySnapshot, type ScoredRecord } from "@/lib/gating";
import { FLAG_CODES, type FlagCode } from "@/lib/gating/reasons";
import type { CanarySignature } from "@/lib/gating/schemas";

/** One editable number of a snapshot: its path (as the form and the field errors name it) and what it means. */
export interface EditableField {
  readonly path: string;
  readonly label: string;
  readonly meaning: string;
  /** whole numbers only */
  readonly integer?: boolean;
}

export interface EditableGroup {
  readonly title: string;
  readonly fields: readonly EditableField[];
}

const GATE_FIELDS = [
  ["CONFIDENCE_MIN", "confidence a fragile record needs to be released"],
  ["ENSEMBLE_AGREEMENT_MIN", "share of ensemble members that must agree"],
  ["INTERVAL_WIDTH_MAX", "widest p10–p90 interval released"],
  ["GLM_GAP_MAX", "largest gap between the model and the GLM fallback"],
] as const;

/** What a proposal may change, grouped as the form shows it (gating spec §8). Statistics, channels and models come only from calibration. */
export const EDITABLE_GROUPS: readonly EditableGroup[] = [
  {
    title: "Routing",
    fields: [
      { path: "csAccept", label: "CS_ACCEPT", meaning: "confidence a non-fragile record needs to be released (§6.3); calibration sets it from TARGET_RELEASE_ERROR" },
      { path: "thresholds.TARGET_RELEASE_ERROR", label: "TARGET_RELEASE_ERROR", meaning: "error rate allowed among released records (§11); the alert's target" },
      { path: "thresholds.RELEASE_DELTA", label: "RELEASE_DELTA", meaning: "the release guarantee's risk δ (§11)" },
      { path: "thresholds.DECISION_THRESHOLD", label: "DECISION_THRESHOLD", meaning: "p50 at or above which the machine label is positive" },
      { path: "theta", label: "θ (fragility threshold)", meaning: "a record is fragile when its fragility score reaches θ (§3.2)" },
      { path: "thresholds.TARGET_FRAGILE_RATE", label: "TARGET_FRAGILE_RATE", meaning: "share of reference records that are fragile: changing it chooses θ again on the reference training rows (unless you edit θ too)" },
    ],
  },
  {
    title: "Batch hold",
    fields: [
      { path: "thresholds.BATCH_FRAGILE_THRESHOLD", label: "BATCH_FRAGILE_THRESHOLD", meaning: "expected fragile share of a batch" },
      { path: "thresholds.BATCH_HOLD_ALPHA", label: "BATCH_HOLD_ALPHA", meaning: "significance of the excess-fragile test that holds a batch" },
      { path: "thresholds.BATCH_HOLD_MIN_N", label: "BATCH_HOLD_MIN_N", meaning: "smaller batches are never held", integer: true },
      { path: "thresholds.SMALL_BATCH_MAX", label: "SMALL_BATCH_MAX", meaning: "batches up to this size use the small-batch gates", integer: true },
    ],
  },
  {
    title: "Fragile gates (small batches)",
    fields: GATE_FIELDS.map(([k, meaning]) => ({ path: `thresholds.SMALL_BATCH_FRAGILE_GATES.${k}`, label: k, meaning })),
  },
  {
    title: "Fragile gates (larger batches)",
    fields: GATE_FIELDS.map(([k, meaning]) => ({ path: `thresholds.FRAGILE_GATES.${k}`, label: k, meaning })),
  },
  {
    title: "Flags",
    fields: [
      { path: "thresholds.TOP1_SHARE_SUPERDOM", label: "TOP1_SHARE_SUPERDOM", meaning: "share of the largest channel that makes SUPER_DOMINANT" },
      { path: "thresholds.AGG_MIN_COUNT", label: "AGG_MIN_COUNT", meaning: "medium-high channels that make AGGREGATE_MEDIUM_HIGH", integer: true },
      { path: "thresholds.AGG_TOP2_PCTILE", label: "AGG_TOP2_PCTILE", meaning: "top-2 sum percentile that makes AGGREGATE_MEDIUM_HIGH" },
      { path: "thresholds.TOP2_SUM_ABS_LOW", label: "TOP2_SUM_ABS_LOW", meaning: "top-2 sum below which AGGREGATE_MEDIUM_HIGH does not fire" },
      { path: "thresholds.MULTI_HIGH_MIN_COUNT", label: "MULTI_HIGH_MIN_COUNT", meaning: "channels above q90 that make MULTI_HIGH_SPEND", integer: true },
    ],
  },
  {
    title: "κ (interval widening)",
    fields: [
      ...(["SUPER_DOMINANT", "MULTI_HIGH_SPEND", "AGGREGATE_MEDIUM_HIGH"] as const).map((f) => ({ path: `thresholds.KAPPA_FLAGS.${f}`, label: f, meaning: "widens the interval of records with this flag" })),
      { path: "thresholds.KAPPA_IMPUTE", label: "KAPPA_IMPUTE", meaning: "per missing spend channel" },
      { path: "thresholds.KAPPA_MISSING", label: "KAPPA_MISSING", meaning: "per missing context key" },
    ],
  },
  {
    title: "Fragility weights",
    fields: [
      ...FLAG_CODES.map((f: FlagCode) => ({ path: `thresholds.FRAGILITY_WEIGHTS.${f}`, label: f, meaning: "adds to the fragility score of records with this flag" })),
      { path: "thresholds.FRAGILITY_WEIGHT_TOP2_Z", label: "top-2 z", meaning: "weight of the cluster z-score of the top-2 sum" },
      { path: "thresholds.FRAGILITY_WEIGHT_MISSING_CHANNEL", label: "missing channel", meaning: "per missing spend channel" },
    ],
  },
];

export const EDITABLE_PATHS: ReadonlySet<string> = new Set(EDITABLE_GROUPS.flatMap((g) => g.fields.map((f) => f.path)));

/** A number of the snapshot by its path (e.g. `thresholds.FRAGILE_GATES.CONFIDENCE_MIN`). */
export function valueAt(snapshot: PolicySnapshot, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), snapshot);
}

/** What a proposal changes: numbers by path, and the canary list when it changes at all. */
export interface PolicyEdits {
  readonly values: Readonly<Record<string, number>>;
  readonly canaries?: { readonly ids: readonly string[]; readonly signatures: readonly CanarySignature[] };
}

/**
 * The snapshot `base` becomes under `edits`: a new id from its content hash (as calibration
 * names snapshots), validated whole — a broken rule throws GatingValidationError naming the
 * field (CS below CS_ACCEPT, a threshold out of range, an unknown flag in a signature).
 */
export function applyPolicyEdits(base: PolicySnapshot, edits: PolicyEdits): PolicySnapshot {
  const { id: _id, ...content } = structuredClone(base) as PolicySnapshot & Record<string, unknown>;
  for (const [path, value] of Object.entries(edits.values)) {
    if (!EDITABLE_PATHS.has(path)) throw new RangeError(`${path} is not an editable field`);
    const keys = path.split(".");
    let at = content as Record<string, unknown>;
    for (const k of keys.slice(0, -1)) at = at[k] as Record<string, unknown>;
    at[keys.at(-1)!] = value;
  }
  if (edits.canaries) content.canaries = { ids: [...edits.canaries.ids], signatures: structuredClone([...edits.canaries.signatures]) };
  return snapshotNamedByContent(content);
}

/**
 * A snapshot validated whole and named as calibration names snapshots: `policy-` and the
 * first 16 hex digits of its content hash (whatever id the input carried), so the same
 * content is always the same snapshot. Throws GatingValidationError naming the field.
 */
export function snapshotNamedByContent(input: unknown): PolicySnapshot {
  const { id: _id, ...content } = (input && typeof input === "object" && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  return parsePolicySnapshot({ id: `policy-${computeSnapshotHash(content as Omit<PolicySnapshot, "id">).slice(0, 16)}`, ...content });
}

export interface PolicyDiffLine {
  readonly section: string;
  readonly name: string;
  /** as text: numbers as they are, lists joined, "—" for none */
  readonly before: string;
  readonly after: string;
  /** the change in words: "+0.01 (+25 %)", "added", "removed", "changed" */
  readonly change: string;
}

const show = (v: unknown): string => (v === undefined || v === null ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

function numberChange(a: number, b: number): string {
  const d = b - a;
  const sign = d > 0 ? "+" : "−";
  const abs = Math.abs(d);
  const rel = a !== 0 ? ` (${sign}${Math.abs((d / a) * 100).toFixed(Math.abs(d / a) < 0.1 ? 1 : 0)} %)` : "";
  return `${sign}${Number(abs.toPrecision(6))}${rel}`;
}

function compareValues(out: PolicyDiffLine[], section: string, name: string, a: unknown, b: unknown) {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  out.push({ section, name, before: show(a), after: show(b), change: typeof a === "number" && typeof b === "number" ? numberChange(a, b) : "changed" });
}

/**
 * What differs from `from` to `to`: every threshold, gate, κ and weight; θ, CS_ACCEPT and
 * the other calibrated numbers; canary ids and signatures one by one; reference statistics,
 * the GLM and the audit-priority model summarised (clusters and rows, changed or not).
 */
export function policyDiff(from: PolicySnapshot, to: PolicySnapshot): PolicyDiffLine[] {
  const out: PolicyDiffLine[] = [];
  const ta = from.thresholds as unknown as Record<string, unknown>;
  const tb = to.thresholds as unknown as Record<string, unknown>;
  for (const key of Object.keys({ ...ta, ...tb })) {
    const a = ta[key];
    const b = tb[key];
    if (a && typeof a === "object" && !Array.isArray(a) && b && typeof b === "object" && !Array.isArray(b)) {
      const section = key.startsWith("KAPPA") ? "κ" : key.startsWith("FRAGILITY_WEIGHT") ? "Fragility weights" : "Gates";
      for (const sub of Object.keys({ ...a, ...b })) compareValues(out, section, `${key}.${sub}`, (a as Record<string, unknown>)[sub], (b as Record<string, unknown>)[sub]);
    } else {
      const section = key.startsWith("KAPPA") ? "κ" : key.startsWith("FRAGILITY_WEIGHT") ? "Fragility weights" : "Thresholds";
      compareValues(out, section, key, a, b);
    }
  }
  for (const key of ["theta", "realisedFragileRate", "csAccept", "varBase", "contributionsExpected", "channels", "contextKeys"] as const) compareValues(out, "Calibrated", key, from[key], to[key]);

  const idsA = new Set(from.canaries.ids);
  const idsB = new Set(to.canaries.ids);
  for (const id of idsB) if (!idsA.has(id)) out.push({ section: "Canaries", name: `id ${id}`, before: "—", after: id, change: "added" });
  for (const id of idsA) if (!idsB.has(id)) out.push({ section: "Canaries", name: `id ${id}`, before: id, after: "—", change: "retired" });
  const sigA = new Map(from.canaries.signatures.map((s) => [s.name, s]));
  const sigB = new Map(to.canaries.signatures.map((s) => [s.name, s]));
  for (const [name, s] of sigB) {
    const before = sigA.get(name);
    if (!before) out.push({ section: "Canaries", name: `signature ${name}`, before: "—", after: show(s), change: "added" });
    else if (JSON.stringify(before) !== JSON.stringify(s)) out.push({ section: "Canaries", name: `signature ${name}`, before: show(before), after: show(s), change: "changed" });
  }
  for (const [name, s] of sigA) if (!sigB.has(name)) out.push({ section: "Canaries", name: `signature ${name}`, before: show(s), after: "—", change: "retired" });

  const ca = from.statistics.clusters;
  const cb = to.statistics.clusters;
  const keys = new Set([...Object.keys(ca), ...Object.keys(cb)]);
  const changedClusters = [...keys].filter((k) => JSON.stringify(ca[k]) !== JSON.stringify(cb[k])).length;
  if (changedClusters > 0 || JSON.stringify(from.statistics.global) !== JSON.stringify(to.statistics.global)) {
    out.push({
      section: "Statistics",
      name: "reference statistics",
      before: `${Object.keys(ca).length} clusters, ${from.statistics.global.n} rows`,
      after: `${Object.keys(cb).length} clusters, ${to.statistics.global.n} rows`,
      change: `${changedClusters} cluster(s) differ`,
    });
  }
  if (JSON.stringify(from.glm) !== JSON.stringify(to.glm)) out.push({ section: "Models", name: "GLM fallback", before: from.glm ? "fitted" : "none", after: to.glm ? "fitted" : "none", change: "changed" });
  if (JSON.stringify(from.auditPriority) !== JSON.stringify(to.auditPriority)) {
    out.push({ section: "Models", name: "audit-priority model", before: from.auditPriority ? "fitted" : "none", after: to.auditPriority ? "fitted" : "none", change: "changed" });
  }
  return out;
}

/** How many of `records` each canary signature of `snapshot` matches (§6.1), in policy order: what the signature editor shows. */
export function signatureMatchCounts(records: readonly ScoredRecord[], snapshot: PolicySnapshot): { name: string; matches: number }[] {
  const compiled = compilePolicy(snapshot);
  const signatures = snapshot.canaries.signatures;
  const canaries = compileCanaries({ ids: [], signatures });
  const index = new Map(signatures.map((s, i) => [canarySignatureLabel(s.name), i]));
  const counts = signatures.map(() => 0);
  for (const record of records) {
    const a = assessRecord(record, compiled);
    for (const label of matchCanaries(canaries, record.recordId, a.topology, a.flagMask)) counts[index.get(label)!]!++;
  }
  return signatures.map((s, i) => ({ name: s.name, matches: counts[i]! }));
}
