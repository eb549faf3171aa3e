/**
 * Instants as the minority-event core reads them: ISO-8601 with a date, a time with
 * seconds, at most millisecond precision and an explicit zone (`Z` or `±HH:MM`).
 * A time without a zone would mean the server's local time, and a date like
 * 2025-02-30 is rolled over by `Date.parse`: both are refused, never guessed.
 * Comparisons are by instant (epoch milliseconds), never by string.
 */

const INSTANT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parsed instants, by text: a view compares and sorts the same few timestamps many times
 * over (every report's rows, every entry). Bounded; a pure function's memory, not state.
 */
const PARSED = new Map<string, number | null>();
const NORMALISED = new Map<string, string>();
const CACHE_LIMIT = 200_000;

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** Epoch milliseconds of `text`, or null when it is not an instant in the accepted form. */
export function instantMs(text: string): number | null {
  const known = PARSED.get(text);
  if (known !== undefined || PARSED.has(text)) return known ?? null;
  return remember(PARSED, text, parseInstantMs(text));
}

function parseInstantMs(text: string): number | null {
  const m = INSTANT_PATTERN.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  let offsetMinutes = 0;
  if (zone !== "Z") {
    const oh = Number(zone!.slice(1, 3));
    const om = Number(zone!.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (zone!.startsWith("-") ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac ? Number(frac.padEnd(3, "0")) : 0;
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear keeps the year as written.
  const utc = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  utc.setUTCFullYear(year);
  return utc.getTime() - offsetMinutes * 60_000;
}

/** The rule an instant must follow, phrased for `<field> must be …` messages. */
export const INSTANT_RULE = "an ISO-8601 instant with seconds, at most milliseconds and a zone (Z or ±HH:MM), e.g. 2025-08-12T09:00:00.000Z";

/** Epoch milliseconds of `text`; throws a RangeError naming `field` when it is not an instant. */
function requireInstantMs(text: string, field: string): number {
  const ms = typeof text === "string" ? instantMs(text) : null;
  if (ms === null) throw new RangeError(`${field} must be ${INSTANT_RULE}; got ${JSON.stringify(text)}`);
  return ms;
}

/** `YYYY-MM-DDTHH:MM:SS.sssZ` of epoch milliseconds (the form ids hash and views show). */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** `text` normalised to `YYYY-MM-DDTHH:MM:SS.sssZ`; throws a RangeError naming `field` when unparsable. */
export function normaliseInstant(text: string, field = "instant"): string {
  return NORMALISED.get(text) ?? remember(NORMALISED, text, isoMs(requireInstantMs(text, field)));
}

/** The earliest or latest of some instants (unparsable and missing ones skipped), as `YYYY-MM-DDTHH:MM:SS.sssZ`; null when none. */
export function extremeInstant(times: readonly (string | null | undefined)[], pick: "min" | "max"): string | null {
  let best: number | null = null;
  for (const t of times) {
    const ms = t == null ? null : instantMs(t);
    if (ms === null) continue;
    if (best === null || (pick === "min" ? ms < best : ms > best)) best = ms;
  }
  return best === null ? null : isoMs(best);
}

/** Milliseconds per minute and hour, for configuration defaults. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
