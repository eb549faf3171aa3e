import { describe, expect, it } from "vitest";
import { binLabel, driftBin, driftFigure, ks, psi, PSI_SIGNIFICANT } from "./drift";

describe("drift", () => {
  it("bins missing apart from zero, pModel by 0.05 and spends by half-decades", () => {
    expect(driftBin("Spa", null)).toBe(0);
    expect(driftBin("Spa", 0)).toBe(1);
    expect([0.5, 1, 2, 3.16, 3.17, 10, 11, 100_000].map((v) => driftBin("Spa", v))).toEqual([2, 2, 3, 3, 4, 4, 5, 12]);
    expect([0, 0.049, 0.05, 0.5, 0.999, 1].map((p) => driftBin("pModel", p))).toEqual([1, 1, 2, 11, 20, 20]);
    expect([0, 1, 2, 3, 4, 12].map((b) => binLabel("Spa", b))).toEqual(["missing", "0", "(0, 1]", "(1, 3]", "(3, 10]", "> 31,623"]);
    expect(binLabel("pModel", 11)).toBe("0.50–0.55");
  });

  it("PSI and KS are zero for the same distribution and grow with a shift; missing counts in PSI only", () => {
    const reference = [10, 500, 100, 100, 100, 100, 90];
    expect(psi(reference, reference.map((n) => n * 3))).toBeCloseTo(0, 12);
    expect(ks(reference, reference.map((n) => n * 3))).toBeCloseTo(0, 12);
    const shifted = [10, 500, 0, 0, 100, 200, 190];
    expect(psi(reference, shifted)!).toBeGreaterThan(PSI_SIGNIFICANT);
    expect(ks(reference, shifted)!).toBeCloseTo(200 / 990, 6);
    const moreMissing = [300, 500, 100, 100, 100, 100, 90];
    expect(ks(reference, moreMissing)).toBeCloseTo(0, 12);
    expect(psi(reference, moreMissing)!).toBeGreaterThan(PSI_SIGNIFICANT);
  });

  it("judges no window under a hundred results", () => {
    const reference = [10, 500, 100, 100, 100, 100, 90];
    expect(driftFigure(reference, [0, 0, 0, 0, 0, 0, 99])).toMatchObject({ n: 99, psi: null, ks: null, level: null, missingShare: 0 });
    expect(driftFigure(reference, [0, 0, 0, 0, 0, 0, 100])).toMatchObject({ n: 100, level: "significant" });
    expect(driftFigure(reference, reference)).toMatchObject({ level: "stable", referenceMissingShare: 0.01 });
  });
});
