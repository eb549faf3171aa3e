import bcrypt from "bcryptjs";
import { z } from "zod";
import type { Role } from "@/lib/auth/permissions";
import { loadEnv } from "@/lib/env";
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from "@/lib/errors";
import {
  changePasswordInput,
  changeRoleInput,
  createUserInput,
  setActiveInput,
} from "@/lib/validations/admin";
import { type Actor, actorId, assertCan } from "./actor";
import { db } from "./db";
import { isUniqueViolation, parseInput } from "./input";

/** bcrypt cost: ~100 ms per hash here, enough to make guessing slow without stalling sign-in. */
const BCRYPT_COST = 11;

/** The shape every caller gets: never the password hash. */
const userSelect = {
  id: true,
  email: true,
  name: true,
  kind: true,
  role: true,
  active: true,
  allowedScopes: true,
  createdAt: true,
  deactivatedAt: true,
  lastSignInAt: true,
} as const;

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: Role | null;
  active: boolean;
  createdAt: Date;
  deactivatedAt: Date | null;
  lastSignInAt: Date | null;
};

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export async function listUsers(actor: Actor): Promise<UserRow[]> {
  assertCan(actor, "users:manage");
  return db().prisma.user.findMany({ where: { kind: "human" }, select: userSelect, orderBy: [{ active: "desc" }, { email: "asc" }] });
}

export async function createUser(actor: Actor, input: unknown): Promise<UserRow> {
  assertCan(actor, "users:manage");
  const data = parseInput(createUserInput, input);
  const passwordHash = await hashPassword(data.password);
  try {
    return await db().prisma.user.create({
      data: { email: data.email, name: data.name, role: data.role, kind: "human", passwordHash },
      select: userSelect,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError("A user with this email exists.", { email: ["is already taken"] });
    throw error;
  }
}

/** Refuses changes that would leave the deployment without an active administrator. */
async function assertNotLastAdmin(userId: string): Promise<void> {
  const user = await db().prisma.user.findUnique({ where: { id: userId }, select: { role: true, active: true } });
  if (user?.role !== "admin" || !user.active) return;
  const admins = await db().prisma.user.count({ where: { role: "admin", active: true, kind: "human" } });
  if (admins <= 1) throw new ConflictError("This is the last active administrator: make someone else an administrator first.");
}

export async function setUserActive(actor: Actor, input: unknown): Promise<UserRow> {
  assertCan(actor, "users:manage");
  const { userId, active } = parseInput(setActiveInput, input);
  if (!active && actorId(actor) === userId) throw new ConflictError("You cannot deactivate your own account.");
  if (!active) await assertNotLastAdmin(userId);
  const found = await db().prisma.user.findFirst({ where: { id: userId, kind: "human" }, select: { id: true } });
  if (!found) throw new NotFoundError("No such user.");
  return db().prisma.user.update({
    where: { id: userId },
    data: { active, deactivatedAt: active ? null : new Date() },
    select: userSelect,
  });
}

export async function changeRole(actor: Actor, input: unknown): Promise<UserRow> {
  assertCan(actor, "users:manage");
  const { userId, role } = parseInput(changeRoleInput, input);
  if (role !== "admin") await assertNotLastAdmin(userId);
  const found = await db().prisma.user.findFirst({ where: { id: userId, kind: "human" }, select: { id: true } });
  if (!found) throw new NotFoundError("No such user.");
  return db().prisma.user.update({ where: { id: userId }, data: { role }, select: userSelect });
}

/** Every account's email, for the first-run seed (no actor: it runs before anyone exists). */
export async function listUserEmails(): Promise<string[]> {
  const rows = await db().prisma.user.findMany({ select: { email: true } });
  return rows.map((r) => r.email);
}

export async function findUserByEmail(actor: Actor, email: string): Promise<(UserRow & { kind: "human" | "service" }) | null> {
  assertCan(actor, "users:manage");
  return db().prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: userSelect });
}

