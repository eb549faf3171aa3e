/**
 * The incremental events tables against real PostgreSQL: after any interleaving of log
 * rows (one request each, every log, versions and replays) and edit-log entries, the
 * current tables and the live views read from them equal a full replay of every row and
 * entry by the pure core (`viewAsOf`); the migration's back-fill reaches the same state.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { LOG_NAMES, storedEventListRow, viewAsOf, type HumanEntry, type LogName, type LogRow, type MachineRows } from "@/lib/mrs";
import { buildEntries, buildRows, permute, world, type ReportSpec } from "@/lib/mrs/worlds.test-support";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { createUser } from "../users";
import { appendEventEntry, liveView, refreshStaleEventViews } from "./current";
import { ingestEventLogRows } from "./ingest";
import { editLogEntryOf } from "./schedules";

const database = withTestDatabase({ own: "event_views" });
const pool = () => database.handle().pool;
const token: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["events:ingest"] };

let leadId = "";
beforeAll(async () => {
  leadId = (await createUser(OPERATOR, { email: "lead@views.test", name: "Lena Lead", role: "lead", password: "correct horse battery" })).id;
});

type Step = { kind: "row"; log: LogName; row: LogRow } | { kind: "entry"; entry: HumanEntry };

/** The stored columns of the world's events, as the list reads them. */
async function storedEvents(eventIds: string[]) {
  return (
    await pool().query<{ event_id: string; status: string; priority: string; confidence: number | null; cause_category: string; cause_label: string | null; report_count: number; window_start: Date | null; uplift_sum: number | null; degraded: boolean; list_row: unknown }>(
      `SELECT event_id, status, priority, confidence, cause_category, cause_label, report_count, nullif(window_start, '-infinity') AS window_start, uplift_sum, coalesce(degraded_after < now(), false) AS degraded, list_row
       FROM event_current WHERE event_id = ANY($1::text[]) ORDER BY event_id`,
      [eventIds],
    )
  ).rows;
}

function expectedColumns(view: ReturnType<typeof viewAsOf>) {
  return view.events.map((e) => ({
    event_id: e.eventId,
    status: e.status,
    priority: e.priority,
    confidence: e.confidence,
    cause_category: e.causeCategory,
    cause_label: e.causeLabel,
    report_count: e.reportCount,
    window_start: e.windowStart === null ? null : new Date(e.windowStart),
    uplift_sum: e.upliftSum,
    degraded: e.isDegraded,
    list_row: storedEventListRow(e),
  })).sort((a, b) => (a.event_id < b.event_id ? -1 : 1));
}

const withoutAsOf = <T extends { asOf: string }>(xs: readonly T[]) => xs.map((x) => ({ ...x, asOf: "" }));

