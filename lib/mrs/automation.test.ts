import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { editLogEntrySchema } from "@/lib/ledger/entry";
import {
  autoConfirmRefusal,
  autoConfirmations,
  configInForceAt,
  DEFAULT_WEEKEND_MODE_CONFIG,
  eventArrival,
  isInForce,
  weekendConfirmations,
  weekendModeConfigSchema,
  weekendModeDecision,
  WEEKEND_AUTO_CONFIRM_RULE,
  type WeekendModeConfig,
  type WeekendModeVersion,
} from "./automation";
import { LEAD, T0, entry, fullReport, mergeRows, plus } from "./fixtures.test-support";
import { humanEntrySchema, projectDecision, type HumanEntry } from "./human";
import { eventId } from "./ids";
import { viewAsOf } from "./replay";
import type { CauseCategory } from "./taxonomy";

// T0 = Monday 2025-08-11T10:00Z; the window covers T0 − 1 h … T0 + 6 h.
const config: WeekendModeConfig = {
  version: "weekend-test.1",
  enabled: true,
  schedule: [{ start: plus(T0, -60), end: plus(T0, 360) }],
  confidenceAbove: 0.7,
  consequentialCategories: [],
  note: null,
};
const now = plus(T0, 60); // attributions are written at T0 + 30 min

function events(confidence: number, category: CauseCategory = "social_viral", entries: readonly HumanEntry[] = []) {
  return viewAsOf(mergeRows(fullReport("S-1", "G-1", { confidence, category })), entries, now).events;
}

