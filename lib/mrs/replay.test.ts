import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { T0, attributionRow, cause, clusteredRow, cohortRow, detectedRow, endedRow, entry, plus } from "./fixtures.test-support";
import type { MachineRows } from "./logs";
import { parseAsOf, viewAsOf } from "./replay";
import { currentRows, hydrateReports, stagePresence } from "./hydrate";
import { degradedAfter, reportDegradation } from "./degraded";
import { buildEntries, buildRows, permute, world } from "./worlds.test-support";

describe("parseAsOf (spec §8)", () => {
  const now = "2025-08-12T12:00:00.000Z";
  it("accepts a past or present instant, normalised", () => {
    expect(parseAsOf("2025-08-12T13:00:00+01:00", now)).toEqual({ ok: true, data: now });
    expect(parseAsOf("2025-08-11T09:00:00Z", now)).toEqual({ ok: true, data: "2025-08-11T09:00:00.000Z" });
  });
  it("refuses an unparsable instant or one in the future, precisely", () => {
    expect(parseAsOf("last tuesday", now)).toMatchObject({ ok: false, error: expect.stringMatching(/^asOf must be an ISO-8601 instant .*; got "last tuesday"$/), fieldErrors: { asOf: [expect.any(String)] } });
    expect(parseAsOf("2025-08-12T12:00:00.001Z", now)).toEqual({
      ok: false,
      error: "asOf must not be in the future: 2025-08-12T12:00:00.001Z is after now (2025-08-12T12:00:00.000Z)",
      fieldErrors: { asOf: ["asOf must not be in the future: 2025-08-12T12:00:00.001Z is after now (2025-08-12T12:00:00.000Z)"] },
    });
    expect(parseAsOf("", now)).toMatchObject({ ok: false, error: "asOf is required: an ISO-8601 instant" });
    expect(parseAsOf(undefined, now)).toMatchObject({ ok: false });
    expect(() => parseAsOf("2025-08-12T00:00:00Z", "now")).toThrow(/now must be/);
  });
});

describe("replay ignores what was written after t", () => {
  it("rows and entries after asOf do not count", () => {
    const d = detectedRow();
    const rows: MachineRows = {
      detected: [d],
      clustered: [clusteredRow(d.reportId)],
      attribution: [
        attributionRow(d.reportId, { attributionRunId: "a1", cause_1: cause("marketing_misattribution", "Campaign Spend"), confidence_1: 0.55, writtenAt: plus(T0, 30) }),
        attributionRow(d.reportId, { attributionRunId: "a2", writtenAt: plus(T0, 300) }),
      ],
      ended: [endedRow(d.reportId, { writtenAt: plus(T0, 600) })],
      cohort: [cohortRow(d.reportId)],
    };
    const confirm = entry({ action: "confirm", after: { status: "decided", cause: cause("social_viral", "TikTok Viral") }, effectiveAt: plus(T0, 400) });
    const before = viewAsOf(rows, [confirm], plus(T0, 299));
    expect(before.reports[0]).toMatchObject({ causeLabel_1: "Campaign Spend", confidence_1: 0.55, windowEnd: null, analystStatus: "open", writtenAt: plus(T0, 30) });
    expect(before.events[0]).toMatchObject({ confidence: 0.55, status: "open" });
    const at = viewAsOf(rows, [confirm], plus(T0, 300));
    expect(at.reports[0]).toMatchObject({ causeLabel_1: "TikTok Viral", confidence_1: 0.72 });
    expect(viewAsOf(rows, [confirm], plus(T0, 400)).events[0]).toMatchObject({ status: "decided" });
    // Before the first detection there is nothing at all.
    expect(viewAsOf(rows, [confirm], plus(T0, -1))).toEqual({ asOf: plus(T0, -1), reports: [], events: [] });
  });
});

// ---------------------------------------------------------------------------------------
// Properties over random logs
// ---------------------------------------------------------------------------------------

