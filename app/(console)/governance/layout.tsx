import type { ReactNode } from "react";
import { requirePageUser } from "@/lib/auth/session";

/**
 * The governance section (edit log, and the governance pages that follow) answers 403 to
 * every role without governance:read. The check sits in the section's layout, above any
 * loading boundary, so it runs before anything streams and the response carries the real
 * status; each page checks its own permission again.
 */
export default async function GovernanceLayout({ children }: { children: ReactNode }) {
  await requirePageUser("governance:read");
  return children;
}
