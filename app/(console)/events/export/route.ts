import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { streamLines } from "@/lib/api/stream-lines";
import { requireActor } from "@/lib/auth/session";
import { exportEventsCsv } from "@/lib/data/events/list";
import { BadRequestError } from "@/lib/errors";
import { invalidEventsParam, loadEventsSearch } from "../search-params";

export const dynamic = "force-dynamic";

/**
 * GET /events/export?kind=events|reports&asOf=…&<the list's filters> — the CSV download of
 * the events list as filtered (signed-in users with events:read).
 */
export async function GET(request: NextRequest): Promise<Response> {
  const kind = request.nextUrl.searchParams.get("kind") ?? "events";
  const asOf = request.nextUrl.searchParams.get("asOf");
  try {
    const invalid = invalidEventsParam(request.nextUrl.searchParams);
    if (invalid) throw new BadRequestError(invalid);
    const actor = await requireActor();
    const search = loadEventsSearch(request.nextUrl.searchParams);
    const filter = { ...search, mine: search.mine && actor.kind === "user" ? actor.id : null };
    return await streamLines(exportEventsCsv(actor, kind, asOf, filter), {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="minority-${kind}${asOf ? `-as-of-${asOf.replace(/[:.]/g, "-")}` : ""}.csv"`,
    });
  } catch (error) {
    // The same JSON error shape and status mapping as the API.
    return errorResponse(error, { route: "/events/export" });
  }
}
