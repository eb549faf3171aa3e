import type { ReactNode } from "react";
import { requirePageUser } from "@/lib/auth/session";

/** 403 for roles without queue:read, decided above the loading boundary (see admin/layout.tsx). */
export default async function QueueLayout({ children }: { children: ReactNode }) {
  await requirePageUser("queue:read");
  return children;
}
