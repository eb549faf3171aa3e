import { readBodyText } from "@/lib/api/body";
import { withApi } from "@/lib/api/handler";
import { ingestEventLogRows } from "@/lib/data/events/ingest";
import { tokenActor } from "@/lib/data/tokens";
import { BadRequestError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/events/logs/{log} — a batch of one machine log's rows (`detected`,
 * `clustered`, `attribution`, `ended`, `cohort`), JSON `{ rows: [...] }`. All or nothing;
 * a replayed row is a no-op, new content under a natural key is its next version.
 */
export const POST = withApi({ scope: "events:ingest" }, async (request, { principal, params }) => {
  const text = await readBodyText(request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequestError("The body is not valid JSON.");
  }
  const summary = await ingestEventLogRows(tokenActor(principal), params.log ?? "", body);
  return Response.json(summary, { status: 201 });
});