describe("replay properties", () => {
  it("replaying the same rows in any order gives the same view and ids", () => {
    fc.assert(
      fc.property(world, ({ reports, entries, asOfMinutes, keys }) => {
        const rows = buildRows(reports);
        const humans = buildEntries(entries);
        const asOf = plus(T0, asOfMinutes);
        const shuffled: MachineRows = {
          detected: permute(rows.detected, keys),
          clustered: permute(rows.clustered, keys),
          attribution: permute(rows.attribution, keys),
          ended: permute(rows.ended, keys),
          cohort: permute(rows.cohort, [...keys].reverse()),
        };
        // Duplicated machine rows (a replayed ingest) change nothing either. (Edit-log entries are unique by seq.)
        const replayed: MachineRows = { ...shuffled, attribution: [...shuffled.attribution, ...rows.attribution], cohort: [...rows.cohort, ...shuffled.cohort] };
        const expected = viewAsOf(rows, humans, asOf);
        expect(viewAsOf(shuffled, permute(humans, keys), asOf)).toEqual(expected);
        expect(viewAsOf(replayed, [...humans].reverse(), asOf)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it("a view as of t ignores every row and entry written after t", () => {
    fc.assert(
      fc.property(world, world, ({ reports, entries, asOfMinutes }, later) => {
        const asOf = plus(T0, asOfMinutes);
        const rows = buildRows(reports);
        const humans = buildEntries(entries);
        const view = viewAsOf(rows, humans, asOf);
        // Everything from the second world, moved to after t, is invisible.
        const shift = asOfMinutes + 1;
        const laterRows = buildRows(later.reports.map((r) => ({
          ...r,
          detections: r.detections.map((d) => ({ ...d, at: d.at + shift })),
          cluster: r.cluster && { ...r.cluster, at: r.cluster.at + shift },
          attributions: r.attributions.map((a) => ({ ...a, at: a.at + shift })),
          end: r.end && { ...r.end, at: r.end.at + shift },
          cohorts: r.cohorts.map((c) => ({ ...c, at: c.at + shift })),
        })));
        const laterEntries = buildEntries(later.entries.map((e) => ({ ...e, at: e.at + shift })));
        const merged: MachineRows = {
          detected: [...rows.detected, ...laterRows.detected],
          clustered: [...rows.clustered, ...laterRows.clustered],
          attribution: [...rows.attribution, ...laterRows.attribution],
          ended: [...rows.ended, ...laterRows.ended],
          cohort: [...rows.cohort, ...laterRows.cohort],
        };
        expect(viewAsOf(merged, [...humans, ...laterEntries], asOf)).toEqual(view);
        for (const r of view.reports) expect(Date.parse(r.writtenAt)).toBeLessThanOrEqual(Date.parse(asOf));
      }),
      { numRuns: 150 },
    );
  });

  it("no report is lost from the roll-up: every cohorted report is counted in exactly one event", () => {
    fc.assert(
      fc.property(world, ({ reports, entries, asOfMinutes }) => {
        const view = viewAsOf(buildRows(reports), buildEntries(entries), plus(T0, asOfMinutes));
        const cohorted = view.reports.filter((r) => r.reportGroupId !== null);
        expect(view.events.reduce((n, e) => n + e.reportCount, 0)).toBe(cohorted.length);
        const counted = view.events.flatMap((e) => e.reportIds);
        expect(new Set(counted).size).toBe(counted.length);
        expect([...counted].sort()).toEqual(cohorted.map((r) => r.reportId).sort());
        for (const e of view.events) {
          expect(e.reportCount).toBe(e.reportIds.length);
          expect(e.overflowStoreCount).toBe(Math.max(0, e.reportCount - 14));
          const filled = Array.from({ length: 14 }, (_, i) => e[`storeId_${(i + 1) as 1}`]).filter((s) => s !== null).length;
          expect(filled).toBeLessThanOrEqual(Math.min(14, e.reportCount));
          const members = view.reports.filter((r) => r.reportGroupId === e.reportGroupId);
          expect(e.reportIds.length).toBe(members.length);
          expect(e.totalsReportCount).toBe(members.filter((r) => r.actual !== null).length);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("the current rows (what the incremental tables keep)", () => {
  it("hydrating each report's latest and earliest row per log gives the same view as every version, at any instant after them", () => {
    fc.assert(
      fc.property(world, fc.integer({ min: 600, max: 2000 }), ({ reports, entries, keys }, afterMinutes) => {
        const rows = buildRows(reports);
        const humans = buildEntries(entries);
        const asOf = plus(T0, afterMinutes);
        const kept = currentRows(rows);
        expect(viewAsOf(kept, permute(humans, keys), asOf)).toEqual(viewAsOf(rows, humans, asOf));
        // It keeps at most two rows per report and log.
        for (const list of Object.values(kept) as { reportId: string }[][]) {
          const perReport = new Map<string, number>();
          for (const r of list) perReport.set(r.reportId, (perReport.get(r.reportId) ?? 0) + 1);
          for (const n of perReport.values()) expect(n).toBeLessThanOrEqual(2);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("a report is degraded at t exactly when t is after its stored deadline (degradedAfter)", () => {
    fc.assert(
      fc.property(world, fc.integer({ min: -10, max: 2000 }), ({ reports }, atMinutes) => {
        const rows = buildRows(reports);
        const asOf = plus(T0, atMinutes);
        for (const r of hydrateReports(rows, [], asOf)) {
          const only = (list: readonly { reportId: string }[]) => list.filter((x) => x.reportId === r.reportId);
          const presence = stagePresence({ detected: only(rows.detected), clustered: only(rows.clustered), attribution: only(rows.attribution), ended: only(rows.ended), cohort: only(rows.cohort) } as never);
          const deadline = degradedAfter(presence);
          expect(reportDegradation(presence, asOf).isDegraded).toBe(deadline !== null && Date.parse(asOf) > Date.parse(deadline));
          expect(r.isDegraded).toBe(deadline !== null && Date.parse(asOf) > Date.parse(deadline));
        }
      }),
      { numRuns: 150 },
    );
  });
});
