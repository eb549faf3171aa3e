import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/** A titled panel of a detail page (the region is named by its title); `aside` sits right of the title. */
export function Panel({ title, aside, className, children }: { title: string; aside?: ReactNode; className?: string; children: ReactNode }) {
  return (
    <section aria-label={title} className={cn("min-w-0 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900", className)}>
      <div className="mb-3 flex items-baseline justify-between gap-3">
        <h2 className="text-sm font-semibold text-zinc-900 dark:text-zinc-100">{title}</h2>
        {aside ? <div className="text-xs text-zinc-500 dark:text-zinc-400">{aside}</div> : null}
      </div>
      {children}
    </section>
  );
}