describe("weekend mode (spec §5)", () => {
  it("validates the versioned configuration; default is off", () => {
    expect(weekendModeConfigSchema.safeParse(config).success).toBe(true);
    expect(DEFAULT_WEEKEND_MODE_CONFIG.enabled).toBe(false);
    const bad = weekendModeConfigSchema.safeParse({ ...config, schedule: [{ start: plus(T0, 10), end: T0 }], consequentialCategories: ["weather"] });
    expect((bad.error?.issues ?? []).map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([
      "schedule.0.end: schedule end must be after start",
      expect.stringMatching(/^consequentialCategories\.0: consequentialCategories must hold categories/),
    ]);
  });

  it("in force inside [start, end) only", () => {
    expect(isInForce(config, plus(T0, -60))).toBe(true);
    expect(isInForce(config, plus(T0, 359))).toBe(true);
    expect(isInForce(config, plus(T0, 360))).toBe(false);
    expect(isInForce({ ...config, enabled: false }, T0)).toBe(false);
  });

  it("confirms an event above 0.70 that arrived while in force, as a system actor naming rule and version", () => {
    const [confirmation, ...rest] = autoConfirmations(events(0.71), config, now);
    expect(rest).toEqual([]);
    expect(confirmation).toMatchObject({
      subjectType: "event",
      subjectId: eventId("G-1"),
      action: "confirm",
      after: { status: "decided", cause: { category: "social_viral", label: "Label" }, confidence: 0.71 },
      actor: { type: "system", rule: WEEKEND_AUTO_CONFIRM_RULE, configVersion: "weekend-test.1" },
      reasonCode: "weekend_auto_confirm",
      effectiveAt: now,
    });
    // It is a valid action and a valid edit-log entry, and counts as system, not human.
    expect(humanEntrySchema.safeParse(confirmation).success).toBe(true);
    expect(editLogEntrySchema.safeParse({ ...confirmation, sessionId: null }).success).toBe(true);
    expect(projectDecision([confirmation!])).toMatchObject({ autoConfirmed: true, decidedBy: { type: "system" } });
  });

  it("never at or below the threshold (strictly above 0.70)", () => {
    expect(autoConfirmations(events(0.7), config, now)).toEqual([]);
    expect(autoConfirmRefusal(events(0.7)[0]!, config, now)).toBe("confidence is not above 0.7");
  });

  it("never for a consequential category (configurable; default none, so Data Error above 0.70 is confirmed)", () => {
    expect(autoConfirmations(events(0.9, "data_error"), config, now)).toHaveLength(1);
    const strict = { ...config, consequentialCategories: ["data_error" as const] };
    expect(autoConfirmations(events(0.9, "data_error"), strict, now)).toEqual([]);
    expect(autoConfirmRefusal(events(0.9, "data_error")[0]!, strict, now)).toBe("data_error is consequential: it waits for a human");
  });

  it("never outside the schedule: not in force now, or the event arrived before the window", () => {
    expect(autoConfirmations(events(0.9), config, plus(T0, 360))).toEqual([]);
    expect(autoConfirmations(events(0.9), { ...config, enabled: false }, now)).toEqual([]);
    const lateWindow = { ...config, schedule: [{ start: plus(T0, 45), end: plus(T0, 360) }] };
    expect(autoConfirmRefusal(events(0.9)[0]!, lateWindow, now)).toBe("the event did not arrive while weekend mode was in force");
  });

  it("never for an event already decided, even if reopened since; never twice", () => {
    const confirmed = entry({ action: "confirm", after: { status: "decided", cause: { category: "social_viral", label: "TikTok Viral" } }, effectiveAt: plus(T0, 40) });
    expect(autoConfirmations(events(0.9, "social_viral", [confirmed]), config, now)).toEqual([]);
    const reopened = entry({ action: "reopen", after: { status: "open" }, reasonText: "new data", actor: LEAD, effectiveAt: plus(T0, 50) });
    expect(autoConfirmations(events(0.9, "social_viral", [confirmed, reopened]), config, now)).toEqual([]);
    // Running the job again after its own confirmation finds nothing to do.
    const first = autoConfirmations(events(0.9), config, now);
    expect(autoConfirmations(events(0.9, "social_viral", first), config, now)).toEqual([]);
  });
});

describe("weekend mode: the version in force when the event arrived decides, not the newest", () => {
  // The event's confidence arrives at T0 + 30 min; the job runs at T0 + 60 min.
  const older: WeekendModeVersion = { ...config, version: "weekend.1", effectiveFrom: plus(T0, -120) };
  const arrived = plus(T0, 30);

  it("accepts an effectiveFrom instant in the configuration, and refuses one that is not an instant", () => {
    expect(weekendModeConfigSchema.safeParse({ ...config, effectiveFrom: plus(T0, -120) }).success).toBe(true);
    expect(weekendModeConfigSchema.safeParse({ ...config, effectiveFrom: "last Friday" }).error?.issues.map((i) => i.path.join("."))).toEqual(["effectiveFrom"]);
  });

  it("picks the version with the latest effectiveFrom at or before the instant; a later-stored version wins a tie; none before the first", () => {
    const a = { version: "a", effectiveFrom: plus(T0, 0) };
    const b = { version: "b", effectiveFrom: plus(T0, 10) };
    const b2 = { version: "b2", effectiveFrom: plus(T0, 10) };
    expect(configInForceAt([b, a], plus(T0, 5))?.version).toBe("a");
    expect(configInForceAt([a, b], plus(T0, 10))?.version).toBe("b");
    expect(configInForceAt([a, b, b2], plus(T0, 11))?.version).toBe("b2");
    expect(configInForceAt([a, b], plus(T0, -1))).toBeNull();
    expect(configInForceAt([a, b], "not an instant")).toBeNull();
    expect(eventArrival({ confidenceWrittenAt: null, firstSeenAt: T0 })).toBe(T0);
    expect(eventArrival({ confidenceWrittenAt: arrived, firstSeenAt: T0 })).toBe(arrived);
  });

  it("a newer version that switches weekend mode off or narrows it does not stop an event that arrived under the older one", () => {
    const off: WeekendModeVersion = { ...config, version: "weekend.2-off", enabled: false, schedule: [], effectiveFrom: plus(T0, 45) };
    const narrower: WeekendModeVersion = { ...config, version: "weekend.2-strict", confidenceAbove: 0.95, consequentialCategories: ["social_viral"], effectiveFrom: plus(T0, 45) };
    for (const newer of [off, narrower]) {
      // The newest alone would refuse it…
      expect(autoConfirmRefusal(events(0.9)[0]!, newer, now)).not.toBeNull();
      // …but the event arrived while the older version was in force, and that one decides.
      const [written, ...rest] = weekendConfirmations(events(0.9), [older, newer], now);
      expect(rest).toEqual([]);
      expect(written).toMatchObject({ actor: { type: "system", rule: WEEKEND_AUTO_CONFIRM_RULE, configVersion: "weekend.1" }, reasonCode: "weekend_auto_confirm", effectiveAt: now });
      expect(written!.reasonText).toMatch(/^Weekend mode weekend\.1 \(in force from 2025-08-11T08:00:00\.000Z\): confidence 0\.9 above 0\.7, arrived 2025-08-11T10:30:00\.000Z\.$/);
    }
  });

  it("an event arriving after a newer, stricter version is judged by it", () => {
    const stricter: WeekendModeVersion = { ...config, version: "weekend.2-strict", confidenceAbove: 0.95, effectiveFrom: plus(T0, 15) };
    expect(weekendModeDecision(events(0.9)[0]!, [older, stricter], now)).toEqual({ config: stricter, refusal: "confidence is not above 0.95" });
    expect(weekendConfirmations(events(0.9), [older, stricter], now)).toEqual([]);
    expect(weekendConfirmations(events(0.97), [older, stricter], now).map((e) => e.actor)).toEqual([{ type: "system", rule: WEEKEND_AUTO_CONFIRM_RULE, configVersion: "weekend.2-strict" }]);
    const switchedOff: WeekendModeVersion = { ...config, version: "weekend.2-off", enabled: false, effectiveFrom: plus(T0, 15) };
    expect(weekendConfirmations(events(0.97), [older, switchedOff], now)).toEqual([]);
    expect(weekendModeDecision(events(0.97)[0]!, [older, switchedOff], now).refusal).toBe("weekend mode is off");
  });

  it("an event that arrived before any version took effect waits for a human", () => {
    const later: WeekendModeVersion = { ...older, effectiveFrom: plus(T0, 40) };
    expect(weekendModeDecision(events(0.9)[0]!, [later], now).config).toBeNull();
    expect(weekendModeDecision(events(0.9)[0]!, [later], now).refusal).toBe("no weekend-mode configuration was in force when the event arrived");
    expect(weekendConfirmations(events(0.9), [later], now)).toEqual([]);
  });

  it("property: whatever the versions and their order, the decision is the single config's decision of the version in force at arrival", () => {
    const version = fc.record({
      offset: fc.integer({ min: -240, max: 240 }),
      threshold: fc.constantFrom(0.5, 0.7, 0.8, 0.9, 0.95),
      enabled: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(version, { minLength: 0, maxLength: 6 }), fc.constantFrom(0.6, 0.75, 0.85, 0.92, 0.99), (specs, confidence) => {
        const versions: WeekendModeVersion[] = specs.map((v, i) => ({ ...config, version: `v${i}`, enabled: v.enabled, confidenceAbove: v.threshold, effectiveFrom: plus(T0, v.offset) }));
        const candidates = events(confidence);
        const out = weekendConfirmations(candidates, versions, now);
        // The expected decider: latest effectiveFrom at or before the arrival, the later-listed on a tie.
        const eligible = versions.filter((v) => Date.parse(v.effectiveFrom) <= Date.parse(arrived));
        const decider = eligible.reduce<WeekendModeVersion | null>((best, v) => (best === null || Date.parse(v.effectiveFrom) >= Date.parse(best.effectiveFrom) ? v : best), null);
        const expected = decider === null ? [] : autoConfirmations(candidates, decider, now);
        expect(out).toEqual(expected);
        // No version stored after the arrival ever decides.
        for (const e of out) expect(Date.parse(versions.find((v) => v.version === (e.actor as { configVersion: string }).configVersion)!.effectiveFrom)).toBeLessThanOrEqual(Date.parse(arrived));
      }),
    );
  });
});
