/**
 * The event pipeline's governance figures (minority-events spec §9, governance spec §3):
 * per stage, freshness against its SLO and coverage within SLO with p95 latency; the
 * ingest error rate; attribution drift (the machine's cause mix and mean confidence per
 * day); and the events open longer than the stale SLA.
 *
 * Figures come from rollups (migration …_event_governance_rollup), never from a GROUP BY
 * over the logs per read: a statement trigger on the machine log, in the ingest's
 * transaction, adds attribution rows to `event_attribution_rollup`, moves each log's newest
 * writtenAt in `event_log_latest` and marks the statement's reports in `event_report_dirty`;
 * `event_report_rollup_drain()` then replaces those reports' stage facts and moves
 * `event_stage_rollup` (a latency histogram per day and stage) by the difference. Every
 * read drains first. A trigger on `event_log_ingests` keeps `event_ingest_rollup`.
 */
import { assertCanRead, OPERATOR, type Actor } from "@/lib/auth/actor";
import {
  INGEST_ERROR_SLO,
  LATENCY_EDGES_SECONDS,
  NOT_YET_BUCKET,
  PIPELINE_STAGES,
  STAGE_SLO_SECONDS,
  STALE_EVENT_SLA_MS,
  stageFigures,
  type PipelineStageName,
  type StageFigures,
} from "@/lib/governance/event-pipeline";
import { dayWindow } from "@/lib/governance/window";
import { LOG_NAMES, type CauseCategory, type LogName, type Priority } from "@/lib/mrs";
import { db } from "../db";
import { eventsView } from "./views";

export interface StageHealth {
  stage: PipelineStageName;
  /** the stage's log: detected, clustered, attribution */
  log: LogName;
  sloSeconds: number;
  /** now − the log's newest writtenAt (seconds); null when the log is empty */
  freshnessSeconds: number | null;
  freshnessMeetsSlo: boolean | null;
  figures: StageFigures;
  /** reports per latency bucket: `upTo` the bucket's upper edge in seconds (null: beyond the last edge); bucket -1 = not yet */
  histogram: { bucket: number; upTo: number | null; reports: number }[];
}

export interface PipelineDay {
  day: string;
  reports: number;
  withinSlo: Record<PipelineStageName, number>;
  received: number;
  rejected: number;
}

export interface DriftDay {
  day: string;
  proposals: number;
  confident: number;
  /** mean confidence_1 of the day's confident proposals; null without any */
  meanConfidence: number | null;
  /** proposals per cause_1 category */
  mix: Partial<Record<CauseCategory, number>>;
}

export interface StaleEvent {
  eventId: string;
  reportGroupId: string;
  reportCount: number;
  /** the first detection of its reports, or its latest reopening */
  openSince: string;
  openHours: number;
  causeCategory: CauseCategory;
  confidence: number | null;
  priority: Priority;
  degraded: boolean;
}

export interface EventPipelineGovernance {
  days: number;
  /** first day of the window, YYYY-MM-DD (UTC) */
  from: string;
  now: string;
  stages: StageHealth[];
  /** freshness of every machine log (seconds), null when empty */
  freshnessSeconds: Record<LogName, number | null>;
  ingest: { requests: number; received: number; rejected: number; errorRate: number | null; slo: number; meetsSlo: boolean | null };
  series: PipelineDay[];
  drift: { days: DriftDay[]; total: { proposals: number; confident: number; meanConfidence: number | null; mix: Partial<Record<CauseCategory, number>> } };
  stale: { slaHours: number; events: StaleEvent[] };
}

