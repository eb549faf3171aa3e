import { NextResponse } from "next/server";
import { errorResponse } from "@/lib/api/handler";
import { requireActor } from "@/lib/auth/session";
import { ledgerInclusionProof } from "@/lib/data/ledger-tree";

export const dynamic = "force-dynamic";

/**
 * GET /governance/ledger/proof/{seq} — the entry's inclusion proof against the latest signed
 * tree head, with that head (as GET /api/v1/ledger/proof/inclusion/{seq}), downloaded from the
 * edit log page's "Get proof" by a signed-in governance user; permission checked in the data
 * layer. An entry newer than the latest head is a 422 saying to wait for or sign the next one.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ seq: string }> }): Promise<Response> {
  const { seq } = await params;
  try {
    const proof = await ledgerInclusionProof(await requireActor(), { seq });
    return NextResponse.json(proof, { headers: { "Content-Disposition": `attachment; filename="sentinel-ledger-inclusion-${proof.seq}-of-${proof.treeSize}.json"` } });
  } catch (error) {
    return errorResponse(error, { route: "/governance/ledger/proof" });
  }
}
