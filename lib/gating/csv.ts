/**
 * The §1.1a CSV reader, as a pure function over the file's text (the CLI and the ingest
 * route read the bytes; this only parses). It accepts the Spaceship Titanic layout as
 * people actually have it:
 * - a header row; quoted fields; a UTF-8 BOM; blank lines skipped; cells trimmed;
 * - missing = empty cell, `NaN`, `nan`, `NA` (exactly these);
 * - booleans `true` / `false` in any case → JSON booleans;
 * - numbers with or without decimals (`12`, `12.0`, `.5`, `1e3`);
 * - the label column (`Transported`) optional, returned as `label`, never in `context`,
 *   so it cannot reach gating;
 * - spend channels must be numbers ≥ 0 or missing; known context columns are typed
 *   (CryoSleep/VIP boolean, Age number ≥ 0, the rest text);
 * - unknown columns are kept as context, each cell read as boolean, number or text —
 *   in that order — since nothing says what they hold.
 * Anything else unparseable is an error naming line, column and rule; the reader collects
 * every error instead of stopping at the first.
 */
import { parse } from "csv-parse/sync";
import { RECORD_ID_PATTERN, REFERENCE_CHANNELS, type ContextValue } from "./schemas";

export type CsvColumnType = "boolean" | "number" | "text";

export interface CsvReadOptions {
  readonly idColumn?: string;
  readonly labelColumn?: string;
  readonly channels?: readonly string[];
  /** types of known context columns; others are inferred per cell */
  readonly contextTypes?: Readonly<Record<string, CsvColumnType>>;
}

const REFERENCE_CONTEXT_TYPES: Readonly<Record<string, CsvColumnType>> = Object.freeze({
  HomePlanet: "text",
  CryoSleep: "boolean",
  Cabin: "text",
  Destination: "text",
  Age: "number",
  VIP: "boolean",
  Name: "text",
});

export interface CsvRow {
  /** 1-based line number in the file (the line a record ends on) */
  readonly line: number;
  readonly recordId: string;
  readonly spend: Record<string, number | null>;
  readonly context: Record<string, ContextValue>;
  /** the label column; null when missing or when the file has no label column */
  readonly label: boolean | null;
}

export interface CsvError {
  readonly line: number;
  /** column name ("" when the error concerns a whole line) */
  readonly column: string;
  /** short rule id, e.g. "number≥0", "boolean", "header", "columns" */
  readonly rule: string;
  readonly message: string;
}

export type CsvReadResult =
  | { readonly ok: true; readonly columns: readonly string[]; readonly rows: CsvRow[] }
  | { readonly ok: false; readonly columns: readonly string[]; readonly rows: CsvRow[]; readonly errors: CsvError[] };

/** The cell texts read as missing (§1.1a). */
export const CSV_MISSING_MARKERS: readonly string[] = Object.freeze(["", "NaN", "nan", "NA"]);
const MISSING = new Set(CSV_MISSING_MARKERS);
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOLEAN = /^(?:true|false)$/i;

function readNumber(text: string): number | null {
  if (!NUMBER.test(text)) return null;
  const x = Number(text);
  return Number.isFinite(x) ? x : null;
}

interface Located {
  readonly line: number;
  readonly column: string;
}

