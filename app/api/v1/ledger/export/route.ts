import { withApi } from "@/lib/api/handler";
import { exportLedger } from "@/lib/data/ledger";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/ledger/export — the edit log as JSON lines, streamed (docs/ledger.md). */
export const GET = withApi({ scope: "read" }, async (_request, { principal }) => {
  const lines = exportLedger(tokenActor(principal));
  const first = await lines.next(); // permission errors surface here, before the 200 is sent
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!first.done) controller.enqueue(encoder.encode(first.value));
    },
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(first.done ? "" : stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8" } });
});
