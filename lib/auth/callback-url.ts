/**
 * Where the console may send a browser after sign-in: same-origin paths only. A callback
 * comes from the address bar (`/login?callbackUrl=…`), so it is attacker-controlled; an
 * open redirect here would hand a phishing page a trusted link.
 */

const PROBE_ORIGIN = "http://x.invalid";
const MAX_LENGTH = 2048;
// C0 controls, DEL and C1 controls: browsers strip some of them (tab, newline) from URLs,
// which turns "/\t/evil" into "//evil".
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Encoded slashes and backslashes in the path: a proxy or server that decodes them would
// see "//host" or "/\host".
const ENCODED_SEPARATOR = /%(2f|5c)/i;

/**
 * The same-origin absolute path `value` names (path, query and fragment, normalised), or
 * null when it is anything else: not a string, empty, relative, protocol-relative (`//x`,
 * `/\x`), with a backslash or control character anywhere, with an encoded slash in its
 * path, or resolving to another origin once dot segments are removed (`/.//evil/x`).
 */
export function safeCallbackPath(value: unknown): string | null {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_LENGTH) return null;
  if (!value.startsWith("/") || value.startsWith("//")) return null;
  if (value.includes("\\") || CONTROL.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PROBE_ORIGIN) return null;
  // After dot-segment removal the path must still be one path, not "//host/…".
  if (!url.pathname.startsWith("/") || url.pathname.startsWith("//")) return null;
  if (ENCODED_SEPARATOR.test(url.pathname)) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * next-auth's `redirect` callback: a same-origin path, or an absolute URL on the console's
 * own origin (`baseUrl`, from NEXTAUTH_URL), becomes an absolute URL on that origin after
 * the same checks; anything else goes to `baseUrl`.
 */
export function safeRedirectUrl(url: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  let path: string | null = null;
  if (url.startsWith("/")) {
    path = safeCallbackPath(url);
  } else {
    try {
      const absolute = new URL(url);
      if (absolute.origin === base.origin && !url.includes("\\") && !CONTROL.test(url)) {
        path = safeCallbackPath(`${absolute.pathname}${absolute.search}${absolute.hash}`);
      }
    } catch {
      path = null;
    }
  }
  return path ? `${base.origin}${path}` : baseUrl;
}
