import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { safeRedirectUrl } from "@/lib/auth/callback-url";
import { endSessions, findActiveUserForSso, verifyCredentials } from "@/lib/data/users";
import { loadEnv } from "@/lib/env";
import { RateLimitedError } from "@/lib/errors";
import { log } from "@/lib/log";
import { localSecret } from "@/lib/secrets";

/**
 * The client's address for the per-address sign-in limit: the one address the web server
 * (scripts/serve.mjs) leaves in X-Forwarded-For, from the connection or, with
 * TRUSTED_PROXY_HOPS, from the proxies of ours in front; never the client's own claim.
 */
function clientIp(headers: Record<string, unknown> | undefined): string | null {
  const forwarded = headers?.["x-forwarded-for"];
  return typeof forwarded === "string" && forwarded.trim() ? forwarded.split(",")[0]!.trim() : null;
}

/**
 * Over https the session cookie is `__Host-` prefixed (Secure, path /, no Domain: no
 * subdomain can set or shadow it); over plain http (the loopback demo) next-auth's default.
 */
function sessionCookies(publicUrl: string | undefined): AuthOptions["cookies"] {
  if (!publicUrl?.startsWith("https:")) return undefined;
  return {
    sessionToken: { name: "__Host-next-auth.session-token", options: { httpOnly: true, sameSite: "lax", path: "/", secure: true } },
  };
}

let cached: AuthOptions | undefined;

export function authOptions(): AuthOptions {
  if (cached) return cached;
  const env = loadEnv();
  const providers: AuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        try {
          const user = await verifyCredentials({
            email: credentials?.email ?? "",
            password: credentials?.password ?? "",
            ip: clientIp(req?.headers),
          });
          return user ? { id: user.id, email: user.email, name: user.name } : null;
        } catch (error) {
          if (error instanceof RateLimitedError) throw new Error("RateLimited");
          throw error;
        }
      },
    }),
  ];
  if (env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET) {
    providers.push({
      id: "oidc",
      name: env.OIDC_NAME ?? "Single sign-on",
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null };
      },
    });
  }
  cached = {
    secret: env.NEXTAUTH_SECRET ?? localSecret("nextauthSecret"),
    // The token's own expiry is the session length too (next-auth's default would be 30
    // days); the absolute limit from sign-in is checked on every request (lib/auth/session.ts).
    session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_HOURS * 3600 },
    jwt: { maxAge: env.SESSION_MAX_AGE_HOURS * 3600 },
    cookies: sessionCookies(env.NEXTAUTH_URL),
    pages: { signIn: "/login", error: "/login" },
    providers,
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        // Single sign-on admits only people an administrator has added, by email.
        const known = user.email ? await findActiveUserForSso(user.email) : null;
        if (!known) log.warn({ provider: "oidc" }, "single sign-on refused: no active user with that email");
        return known !== null;
      },
      async jwt({ token, user, account }) {
        if (user && account?.provider === "oidc") {
          const known = user.email ? await findActiveUserForSso(user.email) : null;
          if (known) token.uid = known.id;
        } else if (user) {
          token.uid = user.id;
        }
        // When this sign-in happened, kept as signed: sliding renewals never move it.
        if (user) token.authAt = Date.now();
        return token;
      },
      // Same-origin only (NEXTAUTH_URL's origin): never a callbackUrl that leaves the console.
      redirect({ url, baseUrl }) {
        return safeRedirectUrl(url, baseUrl);
      },
      async session({ session, token }) {
        return {
          ...session,
          uid: typeof token.uid === "string" ? token.uid : undefined,
          authAt: typeof token.authAt === "number" ? token.authAt : undefined,
        };
      },
    },
    events: {
      // Signing out ends every session of this person, including copies of this cookie.
      async signOut({ token }) {
        if (typeof token?.uid === "string") await endSessions(token.uid);
      },
    },
    logger: {
      error: (code, metadata) => log.error({ code, metadata: metadata instanceof Error ? metadata.message : undefined }, "next-auth"),
      warn: (code) => log.warn({ code }, "next-auth"),
      debug: () => {},
    },
  };
  return cached;
}
