/** People's actions on events, written to the edit log (spec §7). */
import { ConflictError, NotFoundError, ReplayedRequestError } from "@/lib/errors";
import type { EditLogEntry } from "@/lib/ledger/entry";
import { humanEntrySchema, transitionError } from "@/lib/mrs";
import { eventActionInputSchema } from "@/lib/validations/events";
import { assertPersonCan, type Actor } from "@/lib/auth/actor";
import { db } from "../db";
import { parseInput } from "../input";
import { appendEntry, findRequestEntry, userEntry, type AppendedEntry } from "../ledger";
import { eventsView } from "./views";

/**
 * An analyst's or lead's action on an event (spec §7): confirm, override (closed cause +
 * reason + text + optional evidence link), finalise / reopen (lead), note. Version-checked
 * like record decisions; a replay finds the first entry.
 */
export async function actOnEvent(actor: Actor, input: unknown): Promise<AppendedEntry & { replayed: boolean }> {
  // Whoever may not act on events at all is refused before their input is looked at.
  assertPersonCan(actor, "events:decide");
  const d = parseInput(eventActionInputSchema, input);
  const user = assertPersonCan(actor, d.action === "finalise" || d.action === "reopen" ? "events:finalise" : "events:decide");
  const earlier = await findRequestEntry(db().pool, "event", d.eventId, d.requestId);
  if (earlier) return { ...earlier, replayed: true };
  // The event as of now; its status is the projection of the event's own entries.
  const event = (await eventsView(user)).events.find((e) => e.eventId === d.eventId);
  if (!event) throw new NotFoundError(`No event "${d.eventId}".`);
  const refused = transitionError(event.status, d.action);
  if (refused) {
    // The status may have moved because a concurrent replay of this very action landed.
    const landed = await findRequestEntry(db().pool, "event", d.eventId, d.requestId);
    if (landed) return { ...landed, replayed: true };
    throw new ConflictError(`Event ${d.eventId}: ${refused}. Reload to see the latest.`);
  }
  const machineCause = { category: event.machineCauseCategory, label: event.machineCauseLabel ?? "" };
  const after: EditLogEntry["after"] =
    d.action === "confirm"
      ? { status: "decided", cause: machineCause, confidence: event.confidence }
      : d.action === "override"
        ? { status: "decided", cause: d.cause! }
        : d.action === "finalise"
          ? { status: "finalised", outcome: d.outcome!, cause: d.cause ?? null }
          : d.action === "reopen"
            ? { status: "open" }
            : null;
  const entry: EditLogEntry = userEntry(user, {
    subjectType: "event",
    subjectId: d.eventId,
    action: d.action,
    before: { status: event.status, cause: { category: event.causeCategory, label: event.causeLabel }, confidence: event.confidence },
    after,
    reasonCode: d.reasonCode ?? null,
    reasonText: d.reasonText || null,
    evidence: d.evidenceUrl ? [d.evidenceUrl] : [],
    requestId: d.requestId,
  });
  // The core's own rules for an event action (required reason per action, cause shape).
  parseInput(humanEntrySchema, entry);
  try {
    return { ...(await appendEntry(db().pool, entry, d.ledgerVersion)), replayed: false };
  } catch (error) {
    if (!(error instanceof ConflictError || error instanceof ReplayedRequestError)) throw error;
    const again = await findRequestEntry(db().pool, "event", d.eventId, d.requestId);
    if (again) return { ...again, replayed: true };
    throw new ConflictError(`Someone acted on event ${d.eventId} after you opened it. Reload to see the latest.`);
  }
}
