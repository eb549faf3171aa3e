import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { requireActor } from "@/lib/auth/session";
import { recordVersion } from "@/lib/data/decisions";

export const dynamic = "force-dynamic";

/**
 * GET /queue/[recordId]/version — the record's versions and latest entry for a signed-in
 * user (the record page polls it to learn that someone else acted); permission checked in
 * the data layer.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ recordId: string }> }): Promise<Response> {
  try {
    const version = await recordVersion(await requireActor(), decodeURIComponent((await params).recordId));
    return NextResponse.json(version, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, { route: "/queue/[recordId]/version" });
  }
}
