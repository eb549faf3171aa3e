import { withApi } from "@/lib/api/handler";
import { eventCauseConfusion } from "@/lib/data/events/views";
import { overrideRegister } from "@/lib/data/override-register";
import { tokenActor } from "@/lib/data/tokens";
import { BadRequestError } from "@/lib/errors";
import { parseWeeks } from "@/lib/governance/override-register";

export const dynamic = "force-dynamic";

/** GET /api/v1/governance/overrides?weeks=N — the override register's figures (the page's, events' causes included), for machines. */
export const GET = withApi({ scope: "read" }, async (request, { principal }) => {
  const weeks = parseWeeks(request.nextUrl.searchParams.get("weeks"));
  if (!weeks.ok) throw new BadRequestError(`weeks ${weeks.message}.`);
  const actor = tokenActor(principal);
  const register = await overrideRegister(actor, { weeks: weeks.weeks });
  return Response.json({ ...register, eventCauses: await eventCauseConfusion(actor) });
});
