import { getServerSession } from "next-auth";
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
 * Cached per request.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = (await getServerSession(authOptions())) as { uid?: string; authAt?: number } | null;
  const signedInAt = signedInAtIfCurrent(session?.authAt, Date.now(), loadEnv().SESSION_MAX_AGE_HOURS);
  if (!session?.uid || signedInAt === null) return null;
  const user = await getSessionUser(session.uid, signedInAt);
  return user ? { kind: "user", ...user } : null;
});

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
