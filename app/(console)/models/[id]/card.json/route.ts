import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { requireActor } from "@/lib/auth/session";
import { getModelCard } from "@/lib/data/model-cards";

export const dynamic = "force-dynamic";

/** GET /models/{id}/card.json — the card as registered (with its id and registration), downloaded from the card page; models:read, checked in the data layer. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    const stored = await getModelCard(await requireActor(), id);
    return NextResponse.json(stored, { headers: { "Content-Disposition": `attachment; filename="model-card-${stored.card.model}-${stored.card.version}.json"` } });
  } catch (error) {
    return errorResponse(error, { route: "/models/card.json" });
  }
}
