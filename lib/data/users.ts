import bcrypt from "bcryptjs";
import { randomUUID } from "node:crypto";
import type { PoolClient } from "pg";
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
import { DEMO_EMAIL_DOMAIN, DEMO_USERS } from "@/prisma/demo-users";
import { type Actor, actorId, assertCan } from "@/lib/auth/actor";
import { appendAdminEntry } from "./admin-entries";
import { db, transaction } from "./db";
import { isPgUniqueViolation, parseInput } from "./input";
import { type GiveBack, reservePasswordChangeTry, reserveSignInTry } from "./sign-in-limits";
import { demoDataSeeded } from "./system";

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

type UserSqlRow = {
  id: string;
  email: string;
  name: string;
  role: Role | null;
  active: boolean;
  created_at: Date;
  deactivated_at: Date | null;
  last_sign_in_at: Date | null;
};
const USER_COLUMNS = "id::text AS id, email, name, role::text AS role, active, created_at, deactivated_at, last_sign_in_at";
const toUserRow = (r: UserSqlRow): UserRow => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  active: r.active,
  createdAt: r.created_at,
  deactivatedAt: r.deactivated_at,
  lastSignInAt: r.last_sign_in_at,
});

/** A person's account, recorded in the edit log (user_created) in the same transaction. */
export async function createUser(actor: Actor, input: unknown): Promise<UserRow> {
  assertCan(actor, "users:manage");
  const data = parseInput(createUserInput, input);
  const passwordHash = await hashPassword(data.password);
  try {
    return await transaction(async (client) => {
      const row = (
        await client.query<UserSqlRow>(
          `INSERT INTO users (id, email, name, role, kind, password_hash, updated_at)
           VALUES ($1::uuid, $2, $3, $4::"Role", 'human', $5, now()) RETURNING ${USER_COLUMNS}`,
          [randomUUID(), data.email, data.name, data.role, passwordHash],
        )
      ).rows[0]!;
      await appendAdminEntry(client, actor, "user", row.id, "user_created", null, { email: row.email, name: row.name, role: data.role });
      return toUserRow(row);
    });
  } catch (error) {
    if (isPgUniqueViolation(error)) throw new ValidationError("A user with this email exists.", { email: ["is already taken"] });
    throw error;
  }
}

