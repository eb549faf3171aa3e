/**
 * The closed set of edit-log actions per subject type, each with the permission a person
 * needs to take it and the one system rule (if any) that may take it unattended. The
 * database holds the same map (`ledger_actions`, written by migrations) and `edit_log_append`
 * refuses anything outside it; lib/data/ledger.test.ts proves the two are equal, so a new
 * action is a change here and a migration. Pure.
 */
import type { Permission } from "@/lib/auth/permissions";
import { WEEKEND_AUTO_CONFIRM_RULE } from "@/lib/mrs/automation";
import type { SubjectType } from "./entry";

/**
 * Administration is recorded like any decision: each admin subject has a closed set of
 * actions, so the edit log's readers (the ledger page, governance counts) know them all.
 */
export const ADMIN_ACTIONS = {
  user: ["user_created", "role_changed", "user_deactivated", "user_reactivated"],
  service_account: ["service_account_created", "scopes_changed", "service_account_deactivated", "service_account_reactivated"],
  api_token: ["token_created", "token_revoked"],
} as const satisfies Partial<Record<SubjectType, readonly string[]>>;
export type AdminSubjectType = keyof typeof ADMIN_ACTIONS;
export type AdminAction = (typeof ADMIN_ACTIONS)[AdminSubjectType][number];

export interface LedgerActionRule {
  permission: Permission;
  /** the system rule that may take the action with no person (an entry's actor.rule) */
  systemRule?: string;
}

const each = <A extends string>(actions: readonly A[], permission: Permission): Record<A, LedgerActionRule> =>
  Object.fromEntries(actions.map((a) => [a, { permission }])) as Record<A, LedgerActionRule>;

export const LEDGER_ACTIONS = {
  record: { ...each(["claim", "takeover", "confirm", "override", "note"], "records:decide"), amend: { permission: "records:amend" } },
  batch: { release: { permission: "batches:release" } },
  event: {
    confirm: { permission: "events:decide", systemRule: WEEKEND_AUTO_CONFIRM_RULE },
    ...each(["override", "note"], "events:decide"),
    ...each(["finalise", "reopen"], "events:finalise"),
  },
  report: each(["confirm", "override", "note"], "events:decide"),
  policy: { ...each(["propose", "propose_rollback"], "policies:propose"), ...each(["approve", "activate", "reject"], "policies:approve") },
  canary: {},
  // subject id = the model's name: its promotions and rollbacks form one history
  model: each(["propose_promotion", "propose_rollback", "approve", "reject"], "models:promote"),
  alert: { acknowledge: { permission: "alerts:acknowledge" } },
  user: each(ADMIN_ACTIONS.user, "users:manage"),
  service_account: each(ADMIN_ACTIONS.service_account, "tokens:manage"),
  api_token: each(ADMIN_ACTIONS.api_token, "tokens:manage"),
} as const satisfies Record<SubjectType, Record<string, LedgerActionRule>>;

/** The actions a subject type has (empty for a subject nothing is recorded about yet). */
export function actionsOf(subjectType: SubjectType): string[] {
  return Object.keys(LEDGER_ACTIONS[subjectType]);
}

/** Every action name, once (the edit-log page's filter). */
export const ALL_ACTIONS: readonly string[] = [...new Set(Object.values(LEDGER_ACTIONS).flatMap((a) => Object.keys(a)))];
