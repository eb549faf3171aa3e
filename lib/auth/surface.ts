/**
 * The console's authorization surface: every server action and route with what guards it,
 * beside the permission map it is checked against. The end-to-end authorization matrix
 * (e2e/authorization-matrix.spec.ts) sends each entry a real request as every kind of
 * caller and expects exactly what `ROLE_PERMISSIONS` and the token scopes allow; a unit
 * test fails when an action or route exists that this list does not name.
 */
import type { ApiScope, Permission } from "./permissions";

/** Who may call: people with a permission, any signed-in person, a token with a scope (or any token), or anyone. */
export type Guard =
  | { kind: "permission"; permission: Permission }
  | { kind: "signed-in" }
  | { kind: "scope"; scope: ApiScope | "any" }
  | { kind: "public" };

export type ActionEntry = {
  /** the exported name in lib/actions */
  action: string;
  /** a page the action is posted to, as the browser does */
  page: string;
  guard: Guard;
  /** an input that a caller who passes the guard gets a validation, not-found or conflict answer for: nothing is written */
  input: unknown;
};

export type RouteEntry = { method: "GET" | "POST"; path: string; file: string; guard: Guard; body?: string };

const can = (permission: Permission): Guard => ({ kind: "permission", permission });
const NO_RECORD = "00000000-no-such-record";

export const ACTION_SURFACE: ActionEntry[] = [
  { action: "createUserAction", page: "/admin/users", guard: can("users:manage"), input: {} },
  { action: "changeRoleAction", page: "/admin/users", guard: can("users:manage"), input: {} },
  { action: "setUserActiveAction", page: "/admin/users", guard: can("users:manage"), input: {} },
  { action: "createServiceAccountAction", page: "/admin/service-accounts", guard: can("tokens:manage"), input: {} },
  { action: "setAllowedScopesAction", page: "/admin/service-accounts", guard: can("tokens:manage"), input: {} },
  { action: "setServiceAccountActiveAction", page: "/admin/service-accounts", guard: can("tokens:manage"), input: {} },
  { action: "createTokenAction", page: "/admin/tokens", guard: can("tokens:manage"), input: {} },
  { action: "revokeTokenAction", page: "/admin/tokens", guard: can("tokens:manage"), input: {} },
  { action: "createWebhookAction", page: "/admin/webhooks", guard: can("tokens:manage"), input: {} },
  { action: "setWebhookActiveAction", page: "/admin/webhooks", guard: can("tokens:manage"), input: {} },
  { action: "changePasswordAction", page: "/account", guard: { kind: "signed-in" }, input: {} },
  { action: "claimRecordAction", page: "/queue", guard: can("records:decide"), input: {} },
  { action: "takeOverRecordAction", page: "/queue", guard: can("records:decide"), input: {} },
  { action: "amendRecordAction", page: "/queue", guard: can("records:amend"), input: {} },
  { action: "annotateRecordAction", page: "/queue", guard: can("records:decide"), input: {} },
  { action: "bulkConfirmAction", page: "/queue", guard: can("records:bulk"), input: {} },
  { action: "releaseBatchAction", page: "/queue", guard: can("batches:release"), input: {} },
  { action: "actOnEventAction", page: "/events", guard: can("events:decide"), input: {} },
  { action: "actOnReportAction", page: "/events", guard: can("events:decide"), input: {} },
  { action: "verifyLedgerAction", page: "/governance/ledger", guard: can("governance:read"), input: null },
  { action: "createCheckpointAction", page: "/governance/ledger", guard: can("ledger:sign"), input: null },
  { action: "acknowledgeAlertAction", page: "/governance/alerts", guard: can("alerts:acknowledge"), input: {} },
  { action: "evaluateAlertsAction", page: "/governance/alerts", guard: can("governance:read"), input: null },
  { action: "proposePolicyAction", page: "/governance/policies/new", guard: can("policies:propose"), input: {} },
  { action: "proposeUploadedPolicyAction", page: "/governance/policies/new", guard: can("policies:propose"), input: {} },
  { action: "proposeRollbackAction", page: "/governance/policies", guard: can("policies:propose"), input: {} },
  { action: "decidePolicyAction", page: "/governance/policies", guard: can("policies:approve"), input: {} },
  { action: "requestWhatIfAction", page: "/governance/policies", guard: can("policies:propose"), input: {} },
  { action: "countSignatureMatchesAction", page: "/governance/policies/new", guard: can("policies:propose"), input: {} },
  { action: "proposeModelPromotionAction", page: "/models", guard: can("models:promote"), input: {} },
  { action: "decideModelPromotionAction", page: "/models", guard: can("models:promote"), input: {} },
  { action: "saveViewAction", page: "/queue", guard: can("queue:read"), input: {} },
  { action: "deleteViewAction", page: "/queue", guard: can("queue:read"), input: {} },
];

