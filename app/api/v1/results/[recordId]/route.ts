import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { getRecordResult } from "@/lib/data/results";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/results/{recordId} — the current result with full provenance, and every version. */
export const GET = withApi({ scope: "read" }, async (_request, { principal, params }) =>
  NextResponse.json(await getRecordResult(tokenActor(principal), params.recordId ?? "")),
);
