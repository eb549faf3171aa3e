import { describe, expect, it } from "vitest";
import { DEFAULT_STAGE_SLOS, reportDegradation, suffixedStatus } from "./degraded";
import { T0, plus } from "./fixtures.test-support";

const present = { detectedAt: T0, firstSeenAt: T0, clustered: true, attributed: true };

describe("degraded modes (spec §6)", () => {
  it("defaults to the seed's SLOs: clustering 30 min, attribution 4 h", () => {
    expect(DEFAULT_STAGE_SLOS).toEqual({ detectionMs: 1_800_000, clusteringMs: 1_800_000, attributionMs: 14_400_000 });
  });

  it("clustering missing: not degraded at exactly 30 min, degraded just after", () => {
    const p = { ...present, clustered: false };
    expect(reportDegradation(p, plus(T0, 30))).toEqual({ isDegraded: false, overdueStages: [] });
    expect(reportDegradation(p, new Date(Date.parse(T0) + 1_800_001).toISOString())).toEqual({ isDegraded: true, overdueStages: ["clustering"] });
  });

  it("attribution missing or failed: not degraded at exactly 4 h, degraded just after", () => {
    const p = { ...present, attributed: false };
    expect(reportDegradation(p, plus(T0, 240)).isDegraded).toBe(false);
    expect(reportDegradation(p, new Date(Date.parse(T0) + 14_400_001).toISOString())).toEqual({ isDegraded: true, overdueStages: ["attribution"] });
    expect(reportDegradation({ ...p, clustered: false }, plus(T0, 241)).overdueStages).toEqual(["clustering", "attribution"]);
  });

  it("every stage present is never degraded, however late", () => {
    expect(reportDegradation(present, "2030-01-01T00:00:00Z").isDegraded).toBe(false);
  });

  it("detection missing: measured from the report's first row", () => {
    const p = { detectedAt: null, firstSeenAt: T0, clustered: true, attributed: false };
    expect(reportDegradation(p, plus(T0, 30)).isDegraded).toBe(false);
    expect(reportDegradation(p, plus(T0, 31))).toEqual({ isDegraded: true, overdueStages: ["detection"] });
  });

  it("SLOs are configuration", () => {
    const p = { ...present, clustered: false };
    expect(reportDegradation(p, plus(T0, 10), { ...DEFAULT_STAGE_SLOS, clusteringMs: 5 * 60_000 }).isDegraded).toBe(true);
  });

  it("suffixes the status", () => {
    expect(suffixedStatus("open", true)).toBe("open:degraded");
    expect(suffixedStatus("finalised", false)).toBe("finalised");
  });
});
