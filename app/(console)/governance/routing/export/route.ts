import type { NextRequest } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { csvAttachment } from "@/lib/api/stream-lines";
import { requireActor } from "@/lib/auth/session";
import { csvLines } from "@/lib/csv";
import { routingDrift } from "@/lib/data/drift";
import { labelledRoutingQuality, routingDaily } from "@/lib/data/routing-health";
import { codeFigureRows } from "@/lib/gating/routing-quality";
import { BadRequestError } from "@/lib/errors";
import { parseDays } from "@/lib/governance/window";

export const dynamic = "force-dynamic";

const COLUMNS = ["day", "results", "audit", "fragile", "fragileBandLow", "fragileBandHigh", "caps", "single", "singleAuto", "singleFragile", "singleFragileAuto", "canary", "canaryAuto", "batches", "heldBatches"];

/**
 * GET /governance/routing/export?days=N[&table=drift|quality] — routing health by day (or
 * drift per variable and day, or §11 routing quality per reason and flag) as CSV, for a
 * signed-in person with dashboards:read.
 */
export async function GET(request: NextRequest): Promise<Response> {
  try {
    const actor = await requireActor();
    const days = parseDays(request.nextUrl.searchParams.get("days"));
    if (!days.ok) throw new BadRequestError(`days ${days.message}.`);
    const table = request.nextUrl.searchParams.get("table") ?? "days";
    if (table !== "days" && table !== "drift" && table !== "quality") throw new BadRequestError(`table must be days, drift or quality (got "${table}").`);
    if (table === "drift") {
      const drift = await routingDrift(actor, { days: days.value });
      const rows = drift.variables.flatMap((v) => [
        { variable: v.variable, day: "window", n: v.window.n, missingShare: v.window.missingShare, psi: v.window.psi, ks: v.window.ks, level: v.window.level },
        ...v.days.map((d) => ({ variable: v.variable, ...d })),
      ]);
      return await csvAttachment(csvLines(["variable", "day", "n", "missingShare", "psi", "ks", "level"], rows), `routing-drift-${days.value}d.csv`);
    }
    const health = await routingDaily(actor, { days: days.value });
    if (table === "quality") {
      const q = (await labelledRoutingQuality(health.from)).figures;
      const rows = q === null ? [] : [
        { kind: "all", code: "", records: q.records, audited: q.audited, errors: q.errors, caught: q.caught, caughtAlone: null },
        ...codeFigureRows(q).map(({ kind, code, figures }) => ({ kind, code, ...figures })),
      ];
      return await csvAttachment(csvLines(["kind", "code", "records", "audited", "errors", "caught", "caughtAlone"], rows), `routing-quality-${days.value}d.csv`);
    }
    const rows = health.series.map((d) => ({ ...d, fragileBandLow: d.fragileBand?.low ?? null, fragileBandHigh: d.fragileBand?.high ?? null }));
    return await csvAttachment(csvLines(COLUMNS, rows), `routing-health-${days.value}d.csv`);
  } catch (error) {
    return errorResponse(error, { route: "/governance/routing/export" });
  }
}
