import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { readBodyText } from "@/lib/api/body";
import { parseJsonBody } from "@/lib/data/input";
import { listModelCards, registerModelCard } from "@/lib/data/model-cards";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/model-cards — every registered card's summary (scope read). */
export const GET = withApi({ scope: "read" }, async (_request, { principal }) => NextResponse.json({ cards: await listModelCards(tokenActor(principal)) }));

/**
 * POST /api/v1/model-cards — a training pipeline registers a card (scope models:write).
 * Idempotent by (model, version, runId, configHash): 201 when stored, 200 with the stored
 * card when this card was registered before, 409 when the version holds another card.
 */
export const POST = withApi({ scope: "models:write" }, async (request, { principal }) => {
  const input = parseJsonBody(await readBodyText(request), request.headers.get("content-type"), "the model card");
  const { created, stored } = await registerModelCard(tokenActor(principal), input);
  return NextResponse.json(stored, { status: created ? 201 : 200, headers: created ? {} : { "Idempotent-Replayed": "true" } });
});
