import type { ReactNode } from "react";
import { requirePageUser } from "@/lib/auth/session";

/**
 * The admin section answers 403 to roles without an admin permission. The check sits in
 * the layout, above the section's loading boundary, so it runs before anything streams and
 * the response carries the real status; each page checks its own permission again.
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requirePageUser(["users:manage", "tokens:manage"]);
  return children;
}
