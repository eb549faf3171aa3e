import type { ReactNode } from "react";
import { requirePageUser } from "@/lib/auth/session";

/** 403 for roles without governance:read, decided above the loading boundary. */
export default async function LedgerLayout({ children }: { children: ReactNode }) {
  await requirePageUser("governance:read");
  return children;
}
