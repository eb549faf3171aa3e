import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { getModelCard } from "@/lib/data/model-cards";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/model-cards/{id} — one card, whole (scope read). */
export const GET = withApi({ scope: "read" }, async (_request, { principal, params }) => NextResponse.json(await getModelCard(tokenActor(principal), params.id ?? "")));
