import Link from "next/link";
import type { ReactNode } from "react";

const linkClass = "rounded px-2 py-1 font-medium text-sky-700 hover:bg-sky-50 dark:text-sky-400 dark:hover:bg-sky-950";

/**
 * The keyset pager under a list: what this page holds, a link back to the first page when
 * not on it, and the next page's link (a cursor) or the end of the list. Neither link is
 * fetched in the background: each would be a request to the server on every load.
 */
export function KeysetPager({
  summary,
  firstHref,
  firstLabel = "← First page",
  nextHref,
  nextLabel = "Next page →",
  endLabel = "End of the list",
}: {
  summary: ReactNode;
  /** null on the first page */
  firstHref: string | null;
  firstLabel?: string;
  /** null on the last page */
  nextHref: string | null;
  nextLabel?: string;
  endLabel?: string;
}) {
  return (
    <nav aria-label="Pages" className="flex items-center justify-between text-sm">
      <span className="text-zinc-500 dark:text-zinc-400">{summary}</span>
      <span className="flex gap-3">
        {firstHref ? (
          <Link prefetch={false} className={linkClass} href={firstHref}>
            {firstLabel}
          </Link>
        ) : null}
        {nextHref ? (
          <Link prefetch={false} rel="next" className={linkClass} href={nextHref}>
            {nextLabel}
          </Link>
        ) : (
          <span className="px-2 py-1 text-zinc-400">{endLabel}</span>
        )}
      </span>
    </nav>
  );
}
