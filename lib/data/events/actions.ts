/** People's actions on events and on single reports, written to the edit log (spec §7). */
import { ConflictError, NotFoundError, ReplayedRequestError, ValidationError } from "@/lib/errors";
import type { EditLogEntry } from "@/lib/ledger/entry";
import { humanEntrySchema, transitionError, type EventStatus, type HumanAction } from "@/lib/mrs";
import { eventActionInputSchema, reportActionInputSchema } from "@/lib/validations/events";
import { assertPersonCan, type Actor } from "@/lib/auth/actor";
import type { PoolClient } from "pg";
import { db } from "../db";
import { parseInput } from "../input";
import { findRequestEntry, userEntry, type AppendedEntry } from "../ledger";
import { enqueueEventNotification } from "../webhooks";
import { appendEventEntry, liveView } from "./current";
import { eventsView, liveReportView } from "./views";

type Person = Extract<Actor, { kind: "user" }>;

/** What an action needs of its subject as of now. */
interface SubjectState {
  status: EventStatus;
  machineCause: { category: string; label: string };
  confidence: number | null;
  /** the decided cause shown now (the machine's until a person decides) */
  cause: { category: string | null; label: string | null };
}

interface ActionRequest {
  action: HumanAction;
  cause?: { category: string; label: string } | null;
  outcome?: string | null;
  reasonCode?: string | null;
  reasonText?: string | null;
  evidenceUrl?: string | null;
  ledgerVersion: number;
  requestId: string;
}

/**
 * When an action happened: now, or — for trusted server code only, never a form — an
 * earlier instant (the demo seed replays its case studies' actions at their original
 * times). An earlier instant may not precede the subject's latest entry, so the timeline
 * stays in the order the entries were written.
 */
export interface ActionTiming {
  at?: Date;
}

async function effectiveInstant(subject: { type: "event" | "report"; id: string }, timing: ActionTiming): Promise<string | null> {
  if (!timing.at) return null;
  const at = timing.at.getTime();
  if (Number.isNaN(at) || at > Date.now()) throw new ValidationError("An action cannot happen in the future.", { at: ["must not be in the future"] });
  const latest = (await db().pool.query<{ at: Date | null }>("SELECT max(effective_at) AS at FROM edit_log WHERE subject_type = $1 AND subject_id = $2", [subject.type, subject.id])).rows[0]?.at;
  if (latest && at < latest.getTime()) throw new ValidationError(`An action on ${subject.type} ${subject.id} cannot precede its latest entry (${latest.toISOString()}).`, { at: ["must not precede the subject's latest entry"] });
  return timing.at.toISOString();
}

/**
 * Writes one action on an event or a report: a replay finds the first entry; the subject's
 * state (as of the action's instant) decides whether the action may be taken; the entry is
 * checked by the core's rules and appended version-checked (someone acting first is a
 * conflict, never a lost decision).
 */
