import { withApi } from "@/lib/api/handler";
import { overrideRegister } from "@/lib/data/override-register";
import { tokenActor } from "@/lib/data/tokens";
import { BadRequestError } from "@/lib/errors";
import { parseWeeks } from "@/lib/governance/override-register";

export const dynamic = "force-dynamic";

/** GET /api/v1/governance/overrides?weeks=N — the override register's figures (the page's), for machines. */
export const GET = withApi({ scope: "read" }, async (request, { principal }) => {
  const weeks = parseWeeks(request.nextUrl.searchParams.get("weeks"));
  if (!weeks.ok) throw new BadRequestError(`weeks ${weeks.message}.`);
  return Response.json(await overrideRegister(tokenActor(principal), { weeks: weeks.weeks }));
});
