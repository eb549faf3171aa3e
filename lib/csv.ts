/**
 * CSV cells and lines (RFC 4180 quoting) for every export: a missing value is an empty
 * cell, an array its items joined by spaces, an object its JSON. Text that a spreadsheet
 * would run as a formula (starting with =, +, -, @, a tab or a carriage return: OWASP's
 * CSV-injection rule) leaves with a leading ' so it opens as text; a number, and text
 * that is only a signed number ("-0.25", "+3 %"), is data and stays as it is.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = Array.isArray(value) ? value.join(" ") : typeof value === "object" ? JSON.stringify(value) : String(value);
  const safe = typeof value !== "number" && FORMULA_START.test(text) && !SIGNED_NUMBER.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const SIGNED_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?( ?%)?$/i;

/** The CSV, one line at a time (header first), each ending in CRLF. */
export function* csvLines<T>(columns: readonly string[], rows: Iterable<T>): Generator<string> {
  yield `${columns.join(",")}\r\n`;
  for (const row of rows) yield csvRow(columns, row);
}

/**
 * csvLines over rows read a page at a time. The first row is read before the header is
 * given out, so the source's own checks (permission, parameters) fail before anything is sent.
 */
export async function* csvLinesFrom<T>(columns: readonly string[], rows: AsyncIterable<T>): AsyncGenerator<string> {
  const it = rows[Symbol.asyncIterator]();
  let next = await it.next();
  yield `${columns.join(",")}\r\n`;
  for (; !next.done; next = await it.next()) yield csvRow(columns, next.value);
}

const csvRow = (columns: readonly string[], row: unknown) => `${columns.map((c) => csvCell((row as Record<string, unknown>)[c])).join(",")}\r\n`;
