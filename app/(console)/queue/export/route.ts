import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { streamLines } from "@/lib/api/stream-lines";
import { requireActor } from "@/lib/auth/session";
import { exportQueueCsv, queueQuery } from "@/lib/data/queue";
import { QUEUE_VIEW_PARAMS } from "@/lib/validations/queue";

export const dynamic = "force-dynamic";

/**
 * GET /queue/export?<view> — the queue page's "Download CSV": every record of the view (its
 * filters and order, all pages) for a signed-in user; permission checked in the data layer.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const given = request.nextUrl.searchParams;
  const view = Object.fromEntries(QUEUE_VIEW_PARAMS.flatMap((k) => (given.get(k) ? [[k, given.get(k)!]] : [])));
  try {
    const actor = await requireActor();
    return await streamLines(exportQueueCsv(actor, queueQuery(view)), {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-queue-${view.status ?? "open"}.csv"`,
    });
  } catch (error) {
    // The same JSON error shape and status mapping as the API.
    return errorResponse(error, { route: "/queue/export" });
  }
}
