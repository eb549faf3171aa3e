import { describe, expect, it } from "vitest";
import { confidenceTier, DEFAULT_PRIORITY_CONFIG, eventConfidence, eventPriority, PRIORITY_RULES } from "./priority";

describe("confidence tier (spec §5)", () => {
  it("High ≥ 0.70, Medium 0.30–0.70, Low < 0.30, at the boundaries", () => {
    expect(confidenceTier(0.7)).toBe("high");
    expect(confidenceTier(0.6999999)).toBe("medium");
    expect(confidenceTier(0.3)).toBe("medium");
    expect(confidenceTier(0.2999999)).toBe("low");
    expect(confidenceTier(0)).toBe("low");
    expect(confidenceTier(1)).toBe("high");
    expect(confidenceTier(null)).toBeNull();
  });

  it("thresholds are configuration", () => {
    expect(confidenceTier(0.75, { high: 0.8, medium: 0.5 })).toBe("medium");
    expect(confidenceTier(0.45, { high: 0.8, medium: 0.5 })).toBe("low");
  });
});

describe("event confidence", () => {
  const r = (reportId: string, confidence_1: number | null, attributionWrittenAt: string | null = "2025-08-11T10:00:00Z") => ({
    reportId,
    confidence_1,
    causeCategory_1: confidence_1 === null ? ("unknown" as const) : ("social_viral" as const),
    causeLabel_1: confidence_1 === null ? null : `cause of ${reportId}`,
    attributionWrittenAt,
  });

  it("is the highest latest-attribution confidence_1, with the cause that carries it", () => {
    expect(eventConfidence([r("MR-b", 0.55), r("MR-a", 0.72), r("MR-c", null)])).toEqual({
      confidence: 0.72,
      causeCategory: "social_viral",
      causeLabel: "cause of MR-a",
      reportId: "MR-a",
      writtenAt: "2025-08-11T10:00:00Z",
    });
    expect(eventConfidence([r("MR-c", null)])).toBeNull();
    expect(eventConfidence([])).toBeNull();
  });

  it("ties go to the most recent attribution, then the smaller reportId", () => {
    expect(eventConfidence([r("MR-a", 0.7, "2025-08-11T10:00:00Z"), r("MR-b", 0.7, "2025-08-11T11:00:00Z")])?.reportId).toBe("MR-b");
    expect(eventConfidence([r("MR-b", 0.7), r("MR-a", 0.7)])?.reportId).toBe("MR-a");
  });
});

describe("priority rule table (spec §5): first match wins", () => {
  const base = { confidence: 0.5, category: "social_viral" as const, uplift: 1000, baseline: 10_000 };

  it("lists the rules in the spec's order", () => {
    expect(PRIORITY_RULES.map((r) => [r.id, r.priority])).toEqual([
      ["low_confidence", "low"],
      ["consequential_cause", "high"],
      ["high_impact", "high"],
      ["default", "medium"],
    ]);
  });

  it("rule 1: confidence null or below 0.30 → Low, even for a huge consequential event", () => {
    expect(eventPriority({ ...base, confidence: null })).toEqual({ priority: "low", rule: "low_confidence" });
    expect(eventPriority({ ...base, confidence: 0.29, category: "data_error", uplift: 1e6 })).toEqual({ priority: "low", rule: "low_confidence" });
    expect(eventPriority({ ...base, confidence: 0.3 }).rule).toBe("default");
  });

  it("rule 2: Data Error, Operational/Store Issue, Competitor Stockout at ≥ 0.70 → High (before impact)", () => {
    for (const category of ["data_error", "operational_store_issue", "competitor_stockout"] as const) {
      expect(eventPriority({ ...base, category, confidence: 0.7, uplift: 1e6 })).toEqual({ priority: "high", rule: "consequential_cause" });
      expect(eventPriority({ ...base, category, confidence: 0.69 })).toEqual({ priority: "medium", rule: "default" });
    }
    expect(eventPriority({ ...base, category: "promotion", confidence: 0.95 }).rule).toBe("default");
  });

  it("rule 3: |uplift| ≥ 10,000 or ≥ 50 % of baseline → High", () => {
    expect(eventPriority({ ...base, uplift: 10_000, baseline: 1e9 })).toEqual({ priority: "high", rule: "high_impact" });
    expect(eventPriority({ ...base, uplift: -10_000, baseline: 1e9 }).rule).toBe("high_impact");
    expect(eventPriority({ ...base, uplift: 9_999.99, baseline: 1e9 }).rule).toBe("default");
    expect(eventPriority({ ...base, uplift: 500, baseline: 1000 }).rule).toBe("high_impact");
    expect(eventPriority({ ...base, uplift: 499, baseline: 1000 }).rule).toBe("default");
    expect(eventPriority({ ...base, uplift: 499, baseline: 0 }).rule).toBe("default");
    expect(eventPriority({ ...base, uplift: null, baseline: null }).rule).toBe("default");
  });

  it("rule 4: otherwise Medium", () => {
    expect(eventPriority(base)).toEqual({ priority: "medium", rule: "default" });
  });

  it("thresholds come from configuration", () => {
    const config = { ...DEFAULT_PRIORITY_CONFIG, highImpactUplift: 500, lowConfidenceBelow: 0.6, highCategories: ["social_viral" as const], highConfidenceAtLeast: 0.5 };
    expect(eventPriority(base, config)).toEqual({ priority: "low", rule: "low_confidence" });
    expect(eventPriority({ ...base, confidence: 0.6 }, config)).toEqual({ priority: "high", rule: "consequential_cause" });
    expect(eventPriority({ ...base, confidence: 0.6, category: "promotion" }, config)).toEqual({ priority: "high", rule: "high_impact" });
  });
});
