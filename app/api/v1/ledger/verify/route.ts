import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { verifyLedger } from "@/lib/data/ledger";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/ledger/verify — recomputes the edit log's chain: { ok, count, headHash } or the first bad entry. */
export const GET = withApi({ scope: "read" }, async (_request, { principal }) => NextResponse.json(await verifyLedger(tokenActor(principal))));
