import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { countQueue, listQueue, queueQuery } from "@/lib/data/queue";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/queue — one keyset page of the audit queue and the view's count; the page's filters as query parameters. */
export const GET = withApi({ scope: "read" }, async (request, { principal }) => {
  const actor = tokenActor(principal);
  const query = queueQuery(Object.fromEntries(request.nextUrl.searchParams));
  const [page, total] = await Promise.all([listQueue(actor, query), countQueue(actor, query)]);
  return NextResponse.json({ ...page, total });
});
