/**
 * The event roll-up (spec §4): one row per event (cohort), from its hydrated reports and
 * the entries on the event. Reports are ordered by windowStart, then reportId; positions
 * 1…14 of that order give the aligned `storeId_n` / `retailer_n` pairs (from the same
 * report, not a deduplicated set), and every report from the 15th on is counted in
 * `overflowStoreCount` — never dropped silently.
 */
import { entriesBySubject, DEFAULT_MRS_CONFIG, type HydratedReport, type MrsConfig } from "./hydrate";
import { projectDecision, type HumanEntry } from "./human";
import { suffixedStatus, type SuffixedStatus } from "./degraded";
import { confidenceTier, eventConfidence, eventPriority, type PriorityRuleId } from "./priority";
import type { CauseCategory, ConfidenceTier, EventStatus, FinalisationOutcome, HumanAction, Priority } from "./taxonomy";
import { extremeInstant, instantMs, normaliseInstant } from "./time";

/** How many aligned store/retailer pairs an event row carries. */
export const ALIGNED_STORE_SLOTS = 14;

type Slot = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14;
export type AlignedStoreColumns = { readonly [K in `storeId_${Slot}` | `retailer_${Slot}`]: string | null };

export interface EventRollup extends AlignedStoreColumns {
  readonly eventId: string;
  readonly reportGroupId: string;
  readonly asOf: string;
  /** member reports, in roll-up order (windowStart, then reportId) */
  readonly reportIds: readonly string[];
  /** reports counted in the event (always reportIds.length) */
  readonly reportCount: number;
  /** reports beyond the 14 aligned slots */
  readonly overflowStoreCount: number;
  readonly distinctStoreCount: number;
  /** cohortSize / cohortConfidence as the latest member cohort row declared them */
  readonly cohortSize: number | null;
  readonly cohortConfidence: number | null;

  readonly windowStart: string | null;
  /** the latest known windowEnd; `unendedReportCount` says how many reports have none yet */
  readonly windowEnd: string | null;
  readonly unendedReportCount: number;

  /** sums and averages over the reports with detected totals (`totalsReportCount`) */
  readonly actualSum: number | null;
  readonly baselineSum: number | null;
  readonly upliftSum: number | null;
  readonly actualAvg: number | null;
  readonly baselineAvg: number | null;
  readonly upliftAvg: number | null;
  readonly totalsReportCount: number;

  // Machine: the event confidence and the cause that carries it.
  readonly confidence: number | null;
  readonly confidenceTier: ConfidenceTier | null;
  readonly confidenceReportId: string | null;
  /** when the event reached its confidence (the attribution's writtenAt): weekend mode's "arrival" */
  readonly confidenceWrittenAt: string | null;
  readonly machineCauseCategory: CauseCategory;
  readonly machineCauseLabel: string | null;

  // Human: entries on the event itself.
  readonly status: EventStatus;
  readonly outcome: FinalisationOutcome | null;
  readonly analystCauseCategory: CauseCategory | null;
  readonly analystCauseLabel: string | null;
  readonly analystAction: Exclude<HumanAction, "note"> | null;
  readonly decidedAt: string | null;
  readonly decidedByType: "user" | "system" | null;
  /** user id, or the rule for a system actor */
  readonly decidedById: string | null;
  readonly decidedByRole: string | null;
  readonly decidedConfigVersion: string | null;
  readonly reasonCode: string | null;
  readonly reasonText: string | null;
  readonly autoConfirmed: boolean;
  /** ever confirmed, overridden or finalised (automation never acts on it again) */
  readonly hasDecision: boolean;
  readonly analystEvidence: readonly string[];
  readonly noteCount: number;

  // Shown cause: the analyst's when decided, else the machine's.
  readonly causeCategory: CauseCategory;
  readonly causeLabel: string | null;
  readonly causeSource: "analyst" | "machine";

  readonly priority: Priority;
  readonly priorityRule: PriorityRuleId;

  readonly isDegraded: boolean;
  readonly degradedReportCount: number;
  /** status, suffixed `:degraded` when any member report is degraded */
  readonly displayStatus: SuffixedStatus;

  /** greatest writtenAt of the member reports and the event's entries */
  readonly writtenAt: string;
}

/** The aligned pairs as a list of 14 (for rendering; the row itself stays flat). */
export function alignedStores(event: AlignedStoreColumns): { readonly storeId: string | null; readonly retailer: string | null }[] {
  return Array.from({ length: ALIGNED_STORE_SLOTS }, (_, i) => ({
    storeId: event[`storeId_${(i + 1) as Slot}`],
    retailer: event[`retailer_${(i + 1) as Slot}`],
  }));
}

/** Roll-up order: windowStart (reports without one last), then reportId. */
function compareReportsForRollup(a: HydratedReport, b: HydratedReport): number {
  const ta = a.windowStart === null ? Infinity : instantMs(a.windowStart)!;
  const tb = b.windowStart === null ? Infinity : instantMs(b.windowStart)!;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.reportId < b.reportId ? -1 : a.reportId > b.reportId ? 1 : 0;
}

const sum = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0));
const avg = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);

