import { NextResponse, type NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { requireActor } from "@/lib/auth/session";
import { recordActivity } from "@/lib/data/decisions";

export const dynamic = "force-dynamic";

/**
 * GET /activity?since=<seq> — claims, takeovers and decisions on records after edit-log
 * entry `since`, and the chain head to ask from next time (the queue page polls it); for a
 * signed-in user, permission checked in the data layer.
 */
export async function GET(request: NextRequest): Promise<Response> {
  try {
    const activity = await recordActivity(await requireActor(), request.nextUrl.searchParams.get("since"));
    return NextResponse.json(activity, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, { route: "/activity" });
  }
}
