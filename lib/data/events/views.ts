/**
 * The events views: hydrated reports and event roll-ups computed by the pure core
 * (lib/mrs) from the machine rows and the edit-log entries as of any instant, one event's
 * or report's detail, and their CSV export.
 */
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { BadRequestError, NotFoundError } from "@/lib/errors";
import { downstreamWindowsQuerySchema } from "@/lib/validations/events";
import { fieldErrorsOf } from "@/lib/validations/field-errors";
import {
  downstreamWindows,
  EVENT_ID_PATTERN,
  parseAsOf,
  viewAsOf,
  windowOrder,
  type DownstreamWindow,
  type HumanEntry,
  type LogName,
  type LogRow,
  type MrsView,
} from "@/lib/mrs";
import { assertCanRead, OPERATOR, type Actor } from "@/lib/auth/actor";
import { causeConfusion, type CauseConfusion } from "@/lib/governance/event-causes";
import { db } from "../db";
import { allEventEntries, entriesOn, liveView, logRows } from "./current";

/** The live view of one report and its event's reports. */
export async function liveReportView(reportId: string): Promise<MrsView> {
  const event = (await db().pool.query<{ event_id: string | null }>("SELECT event_id FROM event_report_current WHERE report_id = $1", [reportId])).rows[0]?.event_id;
  return liveView({ eventIds: event ? [event] : [], reportIds: [reportId] });
}

export interface EventsView extends MrsView {
  /** true when the view is of a past instant (read-only) */
  past: boolean;
  now: string;
}

/**
 * The hydrated reports and event roll-ups as of `asOfText` (default now). An unparsable
 * instant or one in the future is refused naming the rule.
 */
export async function eventsView(actor: Actor, asOfText?: string | null): Promise<EventsView> {
  // The operator runs the weekend automation and the demo seed.
  if (actor.kind !== "operator") assertCanRead(actor, "events:read");
  const now = new Date().toISOString();
  let asOf = now;
  if (asOfText) {
    const parsed = parseAsOf(asOfText, now);
    // spec §8: an instant in the future or unparsable is a 400
    if (!parsed.ok) throw new BadRequestError(parsed.error);
    asOf = parsed.data;
  }
  if (asOf === now) return { ...(await liveView(null)), past: false, now };
  const [rows, entries] = await Promise.all([logRows(db().pool, null, asOf), allEventEntries(asOf)]);
  return { ...viewAsOf(rows, entries, asOf), past: true, now };
}

/**
 * The view of one event (with its member reports) as of `asOfText` (default now), reading
 * only that event's rows: now from the current tables, a past instant from the log rows of
 * the reports whose cohort rows named the event's group by then.
 */
async function eventView(actor: Actor, eventId: string, asOfText?: string | null): Promise<EventsView> {
  assertCanRead(actor, "events:read");
  const now = new Date().toISOString();
  if (!asOfText) return { ...(await liveView({ eventIds: [eventId] })), past: false, now };
  const parsed = parseAsOf(asOfText, now);
  if (!parsed.ok) throw new BadRequestError(parsed.error);
  const asOf = parsed.data;
  const group = (await db().pool.query<{ report_group_id: string }>("SELECT report_group_id FROM event_current WHERE event_id = $1", [eventId])).rows[0]?.report_group_id;
  // An event no report belongs to now: only the whole replay can say whether it existed then.
  if (group === undefined) return eventsView(actor, asOf);
  const reportIds = (
    await db().pool.query<{ report_id: string }>(
      "SELECT DISTINCT report_id FROM event_log_rows WHERE log = 'cohort' AND row->>'reportGroupId' = $1 AND written_at <= $2::timestamptz",
      [group, asOf],
    )
  ).rows.map((r) => r.report_id);
  const [rows, entries] = await Promise.all([logRows(db().pool, reportIds, asOf), entriesOn(db().pool, [eventId], reportIds, asOf)]);
  return { ...viewAsOf(rows, entries, asOf), past: true, now };
}

export interface EventTimelineItem {
  at: string;
  kind: "machine" | "human";
  log?: LogName;
  reportId?: string;
  version?: number;
  row?: LogRow;
  entry?: HumanEntry & { seq?: string | number | bigint; hash?: string };
  actorName?: string | null;
}

