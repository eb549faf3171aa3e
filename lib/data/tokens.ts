import { createHash, randomBytes } from "node:crypto";
import type { ApiScope as DbScope } from "@/generated/prisma/client";
import { API_SCOPES, type ApiScope } from "@/lib/auth/permissions";
import { loadEnv } from "@/lib/env";
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from "@/lib/errors";
import { createServiceAccountInput, createTokenInput, setActiveInput, setAllowedScopesInput } from "@/lib/validations/admin";
import { type Actor, actorId, assertCan } from "./actor";
import { db } from "./db";
import { isUniqueViolation, parseInput } from "./input";

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

export async function createServiceAccount(actor: Actor, input: unknown): Promise<ServiceAccountRow> {
  assertCan(actor, "tokens:manage");
  const data = parseInput(createServiceAccountInput, input);
  try {
    const row = await db().prisma.user.create({
      data: { email: data.email, name: data.name, kind: "service", role: null, allowedScopes: toDb(data.allowedScopes) },
    });
    return { ...row, allowedScopes: fromDb(row.allowedScopes), activeTokens: 0 };
  } catch (error) {
    if (isUniqueViolation(error)) throw new ValidationError("An account with this email exists.", { email: ["is already taken"] });
    throw error;
  }
}

/** Narrowing an account's scopes narrows its existing tokens too: rights are checked per request. */
export async function setAllowedScopes(actor: Actor, input: unknown): Promise<void> {
  assertCan(actor, "tokens:manage");
  const data = parseInput(setAllowedScopesInput, input);
  const result = await db().prisma.user.updateMany({
    where: { id: data.userId, kind: "service" },
    data: { allowedScopes: toDb(data.allowedScopes) },
  });
  if (result.count === 0) throw new NotFoundError("No such service account.");
}

export async function setServiceAccountActive(actor: Actor, input: unknown): Promise<void> {
  assertCan(actor, "tokens:manage");
  const { userId, active } = parseInput(setActiveInput, input);
  const result = await db().prisma.user.updateMany({
    where: { id: userId, kind: "service", email: { not: BUILTIN_SERVICE_ACCOUNT } },
    data: { active, deactivatedAt: active ? null : new Date() },
  });
  if (result.count === 0) throw new NotFoundError("No such service account (the built-in one cannot be deactivated).");
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
 * stored; its scopes must lie within what the account allows.
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
  const row = await db().prisma.apiToken.create({
    data: {
      name: data.name,
      prefix: token.slice(0, 10),
      tokenHash: hashToken(token),
      scopes: toDb(data.scopes),
      ownerId: owner.id,
      createdById: actorId(actor),
      expiresAt: data.expiresInDays === null ? null : new Date(Date.now() + data.expiresInDays * 86_400_000),
      readPerMinute: data.readPerMinute ?? null,
      ingestPerMinute: data.ingestPerMinute ?? null,
    },
    select: tokenSelect,
  });
  return { token, row: toTokenRow(row) };
}

/** Revokes by id, or by the token's visible prefix (the CLI's way). Revoking twice is a no-op. */
export async function revokeToken(actor: Actor, idOrPrefix: string): Promise<TokenRow> {
  assertCan(actor, "tokens:manage");
  const where = /^sr_/.test(idOrPrefix) ? { prefix: idOrPrefix.slice(0, 10) } : { id: idOrPrefix };
  if ("id" in where && !/^[0-9a-f-]{36}$/i.test(idOrPrefix)) throw new NotFoundError("No such token.");
  const matches = await db().prisma.apiToken.findMany({ where, select: { id: true } });
  if (matches.length === 0) throw new NotFoundError("No such token.");
  if (matches.length > 1) throw new ConflictError("That prefix matches several tokens: revoke by id.");
  await db().prisma.apiToken.updateMany({ where: { id: matches[0]!.id, revokedAt: null }, data: { revokedAt: new Date() } });
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
  if (row.expiresAt && row.expiresAt <= new Date()) throw new UnauthenticatedError("The API token has expired.");
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
