/**
 * Minority events in the database (spec/minority-events.md): the five machine logs in one
 * append-only table, ingested idempotently (a replayed row is a no-op, new content under a
 * natural key is its next version); the human side in the edit log; views computed by the
 * pure core (lib/mrs) from the rows and entries as of any instant.
 */
import { BadRequestError, ConflictError, NotFoundError, ValidationError, type FieldErrors } from "@/lib/errors";
import type { EditLogEntry } from "@/lib/ledger/entry";
import {
  DEFAULT_STAGE_SLOS,
  EVENT_ID_PATTERN,
  LOG_NAMES,
  humanEntrySchema,
  naturalKey,
  parseAsOf,
  parseLogRows,
  rowContentHash,
  transitionError,
  viewAsOf,
  weekendModeConfigSchema,
  autoConfirmations,
  eventsCsv,
  reportsCsv,
  writtenAtAheadError,
  type HumanEntry,
  type LogName,
  type LogRow,
  type MachineRows,
  type MrsView,
  type WeekendModeConfig,
} from "@/lib/mrs";
import { eventActionInputSchema } from "@/lib/validations/events";
import { actorTokenId, assertCanRead, assertPersonCan, assertScope, type Actor } from "./actor";
import { db, transaction } from "./db";
import { parseInput } from "./input";
import { appendEntry, findRequestEntry, userEntry, type AppendedEntry } from "./ledger";

export interface LogIngestSummary {
  log: LogName;
  received: number;
  /** rows whose natural key was new */
  stored: number;
  /** rows that were a new version of a known key */
  versioned: number;
  /** replays: same key, same content */
  unchanged: number;
}

const isLogName = (log: string): log is LogName => (LOG_NAMES as readonly string[]).includes(log);

/** Latest detected windowStart per report (for the ended rows' end ≥ start rule). */
async function knownWindowStarts(reportIds: string[]): Promise<Map<string, string>> {
  if (reportIds.length === 0) return new Map();
  const rows = (
    await db().pool.query<{ report_id: string; window_start: string }>(
      `SELECT DISTINCT ON (report_id) report_id, row->>'windowStart' AS window_start FROM event_log_rows
       WHERE log = 'detected' AND report_id = ANY($1::text[]) ORDER BY report_id, written_at DESC, version DESC`,
      [reportIds],
    )
  ).rows;
  return new Map(rows.map((r) => [r.report_id, r.window_start]));
}

/**
 * Ingests a batch of one machine log's rows (token scope `events:ingest`): validated whole
 * (every problem named by `rows.i.field`), all or nothing, idempotent per natural key.
 */
