import { hasPermission, type Permission, type Role } from "@/lib/auth/permissions";
import { ForbiddenError } from "@/lib/errors";

/**
 * Who is acting. Every data-layer function takes one and checks its permission itself.
 * `operator` is the person at the server's shell running the operator CLI: trusted with
 * exactly the administrator's permissions (governance spec §2), and nothing more.
 */
export type Actor =
  | { kind: "user"; id: string; email: string; name: string; role: Role }
  | { kind: "operator" };

export function actorRole(actor: Actor): Role {
  return actor.kind === "operator" ? "admin" : actor.role;
}

export function actorCan(actor: Actor, permission: Permission): boolean {
  return hasPermission(actorRole(actor), permission);
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!actorCan(actor, permission)) throw new ForbiddenError();
}

export function actorId(actor: Actor): string | null {
  return actor.kind === "user" ? actor.id : null;
}

export const OPERATOR: Actor = { kind: "operator" };
