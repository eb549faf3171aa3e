import { streamLines } from "@/lib/api/stream-lines";
import { requireActor } from "@/lib/auth/session";
import { exportLedger } from "@/lib/data/ledger";
import { DomainError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/**
 * GET /ledger/export — the JSON-lines export of GET /api/v1/ledger/export for a signed-in
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
    if (error instanceof DomainError) return Response.json({ error: error.message, code: error.code }, { status: error.status });
    throw error;
  }
}
