/** Small builders for tests: valid rows with overridable fields. */
import type { HumanEntry } from "./human";
import { eventId, reportId } from "./ids";
import type { AttributionRow, ClusteredRow, CohortRow, DetectedRow, EndedRow, MachineRows } from "./logs";
import type { Cause } from "./taxonomy";

export const T0 = "2025-08-11T10:00:00.000Z";
export const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

export function detectedRow(over: Partial<DetectedRow> & { storeId?: string; sku?: string; windowStart?: string } = {}): DetectedRow {
  const storeId = over.storeId ?? "S-001";
  const sku = over.sku ?? "SKU-1";
  const windowStart = over.windowStart ?? "2025-08-11T07:00:00.000Z";
  return {
    reportId: reportId(storeId, sku, windowStart),
    storeId,
    retailer: "Tesco",
    sku,
    city: "London",
    windowStart,
    baseline: 1000,
    actual: 1400,
    uplift: 400,
    writtenAt: T0,
    ...over,
  };
}

export const clusteredRow = (id: string, over: Partial<ClusteredRow> = {}): ClusteredRow => ({
  reportId: id,
  clusterRunId: "cluster-1",
  clusterId: "CL-1",
  similarityFeatures: { upliftShape: 0.9 },
  writtenAt: plus(T0, 10),
  ...over,
});

export const cause = (category: Cause["category"], label: string): Cause => ({ category, label });

export const attributionRow = (id: string, over: Partial<AttributionRow> = {}): AttributionRow => ({
  reportId: id,
  attributionRunId: "attr-1",
  cause_1: cause("social_viral", "TikTok Viral"),
  confidence_1: 0.72,
  cause_2: cause("marketing_misattribution", "Campaign Spend"),
  confidence_2: 0.2,
  cause_3: null,
  confidence_3: null,
  narrative: "narrative",
  evidence: [],
  writtenAt: plus(T0, 30),
  ...over,
});

export const endedRow = (id: string, over: Partial<EndedRow> = {}): EndedRow => ({ reportId: id, windowEnd: "2025-08-12T07:00:00.000Z", writtenAt: plus(T0, 60), ...over });

export const cohortRow = (id: string, group = "G-1", over: Partial<CohortRow> = {}): CohortRow => ({
  reportId: id,
  reportGroupId: group,
  cohortSize: 1,
  cohortConfidence: 0.9,
  writtenAt: plus(T0, 15),
  ...over,
});

export const rowsOf = (over: Partial<MachineRows>): MachineRows => ({ detected: [], clustered: [], attribution: [], ended: [], cohort: [], ...over });

/** A fully staged report (detected, clustered, attributed, ended, in group `group`). */
export function fullReport(storeId: string, group = "G-1", over: { windowStart?: string; confidence?: number; category?: Cause["category"]; retailer?: string } = {}): MachineRows {
  const d = detectedRow({ storeId, windowStart: over.windowStart, ...(over.retailer ? { retailer: over.retailer } : {}) });
  return rowsOf({
    detected: [d],
    clustered: [clusteredRow(d.reportId)],
    attribution: [attributionRow(d.reportId, over.confidence === undefined ? {} : { confidence_1: over.confidence, confidence_2: Math.min(0.2, over.confidence), ...(over.category ? { cause_1: cause(over.category, "Label") } : {}) })],
    ended: [endedRow(d.reportId)],
    cohort: [cohortRow(d.reportId, group)],
  });
}

export function mergeRows(...parts: MachineRows[]): MachineRows {
  return {
    detected: parts.flatMap((p) => p.detected),
    clustered: parts.flatMap((p) => p.clustered),
    attribution: parts.flatMap((p) => p.attribution),
    ended: parts.flatMap((p) => p.ended),
    cohort: parts.flatMap((p) => p.cohort),
  };
}

export const ANALYST = { type: "user" as const, id: "11111111-1111-4111-8111-111111111111", role: "analyst" };
export const LEAD = { type: "user" as const, id: "22222222-2222-4222-8222-222222222222", role: "lead" };

export function entry(over: Partial<HumanEntry> & Pick<HumanEntry, "action">): HumanEntry {
  return {
    subjectType: "event",
    subjectId: eventId("G-1"),
    before: null,
    after: null,
    reasonCode: null,
    reasonText: null,
    evidence: [],
    actor: ANALYST,
    effectiveAt: plus(T0, 120),
    ...over,
  };
}
