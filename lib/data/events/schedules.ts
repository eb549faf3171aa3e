/**
 * Weekend mode (spec §5): the stored configuration versions, the system's confirmations
 * of the events the configuration in force allows, and the timer that runs them in the
 * web server.
 */
import { ValidationError } from "@/lib/errors";
import type { EditLogEntry } from "@/lib/ledger/entry";
import { autoConfirmations, weekendModeConfigSchema, type HumanEntry, type WeekendModeConfig } from "@/lib/mrs";
import { assertPersonCan, type Actor } from "@/lib/auth/actor";
import { db } from "../db";
import { parseInput } from "../input";
import { appendEntry } from "../ledger";
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
 * allows now; each entry names the rule and the configuration version. Returns how many.
 */
export async function runWeekendAutomation(actor: Actor, now: Date = new Date()): Promise<number> {
  if (actor.kind !== "operator") throw new ValidationError("Weekend mode runs as the system.");
  const config = await currentWeekendConfig();
  if (!config) return 0;
  const at = now.toISOString();
  const view = await eventsView(actor, null);
  const entries = autoConfirmations(view.events, config, at);
  for (const entry of entries) await appendEntry(db().pool, editLogEntryOf(entry), null);
  return entries.length;
}

/** A core-built entry (system confirmation, case-study history) as the edit log stores it. */
export function editLogEntryOf(entry: HumanEntry): EditLogEntry {
  const { seq: _seq, ...content } = entry;
  return { sessionId: null, ...content, before: (entry.before ?? null) as EditLogEntry["before"], evidence: [...entry.evidence] } as EditLogEntry;
}

