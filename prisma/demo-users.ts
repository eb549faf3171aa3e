import type { Role } from "@/lib/auth/permissions";

/**
 * The demo sign-ins the first-run seed creates (README lists them): one per role, plus a
 * second analyst (for conflicts) and a second governance user (for two-person approval).
 * Demo data only: `SENTINEL_DEMO=off` seeds none of them, and a start with
 * NODE_ENV=production or SENTINEL_STRICT=1 never does (lib/demo-mode.ts).
 */
export const DEMO_EMAIL_DOMAIN = "demo.local";

export const DEMO_USERS: { email: string; name: string; role: Role; password: string }[] = [
  { email: "analyst@demo.local", name: "Ada Analyst", role: "analyst", password: "sentinel-analyst" },
  { email: "analyst2@demo.local", name: "Ben Analyst", role: "analyst", password: "sentinel-analyst2" },
  { email: "lead@demo.local", name: "Lena Lead", role: "lead", password: "sentinel-lead" },
  { email: "governance@demo.local", name: "Grace Governance", role: "governance", password: "sentinel-governance" },
  { email: "governance2@demo.local", name: "Gus Governance", role: "governance", password: "sentinel-governance2" },
  { email: "manager@demo.local", name: "Max Manager", role: "manager", password: "sentinel-manager" },
  { email: "admin@demo.local", name: "Alex Admin", role: "admin", password: "sentinel-admin" },
];
