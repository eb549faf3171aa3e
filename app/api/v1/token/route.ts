import { NextResponse } from "next/server";
import { withApi } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

/** Describes the calling token: its account, effective scopes and limits. */
export const GET = withApi({ scope: "read" }, async (_request, { principal }) =>
  NextResponse.json({
    tokenId: principal.tokenId,
    account: principal.accountEmail,
    scopes: principal.scopes,
    limits: { readPerMinute: principal.readPerMinute, ingestPerMinute: principal.ingestPerMinute },
  }),
);
