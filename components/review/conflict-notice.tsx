"use client";

import { AlertTriangle, RotateCcw } from "lucide-react";
import { Button } from "@/components/ui/button";

/** A refused, stale action: nothing was recorded; says who acted and offers a reload. */
export function ConflictNotice({ message }: { message: string }) {
  return (
    <div role="alert" className="space-y-2 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200">
      <p className="flex gap-2 font-medium">
        <AlertTriangle aria-hidden className="mt-0.5 size-4 shrink-0" /> Conflict — nothing was recorded
      </p>
      <p>{message}</p>
      <Button variant="secondary" size="sm" onClick={() => window.location.reload()}>
        <RotateCcw aria-hidden className="size-3.5" /> Reload
      </Button>
    </div>
  );
}
