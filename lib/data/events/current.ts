/**
 * The current events views, kept incrementally (migration …_event_views): per report its
 * current rows (`event_report_current`), per event its roll-up columns (`event_current`).
 * The ingest refreshes the reports it touched and the events they left or joined, in its
 * transaction; an edit-log entry on an event or a report refreshes that event in the
 * append's transaction. Everything is computed by the pure core (lib/mrs) from the rows
 * of the reports concerned, never from the whole table; what depends on the clock
 * (degraded) is stored as a deadline and compared with now when read.
 */
import type { Pool, PoolClient } from "pg";
import {
  currentRows,
  degradedAfter,
  PRIORITY_RANK,
  hydrateReports,
  stagePresence,
  storedEventListRow,
  viewAsOf,
  type EventRollup,
  type HumanEntry,
  type HydratedReport,
  type LogName,
  type LogRow,
  type MachineRows,
  type MrsView,
} from "@/lib/mrs";
import type { EditLogEntry } from "@/lib/ledger/entry";
import { db, transaction } from "../db";
import { appendEntry, type AppendedEntry } from "../ledger";
import { enqueueEventNotification } from "../webhooks";

type Queryable = Pool | PoolClient;

const emptyRows = (): { [L in LogName]: LogRow[] } => ({ detected: [], clustered: [], attribution: [], ended: [], cohort: [] });

/** The rows of many reports' `sources`, merged into one set of machine rows. */
function mergeSources(sources: readonly unknown[]): MachineRows {
  const out = emptyRows();
  for (const s of sources) for (const log of Object.keys(out) as LogName[]) out[log].push(...((s as Record<LogName, LogRow[]>)[log] ?? []));
  return out as unknown as MachineRows;
}

/** The rows of each report in `rows` (every log), by report id. */
function rowsByReport(rows: MachineRows): Map<string, Record<LogName, LogRow[]>> {
  const out = new Map<string, Record<LogName, LogRow[]>>();
  for (const log of Object.keys(rows) as LogName[]) {
    for (const r of rows[log] as readonly LogRow[]) {
      let mine = out.get(r.reportId);
      if (!mine) out.set(r.reportId, (mine = emptyRows()));
      mine[log].push(r);
    }
  }
  return out;
}

/** Every version of the machine rows of the reports given (all when null), written by `asOf` (any time when null). */
export async function logRows(q: Queryable, reportIds: readonly string[] | null, asOf: string | null = null): Promise<MachineRows> {
  const out = emptyRows();
  const rows = (
    await q.query<{ log: LogName; row: LogRow }>(
      "SELECT log, row FROM event_log_rows WHERE ($1::text[] IS NULL OR report_id = ANY($1::text[])) AND ($2::timestamptz IS NULL OR written_at <= $2::timestamptz) ORDER BY id",
      [reportIds, asOf],
    )
  ).rows;
  for (const r of rows) out[r.log].push(r.row);
  return out as unknown as MachineRows;
}

/**
 * Recomputes the current rows of `reportIds` from every version of their log rows (a
 * report has few), then the events each left or joined. Locks the reports' rows in id
 * order first: the five logs ingest in parallel and may touch one report at once.
 */
export async function refreshReports(client: PoolClient, reportIds: readonly string[]): Promise<void> {
  const ids = [...new Set(reportIds)].sort();
  if (ids.length === 0) return;
  await client.query("INSERT INTO event_report_current (report_id) SELECT id FROM unnest($1::text[]) AS id ORDER BY id ON CONFLICT DO NOTHING", [ids]);
  const before = (
    await client.query<{ event_id: string | null }>("SELECT event_id FROM event_report_current WHERE report_id = ANY($1::text[]) ORDER BY report_id FOR UPDATE", [ids])
  ).rows;
  const kept = currentRows(await logRows(client, ids));
  const reports = hydrateReports(kept, [], new Date().toISOString());
  const byReport = rowsByReport(kept);
  const deadlines = reports.map((r) => degradedAfter(stagePresence(byReport.get(r.reportId) as never)));
  await client.query(
    `UPDATE event_report_current c SET event_id = u.event_id, sources = u.sources::jsonb, store_id = u.store_id, retailer = u.retailer, city = u.city, sku = u.sku,
       cluster_id = u.cluster_id, window_start = u.window_start::timestamptz, degraded_after = u.degraded_after::timestamptz, updated_at = now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
       AS u(report_id, event_id, sources, store_id, retailer, city, sku, cluster_id, window_start, degraded_after)
     WHERE c.report_id = u.report_id`,
    [
      reports.map((r) => r.reportId),
      reports.map((r) => r.eventId),
      reports.map((r) => JSON.stringify(byReport.get(r.reportId))),
      reports.map((r) => r.storeId),
      reports.map((r) => r.retailer),
      reports.map((r) => r.city),
      reports.map((r) => r.sku),
      reports.map((r) => r.clusterId),
      reports.map((r) => r.windowStart),
      deadlines,
    ],
  );
  const events = new Set<string>();
  for (const r of before) if (r.event_id) events.add(r.event_id);
  for (const r of reports) if (r.eventId) events.add(r.eventId);
  await refreshEvents(client, [...events]);
}

