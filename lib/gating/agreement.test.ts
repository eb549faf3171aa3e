import { describe, expect, it } from "vitest";
import { ensembleAgreement, glmGap } from "./agreement";

describe("§4.3 glmGap", () => {
  it("is |pModel − pGlm|, whichever is larger", () => {
    expect(glmGap(0.7, 0.6)).toBeCloseTo(0.1, 15);
    expect(glmGap(0.6, 0.7)).toBeCloseTo(0.1, 15);
    expect(glmGap(0.3, 0.3)).toBe(0);
    expect(glmGap(0, 1)).toBe(1);
  });

  it("is null without a GLM probability (missing evidence, never agreement)", () => {
    expect(glmGap(0.7, null)).toBeNull();
    expect(glmGap(0.7, undefined)).toBeNull();
    // 0 is a probability, not a missing one.
    expect(glmGap(0.7, 0)).toBeCloseTo(0.7, 15);
  });
});

describe("§4.3 ensembleAgreement", () => {
  it("is the share of members whose label equals the decision", () => {
    expect(ensembleAgreement([0.9, 0.8, 0.2, 0.7], true, 0.5)).toBe(0.75);
    expect(ensembleAgreement([0.9, 0.8, 0.2, 0.7], false, 0.5)).toBe(0.25);
    expect(ensembleAgreement([0.1, 0.2], false, 0.5)).toBe(1);
    expect(ensembleAgreement([0.1, 0.2], true, 0.5)).toBe(0);
  });

  it("a member exactly at the decision threshold votes positive (p ≥ threshold), as the decision does", () => {
    expect(ensembleAgreement([0.5], true, 0.5)).toBe(1);
    expect(ensembleAgreement([0.5], false, 0.5)).toBe(0);
    expect(ensembleAgreement([0.5 - Number.EPSILON], false, 0.5)).toBe(1);
    expect(ensembleAgreement([0.5, 0.4999, 0.5001], true, 0.5)).toBeCloseTo(2 / 3, 15);
    // The threshold is the policy's, not a constant.
    expect(ensembleAgreement([0.5, 0.6], true, 0.6)).toBe(0.5);
  });

  it("is null for no ensemble or an empty one (missing evidence, never agreement)", () => {
    expect(ensembleAgreement(null, true, 0.5)).toBeNull();
    expect(ensembleAgreement(undefined, false, 0.5)).toBeNull();
    expect(ensembleAgreement([], true, 0.5)).toBeNull();
  });
});
