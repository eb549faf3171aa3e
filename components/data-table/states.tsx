import Link from "next/link";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/layout/empty-state";

const actionClass = "text-sm font-medium text-sky-700 underline dark:text-sky-400";

/** No row in view: says whether filters hide rows, and offers to clear them (or another way to see rows: `actionLabel`). */
export function TableEmpty({ title, clearHref, actionLabel = "Clear the filters", children }: { title: string; clearHref?: string | null; actionLabel?: string; children?: ReactNode }) {
  return (
    <EmptyState title={title} action={clearHref ? <Link className={actionClass} href={clearHref}>{actionLabel}</Link> : undefined}>
      {children}
    </EmptyState>
  );
}

/** A view that cannot be shown (an invalid parameter, a stale cursor): what is wrong and the way back. */
export function TableError({ title, href, action, children }: { title: string; href: string; action: string; children?: ReactNode }) {
  return (
    <div role="alert">
      <EmptyState title={title} action={<Link className={actionClass} href={href}>{action}</Link>}>
        {children}
      </EmptyState>
    </div>
  );
}

/** The loading state of a list page: a toolbar and rows of the table's height, so nothing jumps. */
export function TableSkeleton({ rows = 12 }: { rows?: number }) {
  return (
    <div aria-busy="true" aria-label="Loading" className="animate-pulse space-y-4">
      <div className="h-7 w-56 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-14 rounded-lg bg-zinc-200/70 dark:bg-zinc-800/70" />
      <div className="overflow-hidden rounded-lg border border-zinc-200 dark:border-zinc-800">
        <div className="h-8 bg-zinc-100 dark:bg-zinc-900" />
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="h-9 border-t border-zinc-100 bg-white dark:border-zinc-800 dark:bg-zinc-900">
            <div className="mx-3 mt-3 h-3 rounded bg-zinc-200/80 dark:bg-zinc-800" style={{ width: `${55 + ((i * 37) % 40)}%` }} />
          </div>
        ))}
      </div>
    </div>
  );
}

/** "Download CSV" of the current filter: a plain link to a session-authenticated export route. */
export function CsvLink({ href, label = "Download CSV" }: { href: string; label?: string }) {
  return (
    <a
      href={href}
      download
      className="inline-flex h-9 items-center rounded-md border border-zinc-300 bg-white px-3.5 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
    >
      {label}
    </a>
  );
}