/** Brings the stage rollup up to every committed log row; returns how many reports it refreshed. */
export async function drainEventReportRollup(): Promise<number> {
  const { rows } = await db().pool.query<{ n: number }>("SELECT event_report_rollup_drain() AS n");
  return rows[0]!.n;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** Who may read the figures: people with dashboards:read, tokens with read, the operator (alerts). */
function assertCanReadFigures(actor: Actor) {
  if (actor.kind !== "operator") assertCanRead(actor, "dashboards:read");
}

/** Open events past the stale SLA as of `now`, oldest first. */
async function staleEvents(now: Date): Promise<StaleEvent[]> {
  // The reader's permission was checked by the caller; the list names events, not their reports' contents.
  const view = await eventsView(OPERATOR);
  const open = view.events.filter((e) => e.status === "open");
  if (open.length === 0) return [];
  const reopened = new Map(
    (
      await db().pool.query<{ subject_id: string; at: Date }>(
        "SELECT subject_id, max(effective_at) AS at FROM edit_log WHERE subject_type = 'event' AND action = 'reopen' AND subject_id = ANY($1::text[]) GROUP BY 1",
        [open.map((e) => e.eventId)],
      )
    ).rows.map((r) => [r.subject_id, r.at.getTime()]),
  );
  const detectedAt = new Map(view.reports.map((r) => [r.reportId, r.detectedAt ? Date.parse(r.detectedAt) : null]));
  const out: StaleEvent[] = [];
  for (const e of open) {
    const firstDetected = Math.min(...e.reportIds.map((id) => detectedAt.get(id) ?? Infinity));
    const since = Math.max(Number.isFinite(firstDetected) ? firstDetected : -Infinity, reopened.get(e.eventId) ?? -Infinity);
    if (!Number.isFinite(since) || now.getTime() - since <= STALE_EVENT_SLA_MS) continue;
    out.push({
      eventId: e.eventId,
      reportGroupId: e.reportGroupId,
      reportCount: e.reportCount,
      openSince: new Date(since).toISOString(),
      openHours: Math.floor((now.getTime() - since) / 3_600_000),
      causeCategory: e.machineCauseCategory,
      confidence: e.confidence,
      priority: e.priority,
      degraded: e.isDegraded,
    });
  }
  return out.sort((a, b) => a.openSince.localeCompare(b.openSince) || a.eventId.localeCompare(b.eventId));
}

/**
 * The event pipeline's figures over the last `days` UTC days (today included): reports by
 * the day their detection was recorded, attribution proposals and ingests by the day they
 * arrived. Stale events and freshness are as of `now`.
 */
export async function eventPipelineGovernance(actor: Actor, options: { days: number; now?: Date }): Promise<EventPipelineGovernance> {
  const now = options.now ?? new Date();
  const [figures, stale] = await Promise.all([eventPipelineFigures(actor, { ...options, now }), staleEvents(now)]);
  return { ...figures, stale: { slaHours: STALE_EVENT_SLA_MS / 3_600_000, events: stale } };
}

/** The pipeline's figures from its rollups alone, without the stale events (which read the events' current view): what the alert rules need. */
export async function eventPipelineFigures(actor: Actor, options: { days: number; now?: Date }): Promise<Omit<EventPipelineGovernance, "stale">> {
  assertCanReadFigures(actor);
  const now = options.now ?? new Date();
  const { from, today } = dayWindow(options.days, now);
  await drainEventReportRollup();
  const pool = db().pool;
  const [stageRows, latestRows, ingestRows, driftRows] = await Promise.all([
    pool.query<{ day: string; stage: PipelineStageName; bucket: number; reports: number }>(
      "SELECT to_char(day, 'YYYY-MM-DD') AS day, stage, bucket, reports FROM event_stage_rollup WHERE day BETWEEN $1::date AND $2::date AND reports <> 0 ORDER BY day",
      [from, today],
    ),
    pool.query<{ log: LogName; written_at: Date }>("SELECT log, written_at FROM event_log_latest"),
    pool.query<{ day: string; requests: number; received: number; rejected: number }>(
      "SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(requests)::int AS requests, sum(received)::int AS received, sum(rejected)::int AS rejected FROM event_ingest_rollup WHERE day BETWEEN $1::date AND $2::date GROUP BY 1 ORDER BY 1",
      [from, today],
    ),
    pool.query<{ day: string; category: CauseCategory; proposals: number; confident: number; micro: string }>(
      "SELECT to_char(day, 'YYYY-MM-DD') AS day, category, proposals, confident, confidence_micro AS micro FROM event_attribution_rollup WHERE day BETWEEN $1::date AND $2::date AND proposals <> 0 ORDER BY day, category",
      [from, today],
    ),
  ]);

  const freshnessSeconds = Object.fromEntries(LOG_NAMES.map((log) => [log, null])) as Record<LogName, number | null>;
  for (const r of latestRows.rows) freshnessSeconds[r.log] = Math.max(0, Math.round((now.getTime() - r.written_at.getTime()) / 1000));

  const histograms = new Map<PipelineStageName, Map<number, number>>(PIPELINE_STAGES.map((s) => [s, new Map()]));
  const byDay = new Map<string, PipelineDay>();
  const dayOf = (day: string) => {
    let d = byDay.get(day);
    if (!d) byDay.set(day, (d = { day, reports: 0, withinSlo: { detection: 0, clustering: 0, attribution: 0 }, received: 0, rejected: 0 }));
    return d;
  };
  for (const r of stageRows.rows) {
    const h = histograms.get(r.stage)!;
    h.set(r.bucket, (h.get(r.bucket) ?? 0) + r.reports);
    const d = dayOf(r.day);
    if (r.stage === "detection") d.reports += r.reports;
    if (r.bucket !== NOT_YET_BUCKET && r.bucket < LATENCY_EDGES_SECONDS.length && LATENCY_EDGES_SECONDS[r.bucket]! <= STAGE_SLO_SECONDS[r.stage]) d.withinSlo[r.stage] += r.reports;
  }
  for (const r of ingestRows.rows) Object.assign(dayOf(r.day), { received: r.received, rejected: r.rejected });

  const stages: StageHealth[] = PIPELINE_STAGES.map((stage) => {
    const log: LogName = stage === "detection" ? "detected" : stage === "clustering" ? "clustered" : "attribution";
    const h = histograms.get(stage)!;
    const fresh = freshnessSeconds[log];
    return {
      stage,
      log,
      sloSeconds: STAGE_SLO_SECONDS[stage],
      freshnessSeconds: fresh,
      freshnessMeetsSlo: fresh === null ? null : fresh <= STAGE_SLO_SECONDS[stage],
      figures: stageFigures(stage, h),
      histogram: [NOT_YET_BUCKET, ...LATENCY_EDGES_SECONDS.map((_, i) => i), LATENCY_EDGES_SECONDS.length].map((bucket) => ({
        bucket,
        upTo: bucket >= 0 && bucket < LATENCY_EDGES_SECONDS.length ? LATENCY_EDGES_SECONDS[bucket]! : null,
        reports: h.get(bucket) ?? 0,
      })),
    };
  });

  const received = ingestRows.rows.reduce((n, r) => n + r.received, 0);
  const rejected = ingestRows.rows.reduce((n, r) => n + r.rejected, 0);
  const errorRate = ratio(rejected, received);

  const driftByDay = new Map<string, DriftDay & { micro: number }>();
  const total = { proposals: 0, confident: 0, micro: 0, mix: {} as Partial<Record<CauseCategory, number>> };
  for (const r of driftRows.rows) {
    let d = driftByDay.get(r.day);
    if (!d) driftByDay.set(r.day, (d = { day: r.day, proposals: 0, confident: 0, meanConfidence: null, mix: {}, micro: 0 }));
    d.proposals += r.proposals;
    d.confident += r.confident;
    d.micro += Number(r.micro);
    d.mix[r.category] = (d.mix[r.category] ?? 0) + r.proposals;
    total.proposals += r.proposals;
    total.confident += r.confident;
    total.micro += Number(r.micro);
    total.mix[r.category] = (total.mix[r.category] ?? 0) + r.proposals;
  }
  const mean = (micro: number, n: number) => (n > 0 ? micro / 1e6 / n : null);

  return {
    days: options.days,
    from,
    now: now.toISOString(),
    stages,
    freshnessSeconds,
    ingest: {
      requests: ingestRows.rows.reduce((n, r) => n + r.requests, 0),
      received,
      rejected,
      errorRate,
      slo: INGEST_ERROR_SLO,
      meetsSlo: errorRate === null ? null : errorRate < INGEST_ERROR_SLO,
    },
    series: [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day)),
    drift: {
      days: [...driftByDay.values()].map(({ micro, ...d }) => ({ ...d, meanConfidence: mean(micro, d.confident) })),
      total: { proposals: total.proposals, confident: total.confident, meanConfidence: mean(total.micro, total.confident), mix: total.mix },
    },
  };
}