export async function ingestEventLogRows(actor: Actor, log: string, body: unknown, now: Date = new Date()): Promise<LogIngestSummary> {
  assertScope(actor, "events:ingest");
  if (!isLogName(log)) throw new NotFoundError(`Unknown log "${log}": one of ${LOG_NAMES.join(", ")}.`);
  const sent: unknown[] = Array.isArray((body as { rows?: unknown })?.rows) ? (body as { rows: unknown[] }).rows : [];
  const candidateIds = sent.map((r) => (r as { reportId?: unknown })?.reportId).filter((id): id is string => typeof id === "string");
  const received = sent.length;
  /** A refused batch stores nothing: all its rows count as rejected (spec §9 error rate). */
  const refuse = async (error: ValidationError): Promise<never> => {
    await db().pool.query("INSERT INTO event_log_ingests (log, token_id, received, accepted, rejected) VALUES ($1, $2, $3, 0, $3)", [log, actorTokenId(actor), received]);
    throw error;
  };
  const parsed = parseLogRows(log, body, log === "ended" ? await knownWindowStarts(candidateIds) : new Map());
  if (!parsed.ok) return refuse(new ValidationError(parsed.error, parsed.fieldErrors));
  const rows = parsed.data as LogRow[];
  const recordedAt = now.toISOString();
  const fields: FieldErrors = {};
  const keyed = rows.map((row, i) => {
    const ahead = writtenAtAheadError(row.writtenAt, recordedAt, "writtenAt");
    if (ahead) fields[`rows.${i}.writtenAt`] = [ahead];
    return { row, i, key: naturalKey(log, row as never), hash: rowContentHash(log, row as never) };
  });
  // One key twice in a body is ambiguous unless it is the same content.
  const firstByKey = new Map<string, (typeof keyed)[number]>();
  for (const k of keyed) {
    const first = firstByKey.get(k.key);
    if (!first) firstByKey.set(k.key, k);
    else if (first.hash !== k.hash) fields[`rows.${k.i}`] = [`repeats the natural key of rows.${first.i} with other content; send versions in separate requests`];
  }
  if (log === "cohort") {
    const known = await knownWindowStarts([...new Set(rows.map((r) => r.reportId))]);
    keyed.forEach((k) => {
      if (!known.has(k.row.reportId)) fields[`rows.${k.i}.reportId`] = [`reportId ${k.row.reportId} is not a detected report`];
    });
  }
  if (Object.keys(fields).length > 0) return refuse(new ValidationError("Some rows are not valid; nothing was stored.", fields));
  const unique = [...firstByKey.values()];

  return transaction(async (client) => {
    // Ingest of one log is serialized: versions are taken from the latest row per key.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('event_log_rows:' || $1))", [log]);
    const latest = new Map(
      (
        await client.query<{ natural_key: string; version: number; content_hash: string }>(
          `SELECT DISTINCT ON (natural_key) natural_key, version, content_hash FROM event_log_rows
           WHERE log = $1 AND natural_key = ANY($2::text[]) ORDER BY natural_key, version DESC`,
          [log, unique.map((k) => k.key)],
        )
      ).rows.map((r) => [r.natural_key, r]),
    );
    const fresh = unique.filter((k) => latest.get(k.key)?.content_hash !== k.hash);
    if (fresh.length > 0) {
      await client.query(
        `INSERT INTO event_log_rows (log, natural_key, version, report_id, content_hash, row, written_at, recorded_at, token_id)
         SELECT $1, u.natural_key, u.version, u.report_id, u.content_hash, u.row::jsonb, u.written_at::timestamptz, $7, $8
         FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $9::text[]) AS u(natural_key, version, report_id, content_hash, row, written_at)`,
        [
          log,
          fresh.map((k) => k.key),
          fresh.map((k) => (latest.get(k.key)?.version ?? 0) + 1),
          fresh.map((k) => k.row.reportId),
          fresh.map((k) => k.hash),
          fresh.map((k) => JSON.stringify(k.row)),
          recordedAt,
          actorTokenId(actor),
          fresh.map((k) => k.row.writtenAt),
        ],
      );
    }
    await client.query("INSERT INTO event_log_ingests (log, token_id, received, accepted, rejected) VALUES ($1, $2, $3, $3, 0)", [log, actorTokenId(actor), rows.length]);
    const versioned = fresh.filter((k) => latest.has(k.key)).length;
    return { log, received: rows.length, stored: fresh.length - versioned, versioned, unchanged: rows.length - fresh.length };
  });
}

/** Every machine row written at or before `asOf` (all versions: the core picks the latest). */
async function machineRowsAsOf(asOf: string): Promise<MachineRows> {
  const rows = (
    await db().pool.query<{ log: LogName; row: LogRow }>("SELECT log, row FROM event_log_rows WHERE written_at <= $1::timestamptz ORDER BY id", [asOf])
  ).rows;
  const out: Record<LogName, LogRow[]> = { detected: [], clustered: [], attribution: [], ended: [], cohort: [] };
  for (const r of rows) out[r.log].push(r.row);
  return out as unknown as MachineRows;
}

/** Every edit-log entry on events and reports effective at or before `asOf`, with its seq. */
async function humanEntriesAsOf(asOf: string): Promise<(HumanEntry & { hash: string })[]> {
  const rows = (
    await db().pool.query<{ seq: string; c: string; hash: string }>(
      "SELECT seq::text AS seq, c, hash FROM edit_log WHERE subject_type IN ('event', 'report') AND effective_at <= $1::timestamptz ORDER BY seq",
      [asOf],
    )
  ).rows;
  return rows.map((r) => ({ ...(JSON.parse(r.c) as HumanEntry), seq: r.seq, hash: r.hash }));
}

/** The newest weekend-mode configuration version (the one in force), or null. */
export async function currentWeekendConfig(): Promise<WeekendModeConfig | null> {
  const row = (await db().pool.query<{ content: unknown }>("SELECT content FROM automation_configs ORDER BY created_at DESC, version DESC LIMIT 1")).rows[0];
  return row ? weekendModeConfigSchema.parse(row.content) : null;
}

