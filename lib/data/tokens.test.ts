import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { ForbiddenError, UnauthenticatedError, ValidationError } from "@/lib/errors";
import { type Actor, OPERATOR } from "@/lib/auth/actor";
import {
  authenticateApiToken,
  BUILTIN_SERVICE_ACCOUNT,
  createServiceAccount,
  createToken,
  ensureBuiltinServiceAccount,
  generateTokenSecret,
  hashToken,
  listTokens,
  revokeToken,
  setAllowedScopes,
  setServiceAccountActive,
} from "./tokens";
import { createUser } from "./users";

const db = withTestDatabase();
const unique = (p: string) => `${p}-${randomUUID().slice(0, 8)}@service.local`;

describe("API tokens (data layer)", () => {
  it("generates sr_ + 40 letters and digits, distinct each time", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const t = generateTokenSecret();
      expect(t).toMatch(/^sr_[A-Za-z0-9]{40}$/);
      seen.add(t);
    }
    expect(seen.size).toBe(200);
  });

  it("only token managers manage tokens", async () => {
    const analyst = await createUser(OPERATOR, { email: unique("a"), name: "A", role: "analyst", password: "long enough password" });
    const actor: Actor = { kind: "user", id: analyst.id, email: analyst.email, name: "A", role: "analyst" };
    await expect(listTokens(actor)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createServiceAccount(actor, { email: unique("x"), name: "X", allowedScopes: ["read"] })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("issues within the account's scopes, stores only the hash, authenticates per scope", async () => {
    const account = await createServiceAccount(OPERATOR, { email: unique("pipe"), name: "Pipe", allowedScopes: ["ingest", "read"] });
    const wide = await createToken(OPERATOR, { ownerId: account.id, name: "wide", scopes: ["read", "models:write"], expiresInDays: "never" }).catch((e) => e);
    expect(wide).toBeInstanceOf(ValidationError);
    expect(wide.fields.scopes[0]).toContain("models:write is not allowed");

    const { token, row } = await createToken(OPERATOR, { ownerId: account.id, name: "reader", scopes: ["read"], expiresInDays: 30 });
    const stored = await db.handle().pool.query("SELECT token_hash, prefix FROM api_tokens WHERE id = $1", [row.id]);
    expect(stored.rows[0]).toEqual({ token_hash: hashToken(token), prefix: token.slice(0, 10) });

    const principal = await authenticateApiToken(`Bearer ${token}`, "read");
    expect(principal).toMatchObject({ accountEmail: account.email, scopes: ["read"], readPerMinute: 600, ingestPerMinute: 60 });
    await expect(authenticateApiToken(`Bearer ${token}`, "ingest")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(authenticateApiToken(null, "read")).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(authenticateApiToken(`Bearer ${token}x`, "read")).rejects.toBeInstanceOf(UnauthenticatedError);
    expect((await db.handle().prisma.apiToken.findUnique({ where: { id: row.id } }))?.lastUsedAt).not.toBeNull();
  });

  it("narrowing or deactivating the account narrows its tokens at once; revoked and expired tokens fail", async () => {
    const account = await createServiceAccount(OPERATOR, { email: unique("narrow"), name: "N", allowedScopes: ["ingest", "read"] });
    const { token, row } = await createToken(OPERATOR, { ownerId: account.id, name: "both", scopes: ["ingest", "read"], expiresInDays: "never" });
    await setAllowedScopes(OPERATOR, { userId: account.id, allowedScopes: ["ingest"] });
    await expect(authenticateApiToken(`Bearer ${token}`, "read")).rejects.toBeInstanceOf(ForbiddenError);
    await authenticateApiToken(`Bearer ${token}`, "ingest");
    await setServiceAccountActive(OPERATOR, { userId: account.id, active: false });
    await expect(authenticateApiToken(`Bearer ${token}`, "ingest")).rejects.toThrow(/deactivated/);
    await setServiceAccountActive(OPERATOR, { userId: account.id, active: true });

    await revokeToken(OPERATOR, row.id);
    await expect(authenticateApiToken(`Bearer ${token}`, "ingest")).rejects.toThrow(/revoked/);

    const expiring = await createToken(OPERATOR, { ownerId: account.id, name: "old", scopes: ["ingest"], expiresInDays: 1 });
    await db.handle().prisma.apiToken.update({ where: { id: expiring.row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(authenticateApiToken(`Bearer ${expiring.token}`, "ingest")).rejects.toThrow(/expired/);
  });

  it("expire after API_TOKEN_DAYS (90) by default; never only when asked for; expired ones are refused as unauthenticated", async () => {
    const account = await createServiceAccount(OPERATOR, { email: unique("exp"), name: "E", allowedScopes: ["read"] });
    const before = Date.now();
    const plain = await createToken(OPERATOR, { ownerId: account.id, name: "default", scopes: ["read"] });
    const lifetime = plain.row.expiresAt!.getTime() - before;
    expect(lifetime).toBeGreaterThan(90 * 86_400_000 - 60_000);
    expect(lifetime).toBeLessThan(90 * 86_400_000 + 60_000);
    const forever = await createToken(OPERATOR, { ownerId: account.id, name: "forever", scopes: ["read"], expiresInDays: "never" });
    expect(forever.row.expiresAt).toBeNull();
    // A missing value is never coerced into "never".
    for (const expiresInDays of [null, 0, -1, 3651, 1.5, "90", "forever"]) {
      const error = await createToken(OPERATOR, { ownerId: account.id, name: "bad", scopes: ["read"], expiresInDays }).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.fields.expiresInDays).toBeDefined();
    }
    await db.handle().prisma.apiToken.update({ where: { id: plain.row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await authenticateApiToken(`Bearer ${plain.token}`, "read").catch((e) => e);
    expect(expired).toBeInstanceOf(UnauthenticatedError);
    expect(expired.message).toMatch(/^The API token has expired \(at \d{4}-/);
    await authenticateApiToken(`Bearer ${forever.token}`, "read");
  });

  it("tokens go to service accounts only; people cannot hold them", async () => {
    const person = await createUser(OPERATOR, { email: unique("p"), name: "P", role: "analyst", password: "long enough password" });
    const error = await createToken(OPERATOR, { ownerId: person.id, name: "x", scopes: ["read"], expiresInDays: "never" }).catch((e) => e);
    expect(error.fields).toEqual({ ownerId: ["must be a service account"] });
  });

  it("the built-in account holds what the operator asks for", async () => {
    const id = await ensureBuiltinServiceAccount(OPERATOR, ["ingest"]);
    const again = await ensureBuiltinServiceAccount(OPERATOR, ["read"]);
    expect(again).toBe(id);
    const row = await db.handle().pool.query("SELECT allowed_scopes::text[] AS s FROM users WHERE email = $1", [BUILTIN_SERVICE_ACCOUNT]);
    expect(row.rows[0].s.sort()).toEqual(["ingest", "read"]);
  });
});