export function readCsv(text: string, options: CsvReadOptions = {}): CsvReadResult {
  const idColumn = options.idColumn ?? "PassengerId";
  const labelColumn = options.labelColumn ?? "Transported";
  const channels = options.channels ?? REFERENCE_CHANNELS;
  const types = options.contextTypes ?? REFERENCE_CONTEXT_TYPES;
  const errors: CsvError[] = [];
  const fail = (at: Located, rule: string, message: string) => errors.push({ line: at.line, column: at.column, rule, message: `line ${at.line}, column ${at.column || "—"}: ${message}` });

  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }) as unknown as typeof records;
  } catch (e) {
    const line = typeof (e as { lines?: unknown }).lines === "number" ? (e as { lines: number }).lines : 0;
    fail({ line, column: "" }, "csv", `not readable as CSV (${(e as Error).message})`);
    return { ok: false, columns: [], rows: [], errors };
  }
  if (records.length === 0) {
    fail({ line: 1, column: "" }, "header", "the file is empty; a header row is required");
    return { ok: false, columns: [], rows: [], errors };
  }
  const header = (records[0] as (typeof records)[number]).record;
  const headerLine = (records[0] as (typeof records)[number]).info.lines;
  const seen = new Set<string>();
  for (const name of header) {
    if (name === "") fail({ line: headerLine, column: "" }, "header", "a header cell is empty");
    else if (seen.has(name)) fail({ line: headerLine, column: name }, "header", "the column name appears twice");
    seen.add(name);
  }
  for (const required of [idColumn, ...channels]) {
    if (!seen.has(required)) fail({ line: headerLine, column: required }, "header", "required column is missing from the header");
  }
  if (errors.length > 0) return { ok: false, columns: header, rows: [], errors };

  const channelSet = new Set(channels);
  const rows: CsvRow[] = [];
  const firstLineOfId = new Map<string, number>();
  for (let r = 1; r < records.length; r++) {
    const { record, info } = records[r] as (typeof records)[number];
    const line = info.lines;
    if (record.length !== header.length) {
      fail({ line, column: "" }, "columns", `has ${record.length} cells, the header has ${header.length}`);
      continue;
    }
    let recordId = "";
    let label: boolean | null = null;
    const spend: Record<string, number | null> = {};
    const context: Record<string, ContextValue> = {};
    let bad = false;
    for (let c = 0; c < header.length; c++) {
      const column = header[c] as string;
      const cell = record[c] as string;
      const at = { line, column };
      const missing = MISSING.has(cell);
      if (column === idColumn) {
        if (!RECORD_ID_PATTERN.test(cell)) {
          fail(at, "id", `"${cell}" is not a record id (1–128 characters of [A-Za-z0-9_.:-])`);
          bad = true;
        } else recordId = cell;
      } else if (column === labelColumn) {
        if (missing) label = null;
        else if (BOOLEAN.test(cell)) label = cell.toLowerCase() === "true";
        else {
          fail(at, "boolean", `"${cell}" is not true/false or a missing marker (empty, NaN, nan, NA)`);
          bad = true;
        }
      } else if (channelSet.has(column)) {
        if (missing) spend[column] = null;
        else {
          const x = readNumber(cell);
          if (x === null || x < 0) {
            fail(at, "number≥0", `"${cell}" is not a number ≥ 0 or a missing marker (empty, NaN, nan, NA)`);
            bad = true;
          } else spend[column] = x;
        }
      } else {
        const type = types[column];
        if (missing) context[column] = null;
        else if (type === "boolean") {
          if (BOOLEAN.test(cell)) context[column] = cell.toLowerCase() === "true";
          else {
            fail(at, "boolean", `"${cell}" is not true/false or a missing marker (empty, NaN, nan, NA)`);
            bad = true;
          }
        } else if (type === "number") {
          const x = readNumber(cell);
          if (x === null || x < 0) {
            fail(at, "number≥0", `"${cell}" is not a number ≥ 0 or a missing marker (empty, NaN, nan, NA)`);
            bad = true;
          } else context[column] = x;
        } else if (type === "text") context[column] = cell;
        else if (BOOLEAN.test(cell)) context[column] = cell.toLowerCase() === "true";
        else context[column] = readNumber(cell) ?? cell;
      }
    }
    if (recordId) {
      const first = firstLineOfId.get(recordId);
      if (first !== undefined) {
        fail({ line, column: idColumn }, "unique-id", `"${recordId}" already appears on line ${first}`);
        bad = true;
      } else firstLineOfId.set(recordId, line);
    }
    if (!bad) rows.push({ line, recordId, spend, context, label });
  }
  return errors.length > 0 ? { ok: false, columns: header, rows, errors } : { ok: true, columns: header, rows };
}
