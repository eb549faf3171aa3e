import type { ReactNode } from "react";
import { requirePageUser } from "@/lib/auth/session";

/** 403 for roles without events:read, decided above the loading boundary. */
export default async function EventsLayout({ children }: { children: ReactNode }) {
  await requirePageUser("events:read");
  return children;
}
