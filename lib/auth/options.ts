import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { safeRedirectUrl } from "@/lib/auth/callback-url";
import { findActiveUserForSso, verifyCredentials } from "@/lib/data/users";
import { loadEnv } from "@/lib/env";
import { RateLimitedError } from "@/lib/errors";
import { log } from "@/lib/log";
import { localSecret } from "@/lib/secrets";

function clientIp(headers: Record<string, unknown> | undefined): string | null {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  return first || (typeof headers?.["x-real-ip"] === "string" ? (headers["x-real-ip"] as string) : null);
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
    session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_HOURS * 3600 },
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
        return token;
      },
      // Same-origin only (NEXTAUTH_URL's origin): never a callbackUrl that leaves the console.
      redirect({ url, baseUrl }) {
        return safeRedirectUrl(url, baseUrl);
      },
      async session({ session, token }) {
        return { ...session, uid: typeof token.uid === "string" ? token.uid : undefined };
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
