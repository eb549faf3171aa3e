import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, isFromConsoleOrigin, newNonce, securityHeaders } from "@/lib/http/security-headers";

/**
 * Runs before every page, route and action: gives each page view its CSP nonce (Next puts
 * it on its own scripts when the request carries the policy) and refuses server actions
 * posted from any origin but the console's own. Static headers come from next.config.ts.
 */
export function proxy(request: NextRequest) {
  const publicUrl = process.env.NEXTAUTH_URL || undefined;
  const https = publicUrl ? publicUrl.startsWith("https:") : request.nextUrl.protocol === "https:";

  if (request.method === "POST" && request.headers.has("next-action")) {
    if (!isFromConsoleOrigin(request)) {
      return NextResponse.json(
        { error: { code: "forbidden", message: "Origin: server actions are accepted only from the console's own origin" } },
        { status: 403 },
      );
    }
  }

  const nonce = newNonce();
  const formTargets = process.env.OIDC_ISSUER ? [new URL(process.env.OIDC_ISSUER).origin] : [];
  const policy = contentSecurityPolicy({ nonce, development: process.env.NODE_ENV === "development", https, formTargets });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  const hsts = securityHeaders({ https })["Strict-Transport-Security"];
  if (hsts) response.headers.set("Strict-Transport-Security", hsts);
  return response;
}

export const config = {
  // Pages and their actions. Not the API (no HTML, and a proxy would cap its bodies at
  // 10 MB) and not the build's static files; next.config.ts gives both the static headers.
  matcher: [{ source: "/((?!api/|_next/static|_next/image|favicon.svg|robots.txt).*)" }],
};
