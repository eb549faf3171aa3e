/**
 * Weekend mode (spec §5): the stored configuration versions, the system's confirmations
 * of the events the configuration in force allows, and the timer that runs them in the
 * web server.
 */
import { createHash } from "node:crypto";
import { ConflictError, ReplayedRequestError, ValidationError } from "@/lib/errors";
import type { EditLogEntry } from "@/lib/ledger/entry";
import { WEEKEND_AUTO_CONFIRM_RULE, weekendConfirmations, weekendModeConfigSchema, type HumanEntry, type WeekendModeVersion } from "@/lib/mrs";
import { assertPersonCan, type Actor } from "@/lib/auth/actor";
import { db } from "../db";
import { parseInput } from "../input";
import { appendEventEntry } from "./current";
import { eventsView } from "./views";

/** How far in the past a person may date a new version's effectiveFrom (clock skew, a form left open): it may not rewrite history. */
const EFFECTIVE_FROM_SKEW_MS = 5 * 60_000;

/**
 * Every stored weekend-mode configuration version, in the order stored, each with the
 * instant it takes effect from: its own `effectiveFrom`, else when it was stored.
 */
export async function weekendConfigVersions(): Promise<WeekendModeVersion[]> {
  const rows = (await db().pool.query<{ content: unknown; created_at: Date }>("SELECT content, created_at FROM automation_configs ORDER BY created_at, version")).rows;
  return rows.map((r) => {
    const config = weekendModeConfigSchema.parse(r.content);
    return { ...config, effectiveFrom: config.effectiveFrom ?? r.created_at.toISOString() };
  });
}

/**
 * Stores a weekend-mode configuration version (immutable once stored), in force from its
 * `effectiveFrom` or, without one, from now. People with policies:approve may not date it
 * in the past; the operator may (the demo's history, an import of earlier versions).
 */
export async function saveWeekendConfig(actor: Actor, config: unknown): Promise<void> {
  if (actor.kind !== "operator") assertPersonCan(actor, "policies:approve");
  const parsed = parseInput(weekendModeConfigSchema, config);
  if (actor.kind !== "operator" && parsed.effectiveFrom !== undefined && Date.parse(parsed.effectiveFrom) < Date.now() - EFFECTIVE_FROM_SKEW_MS) {
    throw new ValidationError("effectiveFrom must not be in the past: a new version cannot change what was in force before it.", { effectiveFrom: ["must not be in the past"] });
  }
  await db().pool.query("INSERT INTO automation_configs (version, content) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING", [parsed.version, JSON.stringify(parsed)]);
}

/**
 * Weekend mode (spec §5): confirms, as the system, the events that the configuration
 * version in force when each arrived allows at `now` (not the newest version: a newer one
 * neither takes back nor grants what an earlier arrival is owed); each entry names the rule
 * and the version that decided. Returns how many this run wrote. `now` is the instant the
 * run acts at (the demo seed replays its weekend run at its original time).
 *
 * Runs may overlap (several server processes, a slow run and the next tick): each
 * confirmation is appended with the event's edit-log version as read before the view was
 * computed, and with a request id derived from the event, the rule, the configuration and
 * that version. An event someone (or another run) acted on meanwhile is left to them: the
 * version check refuses, or the request id finds the other run's entry.
 */
export async function runWeekendAutomation(actor: Actor, now: Date = new Date()): Promise<number> {
  if (actor.kind !== "operator") throw new ValidationError("Weekend mode runs as the system.");
  const configs = await weekendConfigVersions();
  if (configs.length === 0) return 0;
  const at = now.toISOString();
  // Versions first, then the view: an entry landing in between makes the version stale (refused), never the view.
  const versions = new Map(
    (await db().pool.query<{ subject_id: string; version: number }>("SELECT subject_id, version FROM edit_log_subjects WHERE subject_type = 'event'")).rows.map((r) => [r.subject_id, Number(r.version)]),
  );
  const view = await eventsView(actor, null);
  // An event without a confidence yet arrived when it was first seen (its earliest detection).
  const firstSeen = new Map<string, number>();
  for (const r of view.reports) {
    if (r.eventId === null || r.detectedAt === null) continue;
    const t = Date.parse(r.detectedAt);
    if (t < (firstSeen.get(r.eventId) ?? Infinity)) firstSeen.set(r.eventId, t);
  }
  const events = view.events.map((e) => ({ ...e, firstSeenAt: firstSeen.has(e.eventId) ? new Date(firstSeen.get(e.eventId)!).toISOString() : null }));
  let written = 0;
  for (const entry of weekendConfirmations(events, configs, at)) {
    const version = versions.get(entry.subjectId) ?? 0;
    const configVersion = entry.actor.type === "system" ? entry.actor.configVersion : "";
    const requestId = derivedRequestId(`${WEEKEND_AUTO_CONFIRM_RULE}:${entry.subjectId}:${configVersion}:${version}`);
    try {
      await appendEventEntry({ ...editLogEntryOf(entry), requestId }, version);
      written++;
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof ReplayedRequestError)) throw error;
    }
  }
  return written;
}

/** A UUID (RFC 9562 version 8: custom) derived from `name`, so every run of the same intended action carries the same request id. */
export function derivedRequestId(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** A core-built entry (system confirmation, case-study history) as the edit log stores it. */
export function editLogEntryOf(entry: HumanEntry): EditLogEntry {
  const { seq: _seq, ...content } = entry;
  return { sessionId: null, ...content, before: (entry.before ?? null) as EditLogEntry["before"], evidence: [...entry.evidence] } as EditLogEntry;
}

