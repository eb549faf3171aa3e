/**
 * Demo data for minority events: the eight case studies of seed 004 (MR-UK-001 … MR-UK-008,
 * prisma/demo/case-studies.ts) loaded as they would arrive — machine log rows through the same
 * ingest as the API (detected first, so cohorts and ends find their reports), the weekend-
 * mode configuration version that auto-approved the delivery promotion, and the analysts'
 * corrections and finalisations as edit-log entries at their original times (effectiveAt),
 * by the demo analyst and lead. Store ids, SKUs, sales figures and narratives are invented
 * (case-studies.ts says which); the trajectories are the seed's.
 */
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { ingestEventLogRows } from "@/lib/data/events/ingest";
import { editLogEntryOf, saveWeekendConfig } from "@/lib/data/events/schedules";
import { eventEntryCount } from "@/lib/data/events/views";
import { appendEventEntry } from "@/lib/data/events/current";
import { findUserByEmail } from "@/lib/data/users";
import { LOG_NAMES, MAX_LOG_ROWS, naturalKey, type LogRow } from "@/lib/mrs";
import { caseStudyData } from "./demo/case-studies";

async function userId(email: string): Promise<string> {
  const user = await findUserByEmail(OPERATOR, email);
  if (!user) throw new Error(`demo user ${email} is missing`);
  return user.id;
}

export async function seedDemoEvents(actor: Actor = OPERATOR): Promise<{ rows: number; entries: number }> {
  const data = caseStudyData({ analystId: await userId("analyst@demo.local"), leadId: await userId("lead@demo.local") });
  for (const config of data.weekendModeConfigs) await saveWeekendConfig(actor, config);
  let rows = 0;
  for (const log of LOG_NAMES) {
    // A key's later versions (the stock-out's refreshed totals) go in later requests, as
    // upstream would send them: wave n holds each key's n-th row in writtenAt order.
    const waves: LogRow[][] = [];
    const seen = new Map<string, number>();
    for (const row of [...data.rows[log]].sort((a, b) => Date.parse(a.writtenAt) - Date.parse(b.writtenAt))) {
      const key = naturalKey(log, row as never);
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      (waves[n] ??= []).push(row);
    }
    for (const wave of waves) {
      for (let i = 0; i < wave.length; i += MAX_LOG_ROWS) {
        const summary = await ingestEventLogRows(actor, log, { rows: wave.slice(i, i + MAX_LOG_ROWS) });
        rows += summary.stored + summary.versioned;
      }
    }
  }
  // Once: a resumed first run finds its entries already in the log.
  if ((await eventEntryCount()) > 0) return { rows, entries: 0 };
  const entries = [...data.entries].sort((a, b) => Date.parse(a.effectiveAt) - Date.parse(b.effectiveAt));
  for (const entry of entries) await appendEventEntry(editLogEntryOf(entry), null);
  return { rows, entries: entries.length };
}
