import { errorResponse } from "@/lib/api/handler";
import { streamLines } from "@/lib/api/stream-lines";
import { requireActor } from "@/lib/auth/session";
import { exportLedger } from "@/lib/data/ledger";

export const dynamic = "force-dynamic";

/**
 * GET /governance/ledger/export — the JSON-lines export of GET /api/v1/ledger/export for a signed-in
 * governance user (the ledger page's download); permission checked in the data layer.
 */
export async function GET(): Promise<Response> {
  const name = `sentinel-ledger-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-")}.jsonl`;
  try {
    return await streamLines(exportLedger(await requireActor()), {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
    });
  } catch (error) {
    // The same JSON error shape and status mapping as the API.
    return errorResponse(error, { route: "/governance/ledger/export" });
  }
}
