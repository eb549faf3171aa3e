import type { NextRequest } from "next/server";

/** GET /ledger/export — moved to /governance/ledger/export; a permanent redirect keeps old links working. */
export function GET(request: NextRequest): Response {
  return Response.redirect(new URL("/governance/ledger/export", request.nextUrl), 308);
}
