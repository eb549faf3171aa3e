/**
 * Weekend mode (spec §5): a versioned automation configuration under which events whose
 * confidence is above 0.70 when they arrive are confirmed by the system. The confirmations
 * are edit-log entries with a system actor naming the rule and the configuration version,
 * so governance counts them apart from human confirmations, and replay reads them back
 * rather than re-deriving them.
 *
 * Schedule form: a list of half-open windows [start, end) of ISO-8601 instants. Explicit
 * instants need no time zone rules and replay exactly; a recurring weekend is one window
 * per weekend, written by whoever edits the configuration (a new version each time).
 *
 * Versions take effect from an instant (`effectiveFrom`, else when they were stored), and
 * the version in force when an event arrived decides whether and how the system confirms
 * it: a newer version that narrows or switches off the rule does not take back what an
 * event that arrived under the older one is owed, and an event arriving after a stricter
 * version is judged by that one.
 */
import * as z from "zod";
import type { HumanEntry } from "./human";
import type { EventRollup } from "./rollup";
import { CAUSE_CATEGORIES } from "./taxonomy";
import { INSTANT_RULE, instantMs, isoMs } from "./time";

/** The rule name a weekend-mode confirmation carries in its system actor. */
export const WEEKEND_AUTO_CONFIRM_RULE = "weekend_auto_confirm";

const instant = (field: string) =>
  z.string({ error: `${field} must be ${INSTANT_RULE}` }).refine((s) => instantMs(s) !== null, { error: `${field} must be ${INSTANT_RULE}` });

const automationWindowSchema = z
  .strictObject({ start: instant("schedule start"), end: instant("schedule end") }, { error: "schedule windows must be { start, end }" })
  .refine((w) => instantMs(w.start) === null || instantMs(w.end) === null || instantMs(w.start)! < instantMs(w.end)!, { error: "schedule end must be after start", path: ["end"] });

export const weekendModeConfigSchema = z.strictObject(
  {
    /** the configuration version an auto-confirmation names (like a policy snapshot id) */
    version: z.string({ error: "version must be text" }).regex(/^[A-Za-z0-9_.:-]{1,60}$/, { error: "version must be 1–60 characters of [A-Za-z0-9_.:-]" }),
    enabled: z.boolean({ error: "enabled must be true or false" }),
    schedule: z.array(automationWindowSchema, { error: "schedule must be a list of windows" }).max(500, { error: "schedule must have at most 500 windows" }),
    /** confirm only strictly above this confidence (spec: > 0.70) */
    confidenceAbove: z.number({ error: "confidenceAbove must be a number between 0 and 1" }).min(0, { error: "confidenceAbove must be between 0 and 1" }).max(1, { error: "confidenceAbove must be between 0 and 1" }),
    /** causes that always wait for a human, whatever the confidence (default none) */
    consequentialCategories: z.array(z.enum(CAUSE_CATEGORIES, { error: `consequentialCategories must hold categories (${CAUSE_CATEGORIES.join(", ")})` })),
    note: z.string().max(500, { error: "note must be at most 500 characters" }).nullable().optional(),
    /** the instant this version takes effect from; absent, the instant it was stored */
    effectiveFrom: instant("effectiveFrom").optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `the weekend-mode configuration has no field ${(issue.keys ?? []).join(", ")}` : "must be a weekend-mode configuration") },
);
export type WeekendModeConfig = z.infer<typeof weekendModeConfigSchema>;

/** Off, no windows, threshold 0.70, nothing consequential. */
export const DEFAULT_WEEKEND_MODE_CONFIG: WeekendModeConfig = Object.freeze({
  version: "weekend-mode.0",
  enabled: false,
  schedule: [],
  confidenceAbove: 0.7,
  consequentialCategories: [],
  note: null,
});

/** Whether the configuration is on and `instant` falls inside one of its windows [start, end). */
export function isInForce(config: WeekendModeConfig, instant: string): boolean {
  const t = instantMs(instant);
  if (!config.enabled || t === null) return false;
  return config.schedule.some((w) => instantMs(w.start)! <= t && t < instantMs(w.end)!);
}

/** A stored configuration version with the instant it took effect from (its own `effectiveFrom`, else when it was stored). */
export type WeekendModeVersion = WeekendModeConfig & { readonly effectiveFrom: string };

/**
 * The version in force at `instant`: the one with the latest effectiveFrom at or before it;
 * of versions with the same effectiveFrom, the one later in the list (stored later). Null
 * when none had taken effect yet, or `instant` is not an instant.
 */
export function configInForceAt<T extends { readonly effectiveFrom: string }>(versions: readonly T[], instant: string): T | null {
  const t = instantMs(instant);
  if (t === null) return null;
  let best: T | null = null;
  let bestMs = -Infinity;
  for (const v of versions) {
    const from = instantMs(v.effectiveFrom);
    if (from === null || from > t) continue;
    if (from >= bestMs) {
      best = v;
      bestMs = from;
    }
  }
  return best;
}