describe("incremental events views", () => {
  it("equal a full viewAsOf replay after any interleaving of rows and entries", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(world, async ({ reports, entries, keys }) => {
        const prefix = `W${++run}-${randomUUID().slice(0, 4)}-`;
        const rows = buildRows(reports, prefix);
        const humans = buildEntries(entries, prefix).map((e) => ({ ...e, actor: { type: "user" as const, id: leadId, role: "lead" } }));
        const steps: Step[] = permute<Step>(
          [
            ...LOG_NAMES.flatMap((log) => (rows[log] as readonly LogRow[]).map((row) => ({ kind: "row" as const, log, row }))),
            ...humans.slice(0, humans.length >> 1).map((entry) => ({ kind: "entry" as const, entry })),
          ],
          keys,
        );
        // The rest after every row: an entry alone must move the event's row.
        steps.push(...humans.slice(humans.length >> 1).map((entry) => ({ kind: "entry" as const, entry })));
        // A replayed request now and then: it must change nothing. Entries are appended once,
        // and the log's order (seq) is the order they were appended in.
        const appended: HumanEntry[] = [];
        const written = new Set<HumanEntry>();
        for (const step of [...steps, ...steps.filter((_, i) => i % 3 === 0)]) {
          if (step.kind === "row") await ingestEventLogRows(token, step.log, { rows: [step.row] });
          else if (!written.has(step.entry)) {
            await appendEventEntry({ ...editLogEntryOf(step.entry), requestId: randomUUID() }, null);
            written.add(step.entry);
            appended.push({ ...step.entry, seq: String(appended.length + 1) });
          }
        }
        const expected = viewAsOf(rows as MachineRows, appended, new Date().toISOString());
        const eventIds = expected.events.map((e) => e.eventId);
        // Every event named by any cohort row, also those every report has left since.
        const named = [...new Set((rows.cohort as readonly { reportGroupId: string }[]).map((c) => c.reportGroupId))];
        const live = await liveView({ eventIds, reportIds: expected.reports.map((r) => r.reportId) });
        expect(withoutAsOf(live.events)).toEqual(withoutAsOf(expected.events));
        expect(withoutAsOf(live.reports)).toEqual(withoutAsOf(expected.reports));
        expect(await storedEvents(eventIds)).toEqual(expectedColumns(expected));
        const stale = (await pool().query("SELECT event_id FROM event_current WHERE report_group_id = ANY($1::text[]) AND NOT (event_id = ANY($2::text[]))", [named, eventIds])).rows;
        expect(stale).toEqual([]);
        const membership = (await pool().query<{ report_id: string; event_id: string | null }>("SELECT report_id, event_id FROM event_report_current WHERE report_id = ANY($1::text[]) ORDER BY report_id", [expected.reports.map((r) => r.reportId)])).rows;
        expect(membership).toEqual(expected.reports.map((r) => ({ report_id: r.reportId, event_id: r.eventId })).sort((a, b) => (a.report_id < b.report_id ? -1 : 1)));
      }),
      { numRuns: 25 },
    );
  }, 240_000);

  it("the five logs ingested at once, several reports of one event each, leave the tables equal to a replay", async () => {
    const prefix = `P-${randomUUID().slice(0, 4)}-`;
    const specs: ReportSpec[] = Array.from({ length: 12 }, (_, i) => ({
      store: i + 1,
      startSlot: i % 4,
      detections: [{ at: 50, actual: 1500 + i }],
      cluster: { at: 100, run: "c1" as const, id: "CL-1" as const },
      attributions: [{ at: 150, run: "a1" as const, category: "data_error" as const, confidences: [0.5 + i / 100, 0.1] as [number, number], failed: false }],
      end: { at: 200, afterStartMinutes: 600 },
      cohorts: [{ at: 100, group: i % 2 === 0 ? ("G-1" as const) : ("G-2" as const) }],
    }));
    const rows = buildRows(specs, prefix);
    // Each log in its own requests, all at once: reports are locked, events serialised.
    await Promise.all(LOG_NAMES.flatMap((log) => (rows[log] as readonly LogRow[]).map((row) => ingestEventLogRows(token, log, { rows: [row] }))));
    const expected = viewAsOf(rows, [], new Date().toISOString());
    expect(expected.events).toHaveLength(2);
    expect(await storedEvents(expected.events.map((e) => e.eventId))).toEqual(expectedColumns(expected));
  }, 120_000);

  it("the back-fill of reports stored before the tables existed reaches the same state", async () => {
    const before = await storedAll();
    // As the migration leaves them: every report listed, nothing computed.
    await pool().query("DELETE FROM event_current");
    await pool().query("UPDATE event_report_current SET sources = NULL, event_id = NULL, degraded_after = NULL");
    expect(await refreshStaleEventViews(7)).toBeGreaterThan(0);
    expect(await storedAll()).toEqual(before);
    expect(await refreshStaleEventViews()).toBe(0);
  }, 120_000);
});

async function storedAll() {
  const events = (await pool().query("SELECT event_id, report_group_id, status, priority, confidence, cause_category, cause_label, window_start, report_count, uplift_sum, degraded_after, decided_by_id FROM event_current ORDER BY event_id")).rows;
  const reports = (await pool().query("SELECT report_id, event_id, sources, store_id, retailer, city, sku, cluster_id, window_start, degraded_after FROM event_report_current ORDER BY report_id")).rows;
  return { events, reports };
}
