import { withApi } from "@/lib/api/handler";
import { eventPipelineGovernance } from "@/lib/data/events/governance";
import { tokenActor } from "@/lib/data/tokens";
import { BadRequestError } from "@/lib/errors";
import { EVENT_PIPELINE_PARAMS, unknownParam } from "@/lib/governance/event-pipeline";
import { parseDays } from "@/lib/governance/window";

export const dynamic = "force-dynamic";

/** GET /api/v1/governance/events?days=N — the event pipeline's figures (the page's), for machines. */
export const GET = withApi({ scope: "read" }, async (request, { principal }) => {
  const params = request.nextUrl.searchParams;
  const unknown = unknownParam(params.keys(), EVENT_PIPELINE_PARAMS);
  if (unknown !== null) throw new BadRequestError(`${unknown} is not a parameter of this view (only ${EVENT_PIPELINE_PARAMS.join(", ")}).`);
  const days = parseDays(params.get("days"));
  if (!days.ok) throw new BadRequestError(`days ${days.message}.`);
  return Response.json(await eventPipelineGovernance(tokenActor(principal), { days: days.value }));
});
