import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { getSessionUser } from "@/lib/data/users";
import { UnauthenticatedError } from "@/lib/errors";
import { authOptions } from "./options";
import { hasPermission, type Permission } from "./permissions";

export type SessionUser = Extract<Actor, { kind: "user" }>;

/**
 * The signed-in user as the database has them now (active, current role), or null.
 * Cached per request.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions());
  const uid = (session as { uid?: string } | null)?.uid;
  if (!uid) return null;
  const user = await getSessionUser(uid);
  return user ? { kind: "user", ...user } : null;
});

/** For server actions and route handlers: the acting user, or an UnauthenticatedError. */
export async function requireActor(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new UnauthenticatedError();
  return user;
}

/**
 * For pages: signed out → the sign-in page; signed in without the permission → 403.
 * The data layer checks again; this only decides what to render.
 */
export async function requirePageUser(permission?: Permission): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (permission && !hasPermission(user.role, permission)) forbidden();
  return user;
}
