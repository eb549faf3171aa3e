/** Freshness, coverage and error rate of the minority-event pipeline (spec §9). */
import { DEFAULT_STAGE_SLOS, LOG_NAMES, type LogName } from "@/lib/mrs";
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { db } from "../db";

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
