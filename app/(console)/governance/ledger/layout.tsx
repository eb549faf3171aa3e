import type { ReactNode } from "react";
import { requirePageUser } from "@/lib/auth/session";

/** The edit log is for governance:read only (a manager sees the dashboards, not the log); checked above the loading boundary. */
export default async function LedgerLayout({ children }: { children: ReactNode }) {
  await requirePageUser("governance:read");
  return children;
}
