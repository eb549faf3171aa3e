/**
 * The command palette's lookup (Ctrl+K): what the typed text could name, among things that
 * exist now and that the person may see. Records by id prefix, minority events by their
 * group id (MR-UK-001) or event id, reports by id, and the person's own pages. Every kind is
 * checked against the actor's permissions here: a manager or an administrator finds pages
 * only. Nothing is suggested that the database does not hold.
 */
import { RECORD_ID_PATTERN } from "@/lib/gating";
import { ForbiddenError } from "@/lib/errors";
import { navigationFor } from "@/lib/navigation";
import { actorCan, actorRole, type Actor } from "@/lib/auth/actor";
import { db } from "./db";

export type SearchKind = "record" | "event" | "report" | "page";

export interface SearchHit {
  kind: SearchKind;
  /** the thing's id as people write it (record id, group id, report id, page path) */
  id: string;
  label: string;
  /** a second line: the event id of a group, the section of a page */
  detail: string;
  href: string;
}

/** At most this many hits of each kind. */
export const SEARCH_LIMIT = 8;
const MAX_QUERY = 128;

/** An event id or a prefix of one (ME- and 1–12 hex digits). */
const EVENT_ID_PREFIX = /^ME-[0-9a-f]{1,12}$/i;
/** A report id or a prefix of one (MR- and 1–16 hex digits). */
const REPORT_ID_PREFIX = /^MR-[0-9a-f]{1,16}$/i;

/** `text` as a LIKE pattern matching what starts with it (%, _ and \ taken literally). */
const prefixPattern = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function search(actor: Actor, input: unknown): Promise<SearchHit[]> {
  // The palette is the console's: API tokens have no pages to go to.
  if (actor.kind === "token") throw new ForbiddenError("Search is for signed-in people.");
  const text = typeof input === "string" ? input.trim().slice(0, MAX_QUERY) : "";
  if (!text) return [];
  const lookups: Promise<SearchHit[]>[] = [Promise.resolve(pages(actor, text))];
  if (actorCan(actor, "queue:read") && RECORD_ID_PATTERN.test(text)) lookups.push(records(text));
  if (actorCan(actor, "events:read")) {
    if (RECORD_ID_PATTERN.test(text)) lookups.push(eventsByGroup(text));
    if (EVENT_ID_PREFIX.test(text)) lookups.push(eventsById(text));
    if (REPORT_ID_PREFIX.test(text)) lookups.push(reports(text));
  }
  const [pageHits, ...rest] = await Promise.all(lookups);
  // The things the text names first (an exact id before its prefixes), pages after.
  const found = rest.flat();
  const exact = (h: SearchHit) => (h.id.toLowerCase() === text.toLowerCase() || h.href.endsWith(`/${text}`) ? 0 : 1);
  return [...found.sort((a, b) => exact(a) - exact(b)), ...pageHits!];
}

function pages(actor: Actor, text: string): SearchHit[] {
  const role = actorRole(actor);
  if (!role) return [];
  const lower = text.toLowerCase();
  return navigationFor(role).flatMap((section) =>
    section.items
      .filter((item) => item.label.toLowerCase().includes(lower) || section.label.toLowerCase().includes(lower))
      .map((item) => ({ kind: "page" as const, id: item.href, label: item.label, detail: section.label, href: item.href })),
  );
}

/** Records whose id starts with the text in any case, in id order (the prefix index's order). */
async function records(text: string): Promise<SearchHit[]> {
  const rows = (
    await db().pool.query<{ record_id: string }>(
      `SELECT record_id FROM scored_records WHERE lower(record_id) LIKE $1 ESCAPE '\\' ORDER BY lower(record_id) USING ~<~ LIMIT ${SEARCH_LIMIT}`,
      [prefixPattern(text.toLowerCase())],
    )
  ).rows;
  return rows.map((r) => ({ kind: "record", id: r.record_id, label: `Record ${r.record_id}`, detail: "Audit queue", href: `/queue/${encodeURIComponent(r.record_id)}` }));
}

/**
 * The events there are now: the report group of each report's latest cohort row (as the
 * events pages roll them up), with its event id computed in SQL the way lib/mrs/ids.ts
 * does (`ME-` + the first 12 hex digits of sha256 of the group id).
 */
const CURRENT_GROUPS = `
  SELECT DISTINCT g.group_id, 'ME-' || left(encode(sha256(convert_to(g.group_id, 'UTF8')), 'hex'), 12) AS event_id
  FROM (
    SELECT DISTINCT ON (report_id) row->>'reportGroupId' AS group_id
    FROM event_log_rows WHERE log = 'cohort' AND written_at <= now()
    ORDER BY report_id, written_at DESC, version DESC
  ) g WHERE g.group_id IS NOT NULL`;

type GroupRow = { group_id: string; event_id: string };
const toEventHit = (r: GroupRow): SearchHit => ({ kind: "event", id: r.group_id, label: `Event ${r.group_id}`, detail: r.event_id, href: `/events/${r.event_id}` });

/** Events whose group id starts with the text (any case: people type mr-uk-001). */
async function eventsByGroup(text: string): Promise<SearchHit[]> {
  const rows = (
    await db().pool.query<GroupRow>(`SELECT * FROM (${CURRENT_GROUPS}) e WHERE upper(e.group_id) LIKE upper($1) ESCAPE '\\' ORDER BY e.group_id LIMIT ${SEARCH_LIMIT}`, [
      prefixPattern(text),
    ])
  ).rows;
  return rows.map(toEventHit);
}

/** Events whose id starts with the text. */
async function eventsById(text: string): Promise<SearchHit[]> {
  const rows = (
    await db().pool.query<GroupRow>(`SELECT * FROM (${CURRENT_GROUPS}) e WHERE e.event_id LIKE $1 ORDER BY e.event_id LIMIT ${SEARCH_LIMIT}`, [
      `ME-${text.slice(3).toLowerCase()}%`,
    ])
  ).rows;
  return rows.map(toEventHit);
}

/** Reports (ids of any machine log row written by now) whose id starts with the text. */
async function reports(text: string): Promise<SearchHit[]> {
  const rows = (
    await db().pool.query<{ report_id: string }>(
      `SELECT report_id FROM event_log_rows WHERE lower(report_id) LIKE $1 AND written_at <= now()
       GROUP BY report_id, lower(report_id) ORDER BY lower(report_id) USING ~<~ LIMIT ${SEARCH_LIMIT}`,
      [`mr-${text.slice(3).toLowerCase()}%`],
    )
  ).rows;
  return rows.map((r) => ({ kind: "report", id: r.report_id, label: `Report ${r.report_id}`, detail: "Minority report", href: `/events/reports/${r.report_id}` }));
}
