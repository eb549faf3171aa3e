/**
 * CSV of hydrated reports and event roll-ups (spec §3–4): flat `_1/_2/_3` and `_1…_14`
 * columns, never arrays (an event's report ids are one space-separated cell, first); RFC
 * 4180 quoting, free text that would run as a spreadsheet formula prefixed with '
 * (lib/csv.ts); a missing value is an empty cell. Line by line, so the routes can stream it.
 */
import { csvLines } from "@/lib/csv";
import type { HydratedReport } from "./hydrate";
import type { EventRollup } from "./rollup";

const SLOTS = Array.from({ length: 14 }, (_, i) => i + 1);

export const EVENT_CSV_COLUMNS = [
  // the event's reports first (spec §4), space-separated in one cell
  "reportIds", "eventId", "reportGroupId", "asOf", "status", "displayStatus", "outcome", "priority", "priorityRule", "confidence", "confidenceTier",
  "causeCategory", "causeLabel", "causeSource", "machineCauseCategory", "machineCauseLabel", "analystCauseCategory", "analystCauseLabel",
  "autoConfirmed", "decidedByType", "decidedConfigVersion", "reportCount", "overflowStoreCount", "distinctStoreCount",
  "windowStart", "windowEnd", "actualSum", "baselineSum", "upliftSum", "actualAvg", "baselineAvg", "upliftAvg", "isDegraded", "writtenAt",
  ...SLOTS.flatMap((n) => [`storeId_${n}`, `retailer_${n}`]),
] as const;

export const REPORT_CSV_COLUMNS = [
  "reportId", "eventId", "reportGroupId", "asOf", "storeId", "retailer", "sku", "city", "clusterId", "windowStart", "windowEnd",
  "baseline", "actual", "uplift", "attributionState", "causeCategory_1", "causeLabel_1", "confidence_1", "causeCategory_2", "causeLabel_2",
  "confidence_2", "causeCategory_3", "causeLabel_3", "confidence_3", "confidenceTier", "analystStatus", "analystOutcome",
  "analystCauseCategory", "analystCauseLabel", "isDegraded", "displayStatus", "writtenAt",
] as const;

export const eventsCsv = (events: readonly EventRollup[]) => csvLines(EVENT_CSV_COLUMNS, events);
export const reportsCsv = (reports: readonly HydratedReport[]) => csvLines(REPORT_CSV_COLUMNS, reports);
