import { withApi } from "@/lib/api/handler";
import { streamLines } from "@/lib/api/stream-lines";
import { exportEventsCsv } from "@/lib/data/events/list";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/events/export?kind=events|reports&asOf=<ISO time> — hydrated reports or event roll-ups as CSV, streamed (scope read). */
export const GET = withApi({ scope: "read" }, async (request, { principal }) =>
  streamLines(exportEventsCsv(tokenActor(principal), request.nextUrl.searchParams.get("kind") ?? "events", request.nextUrl.searchParams.get("asOf")), {
    "Content-Type": "text/csv; charset=utf-8",
  }),
);