/** Rolls one event up from its member reports (all with the same reportGroupId) and the entries on the event. */
function rollUpEvent(
  members: readonly HydratedReport[],
  eventEntries: readonly HumanEntry[],
  asOf: string,
  config: MrsConfig = DEFAULT_MRS_CONFIG,
): EventRollup {
  const first = members[0];
  if (!first || first.eventId === null || first.reportGroupId === null) throw new RangeError("an event needs at least one member report with a reportGroupId");
  if (members.some((r) => r.reportGroupId !== first.reportGroupId)) throw new RangeError("every member report must have the same reportGroupId");

  const ordered = [...members].sort(compareReportsForRollup);
  const aligned: Record<string, string | null> = {};
  for (let n = 1; n <= ALIGNED_STORE_SLOTS; n++) {
    const r = ordered[n - 1];
    aligned[`storeId_${n}`] = r?.storeId ?? null;
    aligned[`retailer_${n}`] = r?.retailer ?? null;
  }

  const withTotals = ordered.filter((r) => r.actual !== null && r.baseline !== null && r.uplift !== null);
  const machine = eventConfidence(ordered);
  const decision = projectDecision(eventEntries);
  // The cohort stage's own declaration, from its latest row among the members.
  const latestCohort = [...ordered].sort((a, b) => instantMs(a.cohortWrittenAt!)! - instantMs(b.cohortWrittenAt!)! || (a.reportId < b.reportId ? -1 : 1)).at(-1)!;
  const upliftSum = sum(withTotals.map((r) => r.uplift!));
  const baselineSum = sum(withTotals.map((r) => r.baseline!));
  const machineCategory: CauseCategory = machine?.causeCategory ?? "unknown";
  const priority = eventPriority({ confidence: machine?.confidence ?? null, category: machine ? machineCategory : null, uplift: upliftSum, baseline: baselineSum }, config.priority);
  const degradedReportCount = ordered.filter((r) => r.isDegraded).length;
  const actor = decision.decidedBy;

  return {
    eventId: first.eventId,
    reportGroupId: first.reportGroupId,
    asOf: normaliseInstant(asOf, "asOf"),
    reportIds: ordered.map((r) => r.reportId),
    reportCount: ordered.length,
    overflowStoreCount: Math.max(0, ordered.length - ALIGNED_STORE_SLOTS),
    distinctStoreCount: new Set(ordered.map((r) => r.storeId).filter((s) => s !== null)).size,
    cohortSize: latestCohort.cohortSize,
    cohortConfidence: latestCohort.cohortConfidence,
    ...(aligned as AlignedStoreColumns),
    windowStart: extremeInstant(ordered.map((r) => r.windowStart), "min"),
    windowEnd: extremeInstant(ordered.map((r) => r.windowEnd), "max"),
    unendedReportCount: ordered.filter((r) => r.windowEnd === null).length,
    actualSum: sum(withTotals.map((r) => r.actual!)),
    baselineSum,
    upliftSum,
    actualAvg: avg(withTotals.map((r) => r.actual!)),
    baselineAvg: avg(withTotals.map((r) => r.baseline!)),
    upliftAvg: avg(withTotals.map((r) => r.uplift!)),
    totalsReportCount: withTotals.length,
    confidence: machine?.confidence ?? null,
    confidenceTier: confidenceTier(machine?.confidence ?? null, config.tiers),
    confidenceReportId: machine?.reportId ?? null,
    confidenceWrittenAt: machine?.writtenAt ?? null,
    machineCauseCategory: machineCategory,
    machineCauseLabel: machine?.causeLabel ?? null,
    status: decision.status,
    outcome: decision.outcome,
    analystCauseCategory: decision.cause?.category ?? null,
    analystCauseLabel: decision.cause?.label ?? null,
    analystAction: decision.lastAction,
    decidedAt: decision.decidedAt,
    decidedByType: actor?.type ?? null,
    decidedById: actor === null ? null : actor.type === "user" ? actor.id : actor.rule,
    decidedByRole: actor?.type === "user" ? actor.role : null,
    decidedConfigVersion: actor?.type === "system" ? actor.configVersion : null,
    reasonCode: decision.reasonCode,
    reasonText: decision.reasonText,
    autoConfirmed: decision.autoConfirmed,
    hasDecision: decision.hasDecision,
    analystEvidence: decision.evidence,
    noteCount: decision.noteCount,
    causeCategory: decision.cause?.category ?? machineCategory,
    causeLabel: decision.cause ? decision.cause.label : (machine?.causeLabel ?? null),
    causeSource: decision.cause ? "analyst" : "machine",
    priority: priority.priority,
    priorityRule: priority.rule,
    isDegraded: degradedReportCount > 0,
    degradedReportCount,
    displayStatus: suffixedStatus(decision.status, degradedReportCount > 0),
    writtenAt: extremeInstant([...ordered.map((r) => r.writtenAt), decision.lastEffectiveAt], "max")!,
  };
}

/** Rolls up every event of the hydrated reports (reports without a cohort belong to none), sorted by reportGroupId. */
export function rollUpEvents(reports: readonly HydratedReport[], entries: readonly HumanEntry[], asOf: string, config: MrsConfig = DEFAULT_MRS_CONFIG): EventRollup[] {
  const groups = new Map<string, HydratedReport[]>();
  for (const r of reports) {
    if (r.reportGroupId === null) continue;
    const list = groups.get(r.reportGroupId);
    if (list) list.push(r);
    else groups.set(r.reportGroupId, [r]);
  }
  const subjects = entriesBySubject(entries);
  return [...groups.keys()]
    .sort()
    .map((group) => {
      const members = groups.get(group)!;
      return rollUpEvent(members, subjects.get(`event:${members[0]!.eventId}`) ?? [], asOf, config);
    });
}