/**
 * The signed-in user as the database has them now: a deactivated user, a changed role or
 * a deleted row takes effect on the next request, whatever the session cookie says.
 */
export async function getSessionUser(userId: string): Promise<{ id: string; email: string; name: string; role: Role } | null> {
  if (!z.uuid().safeParse(userId).success) return null;
  // Plain SQL: this runs on every request and action, and is one primary-key lookup.
  const user = (
    await db().pool.query<{ id: string; email: string; name: string; role: Role | null }>(
      "SELECT id::text AS id, email, name, role::text AS role FROM users WHERE id = $1 AND active AND kind = 'human'",
      [userId],
    )
  ).rows[0];
  if (!user || !user.role) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export type SignInResult = { id: string; email: string; name: string; role: Role };

/**
 * Checks a password sign-in. Every attempt is recorded; after too many failures for one
 * email (or from one address) within the window, further attempts are refused before the
 * password is checked. Wrong password, unknown user and deactivated user look the same.
 */
export async function verifyCredentials(input: { email: string; password: string; ip: string | null }): Promise<SignInResult | null> {
  const env = loadEnv();
  const email = String(input.email ?? "").trim().toLowerCase().slice(0, 320);
  const password = String(input.password ?? "");
  const since = new Date(Date.now() - env.SIGNIN_WINDOW_MINUTES * 60_000);
  const prisma = db().prisma;

  const [byEmail, byIp] = await Promise.all([
    prisma.signInAttempt.count({ where: { email, succeeded: false, createdAt: { gte: since } } }),
    input.ip
      ? prisma.signInAttempt.count({ where: { ip: input.ip, succeeded: false, createdAt: { gte: since } } })
      : Promise.resolve(0),
  ]);
  if (byEmail >= env.SIGNIN_MAX_FAILURES || byIp >= env.SIGNIN_MAX_FAILURES * 4) {
    await prisma.signInAttempt.create({ data: { email, ip: input.ip, succeeded: false, failure: "rate_limited" } });
    throw new RateLimitedError(
      `Too many failed sign-in attempts. Try again in ${env.SIGNIN_WINDOW_MINUTES} minutes.`,
      env.SIGNIN_WINDOW_MINUTES * 60,
    );
  }

  const user = email
    ? await prisma.user.findUnique({ where: { email }, select: { ...userSelect, passwordHash: true } })
    : null;
  // Compare against a fixed hash when there is no user, so timing does not reveal which emails exist.
  const hash = user?.passwordHash ?? "$2b$11$0000000000000000000000.000000000000000000000000000000";
  const passwordOk = await bcrypt.compare(password, hash);
  const failure = !user
    ? "unknown_user"
    : user.kind !== "human"
      ? "service_account"
      : !user.active
        ? "deactivated"
        : !user.passwordHash || !passwordOk
          ? "wrong_password"
          : !user.role
            ? "no_role"
            : null;
  await prisma.signInAttempt.create({ data: { email, ip: input.ip, succeeded: failure === null, failure } });
  if (failure || !user?.role) return null;
  await prisma.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** For single sign-on: the console only admits people an administrator has added. */
export async function findActiveUserForSso(email: string): Promise<SignInResult | null> {
  const user = await db().prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: userSelect });
  if (!user || !user.active || user.kind !== "human" || !user.role) return null;
  await db().prisma.signInAttempt.create({ data: { email: user.email, ip: null, succeeded: true, failure: null } });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function changeOwnPassword(actor: Actor, input: unknown): Promise<void> {
  if (actor.kind !== "user") throw new ValidationError("Only a signed-in user has a password to change.");
  const data = parseInput(changePasswordInput, input);
  const user = await db().prisma.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user?.passwordHash || !(await bcrypt.compare(data.currentPassword, user.passwordHash))) {
    throw new ValidationError("The current password is not right.", { currentPassword: ["does not match"] });
  }
  await db().prisma.user.update({ where: { id: actor.id }, data: { passwordHash: await hashPassword(data.newPassword) } });
}
