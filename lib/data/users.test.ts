import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ROLES } from "@/lib/auth/permissions";
import { withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ForbiddenError, RateLimitedError, ValidationError } from "@/lib/errors";
import { type Actor, OPERATOR } from "@/lib/auth/actor";
import { changeOwnPassword, changeRole, createUser, endSessions, getSessionUser, listUsers, setUserActive, verifyCredentials } from "./users";

const db = withTestDatabase();
const unique = () => `u-${randomUUID().slice(0, 8)}@example.com`;
const PASSWORD = "correct horse battery";

async function makeUser(role: (typeof ROLES)[number]) {
  const user = await createUser(OPERATOR, { email: unique(), name: "Test", role, password: PASSWORD });
  return { actor: { kind: "user", id: user.id, email: user.email, name: user.name, role } as Actor, user };
}

describe("users (data layer)", () => {
  it("refuses every role but admin, before touching the database", async () => {
    for (const role of ROLES.filter((r) => r !== "admin")) {
      const { actor } = await makeUser(role);
      const email = unique();
      await expect(createUser(actor, { email, name: "X", role: "admin", password: PASSWORD })).rejects.toBeInstanceOf(ForbiddenError);
      await expect(listUsers(actor)).rejects.toBeInstanceOf(ForbiddenError);
      expect(await db.handle().prisma.user.count({ where: { email } })).toBe(0);
    }
  });

  it("validates input, naming the field and the rule, and writes nothing", async () => {
    const error = await createUser(OPERATOR, { email: "nope", name: "", role: "superuser", password: "short" }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fields).toMatchObject({
      email: ["must be an email address"],
      name: ["is required"],
      role: [expect.stringContaining("must be one of analyst")],
      password: ["must be at least 12 characters"],
    });
    const email = unique();
    await createUser(OPERATOR, { email, name: "A", role: "analyst", password: PASSWORD });
    const dup = await createUser(OPERATOR, { email: email.toUpperCase(), name: "B", role: "analyst", password: PASSWORD }).catch((e) => e);
    expect(dup.fields).toEqual({ email: ["is already taken"] });
  });

  it("stores a bcrypt hash, never the password, and never selects it by default", async () => {
    const { user } = await makeUser("analyst");
    expect(user).not.toHaveProperty("passwordHash");
    const row = await db.handle().pool.query("SELECT password_hash FROM users WHERE id = $1", [user.id]);
    expect(row.rows[0].password_hash).toMatch(/^\$2[aby]\$11\$/);
    expect(row.rows[0].password_hash).not.toContain(PASSWORD);
  });

  it("signs in with the right password only, and records every attempt", async () => {
    const { user } = await makeUser("lead");
    expect(await verifyCredentials({ email: user.email, password: "wrong password!", ip: null })).toBeNull();
    expect(await verifyCredentials({ email: "nobody@example.com", password: PASSWORD, ip: null })).toBeNull();
    const ok = await verifyCredentials({ email: ` ${user.email.toUpperCase()} `, password: PASSWORD, ip: "10.0.0.1" });
    expect(ok).toMatchObject({ id: user.id, role: "lead" });
    const attempts = await db.handle().prisma.signInAttempt.findMany({ where: { email: user.email }, orderBy: { id: "asc" } });
    expect(attempts.map((a) => [a.succeeded, a.failure])).toEqual([
      [false, "wrong_password"],
      [true, null],
    ]);
  });

  it("rate-limits an account after repeated failures, even with the right password", async () => {
    const { user } = await makeUser("analyst");
    for (let i = 0; i < 5; i++) expect(await verifyCredentials({ email: user.email, password: `wrong-${i}-password`, ip: null })).toBeNull();
    await expect(verifyCredentials({ email: user.email, password: PASSWORD, ip: null })).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("locks out a deactivated user on the next request and keeps the last admin", async () => {
    const { user } = await makeUser("analyst");
    const signedInAt = Date.now();
    expect(await getSessionUser(user.id, signedInAt)).not.toBeNull();
    await setUserActive(OPERATOR, { userId: user.id, active: false });
    expect(await getSessionUser(user.id, signedInAt)).toBeNull();
    await setUserActive(OPERATOR, { userId: user.id, active: true });
    // Reactivated: the sessions from before the deactivation stay ended; a new sign-in works.
    expect(await getSessionUser(user.id, signedInAt)).toBeNull();
    expect(await getSessionUser(user.id, Date.now() + 1)).not.toBeNull();
    await setUserActive(OPERATOR, { userId: user.id, active: false });
    expect(await verifyCredentials({ email: user.email, password: PASSWORD, ip: null })).toBeNull();

    const admins = await db.handle().prisma.user.findMany({ where: { role: "admin", active: true } });
    for (const a of admins) await db.handle().prisma.user.update({ where: { id: a.id }, data: { active: false } });
    const { actor: admin, user: adminUser } = await makeUser("admin");
    await expect(changeRole(OPERATOR, { userId: adminUser.id, role: "analyst" })).rejects.toBeInstanceOf(ConflictError);
    await expect(setUserActive(admin, { userId: adminUser.id, active: false })).rejects.toBeInstanceOf(ConflictError);
    for (const a of admins) await db.handle().prisma.user.update({ where: { id: a.id }, data: { active: true } });
  });

  it("a role change ends the person's sessions; the next sign-in carries the new role", async () => {
    const { user } = await makeUser("analyst");
    const signedInAt = Date.now();
    await changeRole(OPERATOR, { userId: user.id, role: "governance" });
    expect(await getSessionUser(user.id, signedInAt)).toBeNull();
    expect((await getSessionUser(user.id, Date.now() + 1))?.role).toBe("governance");
    expect(await getSessionUser("not-a-uuid", Date.now())).toBeNull();
  });

  it("sign-out ends every session signed in before it, and none signed in after", async () => {
    const { user } = await makeUser("lead");
    const before = Date.now();
    expect(await getSessionUser(user.id, before)).not.toBeNull();
    await endSessions(user.id);
    expect(await getSessionUser(user.id, before)).toBeNull();
    expect(await getSessionUser(user.id, Date.now() + 1)).not.toBeNull();
  });

  it("changes one's own password only with the current one, and ends every session", async () => {
    const { actor, user } = await makeUser("manager");
    const signedInAt = Date.now();
    await expect(changeOwnPassword(actor, { currentPassword: "wrong", newPassword: "another long password" })).rejects.toBeInstanceOf(ValidationError);
    expect(await getSessionUser(user.id, signedInAt)).not.toBeNull();
    await changeOwnPassword(actor, { currentPassword: PASSWORD, newPassword: "another long password" });
    expect(await getSessionUser(user.id, signedInAt)).toBeNull();
    expect(await verifyCredentials({ email: user.email, password: "another long password", ip: null })).not.toBeNull();
  });

  it("limits current-password tries like sign-in: after five wrong ones even the right one is refused", async () => {
    const { actor } = await makeUser("analyst");
    for (let i = 0; i < 5; i++) {
      await expect(changeOwnPassword(actor, { currentPassword: `wrong-${i}`, newPassword: "another long password" })).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(changeOwnPassword(actor, { currentPassword: PASSWORD, newPassword: "another long password" })).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("twenty guesses in parallel get exactly the five tries the limit allows", async () => {
    const { user } = await makeUser("analyst");
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => verifyCredentials({ email: user.email, password: `parallel-guess-${i}`, ip: null })),
    );
    expect(outcomes.filter((o) => o.status === "rejected" && o.reason instanceof RateLimitedError)).toHaveLength(15);
    const checked = await db.handle().prisma.signInAttempt.count({ where: { email: user.email, failure: "wrong_password" } });
    expect(checked).toBe(5);
  });

  it("limits one client address across many emails, at four times the per-email budget", async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    for (let i = 0; i < 20; i++) expect(await verifyCredentials({ email: unique(), password: "guess-guess-guess", ip: address })).toBeNull();
    await expect(verifyCredentials({ email: unique(), password: "guess-guess-guess", ip: address })).rejects.toBeInstanceOf(RateLimitedError);
    // Another address is not affected.
    expect(await verifyCredentials({ email: unique(), password: "guess-guess-guess", ip: "203.0.113.9" })).toBeNull();
  });
});
