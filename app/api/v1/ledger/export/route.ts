import { withApi } from "@/lib/api/handler";
import { streamLines } from "@/lib/api/stream-lines";
import { exportLedger } from "@/lib/data/ledger";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/ledger/export — the edit log as JSON lines with signed checkpoints, streamed (docs/ledger.md). */
export const GET = withApi({ scope: "read" }, async (_request, { principal }) =>
  streamLines(exportLedger(tokenActor(principal)), { "Content-Type": "application/x-ndjson; charset=utf-8" }),
);
