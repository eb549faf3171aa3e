/**
 * The hydrated report (spec §3): one flat row per report, as the UI and the CSV export
 * show it, merged from the latest row of each machine log and the human entries.
 *
 * Field precedence per report:
 *   - storeId, sku from detected (they make the reportId); retailer, city: clustered ▸ detected;
 *   - windowStart and totals from detected (latest version); windowEnd from ended (latest);
 *   - machine attribution from the latest attribution row by writtenAt (ties: the larger
 *     attributionRunId, then content), as flat `_1/_2/_3` columns — never arrays;
 *   - analyst decisions (entries on the report and on its event) supersede the machine
 *     cause in `causeCategory` / `causeLabel` only; the machine's columns stay beside them;
 *   - writtenAt = the greatest writtenAt / effectiveAt of everything that contributed.
 * A missing source yields null columns, never a failure. hydrateReports does not filter
 * by time: replay.ts does, then calls it.
 */
import { eventId as deriveEventId } from "./ids";
import { compareEntries, projectDecision, type DecisionState, type HumanEntry } from "./human";
import { reportDegradation, suffixedStatus, DEFAULT_STAGE_SLOS, type StagePresence, type StageSlos, type SuffixedStatus } from "./degraded";
import { rowContentKey, type AttributionRow, type ClusteredRow, type CohortRow, type DetectedRow, type EndedRow, type LogName, type LogRowByName, type MachineEvidence, type MachineRows } from "./logs";
import { confidenceTier, DEFAULT_PRIORITY_CONFIG, DEFAULT_TIER_THRESHOLDS, type PriorityConfig, type TierThresholds } from "./priority";
import type { CauseCategory, ConfidenceTier, EventStatus, FinalisationOutcome, HumanAction } from "./taxonomy";
import { extremeInstant, instantMs, normaliseInstant } from "./time";

/** Everything configurable in the views, with the spec's defaults. */
export interface MrsConfig {
  readonly slos: StageSlos;
  readonly tiers: TierThresholds;
  readonly priority: PriorityConfig;
}

export const DEFAULT_MRS_CONFIG: MrsConfig = Object.freeze({ slos: DEFAULT_STAGE_SLOS, tiers: DEFAULT_TIER_THRESHOLDS, priority: DEFAULT_PRIORITY_CONFIG });

export type AttributionState = "proposed" | "failed" | "missing";

export interface HydratedReport {
  readonly reportId: string;
  /** the view's instant (ISO, ms, UTC) */
  readonly asOf: string;

  // Cohort (latest cohort row): null when the report belongs to no event yet.
  readonly reportGroupId: string | null;
  readonly eventId: string | null;
  readonly cohortSize: number | null;
  readonly cohortConfidence: number | null;
  readonly cohortWrittenAt: string | null;

  // Keys and metadata.
  readonly storeId: string | null;
  readonly retailer: string | null;
  readonly sku: string | null;
  readonly city: string | null;
  readonly clusterId: string | null;
  readonly clusterRunId: string | null;
  readonly isClustered: boolean;

  // Window and totals.
  readonly windowStart: string | null;
  readonly windowEnd: string | null;
  readonly baseline: number | null;
  readonly actual: number | null;
  readonly uplift: number | null;
  /** first detection (the clock of the stage SLOs) */
  readonly detectedAt: string | null;

  // Machine attribution ("machine said").
  readonly attributionState: AttributionState;
  readonly attributionRunId: string | null;
  readonly attributionWrittenAt: string | null;
  /** `unknown` when attribution is missing or failed */
  readonly causeCategory_1: CauseCategory;
  readonly causeLabel_1: string | null;
  readonly confidence_1: number | null;
  readonly causeCategory_2: CauseCategory | null;
  readonly causeLabel_2: string | null;
  readonly confidence_2: number | null;
  readonly causeCategory_3: CauseCategory | null;
  readonly causeLabel_3: string | null;
  readonly confidence_3: number | null;
  readonly confidenceTier: ConfidenceTier | null;
  readonly narrative: string | null;
  /** machine evidence (links/snippets); not a candidate list, so an array is allowed */
  readonly machineEvidence: readonly MachineEvidence[];

