/**
 * Demo data for minority events: the eight case studies of seed 004 (MR-UK-001 … MR-UK-008,
 * prisma/demo/case-studies.ts) loaded as they would arrive — the weekend-mode configuration
 * versions first (each in force from its effectiveFrom, before the events it judges), the
 * machine log rows through the same ingest as the API (detected first, so cohorts and ends
 * find their reports), the analysts' corrections and finalisations as edit-log entries at
 * their original times (effectiveAt) by the demo analyst and lead, then MR-UK-004's reopen
 * and second decision through the console's own action function, and last the weekend-mode
 * job run at its original time, which confirms the delivery promotion (MR-UK-007) as the
 * system under the version in force when it arrived. Store ids, SKUs, sales figures and
 * narratives are invented (case-studies.ts says which); the trajectories are the seed's.
 */
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { actOnEvent } from "@/lib/data/events/actions";
import { ingestEventLogRows } from "@/lib/data/events/ingest";
import { derivedRequestId, editLogEntryOf, runWeekendAutomation, saveWeekendConfig } from "@/lib/data/events/schedules";
import { eventEntryCount, ledgerVersionOf } from "@/lib/data/events/views";
import { appendEventEntry } from "@/lib/data/events/current";
import { findUserByEmail } from "@/lib/data/users";
import { LOG_NAMES, MAX_LOG_ROWS, naturalKey, type LogRow } from "@/lib/mrs";
import { caseStudyData } from "./demo/case-studies";

type Person = Extract<Actor, { kind: "user" }>;

async function demoPerson(email: string): Promise<Person> {
  const user = await findUserByEmail(OPERATOR, email);
  if (!user || !user.role) throw new Error(`demo user ${email} is missing`);
  return { kind: "user", id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function seedDemoEvents(actor: Actor = OPERATOR): Promise<{ rows: number; entries: number }> {
  const people = { analyst: await demoPerson("analyst@demo.local"), lead: await demoPerson("lead@demo.local") };
  const data = caseStudyData({ analystId: people.analyst.id, leadId: people.lead.id });
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
  let written = 0;
  if ((await eventEntryCount()) === 0) {
    const entries = [...data.entries].sort((a, b) => Date.parse(a.effectiveAt) - Date.parse(b.effectiveAt));
    for (const entry of entries) await appendEventEntry(editLogEntryOf(entry), null);
    written += entries.length;
  }
  // People's later actions, as the console takes them (state checked as of the action, version-checked); a replayed request id is a no-op.
  for (const [i, a] of data.actions.entries()) {
    const out = await actOnEvent(people[a.by], { ...a.input, ledgerVersion: await ledgerVersionOf("event", a.input.eventId), requestId: derivedRequestId(`demo-events:action:${i}:${a.input.eventId}:${a.input.action}`) }, { at: new Date(a.at) });
    if (!out.replayed) written++;
  }
  // The weekend-mode job at its original times: the system confirmations are its own (it never confirms twice).
  for (const at of data.weekendRuns) written += await runWeekendAutomation(actor, new Date(at));
  return { rows, entries: written };
}
