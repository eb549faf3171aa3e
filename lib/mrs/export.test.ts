import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { EVENT_CSV_COLUMNS, eventsCsv, REPORT_CSV_COLUMNS, reportsCsv } from "./export";
import { attributionRow, cause, clusteredRow, cohortRow, detectedRow, endedRow, plus, T0 } from "./fixtures.test-support";
import type { MachineRows } from "./logs";
import { viewAsOf } from "./replay";

/** Two stores' reports of one event; a cause label and a city a spreadsheet would run, a city with a comma and quotes; the second report never clustered, past its 30-minute SLO (degraded). */
function view() {
  const a = detectedRow({ storeId: "S-001", city: '=HYPERLINK("http://evil.example","open")' });
  const b = detectedRow({ storeId: "S-002", city: 'Leeds, "north"' });
  const rows: MachineRows = {
    detected: [a, b],
    clustered: [clusteredRow(a.reportId)],
    attribution: [a, b].map((d) => attributionRow(d.reportId, { cause_1: cause("social_viral", "@TikTok +viral"), confidence_1: 0.8, writtenAt: plus(T0, 30) })),
    ended: [endedRow(a.reportId, { writtenAt: plus(T0, 60) })],
    cohort: [cohortRow(a.reportId), cohortRow(b.reportId)],
  };
  return viewAsOf(rows, [], plus(T0, 120));
}

const parsed = (lines: Iterable<string>) => parse([...lines].join(""), { columns: true }) as Record<string, string>[];

describe("events and reports CSV (spec §3–4)", () => {
  it("the events CSV starts with the event's report ids, one cell, and has the 14 aligned store/retailer pairs", () => {
    const v = view();
    const [header] = [...eventsCsv(v.events)];
    expect(header!.trimEnd().split(",")).toEqual([...EVENT_CSV_COLUMNS]);
    expect(EVENT_CSV_COLUMNS.slice(0, 2)).toEqual(["reportIds", "eventId"]);
    expect(EVENT_CSV_COLUMNS.filter((c) => /^(storeId|retailer)_\d+$/.test(c))).toHaveLength(28);
    const [row] = parsed(eventsCsv(v.events));
    expect(row!.reportIds!.split(" ")).toEqual(v.events[0]!.reportIds);
    expect(row!.reportIds!.split(" ")).toHaveLength(2);
    expect([row!.storeId_1, row!.storeId_2, row!.storeId_3]).toEqual(["S-001", "S-002", ""]);
  });

  it("the reports CSV says whether each report is degraded and the status it shows", () => {
    const v = view();
    const rows = parsed(reportsCsv(v.reports));
    expect(REPORT_CSV_COLUMNS).toContain("isDegraded");
    expect(REPORT_CSV_COLUMNS).toContain("displayStatus");
    const byStore = Object.fromEntries(rows.map((r) => [r.storeId, r]));
    const report = (store: string) => v.reports.find((r) => r.storeId === store)!;
    for (const store of ["S-001", "S-002"]) {
      expect(byStore[store]!.isDegraded).toBe(String(report(store).isDegraded));
      expect(byStore[store]!.displayStatus).toBe(report(store).displayStatus);
    }
    expect(new Set(rows.map((r) => r.isDegraded))).toEqual(new Set(["true", "false"]));
  });

  it("free text that a spreadsheet would run leaves as text (a leading '), quoted where it must be", () => {
    const v = view();
    const rows = parsed(reportsCsv(v.reports));
    const byStore = Object.fromEntries(rows.map((r) => [r.storeId, r]));
    expect(byStore["S-001"]!.city).toBe(`'=HYPERLINK("http://evil.example","open")`);
    expect(byStore["S-002"]!.city).toBe('Leeds, "north"');
    expect(byStore["S-001"]!.causeLabel_1).toBe("'@TikTok +viral");
    // Numbers stay numbers, negative ones too.
    expect(Number(byStore["S-001"]!.uplift)).toBe(v.reports.find((r) => r.storeId === "S-001")!.uplift);
    const [event] = parsed(eventsCsv(v.events));
    expect(event!.causeLabel).toBe("'@TikTok +viral");
  });
});
