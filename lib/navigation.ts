import { hasPermission, type Permission, type Role } from "@/lib/auth/permissions";

export type NavItem = { href: string; label: string; permission: Permission | null; badge?: number };
export type NavSection = { label: string; items: NavItem[] };

/**
 * The console's sections. A section is listed only once its pages exist, and each item
 * only for roles holding its permission.
 */
const SECTIONS: NavSection[] = [
  {
    label: "Review",
    items: [
      { href: "/queue", label: "Audit queue", permission: "queue:read" },
      { href: "/events", label: "Minority events", permission: "events:read" },
    ],
  },
  {
    label: "Governance",
    items: [
      { href: "/governance/routing", label: "Routing health", permission: "dashboards:read" },
      { href: "/governance/overrides", label: "Override register", permission: "dashboards:read" },
      { href: "/governance/slices", label: "Slice KPIs", permission: "dashboards:read" },
      { href: "/governance/events", label: "Event pipeline", permission: "dashboards:read" },
      { href: "/governance/alerts", label: "Alerts", permission: "dashboards:read" },
      { href: "/governance/policies", label: "Policies", permission: "governance:read" },
      { href: "/governance/ledger", label: "Edit log", permission: "governance:read" },
      { href: "/governance/trail", label: "Audit trails", permission: "governance:read" },
    ],
  },
  {
    label: "Models",
    items: [{ href: "/models", label: "Model cards", permission: "models:read" }],
  },
  {
    label: "Admin",
    items: [
      { href: "/admin/users", label: "Users", permission: "users:manage" },
      { href: "/admin/service-accounts", label: "Service accounts", permission: "tokens:manage" },
      { href: "/admin/tokens", label: "API tokens", permission: "tokens:manage" },
      { href: "/admin/webhooks", label: "Webhooks", permission: "tokens:manage" },
    ],
  },
  {
    label: "You",
    items: [{ href: "/account", label: "Account", permission: null }],
  },
];

/** The sections a role sees; `openAlerts` puts its count beside Alerts. */
export function navigationFor(role: Role, openAlerts = 0): NavSection[] {
  return SECTIONS.map((s) => ({
    ...s,
    items: s.items.filter((i) => i.permission === null || hasPermission(role, i.permission)).map((i) => (i.href === "/governance/alerts" && openAlerts > 0 ? { ...i, badge: openAlerts } : i)),
  })).filter(
    (s) => s.items.length > 0,
  );
}

/** Where a role lands after signing in: its first section's first page. */
export function homeFor(role: Role): string {
  return navigationFor(role)[0]?.items[0]?.href ?? "/account";
}

/** Where an edit-log subject lives in the console (null for subjects without a page). */
export function subjectHref(type: string, id: string): string | null {
  const at = encodeURIComponent(id);
  if (type === "record") return `/queue/${at}`;
  if (type === "batch") return `/queue?batch=${at}`;
  if (type === "event") return `/events/${at}`;
  if (type === "report") return `/events/reports/${at}`;
  return null;
}