/** One event as of an instant, its member reports, and every log row and human action in time order. */
export async function getEventDetail(actor: Actor, eventId: string, asOfText?: string | null) {
  if (!EVENT_ID_PATTERN.test(eventId)) throw new NotFoundError(`No event "${eventId}".`);
  const view = await eventView(actor, eventId, asOfText);
  const event = view.events.find((e) => e.eventId === eventId);
  if (!event) throw new NotFoundError(`No event "${eventId}"${view.past ? ` as of ${view.asOf}` : ""}.`);
  const reports = view.reports.filter((r) => event.reportIds.includes(r.reportId));
  // Three independent reads: one wait, not three.
  const [machine, human, ledgerVersion] = await Promise.all([
    db()
      .pool.query<{ log: LogName; report_id: string; version: number; row: LogRow; written_at: Date }>(
        "SELECT log, report_id, version, row, written_at FROM event_log_rows WHERE report_id = ANY($1::text[]) AND written_at <= $2::timestamptz ORDER BY written_at, id",
        [event.reportIds, view.asOf],
      )
      .then((r) => r.rows),
    db()
      .pool.query<{ seq: string; c: string; hash: string; name: string | null }>(
        `SELECT e.seq::text AS seq, e.c, e.hash, u.name FROM edit_log e LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
         WHERE ((e.subject_type = 'event' AND e.subject_id = $1) OR (e.subject_type = 'report' AND e.subject_id = ANY($2::text[]))) AND e.effective_at <= $3::timestamptz
         ORDER BY e.seq`,
        [eventId, event.reportIds, view.asOf],
      )
      .then((r) => r.rows),
    ledgerVersionOf("event", eventId),
  ]);
  const timeline: EventTimelineItem[] = [
    ...machine.map((m) => ({ at: m.written_at.toISOString(), kind: "machine" as const, log: m.log, reportId: m.report_id, version: m.version, row: m.row })),
    ...human.map((h) => {
      const entry = JSON.parse(h.c) as HumanEntry;
      return { at: entry.effectiveAt, kind: "human" as const, entry: { ...entry, seq: h.seq, hash: h.hash }, actorName: h.name };
    }),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { view, event, reports, timeline, ledgerVersion };
}

/**
 * One report (with its event's reports, as of then) at a past instant, reading only their
 * rows: the event its cohort rows named by then, replayed as `eventView` does; a report
 * in no event yet, from its own rows and the entries on it.
 */
async function pastReportView(actor: Actor, reportId: string, asOfText: string): Promise<EventsView> {
  const now = new Date().toISOString();
  const parsed = parseAsOf(asOfText, now);
  if (!parsed.ok) throw new BadRequestError(parsed.error);
  const rows = await logRows(db().pool, [reportId], parsed.data);
  const own = viewAsOf(rows, [], parsed.data).reports[0];
  if (own?.eventId) return eventView(actor, own.eventId, parsed.data);
  return { ...viewAsOf(rows, await entriesOn(db().pool, [], [reportId], parsed.data), parsed.data), past: true, now };
}

/** A subject's edit-log version (0 before its first entry): what an action on it is checked against. */
export async function ledgerVersionOf(type: "event" | "report", id: string): Promise<number> {
  return Number((await db().pool.query<{ version: number }>("SELECT version FROM edit_log_subjects WHERE subject_type = $1 AND subject_id = $2", [type, id])).rows[0]?.version ?? 0);
}

/** One report as of an instant: the hydrated row, its log rows (every version) and the people's actions on it, with its edit-log version. */
export async function getReportDetail(actor: Actor, reportIdText: string, asOfText?: string | null) {
  assertCanRead(actor, "events:read");
  const view = asOfText ? await pastReportView(actor, reportIdText, asOfText) : { ...(await liveReportView(reportIdText)), past: false, now: new Date().toISOString() };
  const report = view.reports.find((r) => r.reportId === reportIdText);
  if (!report) throw new NotFoundError(`No report "${reportIdText}"${view.past ? ` as of ${view.asOf}` : ""}.`);
  const [rows, actions, ledgerVersion] = await Promise.all([
    db()
      .pool.query<{ log: LogName; version: number; row: LogRow; written_at: Date; recorded_at: Date }>(
        "SELECT log, version, row, written_at, recorded_at FROM event_log_rows WHERE report_id = $1 AND written_at <= $2::timestamptz ORDER BY written_at, id",
        [report.reportId, view.asOf],
      )
      .then((r) => r.rows.map((x) => ({ log: x.log, version: x.version, row: x.row, writtenAt: x.written_at.toISOString(), recordedAt: x.recorded_at.toISOString() }))),
    db()
      .pool.query<{ seq: string; c: string; name: string | null }>(
        `SELECT e.seq::text AS seq, e.c, u.name FROM edit_log e LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
         WHERE e.subject_type = 'report' AND e.subject_id = $1 AND e.effective_at <= $2::timestamptz ORDER BY e.seq`,
        [report.reportId, view.asOf],
      )
      .then((r) => r.rows.map((h) => ({ seq: h.seq, entry: JSON.parse(h.c) as HumanEntry, actorName: h.name }))),
    ledgerVersionOf("report", report.reportId),
  ]);
  return { view, report, rows, actions, ledgerVersion };
}

export interface DownstreamWindowsPage {
  asOf: string;
  windows: DownstreamWindow[];
  /** the cursor of the next page (`after`), null on the last */
  next: string | null;
}

const cursorOf = (w: Pick<DownstreamWindow, "windowStart" | "reportId">) => encodeCursor([w.windowStart, w.reportId]);

function fromCursor(after: string): { windowStart: string; reportId: string } {
  const [windowStart, reportId] = (decodeCursor(after) ?? []) as unknown[];
  if (typeof windowStart === "string" && typeof reportId === "string" && !Number.isNaN(Date.parse(windowStart))) return { windowStart, reportId };
  throw new BadRequestError("after must be the `next` cursor of an earlier page.");
}

/**
 * The store × SKU × window triples downstream systems must exclude or reweight, with the
 * decided cause and tier (lib/mrs/downstream.ts), keyset-paged by window start and report
 * id (events:read, or a read token). A bad parameter is a 400 naming it and its rule.
 */
export async function listDownstreamWindows(actor: Actor, query: Record<string, string>): Promise<DownstreamWindowsPage> {
  assertCanRead(actor, "events:read");
  const parsed = downstreamWindowsQuerySchema.safeParse(query);
  if (!parsed.success) {
    const [name, messages] = Object.entries(fieldErrorsOf(parsed.error))[0]!;
    throw new BadRequestError(`${name === "" ? "The query" : name} ${messages[0]}.`);
  }
  const q = parsed.data;
  const after = q.after === undefined ? null : fromCursor(q.after);
  const limit = q.limit ?? 500;
  const view = await eventsView(actor, null);
  const selected = downstreamWindows(view.reports).filter(
    (w) =>
      (q.status === undefined || q.status.includes(w.status)) &&
      (q.to === undefined || Date.parse(w.windowStart) <= q.to) &&
      (q.from === undefined || w.windowEnd === null || Date.parse(w.windowEnd) >= q.from) &&
      (after === null || windowOrder(w, after) > 0),
  );
  const windows = selected.slice(0, limit);
  return { asOf: view.asOf, windows, next: selected.length > limit ? cursorOf(windows.at(-1)!) : null };
}

/** How many edit-log entries concern events and reports (the demo seed writes its own once). */
export async function eventEntryCount(): Promise<number> {
  return Number((await db().pool.query<{ n: string }>("SELECT count(*) AS n FROM edit_log WHERE subject_type IN ('event', 'report')")).rows[0]!.n);
}

/**
 * The machine cause against the cause people decided, over every event (events are few and
 * slow: a window of weeks would hide most of them), for people who may see dashboards.
 */
export async function eventCauseConfusion(actor: Actor): Promise<CauseConfusion> {
  assertCanRead(actor, "dashboards:read");
  return causeConfusion((await eventsView(OPERATOR)).events);
}
