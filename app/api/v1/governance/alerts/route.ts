import { withApi } from "@/lib/api/handler";
import { listAlerts } from "@/lib/data/alerts";
import { tokenActor } from "@/lib/data/tokens";
import { BadRequestError } from "@/lib/errors";
import { parseAlertStatus } from "@/lib/governance/alerts";

export const dynamic = "force-dynamic";

/** GET /api/v1/governance/alerts?status=open|all — the alerts (the page's list), newest first, for machines. */
export const GET = withApi({ scope: "read" }, async (request, { principal }) => {
  const status = parseAlertStatus(request.nextUrl.searchParams.get("status"));
  if (!status.ok) throw new BadRequestError(`status ${status.message}.`);
  return Response.json({ status: status.value, alerts: await listAlerts(tokenActor(principal), { status: status.value }) });
});
