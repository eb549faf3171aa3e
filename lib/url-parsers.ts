/**
 * Typed search-param parsers shared by the list pages (nuqs). A value that does not parse
 * is dropped, never guessed at.
 */
import { createParser } from "nuqs/server";
import { parseIsoDate } from "@/lib/format";

/** A UTC day typed `YYYY-MM-DD` only (nuqs' parseAsIsoDate would read 08/09/2025 the US way). */
export const parseAsUtcDay = createParser({
  parse: (v: string) => {
    const day = parseIsoDate(v);
    return day ? new Date(`${day}T00:00:00.000Z`) : null;
  },
  serialize: (d: Date) => d.toISOString().slice(0, 10),
});

/** A string kept only when it matches `pattern` (ids, action names, cursors). */
export const parseAsMatching = (pattern: RegExp) => createParser({ parse: (v: string) => (pattern.test(v) ? v : null), serialize: (v: string) => v });
