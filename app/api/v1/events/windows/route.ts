import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { listDownstreamWindows } from "@/lib/data/events/views";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/events/windows?status=&from=&to=&after=&limit= — the windows downstream systems must exclude or reweight, keyset-paged (scope read). */
export const GET = withApi({ scope: "read" }, async (request, { principal }) =>
  NextResponse.json(await listDownstreamWindows(tokenActor(principal), Object.fromEntries(request.nextUrl.searchParams))),
);
