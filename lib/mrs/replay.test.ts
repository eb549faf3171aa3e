import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LEAD, T0, attributionRow, cause, clusteredRow, cohortRow, detectedRow, endedRow, entry, plus } from "./fixtures.test-support";
import type { HumanEntry } from "./human";
import { eventId } from "./ids";
import type { MachineRows } from "./logs";
import { parseAsOf, viewAsOf } from "./replay";
import { CAUSE_CATEGORIES } from "./taxonomy";

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

// Coarse times (13 values over 10 h) so that rows written at the same instant are common: ties must resolve the same in any order.
const minutes = fc.integer({ min: 0, max: 12 }).map((k) => k * 50);
const confidencePair = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(([a, b]) => [Math.max(a, b), Math.min(a, b)] as const);

const reportSpec = fc.record({
  store: fc.integer({ min: 1, max: 30 }),
  startSlot: fc.integer({ min: 0, max: 3 }),
  detections: fc.array(fc.record({ at: minutes, actual: fc.integer({ min: 0, max: 5000 }) }), { minLength: 0, maxLength: 2 }),
  cluster: fc.option(fc.record({ at: minutes, run: fc.constantFrom("c1", "c2"), id: fc.option(fc.constantFrom("CL-1", "CL-2"), { nil: null }) }), { nil: null }),
  attributions: fc.array(
    fc.record({ at: minutes, run: fc.constantFrom("a1", "a2", "a3"), category: fc.constantFrom(...CAUSE_CATEGORIES), confidences: confidencePair, failed: fc.boolean() }),
    { maxLength: 3 },
  ),
  end: fc.option(fc.record({ at: minutes, afterStartMinutes: fc.integer({ min: 0, max: 2000 }) }), { nil: null }),
  cohorts: fc.array(fc.record({ at: minutes, group: fc.constantFrom("G-1", "G-2", "G-3") }), { maxLength: 2 }),
});

const entrySpec = fc.record({
  at: minutes,
  group: fc.constantFrom("G-1", "G-2", "G-3"),
  action: fc.constantFrom("confirm", "override", "finalise", "reopen", "note"),
  category: fc.constantFrom(...CAUSE_CATEGORIES),
});

type ReportSpec = typeof reportSpec extends fc.Arbitrary<infer T> ? T : never;
type EntrySpec = typeof entrySpec extends fc.Arbitrary<infer T> ? T : never;

function buildRows(specs: readonly ReportSpec[]): MachineRows {
  const rows = { detected: [], clustered: [], attribution: [], ended: [], cohort: [] } as { [K in keyof MachineRows]: MachineRows[K][number][] };
  for (const s of specs) {
    const storeId = `S-${s.store}`;
    const windowStart = plus("2025-08-11T06:00:00.000Z", s.startSlot * 60);
    const id = detectedRow({ storeId, windowStart }).reportId;
    for (const d of s.detections) rows.detected.push(detectedRow({ storeId, windowStart, actual: d.actual, uplift: d.actual - 1000, writtenAt: plus(T0, d.at) }));
    if (s.cluster) rows.clustered.push(clusteredRow(id, { clusterRunId: s.cluster.run, clusterId: s.cluster.id, writtenAt: plus(T0, s.cluster.at) }));
    for (const a of s.attributions) {
      rows.attribution.push(
        a.failed
          ? attributionRow(id, { attributionRunId: a.run, cause_1: cause("unknown", "Attribution failed"), confidence_1: null, cause_2: null, confidence_2: null, writtenAt: plus(T0, a.at) })
          : attributionRow(id, { attributionRunId: a.run, cause_1: cause(a.category, `${a.category} label`), confidence_1: a.confidences[0], confidence_2: a.confidences[1], writtenAt: plus(T0, a.at) }),
      );
    }
    if (s.end) rows.ended.push(endedRow(id, { windowEnd: plus(windowStart, s.end.afterStartMinutes), writtenAt: plus(T0, s.end.at) }));
    for (const c of s.cohorts) rows.cohort.push(cohortRow(id, c.group, { writtenAt: plus(T0, c.at) }));
  }
  return rows;
}

function buildEntries(specs: readonly EntrySpec[]): HumanEntry[] {
  return specs.map((s) => {
    const c = cause(s.category, `${s.category} decided`);
    const after =
      s.action === "confirm" || s.action === "override"
        ? { status: "decided" as const, cause: c }
        : s.action === "finalise"
          ? { status: "finalised" as const, outcome: "approved" as const, cause: c }
          : s.action === "reopen"
            ? { status: "open" as const }
            : null;
    return entry({ action: s.action, subjectId: eventId(s.group), after, actor: LEAD, reasonText: "r", effectiveAt: plus(T0, s.at) });
  });
}

/** Deterministic shuffle driven by fast-check's random keys. */
function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)] ?? 0, i }))
    .sort((a, b) => a.key - b.key || b.i - a.i)
    .map((x) => x.item);
}

const world = fc.record({
  reports: fc.array(reportSpec, { minLength: 1, maxLength: 20 }),
  entries: fc.array(entrySpec, { maxLength: 12 }),
  asOfMinutes: fc.integer({ min: -10, max: 900 }),
  keys: fc.array(fc.integer(), { minLength: 1, maxLength: 40 }),
});

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
