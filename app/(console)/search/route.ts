import { errorResponse } from "@/lib/api/handler";
import { requireActor } from "@/lib/auth/session";
import { search } from "@/lib/data/search";

export const dynamic = "force-dynamic";

/**
 * GET /search?q=… — the command palette's suggestions for the signed-in person: records,
 * events, reports and pages that exist and that their role may see (lib/data/search).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const hits = await search(await requireActor(), new URL(request.url).searchParams.get("q") ?? "");
    return Response.json({ hits }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error, { route: "/search" });
  }
}