type LoggedEntry = HumanEntry & { hash: string };
const loggedEntry = (r: { seq: string; c: string; hash: string }): LoggedEntry => ({ ...(JSON.parse(r.c) as HumanEntry), seq: r.seq, hash: r.hash });

/** Edit-log entries on the events and reports given, effective by `asOf` (all when null), in order. */
export async function entriesOn(q: Queryable, eventIds: readonly string[], reportIds: readonly string[], asOf: string | null = null): Promise<LoggedEntry[]> {
  const rows = (
    await q.query<{ seq: string; c: string; hash: string }>(
      `SELECT seq::text AS seq, c, hash FROM edit_log
       WHERE ((subject_type = 'event' AND subject_id = ANY($1::text[])) OR (subject_type = 'report' AND subject_id = ANY($2::text[])))
         AND ($3::timestamptz IS NULL OR effective_at <= $3::timestamptz)
       ORDER BY seq`,
      [eventIds, reportIds, asOf],
    )
  ).rows;
  return rows.map(loggedEntry);
}

/** Every edit-log entry on events and reports, effective by `asOf` (all when null), in order. */
export async function allEventEntries(asOf: string | null = null): Promise<LoggedEntry[]> {
  const rows = (
    await db().pool.query<{ seq: string; c: string; hash: string }>(
      "SELECT seq::text AS seq, c, hash FROM edit_log WHERE subject_type IN ('event', 'report') AND ($1::timestamptz IS NULL OR effective_at <= $1::timestamptz) ORDER BY seq",
      [asOf],
    )
  ).rows;
  return rows.map(loggedEntry);
}

interface Members {
  rows: MachineRows;
  reportIds: string[];
  /** the events the members belong to now */
  eventIds: string[];
  deadlines: Map<string, string | null>;
}

async function membersOf(q: Queryable, eventIds: readonly string[] | null, reportIds: readonly string[] = []): Promise<Members> {
  const found = (
    await q.query<{ report_id: string; event_id: string | null; sources: unknown; degraded_after: Date | null }>(
      eventIds === null
        ? "SELECT report_id, event_id, sources, degraded_after FROM event_report_current WHERE sources IS NOT NULL"
        : "SELECT report_id, event_id, sources, degraded_after FROM event_report_current WHERE (event_id = ANY($1::text[]) OR report_id = ANY($2::text[])) AND sources IS NOT NULL",
      eventIds === null ? [] : [eventIds, reportIds],
    )
  ).rows;
  return {
    rows: mergeSources(found.map((r) => r.sources)),
    reportIds: found.map((r) => r.report_id),
    eventIds: [...new Set(found.flatMap((r) => (r.event_id ? [r.event_id] : [])))],
    deadlines: new Map(found.map((r) => [r.report_id, r.degraded_after?.toISOString() ?? null])),
  };
}

/**
 * Recomputes the roll-up columns of `eventIds` from their member reports' current rows and
 * the entries on them; an event left with no member is removed. Locks the events in id order.
 */
