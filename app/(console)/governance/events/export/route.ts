import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { csvAttachment } from "@/lib/api/stream-lines";
import { requireActor } from "@/lib/auth/session";
import { csvLines, csvLinesFrom } from "@/lib/csv";
import { eventPipelineGovernance, eventPipelineReports } from "@/lib/data/events/governance";
import { BadRequestError } from "@/lib/errors";
import { EVENT_PIPELINE_EXPORT_PARAMS, EVENT_PIPELINE_TABLES, unknownParam, type EventPipelineTable } from "@/lib/governance/event-pipeline";
import { parseDays } from "@/lib/governance/window";
import { CAUSE_CATEGORIES } from "@/lib/mrs";

export const dynamic = "force-dynamic";

const isTable = (t: string): t is EventPipelineTable => (EVENT_PIPELINE_TABLES as readonly string[]).includes(t);

/**
 * GET /governance/events/export?days=N&table=days|latency|reports|drift|stale — a table of
 * the event pipeline page as CSV, for a signed-in person with dashboards:read.
 */
export async function GET(request: NextRequest): Promise<Response> {
  try {
    const actor = await requireActor();
    const params = request.nextUrl.searchParams;
    const unknown = unknownParam(params.keys(), EVENT_PIPELINE_EXPORT_PARAMS);
    if (unknown !== null) throw new BadRequestError(`${unknown} is not a parameter of this export (only ${EVENT_PIPELINE_EXPORT_PARAMS.join(", ")}).`);
    const days = parseDays(params.get("days"));
    if (!days.ok) throw new BadRequestError(`days ${days.message}.`);
    const table = params.get("table") ?? "days";
    if (!isTable(table)) throw new BadRequestError(`table must be one of ${EVENT_PIPELINE_TABLES.join(", ")}.`);
    const filename = `event-pipeline-${table}-${days.value}d.csv`;
    if (table === "reports") {
      const reports = eventPipelineReports(actor, { days: days.value });
      return await csvAttachment(csvLinesFrom(["reportId", "day", "detectedAt", "detectionSeconds", "clusteringSeconds", "attributionSeconds"], reports), filename);
    }
    const figures = await eventPipelineGovernance(actor, { days: days.value });
    if (table === "days") {
      const rows = figures.series.map((d) => ({
        day: d.day,
        reports: d.reports,
        detectionWithinSlo: d.withinSlo.detection,
        clusteringWithinSlo: d.withinSlo.clustering,
        attributionWithinSlo: d.withinSlo.attribution,
        rowsReceived: d.received,
        rowsRejected: d.rejected,
      }));
      return await csvAttachment(csvLines(["day", "reports", "detectionWithinSlo", "clusteringWithinSlo", "attributionWithinSlo", "rowsReceived", "rowsRejected"], rows), filename);
    }
    if (table === "latency") {
      const rows = figures.stages.flatMap((s) => s.histogram.map((h) => ({ stage: s.stage, bucket: h.bucket, upToSeconds: h.upTo, reports: h.reports })));
      return await csvAttachment(csvLines(["stage", "bucket", "upToSeconds", "reports"], rows), filename);
    }
    if (table === "drift") {
      const rows = figures.drift.days.map((d) => ({ ...d, ...Object.fromEntries(CAUSE_CATEGORIES.map((c) => [c, d.mix[c] ?? 0])) }));
      return await csvAttachment(csvLines(["day", "proposals", "confident", "meanConfidence", ...CAUSE_CATEGORIES], rows), filename);
    }
    return await csvAttachment(csvLines(["eventId", "reportGroupId", "reportCount", "openSince", "openHours", "causeCategory", "confidence", "priority", "degraded"], figures.stale.events), filename);
  } catch (error) {
    return errorResponse(error, { route: "/governance/events/export" });
  }
}
