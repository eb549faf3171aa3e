import { describe, expect, it } from "vitest";
import { editLogEntrySchema } from "@/lib/ledger/entry";
import { autoConfirmRefusal, autoConfirmations, DEFAULT_WEEKEND_MODE_CONFIG, isInForce, weekendModeConfigSchema, WEEKEND_AUTO_CONFIRM_RULE, type WeekendModeConfig } from "./automation";
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