export async function refreshEvents(client: PoolClient, eventIds: readonly string[]): Promise<void> {
  const ids = [...new Set(eventIds)].sort();
  if (ids.length === 0) return;
  await client.query("SELECT pg_advisory_xact_lock(hashtext('event_current:' || id)) FROM (SELECT id FROM unnest($1::text[]) AS id ORDER BY id) AS sorted", [ids]);
  const members = await membersOf(client, ids);
  const entries = await entriesOn(client, ids, members.reportIds);
  const wanted = new Set(ids);
  const view = viewAsOf(members.rows, entries, new Date().toISOString());
  const events = view.events.filter((e) => wanted.has(e.eventId));
  const text = searchTexts(view.reports);
  // An event that opens with High priority, or reaches it while open, notifies the webhooks
  // that want it (once per event: the delivery log's key), in this transaction.
  const before = new Map(
    (await client.query<{ event_id: string; priority: string; status: string }>("SELECT event_id, priority, status FROM event_current WHERE event_id = ANY($1::text[])", [ids])).rows.map((r) => [r.event_id, r]),
  );
  for (const e of events) {
    const was = before.get(e.eventId);
    if (e.priority !== "high" || e.status !== "open" || (was?.priority === "high" && was.status === "open")) continue;
    await enqueueEventNotification(client, "event.high_priority_opened", e.eventId, {
      reportGroupId: e.reportGroupId,
      priority: e.priority,
      priorityRule: e.priorityRule,
      status: e.status,
      causeCategory: e.machineCauseCategory,
      causeLabel: e.machineCauseLabel,
      confidence: e.confidence,
      reportCount: e.reportCount,
      windowStart: e.windowStart,
      upliftSum: e.upliftSum,
    });
  }
  const deadline = (e: EventRollup) => e.reportIds.map((r) => members.deadlines.get(r) ?? null).filter((d): d is string => d !== null).sort()[0] ?? null;
  await client.query("DELETE FROM event_current WHERE event_id = ANY($1::text[]) AND NOT (event_id = ANY($2::text[]))", [ids, events.map((e) => e.eventId)]);
  if (events.length === 0) return;
  await client.query(
    `INSERT INTO event_current (event_id, report_group_id, status, priority, priority_rank, confidence, cause_category, cause_label, machine_cause_label,
       window_start, report_count, uplift_sum, degraded_after, decided_by_id, search_text, retailers, stores, list_row, updated_at)
     SELECT u.event_id, u.report_group_id, u.status, u.priority, u.priority_rank, u.confidence, u.cause_category, u.cause_label, u.machine_cause_label,
       coalesce(u.window_start::timestamptz, '-infinity'), u.report_count, u.uplift_sum, u.degraded_after::timestamptz, u.decided_by_id, u.search_text, u.retailers, u.stores, u.list_row::jsonb, now()
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::smallint[], $6::float8[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::float8[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[])
       AS u(event_id, report_group_id, status, priority, priority_rank, confidence, cause_category, cause_label, machine_cause_label, window_start, report_count, uplift_sum, degraded_after, decided_by_id, search_text, retailers, stores, list_row)
     ON CONFLICT (event_id) DO UPDATE SET report_group_id = EXCLUDED.report_group_id, status = EXCLUDED.status, priority = EXCLUDED.priority,
       priority_rank = EXCLUDED.priority_rank, confidence = EXCLUDED.confidence, cause_category = EXCLUDED.cause_category, cause_label = EXCLUDED.cause_label,
       machine_cause_label = EXCLUDED.machine_cause_label, window_start = EXCLUDED.window_start, report_count = EXCLUDED.report_count,
       uplift_sum = EXCLUDED.uplift_sum, degraded_after = EXCLUDED.degraded_after, decided_by_id = EXCLUDED.decided_by_id,
       search_text = EXCLUDED.search_text, retailers = EXCLUDED.retailers, stores = EXCLUDED.stores, list_row = EXCLUDED.list_row, updated_at = now()`,
    [
      events.map((e) => e.eventId),
      events.map((e) => e.reportGroupId),
      events.map((e) => e.status),
      events.map((e) => e.priority),
      events.map((e) => PRIORITY_RANK[e.priority]),
      events.map((e) => e.confidence),
      events.map((e) => e.causeCategory),
      events.map((e) => e.causeLabel),
      events.map((e) => e.machineCauseLabel),
      events.map((e) => e.windowStart),
      events.map((e) => e.reportCount),
      events.map((e) => e.upliftSum),
      events.map(deadline),
      events.map((e) => (e.decidedByType === "user" ? e.decidedById : null)),
      events.map((e) => joinText([...(text.get(e.eventId)?.search ?? []), e.causeLabel, e.machineCauseLabel])),
      events.map((e) => joinText(text.get(e.eventId)?.retailers ?? [])),
      events.map((e) => joinText(text.get(e.eventId)?.stores ?? [])),
      events.map((e) => JSON.stringify(storedEventListRow(e))),
    ],
  );
}

