import { withApi } from "@/lib/api/handler";
import { routingHealth } from "@/lib/data/routing-health";
import { tokenActor } from "@/lib/data/tokens";
import { BadRequestError } from "@/lib/errors";
import { parseDays } from "@/lib/governance/window";

export const dynamic = "force-dynamic";

/** GET /api/v1/governance/routing?days=N — routing health's figures (the page's), for machines. */
export const GET = withApi({ scope: "read" }, async (request, { principal }) => {
  const days = parseDays(request.nextUrl.searchParams.get("days"));
  if (!days.ok) throw new BadRequestError(`days ${days.message}.`);
  return Response.json(await routingHealth(tokenActor(principal), { days: days.value }));
});
