/**
 * The console's one way to write times and dates: ISO, in UTC, to the minute —
 * `2025-08-09 14:02 UTC` — with the relative time ("4 min ago") as the hover text. Dates
 * are typed the same way (`YYYY-MM-DD`, and `YYYY-MM-DD HH:MM` for an instant), never in a
 * browser's locale order (08/09/2025 reads two ways).
 */

const toDate = (date: Date | string): Date => (typeof date === "string" ? new Date(date) : date);

/** `2025-08-09 14:02 UTC`. */
export function formatUtc(date: Date | string): string {
  return `${toDate(date).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `2025-08-09` (the UTC calendar day). */
export function formatUtcDate(date: Date | string): string {
  return toDate(date).toISOString().slice(0, 10);
}

/** `2025-08-09 14:02`: an instant as the as-of field takes it (UTC, no suffix). */
export function formatUtcMinute(date: Date | string): string {
  return toDate(date).toISOString().slice(0, 16).replace("T", " ");
}

const UNITS: [name: string, plural: string, seconds: number][] = [
  ["year", "years", 365 * 86_400],
  ["month", "months", 30 * 86_400],
  ["day", "days", 86_400],
  ["h", "h", 3_600],
  ["min", "min", 60],
];

/**
 * "just now", "4 min ago", "3 h ago", "2 days ago", "in 3 days": always a number and a
 * unit (no "last yr.", "yesterday" or locale-dependent abbreviations).
 */
export function formatRelative(date: Date | string, now: Date = new Date()): string {
  const seconds = Math.round((toDate(date).getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return "just now";
  for (const [name, plural, size] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const text = `${n} ${n === 1 ? name : plural}`;
      return seconds < 0 ? `${text} ago` : `in ${text}`;
    }
  }
  return "just now";
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

export const ISO_DATE_RULE = "must be a date written YYYY-MM-DD, e.g. 2025-08-09";
export const UTC_MINUTE_RULE = "must be a UTC time written YYYY-MM-DD HH:MM, e.g. 2025-08-09 14:02";

/** A real calendar day written `YYYY-MM-DD` (2025-02-30 is refused), else null. */
export function parseIsoDate(text: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const d = new Date(`${m[0]}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === m[0] ? m[0] : null;
}

/** An instant written `YYYY-MM-DD HH:MM` (UTC; a `T` between is taken too), as ISO-8601, else null. */
export function parseUtcMinute(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}):(\d{2})$/.exec(text.trim());
  if (!m || parseIsoDate(m[1]!) === null || Number(m[2]) > 23 || Number(m[3]) > 59) return null;
  return `${m[1]}T${m[2]}:${m[3]}:00.000Z`;
}