  // Human decision ("analyst decided"): entries on this report and on its event, latest last.
  readonly analystStatus: EventStatus;
  readonly analystOutcome: FinalisationOutcome | null;
  readonly analystCauseCategory: CauseCategory | null;
  readonly analystCauseLabel: string | null;
  readonly analystAction: Exclude<HumanAction, "note"> | null;
  readonly analystDecidedAt: string | null;
  readonly analystActorType: "user" | "system" | null;
  /** user id, or the rule for a system actor */
  readonly analystActorId: string | null;
  readonly analystActorRole: string | null;
  readonly analystConfigVersion: string | null;
  readonly analystReasonCode: string | null;
  readonly analystReasonText: string | null;
  readonly analystEvidence: readonly string[];
  readonly analystNoteCount: number;
  /** the current decision was made by weekend-mode automation */
  readonly autoConfirmed: boolean;
  /** the latest decision came from an entry on the report itself rather than its event */
  readonly decidedOn: "report" | "event" | null;

  // What the UI shows as the cause: the analyst's when decided, else the machine's cause_1.
  readonly causeCategory: CauseCategory;
  readonly causeLabel: string | null;
  readonly causeSource: "analyst" | "machine";

  // Degraded modes (spec §6).
  readonly isDegraded: boolean;
  readonly overdueDetection: boolean;
  readonly overdueClustering: boolean;
  readonly overdueAttribution: boolean;
  /** analystStatus, suffixed `:degraded` when degraded (the seed's report_status) */
  readonly displayStatus: SuffixedStatus;

  /** greatest writtenAt (machine rows) / effectiveAt (entries) that contributed */
  readonly writtenAt: string;
}

// ---------------------------------------------------------------------------------------
// Latest row of a log
// ---------------------------------------------------------------------------------------

/** The field that breaks a writtenAt tie before content does (the larger value wins). */
const TIE_FIELD: { [L in LogName]: keyof LogRowByName[L] | null } = {
  detected: null,
  clustered: "clusterRunId",
  attribution: "attributionRunId",
  ended: null,
  cohort: "reportGroupId",
};

function compareVersions<L extends LogName>(log: L, a: LogRowByName[L], b: LogRowByName[L]): number {
  const ta = instantMs(a.writtenAt)!;
  const tb = instantMs(b.writtenAt)!;
  if (ta !== tb) return ta < tb ? -1 : 1;
  const field = TIE_FIELD[log];
  if (field !== null) {
    const fa = String(a[field]);
    const fb = String(b[field]);
    if (fa !== fb) return fa < fb ? -1 : 1;
  }
  const ca = rowContentKey(log, a);
  const cb = rowContentKey(log, b);
  return ca < cb ? -1 : ca > cb ? 1 : 0;
}

/** The latest version among rows (by writtenAt, then the log's tie field, then content): the same for any input order. */
function latestRow<L extends LogName>(log: L, rows: readonly LogRowByName[L][]): LogRowByName[L] | null {
  let best: LogRowByName[L] | null = null;
  for (const r of rows) if (best === null || compareVersions(log, r, best) > 0) best = r;
  return best;
}

function groupByReport<T extends { reportId: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    if (instantMs((r as unknown as { writtenAt: string }).writtenAt) === null) continue; // unparsable time: not a fact the core can place
    const list = out.get(r.reportId);
    if (list) list.push(r);
    else out.set(r.reportId, [r]);
  }
  return out;
}

/** Entries by subject, `event:ME-…` / `report:MR-…`. */
export function entriesBySubject(entries: readonly HumanEntry[]): Map<string, HumanEntry[]> {
  const out = new Map<string, HumanEntry[]>();
  for (const e of entries) {
    const key = `${e.subjectType}:${e.subjectId}`;
    const list = out.get(key);
    if (list) list.push(e);
    else out.set(key, [e]);
  }
  return out;
}

const isoOrNull = (t: string | null | undefined): string | null => (t == null ? null : normaliseInstant(t));

// ---------------------------------------------------------------------------------------
// Hydration
// ---------------------------------------------------------------------------------------

export interface ReportSources {
  readonly detected: readonly DetectedRow[];
  readonly clustered: readonly ClusteredRow[];
  readonly attribution: readonly AttributionRow[];
  readonly ended: readonly EndedRow[];
  readonly cohort: readonly CohortRow[];
}

