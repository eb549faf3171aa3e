/**
 * Reads Spaceship-Titanic-layout CSV into scorer records, accepting the dialects of
 * spec/gating.md §1.1a: missing = empty cell, `NaN`, `nan`, `NA`; booleans `true/false`
 * in any case; numbers with or without decimals; the label column (`Transported`)
 * optional; unknown columns kept as string context. Anything else is a `CsvRowError`
 * naming line, column and rule. Pure: takes the text, never reads files.
 */
import { parse } from "csv-parse/sync";
import { CsvError, type InfoRecord } from "csv-parse/sync";
import { SPEND_CHANNELS, type ContextValue, type ScorerRecord } from "./features";

export type LabelledScorerRecord = ScorerRecord & {
  /** `Transported` when the file has it and the cell is not missing; null otherwise. */
  label: boolean | null;
};

export class CsvRowError extends Error {
  constructor(
    readonly line: number,
    readonly column: string,
    readonly rule: string,
  ) {
    super(`line ${line}, column ${column}: ${rule}`);
    this.name = "CsvRowError";
  }
}

const ID_COLUMN = "PassengerId";
const LABEL_COLUMN = "Transported";
const BOOLEAN_COLUMNS = new Set(["CryoSleep", "VIP", LABEL_COLUMN]);
const NUMBER_COLUMNS = new Set(["Age"]);
const SPEND_COLUMNS = new Set<string>(SPEND_CHANNELS);
const MISSING = new Set(["", "nan", "na"]);
const NUMBER_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

function isMissing(cell: string): boolean {
  return MISSING.has(cell.toLowerCase());
}

function parseNumberCell(cell: string, line: number, column: string): number | null {
  if (isMissing(cell)) return null;
  if (!NUMBER_PATTERN.test(cell)) throw new CsvRowError(line, column, `not a number: ${JSON.stringify(cell)}`);
  return Number(cell);
}

function parseBooleanCell(cell: string, line: number, column: string): boolean | null {
  if (isMissing(cell)) return null;
  const lower = cell.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new CsvRowError(line, column, `not a boolean (true/false): ${JSON.stringify(cell)}`);
}

type ParsedRow = { record: string[]; info: InfoRecord };

export function parseScorerCsv(text: string): LabelledScorerRecord[] {
  let rows: ParsedRow[];
  try {
    rows = parse(text, { bom: true, info: true, skip_empty_lines: true, trim: true }) as unknown as ParsedRow[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === "number" ? error.lines : 0;
      throw new CsvRowError(line, typeof error.column === "string" ? error.column : "*", error.message);
    }
    throw error;
  }
  const headerRow = rows[0];
  if (headerRow === undefined) throw new CsvRowError(1, "*", "the file is empty (a header row is required)");
  const header = headerRow.record;
  const seenColumns = new Set<string>();
  for (const column of header) {
    if (column === "") throw new CsvRowError(headerRow.info.lines, "*", "empty column name in the header");
    if (seenColumns.has(column)) throw new CsvRowError(headerRow.info.lines, column, "column appears twice in the header");
    seenColumns.add(column);
  }
  for (const required of [ID_COLUMN, ...SPEND_CHANNELS]) {
    if (!seenColumns.has(required)) throw new CsvRowError(headerRow.info.lines, required, "required column is missing from the header");
  }

  const seenIds = new Map<string, number>();
  const records: LabelledScorerRecord[] = [];
  for (const { record: cells, info } of rows.slice(1)) {
    const line = info.lines;
    let recordId = "";
    let label: boolean | null = null;
    const spend: Record<string, number | null> = {};
    const context: Record<string, ContextValue> = {};
    header.forEach((column, position) => {
      const cell = cells[position] ?? "";
      if (column === ID_COLUMN) {
        if (!ID_PATTERN.test(cell)) throw new CsvRowError(line, column, `not a record id ([A-Za-z0-9_.:-], 1–128 chars): ${JSON.stringify(cell)}`);
        recordId = cell;
      } else if (SPEND_COLUMNS.has(column)) {
        const value = parseNumberCell(cell, line, column);
        if (value !== null && value < 0) throw new CsvRowError(line, column, `spend must be ≥ 0, got ${cell}`);
        spend[column] = value;
      } else if (column === LABEL_COLUMN) {
        label = parseBooleanCell(cell, line, column);
      } else if (BOOLEAN_COLUMNS.has(column)) {
        context[column] = parseBooleanCell(cell, line, column);
      } else if (NUMBER_COLUMNS.has(column)) {
        context[column] = parseNumberCell(cell, line, column);
      } else {
        context[column] = isMissing(cell) ? null : cell;
      }
    });
    const firstLine = seenIds.get(recordId);
    if (firstLine !== undefined) throw new CsvRowError(line, ID_COLUMN, `duplicate id ${recordId} (first on line ${firstLine})`);
    seenIds.set(recordId, line);
    records.push({ recordId, spend, context, label });
  }
  return records;
}