/** The person's row, locked for the change; NotFoundError for anything but a person. */
async function lockHuman(client: PoolClient, userId: string): Promise<UserSqlRow> {
  const row = (await client.query<UserSqlRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1::uuid AND kind = 'human' FOR UPDATE`, [userId])).rows[0];
  if (!row) throw new NotFoundError("No such user.");
  return row;
}

/**
 * Refuses changes that would leave the deployment without an active administrator. The
 * active administrators are locked, so two concurrent demotions cannot both pass.
 */
async function assertNotLastAdmin(client: PoolClient, user: UserSqlRow): Promise<void> {
  if (user.role !== "admin" || !user.active) return;
  const admins = (await client.query("SELECT id FROM users WHERE role = 'admin' AND active AND kind = 'human' FOR UPDATE")).rowCount ?? 0;
  if (admins <= 1) throw new ConflictError("This is the last active administrator: make someone else an administrator first.");
}

/** Deactivates or reactivates a person (user_deactivated / user_reactivated); setting the state it has already changes and records nothing. */
export async function setUserActive(actor: Actor, input: unknown): Promise<UserRow> {
  assertCan(actor, "users:manage");
  const { userId, active } = parseInput(setActiveInput, input);
  if (!active && actorId(actor) === userId) throw new ConflictError("You cannot deactivate your own account.");
  return transaction(async (client) => {
    const user = await lockHuman(client, userId);
    if (user.active === active) return toUserRow(user);
    if (!active) await assertNotLastAdmin(client, user);
    const row = (
      await client.query<UserSqlRow>(
        `UPDATE users SET active = $2, deactivated_at = CASE WHEN $2 THEN NULL ELSE now() END, sessions_valid_after = now(), updated_at = now() WHERE id = $1::uuid RETURNING ${USER_COLUMNS}`,
        [userId, active],
      )
    ).rows[0]!;
    await appendAdminEntry(client, actor, "user", userId, active ? "user_reactivated" : "user_deactivated", { active: user.active }, { active });
    return toUserRow(row);
  });
}

/** Changes a person's role (role_changed, before → after); the same role again changes and records nothing. */
export async function changeRole(actor: Actor, input: unknown): Promise<UserRow> {
  assertCan(actor, "users:manage");
  const { userId, role } = parseInput(changeRoleInput, input);
  return transaction(async (client) => {
    const user = await lockHuman(client, userId);
    if (user.role === role) return toUserRow(user);
    if (role !== "admin") await assertNotLastAdmin(client, user);
    const row = (
      await client.query<UserSqlRow>(`UPDATE users SET role = $2::"Role", sessions_valid_after = now(), updated_at = now() WHERE id = $1::uuid RETURNING ${USER_COLUMNS}`, [userId, role])
    ).rows[0]!;
    await appendAdminEntry(client, actor, "user", userId, "role_changed", { role: user.role }, { role });
    return toUserRow(row);
  });
}

export type DemoSignIn = { email: string; name: string; role: Role; password: string };

/**
 * The demo sign-ins for the sign-in page, when demo data is on (SENTINEL_DEMO) and the
 * first-run seed created them: each demo account that is still active, with its current
 * role and the password the demo publishes (README, the start-up log). No actor: the
 * sign-in page is public, and this never lists anything but the demo's own accounts;
 * with the demo off it is empty.
 */
export async function demoSignIns(): Promise<DemoSignIn[]> {
  // `npm start` hands the web server SENTINEL_DEMO resolved to on or off (lib/demo-mode.ts);
  // "auto" here means it was started some other way, which shows none.
  if (loadEnv().SENTINEL_DEMO !== "on" || !(await demoDataSeeded())) return [];
  const rows = (
    await db().pool.query<{ email: string; name: string; role: Role }>(
      "SELECT email, name, role::text AS role FROM users WHERE email = ANY($1::text[]) AND active AND kind = 'human' AND role IS NOT NULL",
      [DEMO_USERS.map((u) => u.email)],
    )
  ).rows;
  const byEmail = new Map(rows.map((r) => [r.email, r]));
  return DEMO_USERS.flatMap((u) => {
    const row = byEmail.get(u.email);
    return row ? [{ email: u.email, name: row.name, role: row.role, password: u.password }] : [];
  });
}

/**
 * Active people with a demo email (@demo.local), whose passwords may be the published ones.
 * No actor: `npm start` asks before anyone can sign in, to refuse a production start.
 */
export async function activeDemoAccounts(): Promise<string[]> {
  const rows = await db().pool.query<{ email: string }>(
    "SELECT email FROM users WHERE kind = 'human' AND active AND lower(email) LIKE $1 ORDER BY email",
    [`%@${DEMO_EMAIL_DOMAIN}`],
  );
  return rows.rows.map((r) => r.email);
}

/**
 * Retires the demo accounts for a real deployment: each person with a demo email is
 * deactivated and loses their password, so reactivating one later does not bring the
 * published password back. Their decisions and edit-log entries stay (the log is
 * append-only). Unlike one deactivation, this may leave no active administrator: the
 * demo's is no real one (create one with `npm run admin -- user:create … --role admin`).
 */
export async function removeDemoAccounts(actor: Actor): Promise<string[]> {
  assertCan(actor, "users:manage");
  return transaction(async (client) => {
    const rows = (
      await client.query<{ id: string; email: string; active: boolean }>(
        "SELECT id::text AS id, email, active FROM users WHERE kind = 'human' AND lower(email) LIKE $1 AND (active OR password_hash IS NOT NULL) ORDER BY email FOR UPDATE",
        [`%@${DEMO_EMAIL_DOMAIN}`],
      )
    ).rows;
    for (const row of rows) {
      if (row.id === actorId(actor)) throw new ConflictError("You cannot remove your own account: sign in as a real administrator.");
      await client.query(
        "UPDATE users SET active = false, deactivated_at = COALESCE(deactivated_at, now()), password_hash = NULL, updated_at = now() WHERE id = $1::uuid",
        [row.id],
      );
      if (row.active) await appendAdminEntry(client, actor, "user", row.id, "user_deactivated", { active: true }, { active: false });
    }
    return rows.map((r) => r.email);
  });
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
 * The signed-in user as the database has them now: a deactivated user, a changed role, a
 * sign-out or password change since `signedInAt` (epoch ms), or a deleted row takes effect
 * on the next request, whatever the session cookie says.
 */
export async function getSessionUser(userId: string, signedInAt: number): Promise<{ id: string; email: string; name: string; role: Role } | null> {
  if (!z.uuid().safeParse(userId).success || !Number.isFinite(signedInAt)) return null;
  // Plain SQL: this runs on every request and action, and is one primary-key lookup.
  const user = (
    await db().pool.query<{ id: string; email: string; name: string; role: Role | null }>(
      `SELECT id::text AS id, email, name, role::text AS role FROM users
        WHERE id = $1 AND active AND kind = 'human' AND (sessions_valid_after IS NULL OR sessions_valid_after < to_timestamp($2::float8 / 1000))`,
      [userId, signedInAt],
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
  const email = String(input.email ?? "").trim().toLowerCase().slice(0, 320);
  const password = String(input.password ?? "");
  const prisma = db().prisma;

  let giveBack: GiveBack;
  try {
    giveBack = await reserveSignInTry(email, input.ip);
  } catch (error) {
    if (error instanceof RateLimitedError) await prisma.signInAttempt.create({ data: { email, ip: input.ip, succeeded: false, failure: "rate_limited" } });
    throw error;
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
  await giveBack();
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
  const giveBack = await reservePasswordChangeTry(actor.id);
  const user = await db().prisma.user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
  if (!user?.passwordHash || !(await bcrypt.compare(data.currentPassword, user.passwordHash))) {
    throw new ValidationError("The current password is not right.", { currentPassword: ["does not match"] });
  }
  await giveBack();
  // Every session of this person ends, this one included: whoever else held one loses it.
  await db().pool.query("UPDATE users SET password_hash = $2, sessions_valid_after = now(), updated_at = now() WHERE id = $1::uuid", [
    actor.id,
    await hashPassword(data.newPassword),
  ]);
}

/** Ends every session of this person signed in until now (sign-out; the other changes do it in their own statement). */
export async function endSessions(userId: string): Promise<void> {
  if (!z.uuid().safeParse(userId).success) return;
  await db().pool.query("UPDATE users SET sessions_valid_after = now() WHERE id = $1::uuid", [userId]);
}
