import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { PoolClient } from "pg";
import type { ApiScope as DbScope } from "@/generated/prisma/client";
import { API_SCOPES, type ApiScope } from "@/lib/auth/permissions";
import { loadEnv } from "@/lib/env";
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from "@/lib/errors";
import { createServiceAccountInput, createTokenInput, setActiveInput, setAllowedScopesInput } from "@/lib/validations/admin";
import { type Actor, actorId, assertCan } from "@/lib/auth/actor";
import { appendAdminEntry } from "./admin-entries";
import { db, transaction } from "./db";
import { isPgUniqueViolation, parseInput } from "./input";

/** The built-in service account that `token:create` without `--as` issues tokens for. */
export const BUILTIN_SERVICE_ACCOUNT = "service@local";

// Scope names on the wire contain ':' which Prisma enum identifiers cannot; the database
// stores the wire names (@map), the client uses these identifiers.
const TO_DB: Record<ApiScope, DbScope> = {
  ingest: "ingest",
  "events:ingest": "events_ingest",
  "models:write": "models_write",
  read: "read",
};
const FROM_DB = Object.fromEntries(Object.entries(TO_DB).map(([wire, dbName]) => [dbName, wire])) as Record<DbScope, ApiScope>;
const toDb = (scopes: readonly ApiScope[]) => scopes.map((s) => TO_DB[s]);
const fromDb = (scopes: readonly DbScope[]) =>
  scopes.map((s) => FROM_DB[s]).sort((a, b) => API_SCOPES.indexOf(a) - API_SCOPES.indexOf(b));

const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN_PATTERN = /^sr_[A-Za-z0-9]{40}$/;

/** `sr_` + 40 letters and digits (≈238 bits), drawn without modulo bias. */
export function generateTokenSecret(): string {
  let out = "";
  while (out.length < 40) {
    for (const byte of randomBytes(64)) {
      if (byte < 248 && out.length < 40) out += TOKEN_ALPHABET[byte % 62];
    }
  }
  return `sr_${out}`;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export type ServiceAccountRow = {
  id: string;
  email: string;
  name: string;
  active: boolean;
  allowedScopes: ApiScope[];
  createdAt: Date;
  activeTokens: number;
};

export type TokenRow = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  owner: { id: string; email: string; name: string };
  createdBy: { email: string } | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  readPerMinute: number;
  ingestPerMinute: number;
};

export async function listServiceAccounts(actor: Actor): Promise<ServiceAccountRow[]> {
  assertCan(actor, "tokens:manage");
  const now = new Date();
  const rows = await db().prisma.user.findMany({
    where: { kind: "service" },
    orderBy: { email: "asc" },
    select: {
      id: true,
      email: true,
      name: true,
      active: true,
      allowedScopes: true,
      createdAt: true,
      _count: { select: { tokens: { where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } } } },
    },
  });
  return rows.map((r) => ({ ...r, allowedScopes: fromDb(r.allowedScopes), activeTokens: r._count.tokens }));
}

/** Scopes in the wire order, as SQL returns them (the column stores the wire names). */
const wireScopes = (scopes: readonly string[]): ApiScope[] => [...scopes].sort((a, b) => API_SCOPES.indexOf(a as ApiScope) - API_SCOPES.indexOf(b as ApiScope)) as ApiScope[];

/** A service account, recorded in the edit log (service_account_created) with it. */
export async function createServiceAccount(actor: Actor, input: unknown): Promise<ServiceAccountRow> {
  assertCan(actor, "tokens:manage");
  const data = parseInput(createServiceAccountInput, input);
  try {
    return await transaction(async (client) => {
      const row = (
        await client.query<{ id: string; email: string; name: string; active: boolean; allowed_scopes: string[]; created_at: Date }>(
          `INSERT INTO users (id, email, name, kind, role, allowed_scopes, updated_at) VALUES ($1::uuid, $2, $3, 'service', NULL, $4::"ApiScope"[], now())
           RETURNING id::text AS id, email, name, active, allowed_scopes::text[] AS allowed_scopes, created_at`,
          [randomUUID(), data.email, data.name, data.allowedScopes],
        )
      ).rows[0]!;
      const allowedScopes = wireScopes(row.allowed_scopes);
      await appendAdminEntry(client, actor, "service_account", row.id, "service_account_created", null, { email: row.email, name: row.name, allowedScopes });
      return { id: row.id, email: row.email, name: row.name, active: row.active, allowedScopes, createdAt: row.created_at, activeTokens: 0 };
    });
  } catch (error) {
    if (isPgUniqueViolation(error)) throw new ValidationError("An account with this email exists.", { email: ["is already taken"] });
    throw error;
  }
}

/** The service account's row, locked for a change. */
async function lockServiceAccount(client: PoolClient, userId: string): Promise<{ email: string; active: boolean; allowed_scopes: string[] } | undefined> {
  return (
    await client.query<{ email: string; active: boolean; allowed_scopes: string[] }>(
      "SELECT email, active, allowed_scopes::text[] AS allowed_scopes FROM users WHERE id = $1::uuid AND kind = 'service' FOR UPDATE",
      [userId],
    )
  ).rows[0];
}

