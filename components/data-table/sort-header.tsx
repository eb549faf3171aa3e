import Link from "next/link";
import { cn } from "@/lib/cn";

/**
 * A column header that orders the list: a link to the same view with this sort (the
 * direction toggled when it is already the active one), back at the first page.
 */
export function SortHeader({
  label,
  href,
  active,
  dir,
  align = "left",
  title,
}: {
  label: string;
  /** the view ordered by this column (the page builds it: sort, dir, no cursor) */
  href: string;
  active: boolean;
  dir: "asc" | "desc";
  align?: "left" | "right";
  title?: string;
}) {
  return (
    <Link
      // Not fetched in the background: a list has a header of these, each a request to the server on every load.
      prefetch={false}
      href={href}
      title={title}
      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}
      className={cn("inline-flex items-center gap-1 hover:text-zinc-900 dark:hover:text-zinc-100", align === "right" && "justify-end", active && "text-zinc-900 dark:text-zinc-100")}
    >
      {label}
      <span aria-hidden className="text-[10px]">{active ? (dir === "asc" ? "▲" : "▼") : "↕"}</span>
    </Link>
  );
}
