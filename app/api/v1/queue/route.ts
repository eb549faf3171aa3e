import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { listQueue, queueQuery } from "@/lib/data/queue";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/queue — one keyset page of the audit queue; the page's filters as query parameters. */
export const GET = withApi({ scope: "read" }, async (request, { principal }) =>
  NextResponse.json(await listQueue(tokenActor(principal), queueQuery(Object.fromEntries(request.nextUrl.searchParams)))),
);
