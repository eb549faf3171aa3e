import { describe, expect, it } from "vitest";
import { attributionRow, cohortRow, detectedRow, endedRow, clusteredRow, cause } from "./fixtures.test-support";
import { reportId } from "./ids";
import {
  attributionRowSchema,
  cohortRowSchema,
  detectedRowSchema,
  endedRowErrors,
  LOG_NAMES,
  machineRowsSchema,
  naturalKey,
  parseLogRows,
  rowContentHash,
  windowStartsOf,
  writtenAtAheadError,
} from "./logs";

const messages = (result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`);

describe("machine log schemas (spec §2)", () => {
  const d = detectedRow();
  const id = d.reportId;

  it("accepts valid rows of every log", () => {
    expect(LOG_NAMES).toEqual(["detected", "clustered", "attribution", "ended", "cohort"]);
    for (const [log, row] of [
      ["detected", d],
      ["clustered", clusteredRow(id)],
      ["attribution", attributionRow(id)],
      ["ended", endedRow(id)],
      ["cohort", cohortRow(id)],
    ] as const) {
      expect(parseLogRows(log, { rows: [row] }), log).toEqual({ ok: true, data: [row] });
    }
  });

  it("names the field and the rule in every message", () => {
    const bad = attributionRowSchema.safeParse(attributionRow(id, { confidence_1: 1.2 }));
    expect(messages(bad)).toEqual(["confidence_1: confidence_1 must be between 0 and 1"]);
    expect(messages(attributionRowSchema.safeParse(attributionRow(id, { confidence_2: -0.1 })))).toEqual(["confidence_2: confidence_2 must be between 0 and 1"]);
    expect(messages(attributionRowSchema.safeParse(attributionRow(id, { cause_1: cause("social_viral", "x".repeat(81)) })))).toEqual([
      "cause_1.label: cause_1.label must be at most 80 characters",
    ]);
    expect(messages(attributionRowSchema.safeParse({ ...attributionRow(id), cause_1: { category: "weather", label: "Rain" } }))[0]).toMatch(/^cause_1\.category: cause_1\.category must be one of data_error, /);
    expect(messages(detectedRowSchema.safeParse({ ...d, baseline: -1 }))).toEqual(["baseline: baseline must be a finite number ≥ 0"]);
    expect(messages(detectedRowSchema.safeParse({ ...d, windowStart: "11/08/2025" }))[0]).toMatch(/^windowStart: windowStart must be an ISO-8601 instant/);
    expect(messages(detectedRowSchema.safeParse({ ...d, writtenAt: undefined }))).toEqual(["writtenAt: writtenAt is required"]);
    expect(messages(detectedRowSchema.safeParse({ ...d, extra: 1 }))).toEqual([": detected rows have no field extra"]);
    expect(messages(cohortRowSchema.safeParse(cohortRow(id, "G-1", { cohortSize: 0 })))).toEqual(["cohortSize: cohortSize must be a whole number ≥ 1"]);
    expect(messages(cohortRowSchema.safeParse(cohortRow(id, "G 1")))).toEqual(["reportGroupId: reportGroupId must be 1–128 characters of [A-Za-z0-9_.:-]"]);
  });

  it("refuses a detected reportId that is not derived from storeId, sku and windowStart", () => {
    const other = reportId("S-002", "SKU-1", d.windowStart);
    expect(messages(detectedRowSchema.safeParse({ ...d, reportId: other }))).toEqual([`reportId: reportId must be the id derived from storeId, sku and windowStart (${id})`]);
  });

  it("checks the _1/_2/_3 candidates together", () => {
    const check = (over: Parameters<typeof attributionRow>[1]) => messages(attributionRowSchema.safeParse(attributionRow(id, over)));
    expect(check({ confidence_2: 0.9 })).toEqual(["confidence_2: confidence_2 must not exceed confidence_1"]);
    expect(check({ cause_2: null })).toEqual(["cause_2: cause_2 and confidence_2 must both be given or both be null"]);
    expect(check({ cause_3: cause("promotion", "Promo"), confidence_3: 0.1, cause_2: null, confidence_2: null })).toEqual(["cause_3: cause_3 requires cause_2"]);
    expect(check({ cause_3: cause("promotion", "Promo"), confidence_3: 0.3 })).toEqual(["confidence_3: confidence_3 must not exceed confidence_2"]);
    expect(check({ confidence_1: null, cause_2: null, confidence_2: null })).toEqual(["confidence_1: confidence_1 may be null only when cause_1.category is unknown (a failed attribution)"]);
    // A failed attribution: unknown with a null confidence, proposing nothing else.
    expect(check({ cause_1: cause("unknown", "Attribution failed"), confidence_1: null, cause_2: null, confidence_2: null })).toEqual([]);
    expect(check({ cause_1: cause("unknown", "Attribution failed"), confidence_1: null })).toContain("cause_2: cause_2 must be null when confidence_1 is null (a failed attribution proposes nothing)");
    // Optional candidates may be left out entirely.
    const { cause_2: _c2, confidence_2: _k2, cause_3: _c3, confidence_3: _k3, ...only1 } = attributionRow(id);
    expect(attributionRowSchema.safeParse(only1).success).toBe(true);
  });

  it("refuses an end before the report's start, in a batch and against known detected rows", () => {
    const starts = windowStartsOf([d]);
    const early = endedRow(id, { windowEnd: "2025-08-11T06:59:59.999Z" });
    expect(endedRowErrors([endedRow(id), early], starts)).toEqual({ "rows.1.windowEnd": [`windowEnd must not be before the report's windowStart (${d.windowStart})`] });
    // An end exactly at the start is allowed; an unknown report cannot be checked here.
    expect(endedRowErrors([endedRow(id, { windowEnd: d.windowStart }), endedRow(reportId("X", "Y", d.windowStart), { windowEnd: "2000-01-01T00:00:00Z" })], starts)).toEqual({});
    const result = parseLogRows("ended", { rows: [early] }, starts);
    expect(result).toMatchObject({ ok: false, fieldErrors: { "rows.0.windowEnd": [expect.stringContaining("windowEnd must not be before")] } });
    // The five-log body checks ended rows against detected rows of the same body.
    const body = machineRowsSchema.safeParse({ detected: [d], ended: [early] });
    expect(messages(body)).toEqual([`ended.0.windowEnd: windowEnd must not be before the report's windowStart (${d.windowStart})`]);
    expect(machineRowsSchema.safeParse({ detected: [d], ended: [endedRow(id)] }).success).toBe(true);
  });

  it("parseLogRows keys errors by row and field, and summarises them", () => {
    const result = parseLogRows("attribution", { rows: [attributionRow(id), attributionRow(id, { confidence_1: 2 })] });
    expect(result).toEqual({
      ok: false,
      error: "rows.1.confidence_1: confidence_1 must be between 0 and 1",
      fieldErrors: { "rows.1.confidence_1": ["confidence_1 must be between 0 and 1"] },
    });
    expect(parseLogRows("cohort", { rows: [] })).toMatchObject({ ok: false, fieldErrors: { rows: ["rows must hold at least 1 row"] } });
    expect(parseLogRows("cohort", [cohortRow(id)])).toMatchObject({ ok: false, error: "the body must be { rows: [...] }", fieldErrors: { body: ["the body must be { rows: [...] }"] } });
  });

  it("natural keys are exactly the spec's", () => {
    expect(naturalKey("detected", d)).toBe(id);
    expect(naturalKey("clustered", clusteredRow(id))).toBe(`${id}\u001fcluster-1`);
    expect(naturalKey("attribution", attributionRow(id))).toBe(`${id}\u001fattr-1`);
    expect(naturalKey("ended", endedRow(id))).toBe(id);
    expect(naturalKey("cohort", cohortRow(id, "MR-UK-003"))).toBe(`${id}\u001fMR-UK-003`);
  });

  it("content hash: a replayed row is the same, a new version differs, extra fields do not count", () => {
    const row = attributionRow(id);
    expect(rowContentHash("attribution", { ...row })).toBe(rowContentHash("attribution", row));
    expect(rowContentHash("attribution", { ...row, recordedAt: "2025-08-11T10:31:00Z" } as typeof row)).toBe(rowContentHash("attribution", row));
    expect(rowContentHash("attribution", { ...row, confidence_1: 0.73 })).not.toBe(rowContentHash("attribution", row));
  });

  it("refuses a writtenAt more than 5 min after the database's recordedAt", () => {
    const recordedAt = "2025-08-11T10:00:00.000Z";
    expect(writtenAtAheadError("2025-08-11T10:05:00.000Z", recordedAt)).toBeNull();
    expect(writtenAtAheadError("2025-08-01T00:00:00.000Z", recordedAt)).toBeNull();
    expect(writtenAtAheadError("2025-08-11T10:05:00.001Z", recordedAt)).toBe(
      "writtenAt must not be more than 5 min after the time it is recorded (2025-08-11T10:00:00.000Z); got 2025-08-11T10:05:00.001Z",
    );
    expect(writtenAtAheadError("2025-08-11T11:00:00+01:00", recordedAt, "effectiveAt")).toBeNull();
  });
});
