import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ValidationError } from "@/lib/errors";
import type { EditLogEntry } from "@/lib/ledger/entry";
import { type Actor, OPERATOR } from "@/lib/auth/actor";
import { appendEntry, userEntry, verifyLedger } from "./ledger";
import { createServiceAccount, createToken, revokeToken, setServiceAccountActive } from "./tokens";
import { changeRole, createUser, setUserActive } from "./users";

const db = withTestDatabase();
const unique = () => `adm-${randomUUID().slice(0, 8)}@example.com`;
const PASSWORD = "correct horse battery";

/** The entries on one subject, oldest first, as the chain holds them. */
async function entriesOn(subjectType: string, subjectId: string): Promise<EditLogEntry[]> {
  const rows = await db.handle().pool.query<{ c: string }>("SELECT c FROM edit_log WHERE subject_type = $1 AND subject_id = $2 ORDER BY seq", [subjectType, subjectId]);
  return rows.rows.map((r) => JSON.parse(r.c) as EditLogEntry);
}

async function anAdmin(): Promise<Extract<Actor, { kind: "user" }>> {
  const u = await createUser(OPERATOR, { email: unique(), name: "Ann Admin", role: "admin", password: PASSWORD });
  return { kind: "user", id: u.id, email: u.email, name: u.name, role: "admin" };
}

describe("administration in the edit log", () => {
  it("records a user's creation, role change (before → after) and deactivation, each as one entry by the admin", async () => {
    const admin = await anAdmin();
    const user = await createUser(admin, { email: unique(), name: "Rita", role: "analyst", password: PASSWORD });
    await changeRole(admin, { userId: user.id, role: "lead" });
    await setUserActive(admin, { userId: user.id, active: false });
    await setUserActive(admin, { userId: user.id, active: true });
    const entries = await entriesOn("user", user.id);
    expect(entries.map((e) => [e.action, e.before, e.after])).toEqual([
      ["user_created", null, { email: user.email, name: "Rita", role: "analyst" }],
      ["role_changed", { role: "analyst" }, { role: "lead" }],
      ["user_deactivated", { active: true }, { active: false }],
      ["user_reactivated", { active: false }, { active: true }],
    ]);
    expect(entries.every((e) => e.actor.type === "user" && e.actor.id === admin.id && e.actor.role === "admin")).toBe(true);
    // Asking for the role the user already has changes nothing and records nothing.
    await changeRole(admin, { userId: user.id, role: "lead" });
    expect(await entriesOn("user", user.id)).toHaveLength(4);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
  });

  it("writes nothing when the change is refused", async () => {
    const admin = await anAdmin();
    // Every other active admin is deactivated (as the superuser) first, so `admin` is the last one.
    const others = (await db.owner().pool.query<{ id: string }>("UPDATE users SET active = false WHERE role = 'admin' AND active AND id <> $1::uuid RETURNING id::text AS id", [admin.id])).rows;
    try {
      const before = Number((await db.handle().pool.query("SELECT seq FROM edit_log_head")).rows[0].seq);
      await expect(changeRole(admin, { userId: admin.id, role: "analyst" })).rejects.toBeInstanceOf(ConflictError);
      await expect(setUserActive(admin, { userId: admin.id, active: false })).rejects.toBeInstanceOf(ConflictError);
      expect(Number((await db.handle().pool.query("SELECT seq FROM edit_log_head")).rows[0].seq)).toBe(before);
      expect(await entriesOn("user", admin.id)).toEqual([]);
      expect((await db.handle().prisma.user.findUniqueOrThrow({ where: { id: admin.id } })).role).toBe("admin");
    } finally {
      await db.owner().pool.query("UPDATE users SET active = true WHERE id = ANY($1::uuid[])", [others.map((o) => o.id)]);
    }
  });

  it("a failed append fails the change: the role stays as it was", async () => {
    const admin = await anAdmin();
    const user = await createUser(admin, { email: unique(), name: "Sam", role: "analyst", password: PASSWORD });
    // An actor the entry schema refuses (its id is no user id): the append fails inside the change's transaction.
    const broken: Actor = { ...admin, id: "not-a-user-id" };
    await expect(changeRole(broken, { userId: user.id, role: "governance" })).rejects.toBeInstanceOf(ValidationError);
    expect((await db.handle().prisma.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("analyst");
    expect((await entriesOn("user", user.id)).map((e) => e.action)).toEqual(["user_created"]);
    const email = unique();
    await expect(createUser(broken, { email, name: "Nobody", role: "analyst", password: PASSWORD })).rejects.toBeInstanceOf(ValidationError);
    expect(await db.handle().prisma.user.count({ where: { email } })).toBe(0);
  });

  it("records service accounts and tokens (never the secret), and a token's revocation once", async () => {
    const admin = await anAdmin();
    const account = await createServiceAccount(admin, { email: unique(), name: "Feeder", allowedScopes: ["ingest", "read"] });
    const { token, row } = await createToken(admin, { ownerId: account.id, name: "nightly", scopes: ["read"], expiresInDays: 30 });
    await revokeToken(admin, row.id);
    await revokeToken(admin, row.id);
    await setServiceAccountActive(admin, { userId: account.id, active: false });
    expect((await entriesOn("service_account", account.id)).map((e) => [e.action, e.after])).toEqual([
      ["service_account_created", { email: account.email, name: "Feeder", allowedScopes: ["ingest", "read"] }],
      ["service_account_deactivated", { active: false }],
    ]);
    const tokenEntries = await entriesOn("api_token", row.id);
    expect(tokenEntries.map((e) => e.action)).toEqual(["token_created", "token_revoked"]);
    expect(tokenEntries[0]!.after).toMatchObject({ name: "nightly", prefix: token.slice(0, 10), owner: account.email, scopes: ["read"] });
    expect(JSON.stringify(tokenEntries)).not.toContain(token);
    expect(await verifyLedger(OPERATOR)).toMatchObject({ ok: true });
  });

  it("admin subjects take only their closed set of actions", async () => {
    const admin = await anAdmin();
    const client = await db.handle().pool.connect();
    try {
      const entry = userEntry(admin, { subjectType: "user", subjectId: admin.id, action: "promoted", before: null, after: null });
      await expect(appendEntry(client, entry, null)).rejects.toMatchObject({ fields: { action: [expect.stringContaining("must be one of user_created, role_changed")] } });
    } finally {
      client.release();
    }
  });
});