/** The separator of the list's search columns: a search text holding it matches nothing, so no match spans two values. */
const SEARCH_SEPARATOR = "\u001f";
const joinText = (values: readonly (string | null)[]) => values.flatMap((v) => (v ? [v.toLowerCase()] : [])).join(SEARCH_SEPARATOR);

/** Per event, what its members offer the list's text filters (EventMemberText, lib/mrs/event-list.ts). */
function searchTexts(reports: readonly HydratedReport[]): Map<string, { search: (string | null)[]; retailers: (string | null)[]; stores: (string | null)[] }> {
  const out = new Map<string, { search: (string | null)[]; retailers: (string | null)[]; stores: (string | null)[] }>();
  for (const r of reports) {
    if (r.eventId === null) continue;
    let t = out.get(r.eventId);
    if (!t) out.set(r.eventId, (t = { search: [], retailers: [], stores: [] }));
    t.search.push(r.sku, r.storeId, r.city, r.clusterId, r.retailer);
    t.retailers.push(r.retailer);
    t.stores.push(r.storeId);
  }
  return out;
}

/**
 * Appends an edit-log entry on an event or a report and refreshes its event, in one
 * transaction: the list never shows a decision the log does not have, or the reverse.
 */
export async function appendEventEntry(
  entry: EditLogEntry,
  expectedVersion: number | null,
  /** more work in the same transaction (a webhook notification of what was written) */
  andThen?: (client: PoolClient, appended: AppendedEntry) => Promise<unknown>,
): Promise<AppendedEntry> {
  await refreshStaleEventViews();
  return transaction(async (client) => {
    const appended = await appendEntry(client, entry, expectedVersion);
    await andThen?.(client, appended);
    const event =
      entry.subjectType === "event"
        ? entry.subjectId
        : (await client.query<{ event_id: string | null }>("SELECT event_id FROM event_report_current WHERE report_id = $1", [entry.subjectId])).rows[0]?.event_id;
    if (event) await refreshEvents(client, [event]);
    return appended;
  });
}

/**
 * Brings reports stored before the current tables existed (sources null: the migration's
 * back-fill list) up to date, a batch at a time; returns how many it refreshed. Reads call
 * it first, so it is a no-op (one index probe) once done.
 */
export async function refreshStaleEventViews(batch = 500): Promise<number> {
  // One read on the hot path; a transaction only while the back-fill has work.
  if ((await db().pool.query("SELECT 1 FROM event_report_current WHERE sources IS NULL LIMIT 1")).rowCount === 0) return 0;
  let done = 0;
  for (;;) {
    const n = await transaction(async (client) => {
      const ids = (
        await client.query<{ report_id: string }>("SELECT report_id FROM event_report_current WHERE sources IS NULL ORDER BY report_id LIMIT $1 FOR UPDATE SKIP LOCKED", [batch])
      ).rows.map((r) => r.report_id);
      await refreshReports(client, ids);
      return ids.length;
    });
    done += n;
    if (n < batch) return done;
  }
}

/**
 * The live view of some events (with every member report) and reports, or of everything
 * (null): hydrated now by the pure core from the current rows and the entries on them.
 */
export async function liveView(scope: { eventIds: readonly string[]; reportIds?: readonly string[] } | null): Promise<MrsView> {
  const read = () => membersOf(db().pool, scope?.eventIds ?? null, scope?.reportIds ?? []);
  // The back-fill probe beside the read, not before it: read again only when there was work.
  const [backFilled, first] = await Promise.all([refreshStaleEventViews(), read()]);
  const members = backFilled > 0 ? await read() : first;
  const entries =
    scope === null
      ? await allEventEntries()
      : await entriesOn(db().pool, [...new Set([...scope.eventIds, ...members.eventIds])], members.reportIds);
  return viewAsOf(members.rows, entries, new Date().toISOString());
}

