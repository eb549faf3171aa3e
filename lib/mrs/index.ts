/**
 * Public API of the minority-events core (spec/minority-events.md). Pure: no Next,
 * Prisma, fs or clock; time comes in as arguments. Client components should import
 * `@/lib/mrs/taxonomy` directly (labels only): this index also re-exports modules that
 * use node:crypto (ids, row content hashes).
 */
export * from "./taxonomy";
export type { MrsResult } from "./result";
export { instantMs, normaliseInstant, isoMs, extremeInstant, INSTANT_RULE, MINUTE_MS, HOUR_MS } from "./time";
export { reportId, eventId, ID_PART_SEPARATOR, REPORT_ID_PATTERN, EVENT_ID_PATTERN, REPORT_GROUP_ID_PATTERN } from "./ids";
export {
  LOG_NAMES,
  LOG_LABELS,
  MAX_LOG_ROWS,
  causeSchema,
  detectedRowSchema,
  attributionRowSchema,
  cohortRowSchema,
  machineRowsSchema,
  naturalKey,
  rowContentHash,
  rowContentKey,
  endedRowErrors,
  windowStartsOf,
  parseLogRows,
  writtenAtAheadError,
  type LogName,
  type LogRow,
  type LogRowByName,
  type MachineRows,
  type MachineEvidence,
  type DetectedRow,
  type ClusteredRow,
  type AttributionRow,
  type EndedRow,
  type CohortRow,
} from "./logs";
export {
  humanEntrySchema,
  transitionError,
  projectDecision,
  compareEntries,
  type HumanEntry,
  type HumanEntryAfter,
  type HumanSubjectType,
  type EntryActor,
  type DecisionState,
} from "./human";
export { DEFAULT_STAGE_SLOS, degradedAfter, reportDegradation, suffixedStatus, type StageSlos, type StagePresence, type Degradation, type SuffixedStatus } from "./degraded";
export {
  DEFAULT_TIER_THRESHOLDS,
  DEFAULT_PRIORITY_CONFIG,
  PRIORITY_RULES,
  confidenceTier,
  eventConfidence,
  eventPriority,
  type TierThresholds,
  type PriorityConfig,
  type PriorityRuleId,
  type PriorityInput,
  type PriorityOutcome,
  type ConfidenceSource,
  type EventConfidence,
} from "./priority";
export { DEFAULT_MRS_CONFIG, currentRows, hydrateReports, entriesBySubject, stagePresence, type HydratedReport, type ReportSources, type MrsConfig, type AttributionState } from "./hydrate";
export { ALIGNED_STORE_SLOTS, alignedStores, rollUpEvents, type EventRollup, type AlignedStoreColumns } from "./rollup";
export { parseAsOf, viewAsOf, type MrsView } from "./replay";
export {
  WEEKEND_AUTO_CONFIRM_RULE,
  DEFAULT_WEEKEND_MODE_CONFIG,
  weekendModeConfigSchema,
  isInForce,
  autoConfirmRefusal,
  autoConfirmations,
  configInForceAt,
  eventArrival,
  weekendModeDecision,
  weekendConfirmations,
  type WeekendModeConfig,
  type WeekendModeVersion,
  type AutoConfirmCandidate,
} from "./automation";
export { eventsCsv, reportsCsv } from "./export";
export {
  EVENT_SORT_DEFAULT_DIR,
  EVENT_SORTS,
  EVENT_STATUS_FILTERS,
  eventListRow,
  PRIORITY_RANK,
  selectEvents,
  storedEventListRow,
  toEventListRow,
  type EventListFilter,
  type EventListRow,
  type EventMemberText,
  type EventSort,
  type EventStatusFilter,
  type StoredEventListRow,
} from "./event-list";
export { downstreamTreatment, downstreamWindows, windowOrder, type DownstreamTreatment, type DownstreamWindow } from "./downstream";
export { impactVector, type ImpactInput, type ImpactVectorRow, type ImpactVectorView } from "./impact";
