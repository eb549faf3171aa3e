/**
 * Degraded modes (spec §6), explicit and never silent: a report is degraded when one of
 * its pipeline stages is missing (or failed) and the stage's SLO has passed since the
 * report was first detected. A stage that ran but found nothing confident is not degraded.
 * Log-level freshness (spec §9) is a governance figure and flags no report.
 */
import type { EventStatus, PipelineStage } from "./taxonomy";
import { HOUR_MS, MINUTE_MS, extremeInstant, instantMs, isoMs } from "./time";

/** How long after detection each stage may still be missing (milliseconds). */
export interface StageSlos {
  /** a report known only from other logs (no detected row) — measured from its first row */
  readonly detectionMs: number;
  readonly clusteringMs: number;
  readonly attributionMs: number;
}

/** The seed's SLOs: detection and clustering 30 min, attribution 4 h. */
export const DEFAULT_STAGE_SLOS: StageSlos = Object.freeze({ detectionMs: 30 * MINUTE_MS, clusteringMs: 30 * MINUTE_MS, attributionMs: 4 * HOUR_MS });

/** What degradation needs to know about one report. */
export interface StagePresence {
  /** earliest writtenAt of the report's detected rows (a re-detection does not restart the clock); null without one */
  readonly detectedAt: string | null;
  /** earliest writtenAt of any of the report's rows: the clock when detection itself is missing */
  readonly firstSeenAt: string | null;
  /** the latest clustered row put the report in a cluster (null clusterId is the failure output) */
  readonly clustered: boolean;
  /** the latest attribution row has a confidence (null confidence is the failure output) */
  readonly attributed: boolean;
}

export interface Degradation {
  readonly isDegraded: boolean;
  /** the stages missing past their SLO, in pipeline order */
  readonly overdueStages: readonly PipelineStage[];
}

/** Strictly past the SLO: at exactly `asOf − since = SLO` the report is not yet degraded. */
function overdue(since: string | null, asOfMs: number, sloMs: number): boolean {
  const sinceMs = since === null ? null : instantMs(since);
  return sinceMs !== null && asOfMs - sinceMs > sloMs;
}

export function reportDegradation(presence: StagePresence, asOf: string, slos: StageSlos = DEFAULT_STAGE_SLOS): Degradation {
  const asOfMs = instantMs(asOf);
  if (asOfMs === null) throw new RangeError(`asOf must be an ISO-8601 instant; got ${JSON.stringify(asOf)}`);
  const stages: PipelineStage[] = [];
  if (presence.detectedAt === null) {
    // Without a detection there is no clock for the later stages; the missing detection is what is shown.
    if (overdue(presence.firstSeenAt, asOfMs, slos.detectionMs)) stages.push("detection");
  } else {
    if (!presence.clustered && overdue(presence.detectedAt, asOfMs, slos.clusteringMs)) stages.push("clustering");
    if (!presence.attributed && overdue(presence.detectedAt, asOfMs, slos.attributionMs)) stages.push("attribution");
  }
  return { isDegraded: stages.length > 0, overdueStages: stages };
}

/**
 * The instant after which the report is degraded if nothing more arrives: the earliest
 * deadline of a missing stage (its clock plus its SLO), null when no stage is missing.
 * `reportDegradation(p, asOf).isDegraded` ⟺ asOf is strictly after it, so the stored
 * deadline answers "degraded now?" at read time without the rows.
 */
export function degradedAfter(presence: StagePresence, slos: StageSlos = DEFAULT_STAGE_SLOS): string | null {
  const deadline = (since: string | null, sloMs: number) => {
    const ms = since === null ? null : instantMs(since);
    return ms === null ? null : isoMs(ms + sloMs);
  };
  if (presence.detectedAt === null) return deadline(presence.firstSeenAt, slos.detectionMs);
  return extremeInstant([presence.clustered ? null : deadline(presence.detectedAt, slos.clusteringMs), presence.attributed ? null : deadline(presence.detectedAt, slos.attributionMs)], "min");
}

/** A status as the UI shows it: `open`, or `open:degraded` when degraded. */
export type SuffixedStatus = EventStatus | `${EventStatus}:degraded`;

export function suffixedStatus(status: EventStatus, isDegraded: boolean): SuffixedStatus {
  return isDegraded ? `${status}:degraded` : status;
}
