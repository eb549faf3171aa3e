import type { ReactNode } from "react";
import { requirePageUser } from "@/lib/auth/session";

/**
 * The governance section answers 403 to every role that may see none of its pages (those
 * without dashboards:read). The check sits in the section's layout, above any loading
 * boundary, so it runs before anything streams and the response carries the real status;
 * a page that needs more (the edit log: governance:read) has a layout of its own, and each
 * page checks its own permission again.
 */
export default async function GovernanceLayout({ children }: { children: ReactNode }) {
  await requirePageUser("dashboards:read");
  return children;
}
