import { formatRelative, formatUtc } from "@/lib/format";

/**
 * An instant as the console writes every time — `2025-08-09 14:02 UTC` — with the relative
 * time ("4 min ago") on hover; a missing time reads as such. The hover text depends on
 * "now", which differs between the server's render and the browser's hydration by the
 * page's age (suppressHydrationWarning covers exactly that attribute).
 */
export function Time({ value, missing = "never", className }: { value: Date | string | null; missing?: string; className?: string }) {
  if (!value) return <span className="text-zinc-400 italic dark:text-zinc-500">{missing}</span>;
  const iso = typeof value === "string" ? value : value.toISOString();
  return (
    <time dateTime={iso} title={formatRelative(iso)} className={className ?? "tabular whitespace-nowrap"} suppressHydrationWarning>
      {formatUtc(iso)}
    </time>
  );
}
