import { withApi } from "@/lib/api/handler";
import { readBodyText } from "@/lib/api/body";
import { tokenActor } from "@/lib/data/tokens";
import { ingestBatch } from "@/lib/data/ingest";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/batches — ingest one batch of scored records (JSON) or a Spaceship Titanic
 * CSV (scored by the reference scorer). All or nothing; idempotent by Idempotency-Key.
 */
export const POST = withApi({ scope: "ingest" }, async (request, { principal }) => {
  const body = await readBodyText(request);
  const response = await ingestBatch(tokenActor(principal), {
    body,
    contentType: request.headers.get("content-type"),
    idempotencyKey: request.headers.get("idempotency-key"),
    batchId: request.nextUrl.searchParams.get("batchId"),
  });
  return new Response(response.body, {
    status: response.status,
    headers: { "Content-Type": "application/json", ...(response.replayed ? { "Idempotent-Replayed": "true" } : {}) },
  });
});
