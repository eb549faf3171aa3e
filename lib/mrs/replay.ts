/**
 * Replay (spec §8): any view as of a past instant. Only machine rows with
 * `writtenAt ≤ asOf` and edit-log entries with `effectiveAt ≤ asOf` count (the data layer
 * also keeps `recordedAt ≤ now`). System auto-confirmations are entries like any other:
 * replay reads them and never re-derives them, so nothing is counted twice. The same
 * inputs in any order give the same ids and the same view.
 */
import { hydrateReports, DEFAULT_MRS_CONFIG, type HydratedReport, type MrsConfig } from "./hydrate";
import type { HumanEntry } from "./human";
import type { MachineRows } from "./logs";
import { rollUpEvents, type EventRollup } from "./rollup";
import type { MrsResult } from "./result";
import { INSTANT_RULE, instantMs, isoMs } from "./time";

export interface MrsView {
  readonly asOf: string;
  readonly reports: readonly HydratedReport[];
  readonly events: readonly EventRollup[];
}

/**
 * Parses a requested `asOf` against the server's `now` (both ISO-8601 instants): refuses
 * an unparsable instant or one after `now` (a 400 in the API). Returns it normalised to
 * `YYYY-MM-DDTHH:MM:SS.sssZ`.
 */
export function parseAsOf(text: unknown, now: string): MrsResult<string> {
  const nowMs = instantMs(now);
  if (nowMs === null) throw new RangeError(`now must be ${INSTANT_RULE}; got ${JSON.stringify(now)}`);
  if (typeof text !== "string" || text.trim() === "") {
    return { ok: false, error: "asOf is required: an ISO-8601 instant", fieldErrors: { asOf: ["asOf is required: an ISO-8601 instant"] } };
  }
  const ms = instantMs(text.trim());
  if (ms === null) {
    const message = `asOf must be ${INSTANT_RULE}; got ${JSON.stringify(text)}`;
    return { ok: false, error: message, fieldErrors: { asOf: [message] } };
  }
  if (ms > nowMs) {
    const message = `asOf must not be in the future: ${isoMs(ms)} is after now (${isoMs(nowMs)})`;
    return { ok: false, error: message, fieldErrors: { asOf: [message] } };
  }
  return { ok: true, data: isoMs(ms) };
}

const atOrBefore = (time: string, limitMs: number) => {
  const ms = instantMs(time);
  return ms !== null && ms <= limitMs;
};

/** The machine rows written at or before `asOf`. */
function rowsAsOf(rows: MachineRows, asOf: string): MachineRows {
  const limit = requireAsOf(asOf);
  return {
    detected: rows.detected.filter((r) => atOrBefore(r.writtenAt, limit)),
    clustered: rows.clustered.filter((r) => atOrBefore(r.writtenAt, limit)),
    attribution: rows.attribution.filter((r) => atOrBefore(r.writtenAt, limit)),
    ended: rows.ended.filter((r) => atOrBefore(r.writtenAt, limit)),
    cohort: rows.cohort.filter((r) => atOrBefore(r.writtenAt, limit)),
  };
}

/** The edit-log entries effective at or before `asOf`. */
function entriesAsOf(entries: readonly HumanEntry[], asOf: string): HumanEntry[] {
  const limit = requireAsOf(asOf);
  return entries.filter((e) => atOrBefore(e.effectiveAt, limit));
}

function requireAsOf(asOf: string): number {
  const ms = instantMs(asOf);
  if (ms === null) throw new RangeError(`asOf must be ${INSTANT_RULE}; got ${JSON.stringify(asOf)} (parse it with parseAsOf first)`);
  return ms;
}

/** Hydrated reports and event roll-ups as of `asOf` (the live view is `viewAsOf(rows, entries, now)`). */
export function viewAsOf(rows: MachineRows, entries: readonly HumanEntry[], asOf: string, config: Partial<MrsConfig> = {}): MrsView {
  const settings: MrsConfig = { ...DEFAULT_MRS_CONFIG, ...config };
  const at = isoMs(requireAsOf(asOf));
  const visibleEntries = entriesAsOf(entries, at);
  const reports = hydrateReports(rowsAsOf(rows, at), visibleEntries, at, settings);
  const events = rollUpEvents(reports, visibleEntries, at, settings);
  return { asOf: at, reports, events };
}
