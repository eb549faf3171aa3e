import { formatRelative, formatUtc } from "@/lib/format";

/** A relative time with the exact UTC time on hover; a missing time reads as such. */
export function Time({ value, missing = "never" }: { value: Date | string | null; missing?: string }) {
  if (!value) return <span className="text-zinc-400 italic dark:text-zinc-500">{missing}</span>;
  const iso = typeof value === "string" ? value : value.toISOString();
  return (
    <time dateTime={iso} title={formatUtc(iso)} className="tabular">
      {formatRelative(iso)}
    </time>
  );
}
