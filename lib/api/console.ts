import type { NextRequest } from "next/server";
import { settleAction } from "@/lib/actions/result";
import { sessionCookieName, sessionUserOfToken, type SessionUser } from "@/lib/auth/session";
import { isFromConsoleOrigin } from "@/lib/http/security-headers";
import { BadRequestError, ForbiddenError, UnauthenticatedError, UnsupportedMediaTypeError } from "@/lib/errors";

const HEADERS = {
  "Content-Type": "application/json",
  // A few hundred bytes: compressing them costs more than it saves (no-transform tells the server's compression to leave it).
  "Cache-Control": "no-store, no-transform",
};

/**
 * A console route for the signed-in person's own pages: same-origin JSON in, the server
 * actions' result shape out, through the same data-layer function as the action — without
 * the page runtime, for the paths analysts hit all day. The session cookie authenticates
 * (401), then the Origin header must be this console's (403), the body JSON (415, 400); the
 * data layer checks the permission.
 */
export function withConsoleSession<T>(name: string, body: (actor: SessionUser, input: unknown) => Promise<T>) {
  return async (request: NextRequest): Promise<Response> => {
    const token = request.cookies.get(sessionCookieName())?.value;
    const { result, status } = await settleAction(
      name,
      async () => {
        const user = await sessionUserOfToken(token);
        if (!user) throw new UnauthenticatedError();
        return user;
      },
      async (actor) => {
        if (!isFromConsoleOrigin(request)) throw new ForbiddenError("This address takes requests from the console's own pages only (the Origin header must be the console's).");
        if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
          throw new UnsupportedMediaTypeError("The body must be JSON (Content-Type: application/json).");
        }
        const input: unknown = await request.json().catch(() => {
          throw new BadRequestError("The body is not valid JSON.");
        });
        return body(actor, input);
      },
    );
    return new Response(JSON.stringify(result), { status, headers: HEADERS });
  };
}