async function writeAction(
  user: Person,
  subject: { type: "event" | "report"; id: string },
  d: ActionRequest,
  stateAt: (asOf: string | null) => Promise<SubjectState | null>,
  timing: ActionTiming,
): Promise<AppendedEntry & { replayed: boolean }> {
  const label = `${subject.type === "event" ? "Event" : "Report"} ${subject.id}`;
  const earlier = await findRequestEntry(db().pool, subject.type, subject.id, d.requestId);
  if (earlier) return { ...earlier, replayed: true };
  const effectiveAt = await effectiveInstant(subject, timing);
  const state = await stateAt(effectiveAt);
  if (!state) throw new NotFoundError(`No ${subject.type} "${subject.id}".`);
  const refused = transitionError(state.status, d.action);
  if (refused) {
    // The status may have moved because a concurrent replay of this very action landed.
    const landed = await findRequestEntry(db().pool, subject.type, subject.id, d.requestId);
    if (landed) return { ...landed, replayed: true };
    throw new ConflictError(`${label}: ${refused}. Reload to see the latest.`);
  }
  const after: EditLogEntry["after"] =
    d.action === "confirm"
      ? { status: "decided", cause: state.machineCause, confidence: state.confidence }
      : d.action === "override"
        ? { status: "decided", cause: d.cause! }
        : d.action === "finalise"
          ? { status: "finalised", outcome: d.outcome!, cause: d.cause ?? null }
          : d.action === "reopen"
            ? { status: "open" }
            : null;
  const entry: EditLogEntry = userEntry(user, {
    subjectType: subject.type,
    subjectId: subject.id,
    action: d.action,
    before: { status: state.status, cause: state.cause, confidence: state.confidence },
    after,
    reasonCode: d.reasonCode ?? null,
    reasonText: d.reasonText || null,
    evidence: d.evidenceUrl ? [d.evidenceUrl] : [],
    requestId: d.requestId,
    ...(effectiveAt ? { effectiveAt } : {}),
  });
  // The core's own rules for an action (required reason per action, cause shape).
  parseInput(humanEntrySchema, entry);
  try {
    // A finalised event notifies its webhooks (lib/data/webhooks.ts) in the append's own
    // transaction: the notification exists exactly when the finalisation does.
    const notify =
      subject.type === "event" && d.action === "finalise"
        ? (client: PoolClient, written: AppendedEntry) =>
            enqueueEventNotification(client, "event.finalised", subject.id, {
              occurredAt: written.recordedAt,
              outcome: d.outcome ?? null,
              cause: d.cause ?? state.cause,
              reasonCode: d.reasonCode ?? null,
              finalisedBy: user.name,
              editLogSeq: written.seq,
            })
        : undefined;
    return { ...(await appendEventEntry(entry, d.ledgerVersion, notify)), replayed: false };
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof ReplayedRequestError)) throw error;
    const again = await findRequestEntry(db().pool, subject.type, subject.id, d.requestId);
    if (again) return { ...again, replayed: true };
    throw new ConflictError(`Someone acted on ${subject.type} ${subject.id} after you opened it. Reload to see the latest.`);
  }
}

/**
 * An analyst's or lead's action on an event (spec §7): confirm, override (closed cause +
 * reason + text + optional evidence link), finalise / reopen (lead), note. Version-checked
 * like record decisions; a replay finds the first entry.
 */
export async function actOnEvent(actor: Actor, input: unknown, timing: ActionTiming = {}): Promise<AppendedEntry & { replayed: boolean }> {
  // Whoever may not act on events at all is refused before their input is looked at.
  assertPersonCan(actor, "events:decide");
  const d = parseInput(eventActionInputSchema, input);
  const user = assertPersonCan(actor, d.action === "finalise" || d.action === "reopen" ? "events:finalise" : "events:decide");
  return writeAction(user, { type: "event", id: d.eventId }, d, async (asOf) => {
    // The event as of the action (now from the current tables); its status is the projection of the event's own entries.
    const view = asOf ? await eventsView(user, asOf) : await liveView({ eventIds: [d.eventId] });
    const event = view.events.find((e) => e.eventId === d.eventId);
    if (!event) return null;
    return {
      status: event.status,
      machineCause: { category: event.machineCauseCategory, label: event.machineCauseLabel ?? "" },
      confidence: event.confidence,
      cause: { category: event.causeCategory, label: event.causeLabel },
    };
  }, timing);
}

/**
 * An analyst's action on one report of an event (spec §7: reports are subjects): confirm
 * the machine's first cause (with a reason code), override it (closed cause + reason code
 * + text), or note. Version-checked on the report's own edit-log subject.
 */
export async function actOnReport(actor: Actor, input: unknown): Promise<AppendedEntry & { replayed: boolean }> {
  assertPersonCan(actor, "events:decide");
  const d = parseInput(reportActionInputSchema, input);
  const user = assertPersonCan(actor, "events:decide");
  return writeAction(user, { type: "report", id: d.reportId }, d, async () => {
    const report = (await liveReportView(d.reportId)).reports.find((r) => r.reportId === d.reportId);
    if (!report) return null;
    return {
      status: report.analystStatus,
      machineCause: { category: report.causeCategory_1 ?? "unknown", label: report.causeLabel_1 ?? "" },
      confidence: report.confidence_1,
      cause: { category: report.analystCauseCategory ?? report.causeCategory_1, label: report.analystCauseLabel ?? report.causeLabel_1 },
    };
  }, {});
}