export interface PipelineReportFact {
  reportId: string;
  day: string;
  detectedAt: string;
  detectionSeconds: number;
  clusteringSeconds: number | null;
  attributionSeconds: number | null;
}

/** The reports the stage figures count in the window (the drill-down behind them), by report id, in pages. */
export async function* eventPipelineReports(actor: Actor, options: { days: number; now?: Date }): AsyncGenerator<PipelineReportFact> {
  assertCanReadFigures(actor);
  const { from, today } = dayWindow(options.days, options.now ?? new Date());
  await drainEventReportRollup();
  let after = "";
  for (;;) {
    const { rows } = await db().pool.query<PipelineReportFact & { detectedAt: Date }>(
      `SELECT report_id AS "reportId", to_char(day, 'YYYY-MM-DD') AS day, detected_at AS "detectedAt", detection_seconds AS "detectionSeconds",
              clustering_seconds AS "clusteringSeconds", attribution_seconds AS "attributionSeconds"
       FROM event_report_facts WHERE day BETWEEN $1::date AND $2::date AND report_id > $3 ORDER BY report_id LIMIT 5000`,
      [from, today, after],
    );
    for (const r of rows) yield { ...r, detectedAt: r.detectedAt.toISOString() };
    if (rows.length < 5000) return;
    after = rows[rows.length - 1]!.reportId;
  }
}

