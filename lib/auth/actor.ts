import { hasPermission, type ApiScope, type Permission, type Role } from "@/lib/auth/permissions";
import { ForbiddenError } from "@/lib/errors";

/**
 * Who is acting. Every data-layer function takes one and checks its permission itself.
 * `operator` is the person at the server's shell running the operator CLI: trusted with
 * exactly the administrator's permissions (governance spec §2), and nothing more.
 * `token` is a machine calling the API: it has no role, only its effective scopes.
 */
export type Actor =
  | { kind: "user"; id: string; email: string; name: string; role: Role }
  | { kind: "operator" }
  | { kind: "token"; tokenId: string; accountId: string; accountEmail: string; scopes: readonly ApiScope[] };

export function actorRole(actor: Actor): Role | null {
  return actor.kind === "operator" ? "admin" : actor.kind === "user" ? actor.role : null;
}

export function actorCan(actor: Actor, permission: Permission): boolean {
  const role = actorRole(actor);
  return role !== null && hasPermission(role, permission);
}

/**
 * Machine rights: a token needs the scope; the operator (the trusted shell: first-run demo
 * data, CLIs against the database) may do what the scope allows; people never act by scope.
 */
export function assertScope(actor: Actor, scope: ApiScope): void {
  if (actor.kind === "operator") return;
  if (actor.kind === "token" && actor.scopes.includes(scope)) return;
  throw new ForbiddenError(actor.kind === "token" ? `The API token lacks the scope "${scope}".` : "This is done by API tokens, not by a signed-in person.");
}

/** The acting API token's id; null for people and the operator. */
export function actorTokenId(actor: Actor): string | null {
  return actor.kind === "token" ? actor.tokenId : null;
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!actorCan(actor, permission)) throw new ForbiddenError();
}

export function actorId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.id : null;
}

export const OPERATOR: Actor = { kind: "operator" };

/** Reads open to people with `permission` and to tokens with `scope` (the read API). */
export function assertCanRead(actor: Actor, permission: Permission, scope: ApiScope = "read"): void {
  if (actor.kind === "token") assertScope(actor, scope);
  else assertCan(actor, permission);
}

/** Decisions are people's: the permission check, then the signed-in user it proves. */
export function assertPersonCan(actor: Actor, permission: Permission): Extract<Actor, { kind: "user" }> {
  assertCan(actor, permission);
  if (actor.kind !== "user") throw new ForbiddenError("Decisions are made by signed-in people.");
  return actor;
}
