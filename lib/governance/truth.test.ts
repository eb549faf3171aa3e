import { describe, expect, it } from "vitest";
import { recordTruth } from "./truth";

describe("a record's ground truth (docs/labels.md)", () => {
  it("takes label feedback over the analyst's decision when the sources agree", () => {
    expect(recordTruth([false], true)).toEqual({ kind: "labelled", label: false, from: "feedback" });
    expect(recordTruth([true, true], null)).toEqual({ kind: "labelled", label: true, from: "feedback" });
  });

  it("marks a record disputed when its sources disagree, whatever the analysts decided", () => {
    expect(recordTruth([true, false], true)).toEqual({ kind: "disputed" });
  });

  it("falls back to the analyst's final decision, and to unlabelled without one", () => {
    expect(recordTruth([], false)).toEqual({ kind: "labelled", label: false, from: "decision" });
    expect(recordTruth([], null)).toEqual({ kind: "unlabelled" });
  });
});
