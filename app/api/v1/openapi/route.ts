import { NextResponse } from "next/server";
import { openApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-static";

/** GET /api/v1/openapi.json (rewritten here by next.config.ts) — the API's OpenAPI 3.1 document (public: it describes, it grants nothing). */
export function GET() {
  return NextResponse.json(openApiDocument());
}
