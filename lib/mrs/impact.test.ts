import { describe, expect, it } from "vitest";
import { impactVector } from "./impact";
import { CAUSE_CATEGORIES, IMPACT_VECTORS } from "./taxonomy";

const distorted = (v: ReturnType<typeof impactVector>) => v.rows.filter((r) => r.distorted).map((r) => r.vector);

describe("impact vector (seed 004: which part of the commercial system is distorted)", () => {
  it("every cause gives all four vectors in order, each distorted one with a reason", () => {
    for (const causeCategory of CAUSE_CATEGORIES) {
      const v = impactVector({ causeCategory, outcome: null, uplift: 100, baseline: 400 });
      expect(v.rows.map((r) => r.vector)).toEqual([...IMPACT_VECTORS]);
      for (const r of v.rows) expect(r.distorted).toBe(r.why !== null);
    }
  });

  it("follows the seed's responses: data errors drift the baseline, misattribution and viral attention misdirect credit and spend, shocks disrupt operations", () => {
    expect(distorted(impactVector({ causeCategory: "data_error", outcome: null, uplift: 1, baseline: 1 }))).toEqual(["baseline_drift"]);
    expect(distorted(impactVector({ causeCategory: "social_viral", outcome: null, uplift: 1, baseline: 1 }))).toEqual(["attribution_error", "spend_leakage"]);
    expect(distorted(impactVector({ causeCategory: "marketing_misattribution", outcome: null, uplift: 1, baseline: 1 }))).toEqual(["attribution_error", "spend_leakage"]);
    expect(distorted(impactVector({ causeCategory: "external_disruption", outcome: "approved", uplift: 1, baseline: 1 }))).toEqual(["baseline_drift", "operational_disruption"]);
    expect(distorted(impactVector({ causeCategory: "promotion", outcome: null, uplift: 1, baseline: 1 }))).toEqual(["baseline_drift", "attribution_error"]);
  });

  it("a false positive only threatens the baseline, whatever its label; an unknown cause is undetermined", () => {
    expect(distorted(impactVector({ causeCategory: "promotion", outcome: "false_positive", uplift: 1, baseline: 1 }))).toEqual(["baseline_drift"]);
    const unknown = impactVector({ causeCategory: "unknown", outcome: null, uplift: 1, baseline: 1 });
    expect(unknown.undetermined).toBe(true);
    expect(distorted(unknown)).toEqual([]);
  });

  it("what is at stake: uplift and its share of the baseline; missing stays missing, never 0", () => {
    expect(impactVector({ causeCategory: "promotion", outcome: null, uplift: 250, baseline: 1000 })).toMatchObject({ uplift: 250, baseline: 1000, upliftShare: 0.25 });
    expect(impactVector({ causeCategory: "promotion", outcome: null, uplift: null, baseline: null })).toMatchObject({ uplift: null, upliftShare: null });
    expect(impactVector({ causeCategory: "promotion", outcome: null, uplift: 10, baseline: 0 }).upliftShare).toBeNull();
  });
});
