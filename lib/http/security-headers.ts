/**
 * The console's browser-facing protections, as pure functions: the Content-Security-Policy
 * a page is served with, the headers every response carries, and which origins may call a
 * server action. `proxy.ts` applies them; tests call them directly.
 */

/** A fresh nonce per page view: the only inline or loaded script a page may run carries it. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

export type PolicyOptions = {
  nonce: string;
  /** `next dev` evaluates code with eval() for its fast refresh; production never does. */
  development?: boolean;
  https?: boolean;
  /** The OpenID provider's origin, where a sign-in form may send the browser. */
  formTargets?: string[];
};

/**
 * Scripts: only those carrying this view's nonce, and what they load ('strict-dynamic'),
 * so an injected <script> or a same-origin upload never runs. Styles keep 'unsafe-inline'
 * because React and the chart library set style attributes; styles cannot run code.
 */
export function contentSecurityPolicy({ nonce, development = false, https = false, formTargets = [] }: PolicyOptions): string {
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(development ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["frame-ancestors", "'none'"],
    ["frame-src", "'none'"],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["form-action", "'self'", ...formTargets],
    ["manifest-src", "'self'"],
    ["worker-src", "'self'"],
  ];
  if (https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((d) => d.join(" ")).join("; ");
}

/** Headers every response carries, pages, API and static files alike. */
export function securityHeaders({ https = false }: { https?: boolean } = {}): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    // For browsers older than frame-ancestors.
    "X-Frame-Options": "DENY",
    // Only over https: a browser that once saw it refuses plain http for a year.
    ...(https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/**
 * The origins a server action may be called from. With NEXTAUTH_URL set, only its origin:
 * the console's public address is configuration, not something a request may claim. Without
 * it (the two-command start on loopback), the address the request was sent to, from the
 * Host header; never X-Forwarded-Host, which any client can send.
 */
export function allowedActionOrigins({ publicUrl, host, https }: { publicUrl?: string; host: string | null; https: boolean }): string[] {
  if (publicUrl) return [new URL(publicUrl).origin];
  if (!host) return [];
  return [`${https ? "https" : "http"}://${host}`];
}

/** A browser always sends Origin on a POST; a missing, `null` or foreign one is refused. */
export function isAllowedActionOrigin(origin: string | null, allowed: string[]): boolean {
  if (!origin || origin === "null") return false;
  let normalised: string;
  try {
    normalised = new URL(origin).origin;
  } catch {
    return false;
  }
  return allowed.includes(normalised);
}

/**
 * A POST from the console's own pages: its Origin is one `allowedActionOrigins` gives for
 * this request. Server actions are checked in the proxy, console routes in lib/api/console.ts.
 */
export function isFromConsoleOrigin(request: { headers: Headers; nextUrl: { protocol: string } }): boolean {
  const publicUrl = process.env.NEXTAUTH_URL || undefined;
  const https = publicUrl ? publicUrl.startsWith("https:") : request.nextUrl.protocol === "https:";
  return isAllowedActionOrigin(request.headers.get("origin"), allowedActionOrigins({ publicUrl, host: request.headers.get("host"), https }));
}