/**
 * The rollups as stored and as recomputed from the base tables (`event_stage_facts`,
 * `event_attribution_facts`, `event_ingest_facts`, the logs' newest writtenAt), drained and
 * read in one snapshot: equal. A drain racing another one is retried.
 */
export async function eventRollupsAgainstBase(): Promise<{ stored: string[]; recomputed: string[] }> {
  const pairs: [string, string][] = [
    [
      "SELECT 'stage|' || day || '|' || stage || '|' || bucket || '|' || reports AS l FROM event_stage_rollup WHERE reports <> 0",
      "SELECT 'stage|' || day || '|' || stage || '|' || bucket || '|' || sum(reports) AS l FROM event_stage_facts GROUP BY day, stage, bucket",
    ],
    [
      "SELECT 'drift|' || day || '|' || category || '|' || proposals || '|' || confident || '|' || confidence_micro AS l FROM event_attribution_rollup WHERE proposals <> 0",
      "SELECT 'drift|' || day || '|' || category || '|' || sum(proposals) || '|' || sum(confident) || '|' || sum(confidence_micro) AS l FROM event_attribution_facts GROUP BY day, category",
    ],
    [
      "SELECT 'ingest|' || day || '|' || log || '|' || requests || '|' || received || '|' || rejected AS l FROM event_ingest_rollup WHERE requests <> 0",
      "SELECT 'ingest|' || day || '|' || log || '|' || sum(requests) || '|' || sum(received) || '|' || sum(rejected) AS l FROM event_ingest_facts GROUP BY day, log",
    ],
    ["SELECT 'latest|' || log || '|' || written_at AS l FROM event_log_latest", "SELECT 'latest|' || log || '|' || max(written_at) AS l FROM event_log_rows GROUP BY log"],
  ];
  const client = await db().pool.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ");
        await client.query("SELECT event_report_rollup_drain()");
        const stored: string[] = [];
        const recomputed: string[] = [];
        for (const [s, r] of pairs) {
          stored.push(...(await client.query<{ l: string }>(s)).rows.map((x) => x.l));
          recomputed.push(...(await client.query<{ l: string }>(r)).rows.map((x) => x.l));
        }
        await client.query("COMMIT");
        return { stored: stored.sort(), recomputed: recomputed.sort() };
      } catch (error) {
        await client.query("ROLLBACK");
        if ((error as { code?: string }).code !== "40001" || attempt === 5) throw error;
      }
    }
  } finally {
    client.release();
  }
}
