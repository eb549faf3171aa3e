/**
 * The single permission map (governance spec §2). Every check in the product — data layer,
 * pages, navigation, the operator CLI — reads it from here.
 */
export const ROLES = ["analyst", "lead", "governance", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  analyst: "Reviews records, reports and events: claim, confirm, override, annotate.",
  lead: "An analyst who also finalises and reopens events, releases held batches and runs bulk actions.",
  governance: "Reads everything including audit trails; proposes and approves policy changes; promotes models.",
  manager: "Read-only: dashboards, model cards and comparisons.",
  admin: "Manages users, roles, service accounts and API tokens. Makes no decisions.",
};

export const PERMISSIONS = {
  "queue:read": "See the audit queue and record provenance.",
  "records:decide": "Claim, confirm, override and annotate records.",
  "records:bulk": "Run bulk actions on records.",
  "records:amend": "Amend a decided record (a new edit-log entry with a reason).",
  "batches:release": "Release held batches.",
  "events:read": "See minority events and reports.",
  "events:decide": "Confirm, override and annotate events and reports.",
  "events:finalise": "Finalise and reopen events.",
  "governance:read": "See governance figures, audit trails and the edit log, and verify the ledger.",
  "ledger:sign": "Sign a checkpoint of the edit log with the server's key (a write: it attests the chain head).",
  "alerts:acknowledge": "Acknowledge a governance alert with a note (an edit-log entry).",
  "policies:propose": "Propose policy snapshots and canary changes.",
  "policies:approve": "Approve policy snapshots and canary changes proposed by someone else.",
  "dashboards:read": "See the overview dashboards.",
  "models:read": "Browse and compare model cards.",
  "models:promote": "Promote and roll back model versions.",
  "users:manage": "Create and deactivate users and change their roles.",
  "tokens:manage": "Manage service accounts and scoped API tokens.",
} as const;
export type Permission = keyof typeof PERMISSIONS;

const ANALYST: readonly Permission[] = ["queue:read", "records:decide", "events:read", "events:decide"];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  analyst: ANALYST,
  lead: [...ANALYST, "records:bulk", "records:amend", "batches:release", "events:finalise"],
  governance: [
    "queue:read",
    "events:read",
    "governance:read",
    "ledger:sign",
    "alerts:acknowledge",
    "policies:propose",
    "policies:approve",
    "dashboards:read",
    "models:read",
    "models:promote",
  ],
  manager: ["dashboards:read", "models:read"],
  admin: ["users:manage", "tokens:manage"],
};

/** Fails closed: an unknown or missing role has no permission. */
export function hasPermission(role: Role | null | undefined, permission: Permission): boolean {
  if (!role || !Object.hasOwn(ROLE_PERMISSIONS, role)) return false;
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** API token scopes (governance spec §2): a closed enum, names as they appear on the wire. */
export const API_SCOPES = ["ingest", "events:ingest", "models:write", "read"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const API_SCOPE_DESCRIPTIONS: Record<ApiScope, string> = {
  ingest: "Submit scored record batches.",
  "events:ingest": "Submit minority-event log rows.",
  "models:write": "Publish model cards.",
  read: "Every GET under /api/v1: queue, results, exports, ledger verification.",
};
