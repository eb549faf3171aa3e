/**
 * Weekend mode (spec §5): the stored configuration versions, the system's confirmations
 * of the events the configuration in force allows, and the timer that runs them in the
 * web server.
 */
import { createHash } from "node:crypto";
import { ConflictError, ReplayedRequestError, ValidationError } from "@/lib/errors";
import type { EditLogEntry } from "@/lib/ledger/entry";
import { autoConfirmations, WEEKEND_AUTO_CONFIRM_RULE, weekendModeConfigSchema, type HumanEntry, type WeekendModeConfig } from "@/lib/mrs";
import { assertPersonCan, type Actor } from "@/lib/auth/actor";
import { db } from "../db";
import { parseInput } from "../input";
import { appendEventEntry } from "./current";
import { eventsView } from "./views";

/** The newest weekend-mode configuration version (the one in force), or null. */
async function currentWeekendConfig(): Promise<WeekendModeConfig | null> {
  const row = (await db().pool.query<{ content: unknown }>("SELECT content FROM automation_configs ORDER BY created_at DESC, version DESC LIMIT 1")).rows[0];
  return row ? weekendModeConfigSchema.parse(row.content) : null;
}

/** Stores a weekend-mode configuration version (immutable once stored). Operator only (demo, CLI). */
export async function saveWeekendConfig(actor: Actor, config: unknown): Promise<void> {
  if (actor.kind !== "operator") assertPersonCan(actor, "policies:approve");
  const parsed = parseInput(weekendModeConfigSchema, config);
  await db().pool.query("INSERT INTO automation_configs (version, content) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING", [parsed.version, JSON.stringify(parsed)]);
}

/**
 * Weekend mode (spec §5): confirms, as the system, the events the configuration in force
 * allows now; each entry names the rule and the configuration version. Returns how many
 * this run wrote.
 *
 * Runs may overlap (several server processes, a slow run and the next tick): each
 * confirmation is appended with the event's edit-log version as read before the view was
 * computed, and with a request id derived from the event, the rule, the configuration and
 * that version. An event someone (or another run) acted on meanwhile is left to them: the
 * version check refuses, or the request id finds the other run's entry.
 */
export async function runWeekendAutomation(actor: Actor, now: Date = new Date()): Promise<number> {
  if (actor.kind !== "operator") throw new ValidationError("Weekend mode runs as the system.");
  const config = await currentWeekendConfig();
  if (!config) return 0;
  const at = now.toISOString();
  // Versions first, then the view: an entry landing in between makes the version stale (refused), never the view.
  const versions = new Map(
    (await db().pool.query<{ subject_id: string; version: number }>("SELECT subject_id, version FROM edit_log_subjects WHERE subject_type = 'event'")).rows.map((r) => [r.subject_id, Number(r.version)]),
  );
  const view = await eventsView(actor, null);
  let written = 0;
  for (const entry of autoConfirmations(view.events, config, at)) {
    const version = versions.get(entry.subjectId) ?? 0;
    const requestId = derivedRequestId(`${WEEKEND_AUTO_CONFIRM_RULE}:${entry.subjectId}:${config.version}:${version}`);
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
function derivedRequestId(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

/** A core-built entry (system confirmation, case-study history) as the edit log stores it. */
export function editLogEntryOf(entry: HumanEntry): EditLogEntry {
  const { seq: _seq, ...content } = entry;
  return { sessionId: null, ...content, before: (entry.before ?? null) as EditLogEntry["before"], evidence: [...entry.evidence] } as EditLogEntry;
}