/** Narrowing an account's scopes narrows its existing tokens too: rights are checked per request. */
export async function setAllowedScopes(actor: Actor, input: unknown): Promise<void> {
  assertCan(actor, "tokens:manage");
  const data = parseInput(setAllowedScopesInput, input);
  await transaction(async (client) => {
    const account = await lockServiceAccount(client, data.userId);
    if (!account) throw new NotFoundError("No such service account.");
    const before = wireScopes(account.allowed_scopes);
    const after = wireScopes(data.allowedScopes);
    if (before.join() === after.join()) return;
    await client.query(`UPDATE users SET allowed_scopes = $2::"ApiScope"[], updated_at = now() WHERE id = $1::uuid`, [data.userId, after]);
    await appendAdminEntry(client, actor, "service_account", data.userId, "scopes_changed", { allowedScopes: before }, { allowedScopes: after });
  });
}

export async function setServiceAccountActive(actor: Actor, input: unknown): Promise<void> {
  assertCan(actor, "tokens:manage");
  const { userId, active } = parseInput(setActiveInput, input);
  await transaction(async (client) => {
    const account = await lockServiceAccount(client, userId);
    if (!account || account.email === BUILTIN_SERVICE_ACCOUNT) throw new NotFoundError("No such service account (the built-in one cannot be deactivated).");
    if (account.active === active) return;
    await client.query("UPDATE users SET active = $2, deactivated_at = CASE WHEN $2 THEN NULL ELSE now() END, updated_at = now() WHERE id = $1::uuid", [userId, active]);
    await appendAdminEntry(client, actor, "service_account", userId, active ? "service_account_reactivated" : "service_account_deactivated", { active: account.active }, { active });
  });
}

/**
 * The operator CLI's built-in account (governance spec §2). Its allowed scopes grow to what
 * the operator asks for, since the operator at the server's shell is trusted.
 */
export async function ensureBuiltinServiceAccount(actor: Actor, scopes: readonly ApiScope[]): Promise<string> {
  assertCan(actor, "tokens:manage");
  const existing = await db().prisma.user.findUnique({ where: { email: BUILTIN_SERVICE_ACCOUNT } });
  if (existing && existing.kind !== "service") throw new ConflictError(`${BUILTIN_SERVICE_ACCOUNT} exists and is not a service account.`);
  const merged = [...new Set([...(existing ? fromDb(existing.allowedScopes) : []), ...scopes])];
  const row = await db().prisma.user.upsert({
    where: { email: BUILTIN_SERVICE_ACCOUNT },
    create: { email: BUILTIN_SERVICE_ACCOUNT, name: "Built-in service account", kind: "service", allowedScopes: toDb(merged) },
    update: { allowedScopes: toDb(merged), active: true, deactivatedAt: null },
  });
  return row.id;
}

const tokenSelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  readPerMinute: true,
  ingestPerMinute: true,
  owner: { select: { id: true, email: true, name: true } },
  createdBy: { select: { email: true } },
} as const;

function toTokenRow(row: {
  id: string;
  name: string;
  prefix: string;
  scopes: DbScope[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  readPerMinute: number | null;
  ingestPerMinute: number | null;
  owner: { id: string; email: string; name: string };
  createdBy: { email: string } | null;
}): TokenRow {
  const env = loadEnv();
  return {
    ...row,
    scopes: fromDb(row.scopes),
    readPerMinute: row.readPerMinute ?? env.API_READ_PER_MINUTE,
    ingestPerMinute: row.ingestPerMinute ?? env.API_INGEST_PER_MINUTE,
  };
}

export async function listTokens(actor: Actor): Promise<TokenRow[]> {
  assertCan(actor, "tokens:manage");
  const rows = await db().prisma.apiToken.findMany({ select: tokenSelect, orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] });
  return rows.map(toTokenRow);
}

/**
 * Issues a token to a service account. The token is returned once and only its hash is
 * stored; its scopes must lie within what the account allows. It expires after
 * `expiresInDays`, by default API_TOKEN_DAYS (90); never only with `expiresInDays: "never"`.
 */
