import { withApi } from "@/lib/api/handler";
import { readBodyText } from "@/lib/api/body";
import { ingestLabels } from "@/lib/data/labels";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/labels — label feedback: the observed outcomes of ingested records. All or
 * nothing; append-only; the same label again is a no-op, a contradicting one a 409.
 */
export const POST = withApi({ scope: "ingest" }, async (request, { principal }) => {
  const body = await readBodyText(request);
  const { status, summary } = await ingestLabels(tokenActor(principal), { body, contentType: request.headers.get("content-type") });
  return Response.json(summary, { status });
});
