/**
 * The window of a governance page or its API in its URL: a whole number of days or weeks
 * within bounds; absent means the page's default. A bad value is named, never clamped.
 */
export function parseWindow(
  value: string | string[] | undefined | null,
  bounds: { unit: "days" | "weeks"; default: number; max: number },
): { ok: true; value: number } | { ok: false; message: string } {
  if (value === undefined || value === null || value === "") return { ok: true, value: bounds.default };
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > bounds.max) {
    return { ok: false, message: `must be a whole number of ${bounds.unit} from 1 to ${bounds.max}` };
  }
  return { ok: true, value: Number(text) };
}

export const DEFAULT_DAYS = 28;
export const MAX_DAYS = 366;

/** The windows a page of days offers. */
export const DAY_WINDOW_CHOICES = [1, 7, 14, 28, 90, 180, MAX_DAYS];

/** The `days` parameter of routing health. */
export const parseDays = (value: string | string[] | undefined | null) => parseWindow(value, { unit: "days", default: DEFAULT_DAYS, max: MAX_DAYS });

/** The UTC day `days` after `day` (YYYY-MM-DD), for windows of days and weeks. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The last `days` UTC days up to `now`, today included: today and the first day (YYYY-MM-DD). */
export function dayWindow(days: number, now: Date = new Date()): { today: string; from: string } {
  const today = now.toISOString().slice(0, 10);
  return { today, from: addDays(today, -(days - 1)) };
}
