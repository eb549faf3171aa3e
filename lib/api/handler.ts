import { NextResponse, type NextRequest } from "next/server";
import type { ApiScope } from "@/lib/auth/permissions";
import { consumeApiRequest } from "@/lib/data/rate-limit";
import { authenticateApiToken, type ApiPrincipal } from "@/lib/data/tokens";
import { asDomainError, DatabaseBusyError, DomainError, RateLimitedError } from "@/lib/errors";
import { log, logUnexpected } from "@/lib/log";

/** The JSON error body of every route: `{ error: { code, message, fields? } }`. */
export function apiError(status: number, code: string, message: string, fields?: Record<string, string[]>, headers?: HeadersInit) {
  return NextResponse.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status, headers });
}

export function errorResponse(thrown: unknown, context: Record<string, unknown>): NextResponse {
  const error = asDomainError(thrown);
  if (error instanceof DatabaseBusyError) log.warn({ ...context, reason: error.reason, err: error.detail }, "database busy");
  if (error instanceof DomainError) {
    const headers = error instanceof RateLimitedError || error instanceof DatabaseBusyError ? { "Retry-After": String(error.retryAfterSeconds) } : undefined;
    return apiError(error.status, error.code, error.message, error.fields, headers);
  }
  const ref = logUnexpected(error, context);
  return apiError(500, "internal", `Something went wrong (reference ${ref}).`);
}

type RouteContext = { params: Promise<Record<string, string>> };

/**
 * Wraps a machine-facing route: authenticates the bearer token for one scope (the API
 * authenticates itself; no proxy is involved), then maps domain errors to statuses.
 */
export function withApi(
  options: { scope: ApiScope },
  handler: (request: NextRequest, ctx: { principal: ApiPrincipal; params: Record<string, string> }) => Promise<Response>,
) {
  return async (request: NextRequest, context: RouteContext): Promise<Response> => {
    try {
      const principal = await authenticateApiToken(request.headers.get("authorization"), options.scope);
      // Reads count against the read budget; everything that writes against the ingest one.
      await consumeApiRequest(principal, request.method === "GET" || request.method === "HEAD" ? "read" : "ingest");
      return await handler(request, { principal, params: (await context.params) ?? {} });
    } catch (error) {
      return errorResponse(error, { route: request.nextUrl.pathname, method: request.method });
    }
  };
}
