/**
 * The event pipeline's governance figures (minority-events spec §9, governance spec §3):
 * the stages and their SLOs, the fixed latency histogram the rollup keeps, p95 read from
 * it, the stale-event SLA, and the parameters the page and its API accept.
 */
import { DEFAULT_STAGE_SLOS, HOUR_MS } from "@/lib/mrs";

export const PIPELINE_STAGES = ["detection", "clustering", "attribution"] as const;
export type PipelineStageName = (typeof PIPELINE_STAGES)[number];

export const PIPELINE_STAGE_LABELS: Record<PipelineStageName, { label: string; latency: string; log: "detected" | "clustered" | "attribution" }> = {
  detection: { label: "Detection", latency: "detected row written → recorded here", log: "detected" },
  clustering: { label: "Clustering", latency: "detected → first row with a cluster", log: "clustered" },
  attribution: { label: "Attribution", latency: "detected → first attribution with a confidence", log: "attribution" },
};

/** Each stage's SLO in seconds (the seed's: detection and clustering 30 min, attribution 4 h). */
export const STAGE_SLO_SECONDS: Record<PipelineStageName, number> = {
  detection: DEFAULT_STAGE_SLOS.detectionMs / 1000,
  clustering: DEFAULT_STAGE_SLOS.clusteringMs / 1000,
  attribution: DEFAULT_STAGE_SLOS.attributionMs / 1000,
};

/** The share of rows an ingest may reject (spec §9: < 1 %). */
export const INGEST_ERROR_SLO = 0.01;

/** The share of reports that must meet a stage's SLO (its p95 within the SLO). */
export const STAGE_TARGET = 0.95;

/**
 * Upper edges (inclusive, seconds) of the latency histogram kept in `event_stage_rollup`:
 * bucket i holds latencies ≤ LATENCY_EDGES_SECONDS[i] (and above the previous edge), the
 * last bucket everything beyond 72 h. The migration's `event_latency_bucket` uses the same
 * edges; the SLOs are edges, so "within SLO" is exact and p95 is an upper bound.
 */
export const LATENCY_EDGES_SECONDS = [60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200] as const;
/** The bucket of a stage that has not happened yet (or failed). */
export const NOT_YET_BUCKET = -1;

/** An event open longer than this is stale (counted from its first detection, or its latest reopening). */
export const STALE_EVENT_SLA_MS = 72 * HOUR_MS;

/** A latency edge as words: "30 min", "4 h", "72 h". */
export function latencyLabel(seconds: number): string {
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/** A stage's histogram for a window: reports per bucket (NOT_YET_BUCKET included). */
export type LatencyHistogram = ReadonlyMap<number, number>;

export interface StageFigures {
  reports: number;
  /** reports whose stage happened (a cluster id, a confidence; every detection) */
  done: number;
  withinSlo: number;
  /** withinSlo / reports; null without reports */
  coverage: number | null;
  /**
   * p95 latency from the histogram: the upper edge (seconds) of the bucket where 95 % of the
   * window's reports are reached, `"over"` beyond the last edge, `"not-yet"` when more than
   * 5 % have not reached the stage; null without reports.
   */
  p95: number | "over" | "not-yet" | null;
  /** p95 within the SLO (equivalently: coverage ≥ 95 %); null without reports */
  meetsSlo: boolean | null;
}

/** The nearest-rank p-quantile of a histogram, where stages not yet reached rank last. */
export function histogramQuantile(histogram: LatencyHistogram, q: number): StageFigures["p95"] {
  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let b = 0; b <= LATENCY_EDGES_SECONDS.length; b++) {
    seen += histogram.get(b) ?? 0;
    if (seen >= rank) return b < LATENCY_EDGES_SECONDS.length ? LATENCY_EDGES_SECONDS[b]! : "over";
  }
  return "not-yet";
}

export function stageFigures(stage: PipelineStageName, histogram: LatencyHistogram): StageFigures {
  const slo = STAGE_SLO_SECONDS[stage];
  let reports = 0;
  let withinSlo = 0;
  for (const [bucket, n] of histogram) {
    reports += n;
    if (bucket !== NOT_YET_BUCKET && (bucket >= LATENCY_EDGES_SECONDS.length ? Infinity : LATENCY_EDGES_SECONDS[bucket]!) <= slo) withinSlo += n;
  }
  const p95 = histogramQuantile(histogram, STAGE_TARGET);
  return {
    reports,
    done: reports - (histogram.get(NOT_YET_BUCKET) ?? 0),
    withinSlo,
    coverage: reports > 0 ? withinSlo / reports : null,
    p95,
    meetsSlo: p95 === null ? null : typeof p95 === "number" && p95 <= slo,
  };
}

/** The parameters of the page, its CSV and its API; anything else is refused by name. */
export const EVENT_PIPELINE_PARAMS = ["days"] as const;
export const EVENT_PIPELINE_EXPORT_PARAMS = ["days", "table"] as const;

/** The first parameter of `names` not in `allowed`, or null. */
export function unknownParam(names: Iterable<string>, allowed: readonly string[]): string | null {
  for (const name of names) if (!allowed.includes(name)) return name;
  return null;
}

/** The tables the page exports as CSV. */
export const EVENT_PIPELINE_TABLES = ["days", "latency", "reports", "drift", "stale"] as const;
export type EventPipelineTable = (typeof EVENT_PIPELINE_TABLES)[number];

/** A duration as the page shows it: "45 s", "12 min", "5 h", "3 d". */
export function durationLabel(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86400).toLocaleString("en-US")} d`;
}