/** Stores a weekend-mode configuration version (immutable once stored). Operator only (demo, CLI). */
export async function saveWeekendConfig(actor: Actor, config: unknown): Promise<void> {
  if (actor.kind !== "operator") assertPersonCan(actor, "policies:approve");
  const parsed = parseInput(weekendModeConfigSchema, config);
  await db().pool.query("INSERT INTO automation_configs (version, content) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING", [parsed.version, JSON.stringify(parsed)]);
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
  const [rows, entries] = await Promise.all([machineRowsAsOf(asOf), humanEntriesAsOf(asOf)]);
  return { ...viewAsOf(rows, entries, asOf), past: asOf !== now, now };
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
  const view = await eventsView(actor, asOfText);
  const event = view.events.find((e) => e.eventId === eventId);
  if (!event) throw new NotFoundError(`No event "${eventId}"${view.past ? ` as of ${view.asOf}` : ""}.`);
  const reports = view.reports.filter((r) => event.reportIds.includes(r.reportId));
  const machine = (
    await db().pool.query<{ log: LogName; report_id: string; version: number; row: LogRow; written_at: Date }>(
      "SELECT log, report_id, version, row, written_at FROM event_log_rows WHERE report_id = ANY($1::text[]) AND written_at <= $2::timestamptz ORDER BY written_at, id",
      [event.reportIds, view.asOf],
    )
  ).rows;
  const human = (
    await db().pool.query<{ seq: string; c: string; hash: string; name: string | null }>(
      `SELECT e.seq::text AS seq, e.c, e.hash, u.name FROM edit_log e LEFT JOIN users u ON u.id::text = e.c::jsonb->'actor'->>'id'
       WHERE ((e.subject_type = 'event' AND e.subject_id = $1) OR (e.subject_type = 'report' AND e.subject_id = ANY($2::text[]))) AND e.effective_at <= $3::timestamptz
       ORDER BY e.seq`,
      [eventId, event.reportIds, view.asOf],
    )
  ).rows;
  const timeline: EventTimelineItem[] = [
    ...machine.map((m) => ({ at: m.written_at.toISOString(), kind: "machine" as const, log: m.log, reportId: m.report_id, version: m.version, row: m.row })),
    ...human.map((h) => {
      const entry = JSON.parse(h.c) as HumanEntry;
      return { at: entry.effectiveAt, kind: "human" as const, entry: { ...entry, seq: h.seq, hash: h.hash }, actorName: h.name };
    }),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const ledgerVersion = Number(
    (await db().pool.query<{ version: number }>("SELECT version FROM edit_log_subjects WHERE subject_type = 'event' AND subject_id = $1", [eventId])).rows[0]?.version ?? 0,
  );
  return { view, event, reports, timeline, ledgerVersion };
}

/**
 * An analyst's or lead's action on an event (spec §7): confirm, override (closed cause +
 * reason + text + optional evidence link), finalise / reopen (lead), note. Version-checked
 * like record decisions; a replay finds the first entry.
 */
export async function actOnEvent(actor: Actor, input: unknown): Promise<AppendedEntry & { replayed: boolean }> {
  const d = parseInput(eventActionInputSchema, input);
  const user = assertPersonCan(actor, d.action === "finalise" || d.action === "reopen" ? "events:finalise" : "events:decide");
  const earlier = await findRequestEntry(db().pool, "event", d.eventId, d.requestId);
  if (earlier) return { ...earlier, replayed: true };
  // The event as of now; its status is the projection of the event's own entries.
  const event = (await eventsView(user)).events.find((e) => e.eventId === d.eventId);
  if (!event) throw new NotFoundError(`No event "${d.eventId}".`);
  const refused = transitionError(event.status, d.action);
  if (refused) throw new ConflictError(`Event ${d.eventId}: ${refused}. Reload to see the latest.`);
  const machineCause = { category: event.machineCauseCategory, label: event.machineCauseLabel ?? "" };
  const after: EditLogEntry["after"] =
    d.action === "confirm"
      ? { status: "decided", cause: machineCause, confidence: event.confidence }
      : d.action === "override"
        ? { status: "decided", cause: d.cause! }
        : d.action === "finalise"
          ? { status: "finalised", outcome: d.outcome!, cause: d.cause ?? null }
          : d.action === "reopen"
            ? { status: "open" }
            : null;
  const entry: EditLogEntry = userEntry(user, {
    subjectType: "event",
    subjectId: d.eventId,
    action: d.action,
    before: { status: event.status, cause: { category: event.causeCategory, label: event.causeLabel }, confidence: event.confidence },
    after,
    reasonCode: d.reasonCode ?? null,
    reasonText: d.reasonText || null,
    evidence: d.evidenceUrl ? [d.evidenceUrl] : [],
    requestId: d.requestId,
  });
  // The core's own rules for an event action (required reason per action, cause shape).
  parseInput(humanEntrySchema, entry);
  try {
    return { ...(await appendEntry(db().pool, entry, d.ledgerVersion)), replayed: false };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const again = await findRequestEntry(db().pool, "event", d.eventId, d.requestId);
    if (again) return { ...again, replayed: true };
    throw new ConflictError(`Someone acted on event ${d.eventId} after you opened it. Reload to see the latest.`);
  }
}

/**
 * Weekend mode (spec §5): confirms, as the system, the events the configuration in force
 * allows now; each entry names the rule and the configuration version. Returns how many.
 */
export async function runWeekendAutomation(actor: Actor, now: Date = new Date()): Promise<number> {
  if (actor.kind !== "operator") throw new ValidationError("Weekend mode runs as the system.");
  const config = await currentWeekendConfig();
  if (!config) return 0;
  const at = now.toISOString();
  const view = await eventsView(actor, null);
  const entries = autoConfirmations(view.events, config, at);
  for (const entry of entries) await appendEntry(db().pool, editLogEntryOf(entry), null);
  return entries.length;
}

/** A core-built entry (system confirmation, case-study history) as the edit log stores it. */
export function editLogEntryOf(entry: HumanEntry): EditLogEntry {
  const { seq: _seq, ...content } = entry;
  return { sessionId: null, ...content, before: (entry.before ?? null) as EditLogEntry["before"], evidence: [...entry.evidence] } as EditLogEntry;
}

/** How many edit-log entries concern events and reports (the demo seed writes its own once). */
export async function eventEntryCount(): Promise<number> {
  return Number((await db().pool.query<{ n: string }>("SELECT count(*) AS n FROM edit_log WHERE subject_type IN ('event', 'report')")).rows[0]!.n);
}

/** CSV lines of the events or reports view as of an instant (the pages' download and GET /api/v1/events/export). */
export async function* exportEventsCsv(actor: Actor, kind: string, asOfText?: string | null): AsyncGenerator<string> {
  // People with events:read, tokens with the read scope (assertCanRead covers both).
  assertCanRead(actor, "events:read");
  if (kind !== "events" && kind !== "reports") throw new ValidationError("kind must be events or reports.", { kind: ["must be events or reports"] });
  const view = await eventsView(actor, asOfText);
  yield* kind === "events" ? eventsCsv(view.events) : reportsCsv(view.reports);
}

export interface EventPipelineHealth {
  /** per log: now − the latest writtenAt (seconds), null when the log is empty */
  freshnessSeconds: Record<LogName, number | null>;
  /** share of detected reports clustered / attributed within the stage SLO (spec §9) */
  coverage: { clustering: number | null; attribution: number | null };
  /** share of rows sent in the last 24 h that were rejected (SLO < 1 %); null when nothing was sent */
  errorRate: number | null;
  slo: { detectionFreshnessSeconds: number; attributionFreshnessSeconds: number; clusteringSeconds: number; attributionSeconds: number; errorRate: number };
  reports: number;
}

/**
 * Freshness and coverage of the minority-event pipeline (spec §9), for the governance
 * pages: how old each log's newest row is, and how many detected reports got their
 * cluster and attribution within the SLO (30 min, 4 h) of detection.
 */
export async function eventPipelineHealth(actor: Actor, now: Date = new Date()): Promise<EventPipelineHealth> {
  assertCanRead(actor, "governance:read");
  const fresh = (
    await db().pool.query<{ log: LogName; latest: Date }>("SELECT log, max(written_at) AS latest FROM event_log_rows GROUP BY log")
  ).rows;
  const freshnessSeconds = Object.fromEntries(LOG_NAMES.map((log) => [log, null])) as Record<LogName, number | null>;
  for (const r of fresh) freshnessSeconds[r.log] = Math.max(0, Math.round((now.getTime() - r.latest.getTime()) / 1000));
  const slo = { clusteringSeconds: DEFAULT_STAGE_SLOS.clusteringMs / 1000, attributionSeconds: DEFAULT_STAGE_SLOS.attributionMs / 1000 };
  const coverage = (
    await db().pool.query<{ reports: string; clustered: string; attributed: string }>(
      `WITH d AS (SELECT report_id, min(written_at) AS detected_at FROM event_log_rows WHERE log = 'detected' GROUP BY report_id),
            s AS (SELECT report_id, min(written_at) FILTER (WHERE log = 'clustered' AND row->>'clusterId' IS NOT NULL) AS clustered_at,
                         min(written_at) FILTER (WHERE log = 'attribution' AND row->'confidence_1' <> 'null'::jsonb) AS attributed_at
                  FROM event_log_rows WHERE log IN ('clustered', 'attribution') GROUP BY report_id)
       SELECT count(*) AS reports,
              count(*) FILTER (WHERE s.clustered_at <= d.detected_at + make_interval(secs => $1)) AS clustered,
              count(*) FILTER (WHERE s.attributed_at <= d.detected_at + make_interval(secs => $2)) AS attributed
       FROM d LEFT JOIN s USING (report_id)`,
      [slo.clusteringSeconds, slo.attributionSeconds],
    )
  ).rows[0]!;
  const reports = Number(coverage.reports);
  const sent = (
    await db().pool.query<{ received: string | null; rejected: string | null }>(
      "SELECT sum(received) AS received, sum(rejected) AS rejected FROM event_log_ingests WHERE created_at > $1::timestamptz - interval '24 hours'",
      [now.toISOString()],
    )
  ).rows[0]!;
  return {
    errorRate: sent.received && Number(sent.received) > 0 ? Number(sent.rejected) / Number(sent.received) : null,
    freshnessSeconds,
    coverage: { clustering: reports ? Number(coverage.clustered) / reports : null, attribution: reports ? Number(coverage.attributed) / reports : null },
    slo: { detectionFreshnessSeconds: DEFAULT_STAGE_SLOS.detectionMs / 1000, attributionFreshnessSeconds: DEFAULT_STAGE_SLOS.attributionMs / 1000, errorRate: 0.01, ...slo },
    reports,
  };
}

const globalForAutomation = globalThis as unknown as { sentinelWeekendTimer?: NodeJS.Timeout };

/** Runs weekend mode every `minutes` in the web server; failures are logged, never thrown. */
export function startWeekendAutomation(minutes: number, log: (message: string) => void): void {
  if (globalForAutomation.sentinelWeekendTimer) return;
  const tick = () =>
    runWeekendAutomation({ kind: "operator" }).then(
      (n) => {
        if (n > 0) log(`weekend mode confirmed ${n} event${n === 1 ? "" : "s"}`);
      },
      (error: unknown) => log(`weekend mode failed: ${(error as Error).message}`),
    );
  globalForAutomation.sentinelWeekendTimer = setInterval(tick, minutes * 60_000);
  globalForAutomation.sentinelWeekendTimer.unref();
}

/** One report as of an instant: the hydrated row, its event, and its log rows and actions in time order. */
export async function getReportDetail(actor: Actor, reportIdText: string, asOfText?: string | null) {
  const view = await eventsView(actor, asOfText);
  const report = view.reports.find((r) => r.reportId === reportIdText);
  if (!report) throw new NotFoundError(`No report "${reportIdText}"${view.past ? ` as of ${view.asOf}` : ""}.`);
  const rows = (
    await db().pool.query<{ log: LogName; version: number; row: LogRow; written_at: Date; recorded_at: Date }>(
      "SELECT log, version, row, written_at, recorded_at FROM event_log_rows WHERE report_id = $1 AND written_at <= $2::timestamptz ORDER BY written_at, id",
      [report.reportId, view.asOf],
    )
  ).rows.map((r) => ({ log: r.log, version: r.version, row: r.row, writtenAt: r.written_at.toISOString(), recordedAt: r.recorded_at.toISOString() }));
  return { view, report, rows };
}