export const ROUTE_SURFACE: RouteEntry[] = [
  { method: "GET", path: `/queue/${NO_RECORD}/version`, file: "app/(console)/(record)/queue/[recordId]/version/route.ts", guard: can("queue:read") },
  { method: "GET", path: "/activity?since=0", file: "app/(console)/activity/route.ts", guard: can("queue:read") },
  { method: "GET", path: "/events/export", file: "app/(console)/events/export/route.ts", guard: can("events:read") },
  { method: "GET", path: "/governance/ledger/export", file: "app/(console)/governance/ledger/export/route.ts", guard: can("governance:read") },
  { method: "GET", path: "/governance/ledger/proof/1", file: "app/(console)/governance/ledger/proof/[seq]/route.ts", guard: can("governance:read") },
  { method: "GET", path: "/governance/overrides/export?by=analyst", file: "app/(console)/governance/overrides/export/route.ts", guard: can("dashboards:read") },
  { method: "GET", path: "/governance/routing/export", file: "app/(console)/governance/routing/export/route.ts", guard: can("dashboards:read") },
  { method: "GET", path: "/governance/slices/export", file: "app/(console)/governance/slices/export/route.ts", guard: can("dashboards:read") },
  { method: "GET", path: "/governance/slices/export?records=1&slice=flag:SUPER_DOMINANT", file: "app/(console)/governance/slices/export/route.ts", guard: can("dashboards:read") },
  { method: "GET", path: "/governance/events/export", file: "app/(console)/governance/events/export/route.ts", guard: can("dashboards:read") },
  { method: "GET", path: "/governance/events/export?table=reports", file: "app/(console)/governance/events/export/route.ts", guard: can("dashboards:read") },
  { method: "GET", path: "/queue/export", file: "app/(console)/queue/export/route.ts", guard: can("queue:read") },
  { method: "GET", path: "/models/00000000-0000-4000-8000-000000000000/card.json", file: "app/(console)/models/[id]/card.json/route.ts", guard: can("models:read") },
  { method: "GET", path: "/search?q=queue", file: "app/(console)/search/route.ts", guard: { kind: "signed-in" } },
  { method: "POST", path: "/api/console/decisions", file: "app/api/console/decisions/route.ts", guard: can("records:decide"), body: "{}" },
  { method: "GET", path: "/api/health", file: "app/api/health/route.ts", guard: { kind: "public" } },
  { method: "GET", path: "/api/health/ready", file: "app/api/health/ready/route.ts", guard: { kind: "public" } },
  { method: "GET", path: "/api/v1/openapi.json", file: "app/api/v1/openapi/route.ts", guard: { kind: "public" } },
  { method: "GET", path: "/api/v1/token", file: "app/api/v1/token/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/queue?limit=1", file: "app/api/v1/queue/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: `/api/v1/results/${NO_RECORD}`, file: "app/api/v1/results/[recordId]/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/batches/no-such-batch", file: "app/api/v1/batches/[id]/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "POST", path: "/api/v1/batches", file: "app/api/v1/batches/route.ts", guard: { kind: "scope", scope: "ingest" }, body: "{}" },
  { method: "POST", path: "/api/v1/labels", file: "app/api/v1/labels/route.ts", guard: { kind: "scope", scope: "ingest" }, body: "{}" },
  { method: "GET", path: "/api/v1/model-cards", file: "app/api/v1/model-cards/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "POST", path: "/api/v1/model-cards", file: "app/api/v1/model-cards/route.ts", guard: { kind: "scope", scope: "models:write" }, body: "{}" },
  { method: "GET", path: "/api/v1/model-cards/00000000-0000-4000-8000-000000000000", file: "app/api/v1/model-cards/[id]/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/governance/overrides", file: "app/api/v1/governance/overrides/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/governance/routing", file: "app/api/v1/governance/routing/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/governance/alerts?status=all", file: "app/api/v1/governance/alerts/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/governance/slices", file: "app/api/v1/governance/slices/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/governance/events", file: "app/api/v1/governance/events/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: `/api/v1/trail/record/${NO_RECORD}`, file: "app/api/v1/trail/[subjectType]/[id]/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/events/export", file: "app/api/v1/events/export/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/events/windows", file: "app/api/v1/events/windows/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "POST", path: "/api/v1/events/logs/detected", file: "app/api/v1/events/logs/[log]/route.ts", guard: { kind: "scope", scope: "events:ingest" }, body: "{}" },
  { method: "GET", path: "/api/v1/ledger/export", file: "app/api/v1/ledger/export/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/ledger/verify", file: "app/api/v1/ledger/verify/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/ledger/proof/inclusion/1", file: "app/api/v1/ledger/proof/inclusion/[seq]/route.ts", guard: { kind: "scope", scope: "read" } },
  { method: "GET", path: "/api/v1/ledger/proof/consistency?first=1&second=1", file: "app/api/v1/ledger/proof/consistency/route.ts", guard: { kind: "scope", scope: "read" } },
];

/** Routes with nothing of their own to guard: next-auth's endpoints, and a permanent redirect to a guarded route. */
export const UNGUARDED_ROUTES: Record<string, string> = {
  "app/api/auth/[...nextauth]/route.ts": "next-auth's sign-in, sign-out, CSRF and session endpoints",
  "app/(console)/ledger/export/route.ts": "a 308 to /governance/ledger/export, which is guarded",
};
