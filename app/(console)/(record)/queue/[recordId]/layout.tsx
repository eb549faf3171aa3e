import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { requirePageUser } from "@/lib/auth/session";
import { recordExists } from "@/lib/data/results";

/**
 * 403 for roles without queue:read and 404 for an unknown record, decided here — above the
 * page's loading boundary — so the response carries the real status before anything
 * streams. (The record page lives in its own route group for that reason: the queue
 * list's loading boundary would otherwise wrap it.)
 */
export default async function RecordLayout({ children, params }: { children: ReactNode; params: Promise<{ recordId: string }> }) {
  const actor = await requirePageUser("queue:read");
  if (!(await recordExists(actor, decodeURIComponent((await params).recordId)))) notFound();
  return children;
}
