import { formatRelative, formatUtc } from "@/lib/format";

/**
 * A relative time with the exact UTC time on hover; a missing time reads as such. In client
 * components the server's and the browser's "now" differ by the page's age, so the text
 * may legitimately differ at hydration (suppressHydrationWarning covers exactly that text).
 */
export function Time({ value, missing = "never", className }: { value: Date | string | null; missing?: string; className?: string }) {
  if (!value) return <span className="text-zinc-400 italic dark:text-zinc-500">{missing}</span>;
  const iso = typeof value === "string" ? value : value.toISOString();
  return (
    <time dateTime={iso} title={formatUtc(iso)} className={className ?? "tabular"} suppressHydrationWarning>
      {formatRelative(iso)}
    </time>
  );
}
