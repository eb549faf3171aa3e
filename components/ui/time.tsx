import { formatRelative, formatUtc, formatUtcMinute } from "@/lib/format";

/**
 * An instant as the console writes every time — `2025-08-09 14:02 UTC` — with the relative
 * time ("4 min ago") on hover; a missing time reads as such. The hover text depends on
 * "now", which differs between the server's render and the browser's hydration by the
 * page's age (suppressHydrationWarning covers exactly that attribute). In a table column
 * whose header says "(UTC)", `zone={false}` leaves the suffix to the header.
 */
export function Time({ value, missing = "never", className, zone = true }: { value: Date | string | null; missing?: string; className?: string; zone?: boolean }) {
  if (!value) return <span className="text-zinc-400 italic dark:text-zinc-500">{missing}</span>;
  const iso = typeof value === "string" ? value : value.toISOString();
  return (
    <time dateTime={iso} title={zone ? formatRelative(iso) : `${formatRelative(iso)} · UTC`} className={className ?? "tabular whitespace-nowrap"} suppressHydrationWarning>
      {zone ? formatUtc(iso) : formatUtcMinute(iso)}
    </time>
  );
}
