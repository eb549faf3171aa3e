import { decode } from "next-auth/jwt";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import type { Actor } from "@/lib/auth/actor";
import { getSessionUser } from "@/lib/data/users";
import { loadEnv } from "@/lib/env";
import { UnauthenticatedError } from "@/lib/errors";
import { authOptions } from "./options";
import { hasPermission, type Permission } from "./permissions";
import { signedInAtIfCurrent } from "./session-lifetime";

export type SessionUser = Extract<Actor, { kind: "user" }>;

/**
 * The signed-in user as the database has them now (active, current role), or null.
 * Cached per request. The session cookie is decoded as the console routes decode it
 * (next-auth's getServerSession would also re-encode a cookie a page cannot set).
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => sessionUserOfToken((await cookies()).get(sessionCookieName())?.value));

type TokenClaims = { uid?: unknown; authAt?: unknown };

/** The person a session's claims name, if the session is inside its lifetime and they may still sign in. */
async function userOfSession(session: TokenClaims | null): Promise<SessionUser | null> {
  const signedInAt = signedInAtIfCurrent(session?.authAt, Date.now(), loadEnv().SESSION_MAX_AGE_HOURS);
  if (typeof session?.uid !== "string" || signedInAt === null) return null;
  const user = await getSessionUser(session.uid, signedInAt);
  return user ? { kind: "user", ...user } : null;
}

/** The session cookie's name (`__Host-` prefixed over https: lib/auth/options.ts). */
export const sessionCookieName = () => authOptions().cookies?.sessionToken?.name ?? "next-auth.session-token";

/**
 * Decoded session tokens by their text, each kept until the token's own expiry: deriving the
 * key and decrypting is most of what authenticating a request costs, and a token's claims
 * never change. Who the person is now (active, role, sessions ended) is still read from the
 * database on every request.
 */
const decodedTokens = new Map<string, TokenClaims & { expiresAt: number }>();
const DECODED_TOKENS_MAX = 10_000;

async function decodeSessionToken(token: string): Promise<TokenClaims | null> {
  const now = Date.now();
  const known = decodedTokens.get(token);
  if (known && known.expiresAt > now) return known;
  decodedTokens.delete(token);
  // An expired, forged or foreign token does not decode (jose checks exp and the tag).
  const claims = await decode({ token, secret: authOptions().secret! }).catch(() => null);
  if (!claims || typeof claims.exp !== "number") return null;
  if (decodedTokens.size >= DECODED_TOKENS_MAX) decodedTokens.delete(decodedTokens.keys().next().value!);
  const entry = { uid: claims.uid, authAt: claims.authAt, expiresAt: claims.exp * 1000 };
  decodedTokens.set(token, entry);
  return entry;
}

/** For console routes: the person the request's session cookie names, or null. */
export async function sessionUserOfToken(token: string | undefined): Promise<SessionUser | null> {
  return token ? userOfSession(await decodeSessionToken(token)) : null;
}

/** For server actions and route handlers: the acting user, or an UnauthenticatedError. */
export async function requireActor(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new UnauthenticatedError();
  return user;
}

/**
 * For pages and section layouts: signed out → the sign-in page; signed in without the
 * permission (any of them, for a list) → 403. The data layer checks again; this only
 * decides what to render. Call it above any loading boundary so the 403 is the status.
 */
export async function requirePageUser(permission?: Permission | Permission[]): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  const wanted = permission === undefined ? [] : Array.isArray(permission) ? permission : [permission];
  if (wanted.length > 0 && !wanted.some((p) => hasPermission(user.role, p))) forbidden();
  return user;
}