/** What degradation reads of a report's rows: its stage clocks and whether the latest cluster and attribution succeeded. */
export function stagePresence(sources: ReportSources): StagePresence {
  const clustered = latestRow("clustered", sources.clustered);
  const attribution = latestRow("attribution", sources.attribution);
  return {
    detectedAt: extremeInstant(sources.detected.map((r) => r.writtenAt), "min"),
    firstSeenAt: extremeInstant(
      [sources.detected, sources.clustered, sources.attribution, sources.ended, sources.cohort].flatMap((rows) => rows.map((r: { writtenAt: string }) => r.writtenAt)),
      "min",
    ),
    clustered: clustered !== null && clustered.clusterId !== null,
    attributed: attribution !== null && attribution.confidence_1 !== null,
  };
}

/**
 * The rows of each report and log that hydration reads: the latest version (the report's
 * facts) and the earliest written (its stage clocks). Hydrating these gives the same
 * reports as hydrating every version, so the current tables keep only them.
 */
export function currentRows(rows: MachineRows): MachineRows {
  const keep = <L extends LogName>(log: L, list: readonly LogRowByName[L][]): LogRowByName[L][] => {
    const out: LogRowByName[L][] = [];
    for (const versions of groupByReport(list).values()) {
      const latest = latestRow(log, versions)!;
      const earliest = versions.reduce((a, b) => (instantMs(b.writtenAt)! < instantMs(a.writtenAt)! ? b : a));
      out.push(latest);
      if (earliest !== latest && instantMs(earliest.writtenAt)! < instantMs(latest.writtenAt)!) out.push(earliest);
    }
    return out;
  };
  return {
    detected: keep("detected", rows.detected),
    clustered: keep("clustered", rows.clustered),
    attribution: keep("attribution", rows.attribution),
    ended: keep("ended", rows.ended),
    cohort: keep("cohort", rows.cohort),
  } as MachineRows;
}

/** Hydrates one report from its rows (all versions) and the entries on it and its event. */
function hydrateReport(
  id: string,
  sources: ReportSources,
  entries: { readonly report: readonly HumanEntry[]; readonly event: readonly HumanEntry[] },
  asOf: string,
  config: MrsConfig = DEFAULT_MRS_CONFIG,
): HydratedReport {
  const detected = latestRow("detected", sources.detected);
  const clustered = latestRow("clustered", sources.clustered);
  const attribution = latestRow("attribution", sources.attribution);
  const ended = latestRow("ended", sources.ended);
  const cohort = latestRow("cohort", sources.cohort);

  const attributionState: AttributionState = attribution === null ? "missing" : attribution.confidence_1 === null ? "failed" : "proposed";
  const proposed = attributionState === "proposed" ? attribution : null;
  const isClustered = clustered !== null && clustered.clusterId !== null;

  const decision: DecisionState = projectDecision([...entries.report, ...entries.event]);
  const lastDecisionOnReport = decision.decidedAt === null ? null : latestDecisionSubject(entries.report, entries.event);

  const presence = stagePresence(sources);
  const detectedAt = presence.detectedAt;
  const degradation = reportDegradation(presence, asOf, config.slos);

  const machineCategory = attribution?.cause_1.category ?? "unknown";
  // A failed attribution's label says nothing: it shows unknown with no label.
  const machineLabel = proposed?.cause_1.label ?? null;
  const actor = decision.decidedBy;

  return {
    reportId: id,
    asOf: normaliseInstant(asOf, "asOf"),
    reportGroupId: cohort?.reportGroupId ?? null,
    eventId: cohort ? deriveEventId(cohort.reportGroupId) : null,
    cohortSize: cohort?.cohortSize ?? null,
    cohortConfidence: cohort?.cohortConfidence ?? null,
    cohortWrittenAt: isoOrNull(cohort?.writtenAt),
    storeId: detected?.storeId ?? null,
    retailer: clustered?.retailer ?? detected?.retailer ?? null,
    sku: detected?.sku ?? null,
    city: clustered?.city ?? detected?.city ?? null,
    clusterId: clustered?.clusterId ?? null,
    clusterRunId: clustered?.clusterRunId ?? null,
    isClustered,
    windowStart: isoOrNull(detected?.windowStart),
    windowEnd: isoOrNull(ended?.windowEnd),
    baseline: detected?.baseline ?? null,
    actual: detected?.actual ?? null,
    uplift: detected?.uplift ?? null,
    detectedAt,
    attributionState,
    attributionRunId: attribution?.attributionRunId ?? null,
    attributionWrittenAt: isoOrNull(attribution?.writtenAt),
    causeCategory_1: attributionState === "proposed" ? machineCategory : "unknown",
    causeLabel_1: machineLabel,
    confidence_1: proposed?.confidence_1 ?? null,
    causeCategory_2: proposed?.cause_2?.category ?? null,
    causeLabel_2: proposed?.cause_2?.label ?? null,
    confidence_2: proposed?.confidence_2 ?? null,
    causeCategory_3: proposed?.cause_3?.category ?? null,
    causeLabel_3: proposed?.cause_3?.label ?? null,
    confidence_3: proposed?.confidence_3 ?? null,
    confidenceTier: confidenceTier(proposed?.confidence_1 ?? null, config.tiers),
    narrative: attribution?.narrative ?? null,
    machineEvidence: attribution?.evidence ?? [],
    analystStatus: decision.status,
    analystOutcome: decision.outcome,
    analystCauseCategory: decision.cause?.category ?? null,
    analystCauseLabel: decision.cause?.label ?? null,
    analystAction: decision.lastAction,
    analystDecidedAt: decision.decidedAt,
    analystActorType: actor?.type ?? null,
    analystActorId: actor === null ? null : actor.type === "user" ? actor.id : actor.rule,
    analystActorRole: actor?.type === "user" ? actor.role : null,
    analystConfigVersion: actor?.type === "system" ? actor.configVersion : null,
    analystReasonCode: decision.reasonCode,
    analystReasonText: decision.reasonText,
    analystEvidence: decision.evidence,
    analystNoteCount: decision.noteCount,
    autoConfirmed: decision.autoConfirmed,
    decidedOn: lastDecisionOnReport,
    causeCategory: decision.cause?.category ?? (attributionState === "proposed" ? machineCategory : "unknown"),
    causeLabel: decision.cause ? decision.cause.label : machineLabel,
    causeSource: decision.cause ? "analyst" : "machine",
    isDegraded: degradation.isDegraded,
    overdueDetection: degradation.overdueStages.includes("detection"),
    overdueClustering: degradation.overdueStages.includes("clustering"),
    overdueAttribution: degradation.overdueStages.includes("attribution"),
    displayStatus: suffixedStatus(decision.status, degradation.isDegraded),
    writtenAt: extremeInstant([
      detected?.writtenAt,
      clustered?.writtenAt,
      attribution?.writtenAt,
      ended?.writtenAt,
      cohort?.writtenAt,
      decision.lastEffectiveAt,
    ], "max")!,
  };
}

