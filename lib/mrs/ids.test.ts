import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { eventId, reportId } from "./ids";
import { instantMs, normaliseInstant } from "./time";

describe("deterministic ids (spec §1)", () => {
  it("reportId matches a hand-computed sha256", () => {
    // printf '%s\x1f%s\x1f%s' LON-TSC-0142 JUPYTER-BAR-DUO 2025-08-11T07:00:00.000Z | sha256sum
    //   71e757ee7b4f638bea1ddc851de56a90a487eb824ee05b7ed544107541316b11
    expect(reportId("LON-TSC-0142", "JUPYTER-BAR-DUO", "2025-08-11T07:00:00.000Z")).toBe("MR-71e757ee7b4f638b");
  });

  it("eventId matches a hand-computed sha256", () => {
    // printf '%s' MR-UK-003 | sha256sum → 8ea995b641aba86af945b4b7005062c9276033252aacc9c802fe737f09040627
    expect(eventId("MR-UK-003")).toBe("ME-8ea995b641ab");
    expect(eventId("MR-UK-001")).toBe("ME-a1b79f44f1ea");
  });

  it("normalises the window start: the same instant in any offset or precision gives the same id", () => {
    const id = reportId("LON-TSC-0142", "JUPYTER-BAR-DUO", "2025-08-11T07:00:00.000Z");
    expect(reportId("LON-TSC-0142", "JUPYTER-BAR-DUO", "2025-08-11T07:00:00Z")).toBe(id);
    expect(reportId("LON-TSC-0142", "JUPYTER-BAR-DUO", "2025-08-11T08:00:00.0+01:00")).toBe(id);
    expect(reportId("LON-TSC-0142", "JUPYTER-BAR-DUO", "2025-08-11T07:00:00.001Z")).not.toBe(id);
  });

  it("refuses an unparsable window start, naming the field", () => {
    for (const bad of ["", "yesterday", "2025-08-11", "2025-08-11T07:00:00", "2025-08-11T07:00Z", "2025-02-30T00:00:00Z", "2025-08-11T07:00:00.1234Z", "2025-08-11T24:00:00Z"]) {
      expect(() => reportId("S", "K", bad), bad).toThrow(/windowStart must be an ISO-8601 instant/);
    }
  });

  it("refuses empty parts and parts holding the separator", () => {
    expect(() => reportId("", "K", "2025-08-11T07:00:00Z")).toThrow("storeId must be a non-empty string");
    expect(() => reportId("S\u001fK", "K", "2025-08-11T07:00:00Z")).toThrow("storeId must not contain the U+001F separator");
    expect(() => reportId("S", "", "2025-08-11T07:00:00Z")).toThrow("sku must be a non-empty string");
    expect(() => eventId("has space")).toThrow("reportGroupId must be 1–128 characters");
  });

  it("is a pure function of its inputs (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((s) => !s.includes("\u001f")), fc.string({ minLength: 1 }).filter((s) => !s.includes("\u001f")), fc.integer({ min: 0, max: 4_102_444_800_000 }), (store, sku, ms) => {
        const start = new Date(ms).toISOString();
        const id = reportId(store, sku, start);
        return /^MR-[0-9a-f]{16}$/.test(id) && id === reportId(store, sku, start);
      }),
    );
  });

  it("reads instants exactly (years, offsets, fractions)", () => {
    expect(normaliseInstant("0099-01-01T00:00:00Z")).toBe("0099-01-01T00:00:00.000Z");
    expect(normaliseInstant("2025-08-11T07:00:00.5-02:30")).toBe("2025-08-11T09:30:00.500Z");
    expect(instantMs("2024-02-29T00:00:00Z")).toBe(Date.UTC(2024, 1, 29));
    expect(instantMs("2025-02-29T00:00:00Z")).toBeNull();
  });
});
