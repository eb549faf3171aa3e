import { withApi } from "@/lib/api/handler";
import { sliceKpis } from "@/lib/data/slices";
import { tokenActor } from "@/lib/data/tokens";
import { BadRequestError } from "@/lib/errors";
import { parseSlice } from "@/lib/governance/slices";
import { parseDays } from "@/lib/governance/window";

export const dynamic = "force-dynamic";

/** GET /api/v1/governance/slices?days=N&slice=dimension:value — slice KPIs (the page's figures), for machines. */
export const GET = withApi({ scope: "read" }, async (request, { principal }) => {
  const params = request.nextUrl.searchParams;
  const days = parseDays(params.get("days"));
  if (!days.ok) throw new BadRequestError(`days ${days.message}.`);
  const slice = parseSlice(params.get("slice"));
  if (!slice.ok) throw new BadRequestError(`slice ${slice.message}.`);
  return Response.json(await sliceKpis(tokenActor(principal), { days: days.value, slice: slice.slice }));
});
