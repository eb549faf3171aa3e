import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { ledgerConsistencyProof } from "@/lib/data/ledger-tree";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/ledger/proof/consistency?first=&second= — RFC 9162 consistency proof between two sizes of the log. */
export const GET = withApi({ scope: "read" }, async (request, { principal }) => {
  const q = request.nextUrl.searchParams;
  return NextResponse.json(await ledgerConsistencyProof(tokenActor(principal), { first: q.get("first") ?? "", second: q.get("second") ?? "" }));
});
