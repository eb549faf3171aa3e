import { describe, expect, it } from "vitest";
import { parseAlertStatus, raisedAlerts, type AlertInputs } from "./alerts";

const quiet: AlertInputs = {
  today: "2026-12-06",
  days: [{ day: "2026-12-06", results: 1000, fragile: 50, canaryAuto: 0, singleFragileAuto: 0, fragileBand: { low: 0.037, high: 0.064 } }],
  canaries: [{ recordId: "0254_01", route: "audit" }],
  weeks: [{ week: "2026-11-30", decisions: 100, overrides: 10 }],
  overrideThreshold: 0.15,
  quality: { released: 500, releasedErrorUpper: 0.1, targetReleaseError: 0.15 },
  ledger: { ok: true },
  drift: [{ variable: "Spa", days: [{ day: "2026-12-06", n: 1000, psi: 0.24 }] }],
  // 20 % FP and 20 % FN before; today 28 of 100 negatives and 24 of 100 positives: high, but their 95 % lower bounds (19.5 %, 16.0 %) are not above 20 %.
  fragileErrors: {
    days: [{ day: "2026-12-06", labelled: 200, positives: 100, falsePos: 28, falseNeg: 24 }],
    baseline: { labelled: 1000, positives: 500, falsePos: 100, falseNeg: 100 },
  },
  eventStages: [
    { stage: "detection", log: "detected", freshnessSeconds: 1800, sloSeconds: 1800 },
    { stage: "attribution", log: "attribution", freshnessSeconds: null, sloSeconds: 14_400 },
  ],
};

describe("alert rules", () => {
  it("raise nothing when every figure is within its bounds", () => {
    expect(raisedAlerts(quiet)).toEqual([]);
  });

  it("raise each rule once, keyed by the day, week, record or entry it concerns", () => {
    const alerts = raisedAlerts({
      ...quiet,
      days: [{ day: "2026-12-06", results: 1000, fragile: 90, canaryAuto: 1, singleFragileAuto: 2, fragileBand: { low: 0.037, high: 0.064 } }],
      canaries: [{ recordId: "0254_01", route: "auto" }],
      weeks: [{ week: "2026-11-30", decisions: 100, overrides: 16 }],
      quality: { released: 500, releasedErrorUpper: 0.16, targetReleaseError: 0.15 },
      ledger: { ok: false, seq: "42", reason: "hash mismatch" },
      drift: [
        { variable: "pModel", days: [{ day: "2026-12-05", n: 1000, psi: 0.01 }, { day: "2026-12-06", n: 1000, psi: 0.25 }] },
        { variable: "Spa", days: [{ day: "2026-12-06", n: 40, psi: null }] },
      ],
      fragileErrors: {
        days: [{ day: "2026-12-06", labelled: 200, positives: 100, falsePos: 34, falseNeg: 35 }],
        baseline: { labelled: 1000, positives: 500, falsePos: 100, falseNeg: 100 },
      },
      eventStages: [{ stage: "attribution", log: "attribution", freshnessSeconds: 3 * 86_400 + 5, sloSeconds: 14_400 }],
    });
    expect(alerts.map((a) => `${a.rule} ${a.key}`)).toEqual([
      "canary_auto_released day:2026-12-06",
      "single_fragile_auto_released day:2026-12-06",
      "fragile_share_out_of_band day:2026-12-06",
      "canary_auto_released record:0254_01",
      "override_rate_over_threshold week:2026-11-30",
      "released_error_bound_over_target day:2026-12-06",
      "drift_over_threshold day:2026-12-06:pModel",
      "fragile_error_spike day:2026-12-06:fp",
      "fragile_error_spike day:2026-12-06:fn",
      "event_freshness_breach day:2026-12-06:attribution",
      "ledger_verification_failed seq:42",
    ]);
    expect(alerts[2]!.detail).toContain("9.0 % of 1000 results");
    expect(alerts[9]!.detail).toBe("The attribution stage's newest attribution row is 3 d old; its freshness SLO is 4 h.");
    expect(alerts[6]!.detail).toBe("pModel drifted on 2026-12-06: PSI 0.250 over 1000 results against the policy's reference data (significant from 0.25).");
  });

  it("judge no rate on too few decisions, results or released records", () => {
    expect(
      raisedAlerts({
        ...quiet,
        days: [{ day: "2026-12-06", results: 10, fragile: 9, canaryAuto: 0, singleFragileAuto: 0, fragileBand: { low: 0, high: 0.3 } }],
        weeks: [{ week: "2026-11-30", decisions: 9, overrides: 9 }],
        quality: { released: 29, releasedErrorUpper: 0.9, targetReleaseError: 0.15 },
        fragileErrors: {
          days: [{ day: "2026-12-06", labelled: 58, positives: 29, falsePos: 29, falseNeg: 29 }],
          baseline: { labelled: 1000, positives: 500, falsePos: 0, falseNeg: 0 },
        },
      }),
    ).toEqual([]);
    // …nor a day against a baseline of fewer than a hundred.
    expect(raisedAlerts({ ...quiet, fragileErrors: { days: [{ day: "2026-12-06", labelled: 200, positives: 100, falsePos: 90, falseNeg: 90 }], baseline: { labelled: 150, positives: 75, falsePos: 0, falseNeg: 0 } } })).toEqual([]);
  });
});

describe("the alert list's status", () => {
  it("is open by default or all, and names the rule otherwise", () => {
    expect(parseAlertStatus(undefined)).toEqual({ ok: true, value: "open" });
    expect(parseAlertStatus("all")).toEqual({ ok: true, value: "all" });
    expect(parseAlertStatus("closed")).toEqual({ ok: false, message: "must be open or all" });
  });
});
