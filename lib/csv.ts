/**
 * CSV cells and lines (RFC 4180 quoting) for every export: a missing value is an empty
 * cell, an array its items joined by spaces, an object its JSON.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = Array.isArray(value) ? value.join(" ") : typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV, one line at a time (header first), each ending in CRLF. */
export function* csvLines<T>(columns: readonly string[], rows: Iterable<T>): Generator<string> {
  yield `${columns.join(",")}\r\n`;
  for (const row of rows) yield csvRow(columns, row);
}

/** csvLines over rows read a page at a time. */
export async function* csvLinesFrom<T>(columns: readonly string[], rows: AsyncIterable<T>): AsyncGenerator<string> {
  yield `${columns.join(",")}\r\n`;
  for await (const row of rows) yield csvRow(columns, row);
}

const csvRow = (columns: readonly string[], row: unknown) => `${columns.map((c) => csvCell((row as Record<string, unknown>)[c])).join(",")}\r\n`;