/** What eligibility reads of an event (a roll-up satisfies it; `firstSeenAt` is optional). */
export type AutoConfirmCandidate = Pick<
  EventRollup,
  "eventId" | "status" | "hasDecision" | "confidence" | "confidenceWrittenAt" | "machineCauseCategory" | "machineCauseLabel"
> & {
  /** when the event was first seen (its earliest detection), the arrival of an event that has no confidence yet */
  readonly firstSeenAt?: string | null;
};

/** When an event arrived, for weekend mode: when it reached its confidence, else when it was first seen; null when neither is known. */
export function eventArrival(event: Pick<AutoConfirmCandidate, "confidenceWrittenAt" | "firstSeenAt">): string | null {
  return event.confidenceWrittenAt ?? event.firstSeenAt ?? null;
}

/** Why an event is not auto-confirmed at `now`, or null when it is. */
export function autoConfirmRefusal(event: AutoConfirmCandidate, config: WeekendModeConfig, now: string): string | null {
  if (!config.enabled) return "weekend mode is off";
  if (!isInForce(config, now)) return "weekend mode is not in force now";
  if (event.status !== "open" || event.hasDecision) return "the event has already been decided";
  if (event.confidence === null || !(event.confidence > config.confidenceAbove)) return `confidence is not above ${config.confidenceAbove}`;
  if (event.machineCauseCategory === "unknown" || event.machineCauseLabel === null) return "there is no machine cause to confirm";
  if (config.consequentialCategories.includes(event.machineCauseCategory)) return `${event.machineCauseCategory} is consequential: it waits for a human`;
  const arrived = event.confidenceWrittenAt === null ? null : instantMs(event.confidenceWrittenAt);
  if (arrived === null || arrived > instantMs(now)!) return "the event's confidence has not arrived yet";
  if (!isInForce(config, event.confidenceWrittenAt!)) return "the event did not arrive while weekend mode was in force";
  return null;
}

/**
 * The system confirmations to write at `now` for events (the view as of `now`): those
 * above the threshold whose confidence arrived while weekend mode was in force, never a
 * consequential cause, never an event already decided (even if reopened since).
 * Sorted by eventId; effectiveAt is `now`.
 */
export function autoConfirmations(events: readonly AutoConfirmCandidate[], config: WeekendModeConfig, now: string): HumanEntry[] {
  const nowMs = instantMs(now);
  if (nowMs === null) throw new RangeError(`now must be ${INSTANT_RULE}; got ${JSON.stringify(now)}`);
  return events
    .filter((e) => autoConfirmRefusal(e, config, now) === null)
    .sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0))
    .map((e) => ({
      subjectType: "event" as const,
      subjectId: e.eventId,
      action: "confirm" as const,
      before: { status: "open", cause: null },
      after: { status: "decided" as const, cause: { category: e.machineCauseCategory, label: e.machineCauseLabel! }, confidence: e.confidence },
      reasonCode: "weekend_auto_confirm",
      reasonText: `Weekend mode ${config.version}${config.effectiveFrom ? ` (in force from ${isoMs(instantMs(config.effectiveFrom)!)})` : ""}: confidence ${e.confidence} above ${config.confidenceAbove}, arrived ${isoMs(instantMs(e.confidenceWrittenAt!)!)}.`,
      evidence: [],
      actor: { type: "system" as const, rule: WEEKEND_AUTO_CONFIRM_RULE, configVersion: config.version },
      effectiveAt: isoMs(nowMs),
    }));
}

/** The version that decides for `event` (the one in force when it arrived) and why it is not confirmed at `now`, or null when it is. */
export function weekendModeDecision(
  event: AutoConfirmCandidate,
  versions: readonly WeekendModeVersion[],
  now: string,
): { readonly config: WeekendModeVersion | null; readonly refusal: string | null } {
  const arrival = eventArrival(event);
  const config = arrival === null ? null : configInForceAt(versions, arrival);
  if (config === null) return { config, refusal: arrival === null ? "the event has not arrived yet" : "no weekend-mode configuration was in force when the event arrived" };
  return { config, refusal: autoConfirmRefusal(event, config, now) };
}

/**
 * The system confirmations to write at `now` when several configuration versions exist:
 * each event is judged by the version in force when it arrived (its confidenceWrittenAt,
 * else when it was first seen), never by the newest, and its entry names that version.
 * Sorted by eventId; effectiveAt is `now`.
 */
export function weekendConfirmations(events: readonly AutoConfirmCandidate[], versions: readonly WeekendModeVersion[], now: string): HumanEntry[] {
  if (instantMs(now) === null) throw new RangeError(`now must be ${INSTANT_RULE}; got ${JSON.stringify(now)}`);
  return events
    .flatMap((e) => {
      const { config, refusal } = weekendModeDecision(e, versions, now);
      return config === null || refusal !== null ? [] : autoConfirmations([e], config, now);
    })
    .sort((a, b) => (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0));
}
