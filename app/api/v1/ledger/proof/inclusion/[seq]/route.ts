import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";
import { ledgerInclusionProof } from "@/lib/data/ledger-tree";
import { tokenActor } from "@/lib/data/tokens";

export const dynamic = "force-dynamic";

/** GET /api/v1/ledger/proof/inclusion/{seq}?treeSize= — one entry's RFC 9162 inclusion proof. */
export const GET = withApi({ scope: "read" }, async (request, { principal, params }) => {
  const treeSize = request.nextUrl.searchParams.get("treeSize");
  return NextResponse.json(await ledgerInclusionProof(tokenActor(principal), { seq: params.seq ?? "", ...(treeSize !== null ? { treeSize } : {}) }));
});
