import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { csvAttachment } from "@/lib/api/stream-lines";
import { requireActor } from "@/lib/auth/session";
import { csvLines, csvLinesFrom } from "@/lib/csv";
import { sliceKpis, sliceRecordFacts } from "@/lib/data/slices";
import { BadRequestError } from "@/lib/errors";
import { parseSlice, sliceParam } from "@/lib/governance/slices";
import { parseDays } from "@/lib/governance/window";

export const dynamic = "force-dynamic";

const SLICE_COLUMNS = ["dimension", "key", "records", "audit", "decided", "overrides", "labelled", "positives", "falsePos", "falseNeg", "disputed", "auditRate", "overrideRate", "fpRate", "fnRate", "bucketsCovered", "bucketsJudged"];
const RECORD_COLUMNS = ["recordId", "day", "route", "machineLabel", "p10", "p50", "p90", "decided", "overridden", "truth", "disputed"];

/**
 * GET /governance/slices/export?days=N — every slice's counts and figures as CSV;
 * with `records=1&slice=…`, the records that slice counts (the drill-down behind its figures).
 * For a signed-in person with dashboards:read.
 */
export async function GET(request: NextRequest): Promise<Response> {
  try {
    const actor = await requireActor();
    const params = request.nextUrl.searchParams;
    const days = parseDays(params.get("days"));
    if (!days.ok) throw new BadRequestError(`days ${days.message}.`);
    const slice = parseSlice(params.get("slice"));
    if (!slice.ok) throw new BadRequestError(`slice ${slice.message}.`);
    if (params.get("records") === "1") {
      // Checks the permission and that the slice exists before the first line is sent.
      await sliceKpis(actor, { days: days.value, slice: slice.slice });
      const name = sliceParam(slice.slice).replace(/[^A-Za-z0-9_-]+/g, "_");
      return await csvAttachment(csvLinesFrom(RECORD_COLUMNS, sliceRecordFacts(actor, { days: days.value, slice: slice.slice })), `slice-${name}-records-${days.value}d.csv`);
    }
    const kpis = await sliceKpis(actor, { days: days.value, slice: slice.slice });
    const rows = kpis.slices.map((s) => ({ ...s, ...s.figures, bucketsCovered: s.figures.coverage.covered, bucketsJudged: s.figures.coverage.judged }));
    return await csvAttachment(csvLines(SLICE_COLUMNS, rows), `slice-kpis-${days.value}d.csv`);
  } catch (error) {
    return errorResponse(error, { route: "/governance/slices/export" });
  }
}
