import { describe, expect, it } from "vitest";
import { accuracy, brierScore, rocAuc } from "./metrics";

describe("rocAuc", () => {
  it("gives scikit-learn's documented example: 0.75", () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBeCloseTo(0.75, 12);
  });

  it("counts ties as one half", () => {
    // Pairs (pos, neg): (0.5, 0.5) tie = 0.5, (0.5, 0.2) = 1, (0.9, 0.5) = 1, (0.9, 0.2) = 1 → 3.5 / 4.
    expect(rocAuc([0.5, 0.9, 0.5, 0.2], [true, true, false, false])).toBeCloseTo(0.875, 12);
    expect(rocAuc([0.3, 0.3, 0.3], [true, false, false])).toBeCloseTo(0.5, 12);
  });

  it("is 1 for a perfect ranking and 0 for a reversed one", () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [false, false, true, true])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [false, false, true, true])).toBe(0);
  });

  it("refuses a single class", () => {
    expect(() => rocAuc([0.1, 0.2], [true, true])).toThrow(/both classes/);
  });
});

describe("brierScore and accuracy", () => {
  it("compute the known values", () => {
    expect(brierScore([0.9, 0.2, 0.5], [true, false, true])).toBeCloseTo((0.01 + 0.04 + 0.25) / 3, 12);
    // 0.5 counts as positive (p ≥ threshold), as gating's DECISION_THRESHOLD does.
    expect(accuracy([0.9, 0.2, 0.5, 0.6], [true, false, true, false])).toBe(0.75);
  });
});
