import { describe, expect, it } from "vitest";
import { LEAD, T0, attributionRow, cause, detectedRow, entry, fullReport, mergeRows, plus, rowsOf } from "./fixtures.test-support";
import { hydrateReports } from "./hydrate";
import { eventId } from "./ids";
import { ALIGNED_STORE_SLOTS, alignedStores, rollUpEvents, type AlignedStoreColumns } from "./rollup";

const asOf = plus(T0, 24 * 60);
const startAt = (i: number) => plus("2025-08-11T07:00:00.000Z", i * 10);

/** n stores, store i with window start i × 10 min (listed in reverse so order must be computed). */
function storesEvent(n: number) {
  const parts = Array.from({ length: n }, (_, i) => fullReport(`S-${String(i + 1).padStart(3, "0")}`, "G-1", { windowStart: startAt(i), retailer: `Retailer ${i + 1}`, confidence: 0.5 + i / 100 }));
  return mergeRows(...parts.reverse());
}

describe("event roll-up (spec §4)", () => {
  it("a 15-store event: 14 aligned pairs from the same report position, the 15th counted as overflow", () => {
    const reports = hydrateReports(storesEvent(15), [], asOf);
    const [event] = rollUpEvents(reports, [], asOf);
    expect(ALIGNED_STORE_SLOTS).toBe(14);
    expect(event).toMatchObject({ reportGroupId: "G-1", eventId: eventId("G-1"), reportCount: 15, overflowStoreCount: 1, distinctStoreCount: 15 });
    alignedStores(event!).forEach(({ storeId, retailer }, i) => {
      const n = i + 1;
      expect(storeId).toBe(`S-${String(n).padStart(3, "0")}`);
      expect(event![`storeId_${n}` as keyof AlignedStoreColumns]).toBe(storeId);
      expect(retailer).toBe(`Retailer ${n}`);
      // storeId_n and retailer_n come from the same report.
      expect(reports.find((r) => r.storeId === storeId)!.retailer).toBe(retailer);
    });
    expect(event!.reportIds).toHaveLength(15);
    expect(event!.reportIds[14]).toBe(reports.find((r) => r.storeId === "S-015")!.reportId);
    expect(Object.keys(event!).some((k) => k === "storeId_15")).toBe(false);
  });

  it("fewer than 14 stores leave null slots; the same store twice keeps both positions (no dedup)", () => {
    const a = detectedRow({ storeId: "S-1", sku: "A", retailer: "Tesco", windowStart: startAt(0) });
    const b = detectedRow({ storeId: "S-1", sku: "B", retailer: "Tesco", windowStart: startAt(1) });
    const rows = rowsOf({ detected: [b, a], cohort: [a, b].map((r) => ({ reportId: r.reportId, reportGroupId: "G-1", cohortSize: 2, cohortConfidence: null, writtenAt: T0 })) });
    const [event] = rollUpEvents(hydrateReports(rows, [], asOf), [], asOf);
    expect(event).toMatchObject({ storeId_1: "S-1", retailer_1: "Tesco", storeId_2: "S-1", retailer_2: "Tesco", storeId_3: null, retailer_3: null, storeId_14: null, reportCount: 2, distinctStoreCount: 1, overflowStoreCount: 0 });
  });

  it("min windowStart, max windowEnd, sums and averages, latest cause and confidence", () => {
    const rows = storesEvent(3);
    const [event] = rollUpEvents(hydrateReports(rows, [], asOf), [], asOf);
    expect(event).toMatchObject({
      windowStart: startAt(0),
      windowEnd: "2025-08-12T07:00:00.000Z",
      unendedReportCount: 0,
      actualSum: 4200,
      baselineSum: 3000,
      upliftSum: 1200,
      actualAvg: 1400,
      baselineAvg: 1000,
      upliftAvg: 400,
      totalsReportCount: 3,
      confidence: 0.52,
      confidenceTier: "medium",
      machineCauseCategory: "social_viral",
      machineCauseLabel: "TikTok Viral",
      status: "open",
      causeSource: "machine",
      // 1,200 uplift on a 3,000 baseline is 40 %: medium by the default rule
      priority: "medium",
      priorityRule: "default",
      isDegraded: false,
      displayStatus: "open",
    });
    expect(event!.confidenceReportId).toBe(hydrateReports(rows, [], asOf).find((r) => r.storeId === "S-003")!.reportId);
  });

  it("the event's cause follows the refreshed attribution; status and analyst cause come from event entries", () => {
    const rows = storesEvent(2);
    const id = rows.detected[0]!.reportId;
    const refreshed = { ...rows, attribution: [...rows.attribution, attributionRow(id, { attributionRunId: "attr-2", cause_1: cause("competitor_stockout", "Competitor Stock-Out"), confidence_1: 0.81, writtenAt: plus(T0, 200) })] };
    const finalise = entry({ action: "finalise", actor: LEAD, after: { status: "finalised", outcome: "approved", cause: null }, reasonCode: "evidence_corroborates", effectiveAt: plus(T0, 300) });
    const [event] = rollUpEvents(hydrateReports(refreshed, [finalise], asOf), [finalise], asOf);
    expect(event).toMatchObject({
      confidence: 0.81,
      machineCauseLabel: "Competitor Stock-Out",
      priority: "high",
      priorityRule: "consequential_cause",
      status: "finalised",
      outcome: "approved",
      decidedByType: "user",
      decidedByRole: "lead",
      causeSource: "machine",
      writtenAt: plus(T0, 300),
    });
  });

  it("degraded when any member report is degraded", () => {
    const rows = storesEvent(3);
    const missingCluster = { ...rows, clustered: rows.clustered.slice(1) };
    const [event] = rollUpEvents(hydrateReports(missingCluster, [], asOf), [], asOf);
    expect(event).toMatchObject({ isDegraded: true, degradedReportCount: 1, displayStatus: "open:degraded" });
  });

  it("reports without a cohort belong to no event; events sort by reportGroupId", () => {
    const rows = mergeRows(fullReport("S-1", "G-2"), fullReport("S-2", "G-1"), rowsOf({ detected: [detectedRow({ storeId: "S-9" })] }));
    const events = rollUpEvents(hydrateReports(rows, [], asOf), [], asOf);
    expect(events.map((e) => [e.reportGroupId, e.reportCount])).toEqual([
      ["G-1", 1],
      ["G-2", 1],
    ]);
  });
});
