import { describe, expect, it } from "vitest";
import { hasPermission, PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission, type Role } from "./permissions";

const ALL = Object.keys(PERMISSIONS) as Permission[];

/** The expected map, written out independently so a change to the real one is deliberate. */
const EXPECTED: Record<Role, Permission[]> = {
  analyst: ["queue:read", "records:decide", "events:read", "events:decide"],
  lead: ["queue:read", "records:decide", "events:read", "events:decide", "records:bulk", "records:amend", "batches:release", "events:finalise"],
  governance: ["queue:read", "events:read", "governance:read", "ledger:sign", "alerts:acknowledge", "policies:propose", "policies:approve", "dashboards:read", "models:read", "models:promote"],
  manager: ["dashboards:read", "models:read"],
  admin: ["users:manage", "tokens:manage"],
};

describe("permission map", () => {
  for (const role of ROLES) {
    it(`${role} holds exactly its permissions`, () => {
      const held = ALL.filter((p) => hasPermission(role, p));
      expect(held.sort()).toEqual([...EXPECTED[role]].sort());
    });
  }

  it("admins make no decisions and deciders do not administer", () => {
    for (const p of ["records:decide", "events:decide", "policies:approve", "models:promote"] as const) expect(hasPermission("admin", p)).toBe(false);
    for (const role of ["analyst", "lead", "governance", "manager"] as const) {
      expect(hasPermission(role, "users:manage")).toBe(false);
      expect(hasPermission(role, "tokens:manage")).toBe(false);
    }
  });

  it("only governance signs ledger checkpoints and acknowledges alerts", () => {
    expect(ROLES.filter((role) => hasPermission(role, "ledger:sign"))).toEqual(["governance"]);
    expect(ROLES.filter((role) => hasPermission(role, "alerts:acknowledge"))).toEqual(["governance"]);
  });

  it("managers are read-only", () => {
    const writes = ALL.filter((p) => !p.endsWith(":read"));
    for (const p of writes) expect(hasPermission("manager", p)).toBe(false);
  });

  it("fails closed for unknown, missing and prototype-named roles", () => {
    for (const role of [undefined, null, "", "root", "toString", "__proto__", "constructor"]) {
      expect(hasPermission(role as Role, "queue:read")).toBe(false);
    }
  });

  it("every permission listed for a role is a known permission with a description", () => {
    for (const role of ROLES) for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS[p]).toBeTruthy();
  });
});
