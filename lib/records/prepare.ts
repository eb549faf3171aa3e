/**
 * Input text → validated scored records, for everything that takes records as files:
 * the `gate` CLI now, the CSV ingest later. Two formats:
 *   - csv:   the Spaceship Titanic layout in every dialect of spec/gating.md §1.1a
 *            (lib/gating/csv.ts); every row is scored by the reference scorer;
 *   - jsonl: one JSON object per line; a line with `pModel` is a scored record (§1.1),
 *            a line without it carries only recordId / spend / context / clusterId and
 *            is scored by the reference scorer.
 * Every problem names its line, the record id when known, the field and the rule; nothing
 * is coerced (a missing spend stays null). Record ids must be unique in the input.
 * The reference scorer fills group sizes over all rows it scores, so pass the whole file.
 */
import { readCsv, validateScoredRecord, type PolicySnapshot, type ScoredRecord } from "@/lib/gating";
import { ScorerInputError } from "@/lib/scorer/features";
import { scoreForGating, type ReferenceScorer } from "@/lib/scorer/model";

export type InputFormat = "csv" | "jsonl";

export interface RecordProblem {
  readonly line: number;
  readonly recordId: string | null;
  /** the column (CSV) or field path (JSONL), "" for the line as a whole */
  readonly field: string;
  readonly message: string;
}

export interface LineRecord {
  readonly line: number;
  readonly record: ScoredRecord;
}

export interface PreparedRecords {
  /** valid records in input order */
  readonly records: LineRecord[];
  /** every problem, in input order */
  readonly problems: RecordProblem[];
  /** how many records the reference scorer scored */
  readonly scored: number;
}

/** Fields a record may carry when the reference scorer is to score it. */
const UNSCORED_FIELDS = new Set(["recordId", "spend", "context", "clusterId"]);
/** Stand-ins that let the shared schema check an unscored record's own fields. */
const PENDING_SCORES = { pModel: 0.5, scorerVersion: "pending" } as const;

type Unscored = { line: number; recordId: string; spend: Record<string, number | null>; context: ScoredRecord["context"]; clusterId?: string };

export function problemText(problem: RecordProblem): string {
  const where = `line ${problem.line}${problem.recordId ? ` (${problem.recordId})` : ""}`;
  return problem.field ? `${where}, ${problem.field}: ${problem.message}` : `${where}: ${problem.message}`;
}

function readJsonl(text: string, policy: PolicySnapshot, problems: RecordProblem[]): { scored: LineRecord[]; unscored: Unscored[] } {
  const scored: LineRecord[] = [];
  const unscored: Unscored[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const line = index + 1;
    const source = raw.trim();
    if (source === "") return;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      problems.push({ line, recordId: null, field: "", message: `not valid JSON (${(error as Error).message})` });
      return;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.push({ line, recordId: null, field: "", message: "must be a JSON object (one record per line)" });
      return;
    }
    const object = value as Record<string, unknown>;
    const recordId = typeof object.recordId === "string" ? object.recordId : null;
    const hasScore = "pModel" in object;
    if (!hasScore) {
      const extra = Object.keys(object).filter((key) => !UNSCORED_FIELDS.has(key));
      for (const key of extra) problems.push({ line, recordId, field: key, message: "is only allowed with pModel (a record without pModel is scored by the reference scorer)" });
      if (extra.length > 0) return;
    }
    const outcome = validateScoredRecord(hasScore ? object : { ...object, ...PENDING_SCORES }, policy);
    if (!outcome.ok) {
      for (const error of outcome.errors) problems.push({ line, recordId, field: error.path, message: error.message });
      return;
    }
    if (hasScore) scored.push({ line, record: outcome.value });
    else {
      const { recordId: id, spend, context, clusterId } = outcome.value;
      unscored.push({ line, recordId: id, spend: { ...spend }, context, ...(clusterId === undefined ? {} : { clusterId }) });
    }
  });
  return { scored, unscored };
}

function readCsvRecords(text: string, problems: RecordProblem[]): Unscored[] {
  const read = readCsv(text);
  if (!read.ok) for (const error of read.errors) problems.push({ line: error.line, recordId: null, field: error.column, message: error.message.replace(/^line \d+, column [^:]*: /, "") });
  // The label column is never passed to gating (§1.1a).
  return read.rows.map(({ line, recordId, spend, context }) => ({ line, recordId, spend, context }));
}

/**
 * Scores the unscored lines in one pass; when the scorer cannot read a record (a cabin that
 * is not deck/number/side…), scores them one by one so every such line is named as a
 * problem, instead of the first one ending the request as an unexplained failure.
 */
function scoreLines(scorer: ReferenceScorer, unscored: Unscored[], problems: RecordProblem[]): LineRecord[] {
  let batchError: ScorerInputError;
  try {
    return scoreForGating(scorer, unscored).map(({ line, ...record }) => ({ line, record: record as ScoredRecord }));
  } catch (error) {
    if (!(error instanceof ScorerInputError)) throw error;
    batchError = error;
  }
  const before = problems.length;
  // Only to name the problems: the request is refused, so scores made without the batch's
  // group sizes are never used.
  for (const one of unscored) {
    try {
      scoreForGating(scorer, [one]);
    } catch (error) {
      if (!(error instanceof ScorerInputError)) throw error;
      problems.push({ line: one.line, recordId: error.recordId, field: error.field, message: error.rule });
    }
  }
  if (problems.length === before) throw batchError;
  return [];
}

export function prepareRecords(text: string, format: InputFormat, policy: PolicySnapshot, loadScorer: () => ReferenceScorer): PreparedRecords {
  const problems: RecordProblem[] = [];
  const { scored, unscored } = format === "csv" ? { scored: [] as LineRecord[], unscored: readCsvRecords(text, problems) } : readJsonl(text, policy, problems);

  const fromScorer: LineRecord[] = unscored.length === 0 ? [] : scoreLines(loadScorer(), unscored, problems);

  // Input order, then one namespace of record ids (CSV duplicates are caught by the reader).
  const all = [...scored, ...fromScorer].sort((a, b) => a.line - b.line);
  const firstLine = new Map<string, number>();
  const records: LineRecord[] = [];
  for (const item of all) {
    const first = firstLine.get(item.record.recordId);
    if (first !== undefined) {
      problems.push({ line: item.line, recordId: item.record.recordId, field: "recordId", message: `duplicates the record on line ${first}` });
      continue;
    }
    firstLine.set(item.record.recordId, item.line);
    records.push(item);
  }
  problems.sort((a, b) => a.line - b.line);
  return { records, problems, scored: fromScorer.length };
}
