import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { csvAttachment } from "@/lib/api/stream-lines";
import { requireActor } from "@/lib/auth/session";
import { csvLines } from "@/lib/csv";
import { eventCauseConfusion } from "@/lib/data/events/views";
import { overrideRegister } from "@/lib/data/override-register";
import { BadRequestError } from "@/lib/errors";
import { parseDimension, parseWeeks } from "@/lib/governance/override-register";

export const dynamic = "force-dynamic";

/**
 * GET /governance/overrides/export?by=<dimension|week|event_cause>&weeks=N — one table of the
 * override register as CSV, for a signed-in person with dashboards:read (checked in the data layer).
 */
export async function GET(request: NextRequest): Promise<Response> {
  const params = request.nextUrl.searchParams;
  try {
    const actor = await requireActor();
    const weeks = parseWeeks(params.get("weeks"));
    if (!weeks.ok) throw new BadRequestError(`weeks ${weeks.message}.`);
    const by = params.get("by") ?? "analyst";
    const dimension = parseDimension(by);
    if (by !== "week" && by !== "event_cause" && dimension === null) {
      throw new BadRequestError(`by must be week, event_cause or one of analyst, override_reason, gating_reason, cluster, policy, scorer (got "${by}").`);
    }
    const register = await overrideRegister(actor, { weeks: weeks.weeks });
    const causes = by === "event_cause" ? await eventCauseConfusion(actor) : null;
    const lines = causes
      ? csvLines(
          ["machineCause", "analystCause", "events"],
          Object.entries(causes.cells).flatMap(([machineCause, row]) => Object.entries(row).map(([analystCause, events]) => ({ machineCause, analystCause, events }))),
        )
      : dimension === null
        ? csvLines(["week", "decisions", "overrides", "rate", "amendments"], register.trend)
        : csvLines(["key", "label", "decisions", "overrides", "rate", "amendments"], register.by[dimension]);
    return await csvAttachment(lines, `override-register-${by}-${weeks.weeks}w.csv`);
  } catch (error) {
    return errorResponse(error, { route: "/governance/overrides/export" });
  }
}