export async function createToken(actor: Actor, input: unknown): Promise<{ token: string; row: TokenRow }> {
  assertCan(actor, "tokens:manage");
  const data = parseInput(createTokenInput, input);
  const owner = await db().prisma.user.findUnique({ where: { id: data.ownerId } });
  if (!owner || owner.kind !== "service") throw new ValidationError("Tokens are issued to service accounts.", { ownerId: ["must be a service account"] });
  if (!owner.active) throw new ValidationError("This service account is deactivated.", { ownerId: ["is deactivated"] });
  const allowed = fromDb(owner.allowedScopes);
  const outside = data.scopes.filter((s) => !allowed.includes(s));
  if (outside.length > 0) {
    throw new ValidationError(`${owner.email} may not hold the scope ${outside.join(", ")}.`, {
      scopes: outside.map((s) => `${s} is not allowed for ${owner.email} (allowed: ${allowed.join(", ") || "none"})`),
    });
  }
  const token = generateTokenSecret();
  const id = randomUUID();
  // Tokens expire unless someone asked for "never" in so many words.
  const days = data.expiresInDays ?? loadEnv().API_TOKEN_DAYS;
  const expiresAt = days === "never" ? null : new Date(Date.now() + days * 86_400_000);
  const scopes = wireScopes(data.scopes);
  await transaction(async (client) => {
    await client.query(
      `INSERT INTO api_tokens (id, name, prefix, token_hash, scopes, owner_id, created_by_id, expires_at, read_per_minute, ingest_per_minute)
       VALUES ($1::uuid, $2, $3, $4, $5::"ApiScope"[], $6::uuid, $7::uuid, $8, $9, $10)`,
      [id, data.name, token.slice(0, 10), hashToken(token), scopes, owner.id, actorId(actor), expiresAt, data.readPerMinute ?? null, data.ingestPerMinute ?? null],
    );
    // The entry names the token by id and visible prefix; the secret is never recorded.
    await appendAdminEntry(client, actor, "api_token", id, "token_created", null, {
      name: data.name,
      prefix: token.slice(0, 10),
      owner: owner.email,
      scopes,
      expiresAt: expiresAt?.toISOString() ?? null,
    });
  });
  return { token, row: toTokenRow(await db().prisma.apiToken.findUniqueOrThrow({ where: { id }, select: tokenSelect })) };
}

/** Revokes by id, or by the token's visible prefix (the CLI's way). Revoking twice is a no-op. */
export async function revokeToken(actor: Actor, idOrPrefix: string): Promise<TokenRow> {
  assertCan(actor, "tokens:manage");
  const where = /^sr_/.test(idOrPrefix) ? { prefix: idOrPrefix.slice(0, 10) } : { id: idOrPrefix };
  if ("id" in where && !/^[0-9a-f-]{36}$/i.test(idOrPrefix)) throw new NotFoundError("No such token.");
  const matches = await db().prisma.apiToken.findMany({ where, select: { id: true } });
  if (matches.length === 0) throw new NotFoundError("No such token.");
  if (matches.length > 1) throw new ConflictError("That prefix matches several tokens: revoke by id.");
  await transaction(async (client) => {
    const revoked = (
      await client.query<{ prefix: string; revoked_at: Date }>("UPDATE api_tokens SET revoked_at = now() WHERE id = $1::uuid AND revoked_at IS NULL RETURNING prefix, revoked_at", [matches[0]!.id])
    ).rows[0];
    if (revoked) await appendAdminEntry(client, actor, "api_token", matches[0]!.id, "token_revoked", { prefix: revoked.prefix, revokedAt: null }, { prefix: revoked.prefix, revokedAt: revoked.revoked_at.toISOString() });
  });
  return toTokenRow(await db().prisma.apiToken.findUniqueOrThrow({ where: { id: matches[0]!.id }, select: tokenSelect }));
}

export type ApiPrincipal = {
  tokenId: string;
  accountId: string;
  accountEmail: string;
  scopes: ApiScope[];
  readPerMinute: number;
  ingestPerMinute: number;
};

/**
 * Authenticates a bearer token for one scope. The effective rights are the token's scopes
 * within what its account allows now, so narrowing or deactivating an account takes
 * effect on the next request.
 */
export async function authenticateApiToken(authorization: string | null, scope: ApiScope): Promise<ApiPrincipal> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) throw new UnauthenticatedError("Send an API token as `Authorization: Bearer sr_…`.");
  const token = match[1]!;
  if (!TOKEN_PATTERN.test(token)) throw new UnauthenticatedError("The API token is not valid.");
  const row = await db().prisma.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { ...tokenSelect, owner: { select: { id: true, email: true, name: true, active: true, kind: true, allowedScopes: true } } },
  });
  if (!row) throw new UnauthenticatedError("The API token is not valid.");
  if (row.revokedAt) throw new UnauthenticatedError("The API token was revoked.");
  if (row.expiresAt && row.expiresAt <= new Date()) {
    throw new UnauthenticatedError(`The API token has expired (at ${row.expiresAt.toISOString()}); an administrator can issue a new one.`);
  }
  if (!row.owner.active || row.owner.kind !== "service") throw new UnauthenticatedError("The API token's account is deactivated.");
  const allowed = new Set(row.owner.allowedScopes);
  const scopes = fromDb(row.scopes.filter((s) => allowed.has(s)));
  if (!scopes.includes(scope)) throw new ForbiddenError(`The API token lacks the scope "${scope}".`);
  // last-used is informational: write it at most once a minute per token.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db().prisma.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  const limits = toTokenRow({ ...row, owner: row.owner });
  return {
    tokenId: row.id,
    accountId: row.owner.id,
    accountEmail: row.owner.email,
    scopes,
    readPerMinute: limits.readPerMinute,
    ingestPerMinute: limits.ingestPerMinute,
  };
}

/** The data-layer actor of an authenticated token: its effective scopes, no role. */
export function tokenActor(principal: ApiPrincipal): Actor {
  return { kind: "token", tokenId: principal.tokenId, accountId: principal.accountId, accountEmail: principal.accountEmail, scopes: principal.scopes };
}
