import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { getBatch } from "@/lib/data/batches";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/batches/{id} — a batch's figures and hold state. */
export const GET = withApi({ scope: "read" }, async (_request, { principal, params }) => NextResponse.json(await getBatch(tokenActor(principal), params.id ?? "")));