/** Whether the latest status-changing entry (in the projection's order) is on the report or on its event. */
function latestDecisionSubject(onReport: readonly HumanEntry[], onEvent: readonly HumanEntry[]): "report" | "event" | null {
  const decisive = [...onReport, ...onEvent].filter((e) => e.action !== "note" && instantMs(e.effectiveAt) !== null).sort(compareEntries);
  return decisive.at(-1)?.subjectType ?? null;
}

/**
 * Hydrates every report that appears in any machine log (sorted by reportId). Entries on
 * a report and on the report's current event (by eventId) apply to it.
 */
export function hydrateReports(rows: MachineRows, entries: readonly HumanEntry[], asOf: string, config: MrsConfig = DEFAULT_MRS_CONFIG): HydratedReport[] {
  const by = {
    detected: groupByReport(rows.detected),
    clustered: groupByReport(rows.clustered),
    attribution: groupByReport(rows.attribution),
    ended: groupByReport(rows.ended),
    cohort: groupByReport(rows.cohort),
  };
  const ids = new Set<string>();
  for (const map of Object.values(by)) for (const id of map.keys()) ids.add(id);
  const subjects = entriesBySubject(entries);
  const out: HydratedReport[] = [];
  for (const id of [...ids].sort()) {
    const cohort = latestRow("cohort", by.cohort.get(id) ?? []);
    const event = cohort ? deriveEventId(cohort.reportGroupId) : null;
    out.push(
      hydrateReport(
        id,
        {
          detected: by.detected.get(id) ?? [],
          clustered: by.clustered.get(id) ?? [],
          attribution: by.attribution.get(id) ?? [],
          ended: by.ended.get(id) ?? [],
          cohort: by.cohort.get(id) ?? [],
        },
        { report: subjects.get(`report:${id}`) ?? [], event: event ? (subjects.get(`event:${event}`) ?? []) : [] },
        asOf,
        config,
      ),
    );
  }
  return out;
}
