/** Random worlds of machine rows and edit-log entries for property tests (fast-check). */
import fc from "fast-check";
import { LEAD, T0, attributionRow, cause, clusteredRow, cohortRow, detectedRow, endedRow, entry, plus } from "./fixtures.test-support";
import type { HumanEntry } from "./human";
import { eventId } from "./ids";
import type { MachineRows } from "./logs";
import { CAUSE_CATEGORIES } from "./taxonomy";

// Coarse times (13 values over 10 h) so that rows written at the same instant are common: ties must resolve the same in any order.
export const minutes = fc.integer({ min: 0, max: 12 }).map((k) => k * 50);
const confidencePair = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })).map(([a, b]) => [Math.max(a, b), Math.min(a, b)] as const);

export const reportSpec = fc.record({
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

export const entrySpec = fc.record({
  at: minutes,
  group: fc.constantFrom("G-1", "G-2", "G-3"),
  action: fc.constantFrom("confirm", "override", "finalise", "reopen", "note"),
  category: fc.constantFrom(...CAUSE_CATEGORIES),
});

export type ReportSpec = typeof reportSpec extends fc.Arbitrary<infer T> ? T : never;
export type EntrySpec = typeof entrySpec extends fc.Arbitrary<infer T> ? T : never;

/** `prefix` keeps the stores and groups of one world apart from another's in a shared database. */
export function buildRows(specs: readonly ReportSpec[], prefix = ""): MachineRows {
  const rows = { detected: [], clustered: [], attribution: [], ended: [], cohort: [] } as { [K in keyof MachineRows]: MachineRows[K][number][] };
  for (const s of specs) {
    const storeId = `${prefix}S-${s.store}`;
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
    for (const c of s.cohorts) rows.cohort.push(cohortRow(id, `${prefix}${c.group}`, { writtenAt: plus(T0, c.at) }));
  }
  return rows;
}

export function buildEntries(specs: readonly EntrySpec[], prefix = ""): HumanEntry[] {
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
    return entry({ action: s.action, subjectId: eventId(`${prefix}${s.group}`), after, actor: LEAD, reasonText: "r", effectiveAt: plus(T0, s.at) });
  });
}

/** Deterministic shuffle driven by fast-check's random keys. */
export function permute<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)] ?? 0, i }))
    .sort((a, b) => a.key - b.key || b.i - a.i)
    .map((x) => x.item);
}

export const world = fc.record({
  reports: fc.array(reportSpec, { minLength: 1, maxLength: 20 }),
  entries: fc.array(entrySpec, { maxLength: 12 }),
  asOfMinutes: fc.integer({ min: -10, max: 900 }),
  keys: fc.array(fc.integer(), { minLength: 1, maxLength: 40 }),
});

