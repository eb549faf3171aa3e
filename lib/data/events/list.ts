/**
 * The events list, a page at a time. Now: filtered, searched and ordered in SQL over the
 * current tables (`event_current`, its members in `event_report_current`), keyset-paged,
 * each row read as kept with its event's roll-up (no member is hydrated for a page). A past
 * instant: the whole replay,
 * filtered by the same rules (`selectEvents`) and cut into the same pages — slower, bounded
 * by the page.
 */
import { decodeCursor, encodeCursor } from "@/lib/cursor";
import { BadRequestError, ValidationError } from "@/lib/errors";
import {
  DEFAULT_TIER_THRESHOLDS,
  EVENT_SORT_DEFAULT_DIR,
  eventListRow,
  eventsCsv,
  reportsCsv,
  selectEvents,
  toEventListRow,
  type EventListFilter,
  type EventListRow,
  type EventSort,
  type EventStatus,
  type StoredEventListRow,
} from "@/lib/mrs";
import { assertCanRead, type Actor } from "@/lib/auth/actor";
import { db } from "../db";
import { refreshStaleEventViews } from "./current";
import { eventsView } from "./views";

export const EVENTS_PAGE_SIZE = 50;

export interface EventsListQuery extends EventListFilter {
  /** the `next` cursor of the previous page */
  after?: string | null;
  asOf?: string | null;
  limit?: number;
}

export interface EventsListPage {
  asOf: string;
  past: boolean;
  events: EventListRow[];
  /** the cursor of the next page, null on the last */
  next: string | null;
}

/** Each order's key column (nulls as the pure order has them: no confidence or uplift is -1). */
const SORT_KEY: Record<EventSort, string> = {
  priority: "e.priority_rank",
  started: "e.window_start",
  confidence: "coalesce(e.confidence, -1)",
  stores: "e.report_count",
  uplift: "coalesce(e.uplift_sum, -1)",
};

type CursorKey = [key: number | string, windowStart: string, eventId: string];

function cursorError(): BadRequestError {
  return new BadRequestError("after must be the `next` cursor of an earlier page of this order: start again from the first page.");
}

function parseCursor(after: string, sort: EventSort, dir: "asc" | "desc"): CursorKey {
  const body = decodeCursor(after) as { s?: unknown; d?: unknown; k?: unknown } | undefined;
  const k = body?.k;
  if (!body || body.s !== sort || body.d !== dir || !Array.isArray(k) || k.length !== 3) throw cursorError();
  const [key, windowStart, eventId] = k as unknown[];
  const keyOk = sort === "started" ? typeof key === "string" : typeof key === "number" && Number.isFinite(key);
  if (!keyOk || typeof windowStart !== "string" || typeof eventId !== "string") throw cursorError();
  return [key as number | string, windowStart, eventId];
}

const DAY_MS = 86_400_000;

/**
 * One page of events (events:read): the filters of the list, free-text search over the
 * members' SKU, store, city, cluster and retailer and the cause label, "my events" (the
 * reader's decision stands), in the chosen order with ties by start then id.
 */
export async function listEvents(actor: Actor, query: EventsListQuery): Promise<EventsListPage> {
  assertCanRead(actor, "events:read");
  const dir = query.dir ?? EVENT_SORT_DEFAULT_DIR[query.sort];
  const limit = query.limit ?? EVENTS_PAGE_SIZE;
  if (query.asOf) return pastPage(actor, query, dir, limit);
  const after = query.after ? parseCursor(query.after, query.sort, dir) : null;
  const values: unknown[] = [];
  const param = (v: unknown, cast = "") => {
    values.push(v);
    return `$${values.length}${cast}`;
  };
  const where: string[] = [];
  if (query.status && query.status !== "all") where.push(`e.status = ${param(query.status)}`);
  if (query.cause) where.push(`e.cause_category = ${param(query.cause)}`);
  if (query.priority) where.push(`e.priority = ${param(query.priority)}`);
  if (query.tier) {
    const { high, medium } = DEFAULT_TIER_THRESHOLDS;
    where.push(
      query.tier === "high"
        ? `e.confidence >= ${param(high, "::float8")}`
        : query.tier === "medium"
          ? `e.confidence >= ${param(medium, "::float8")} AND e.confidence < ${param(high, "::float8")}`
          : `e.confidence < ${param(medium, "::float8")}`,
    );
  }
  // Degraded is a deadline compared with now: the clock moves, the stored row does not.
  if (query.degraded) where.push(query.degraded === "true" ? "e.degraded_after < now()" : "(e.degraded_after IS NULL OR e.degraded_after >= now())");
  if (query.from) where.push(`e.window_start >= ${param(query.from.toISOString(), "::timestamptz")}`);
  if (query.to) where.push(`e.window_start > '-infinity' AND e.window_start < ${param(new Date(query.to.getTime() + DAY_MS).toISOString(), "::timestamptz")}`);
  if (query.mine) where.push(`e.decided_by_id = ${param(query.mine)}`);
  // Text filters read the event's own lower-cased columns (kept with its roll-up): a scan of
  // the members' table per search would grow with every report ever seen.
  const text = (column: string, part: string) => where.push(`strpos(e.${column}, ${param(part.toLowerCase())}) > 0`);
  if (query.retailer) text("retailers", query.retailer);
  if (query.store) text("stores", query.store);
  if (query.q) text("search_text", query.q);
  const key = SORT_KEY[query.sort];
  if (after) {
    const [k, ws, id] = after;
    const kv = param(k, query.sort === "started" ? "::timestamptz" : "::float8");
    // Mixed directions (the key either way, ties always oldest first) as an explicit OR.
    where.push(`(${key} ${dir === "asc" ? ">" : "<"} ${kv} OR (${key} = ${kv} AND (e.window_start, e.event_id COLLATE "C") > (${param(ws, "::timestamptz")}, ${param(id)} COLLATE "C")))`);
  }
  await refreshStaleEventViews();
  const rows = (
    await db().pool.query<{ event_id: string; k: number | string; ws: string; list_row: StoredEventListRow; status: EventStatus; degraded: boolean }>(
      `SELECT e.event_id, ${query.sort === "started" ? "e.window_start::text" : key} AS k, e.window_start::text AS ws,
         e.list_row, e.status, coalesce(e.degraded_after < now(), false) AS degraded
       FROM event_current e
       ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
       ORDER BY ${key} ${dir}, e.window_start ASC, e.event_id COLLATE "C" ASC LIMIT ${param(limit + 1)}`,
      values,
    )
  ).rows;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    asOf: new Date().toISOString(),
    past: false,
    events: page.map((r) => eventListRow(r.list_row, r.status, r.degraded)),
    next: rows.length > limit && last ? encodeCursor({ s: query.sort, d: dir, k: [typeof last.k === "string" ? last.k : Number(last.k), last.ws, last.event_id] }) : null,
  };
}

/** A past instant's page: the whole replay, filtered and ordered by the pure rules, cut after the cursor's event. */
async function pastPage(actor: Actor, query: EventsListQuery, dir: "asc" | "desc", limit: number): Promise<EventsListPage> {
  const view = await eventsView(actor, query.asOf);
  const all = selectEvents(view.events, { ...query, dir }, view.reports);
  let start = 0;
  if (query.after) {
    const body = decodeCursor(query.after) as { past?: unknown } | undefined;
    const index = typeof body?.past === "string" ? all.findIndex((e) => e.eventId === body.past) : -1;
    if (index < 0) throw cursorError();
    start = index + 1;
  }
  const events = all.slice(start, start + limit).map(toEventListRow);
  return { asOf: view.asOf, past: view.past, events, next: start + limit < all.length ? encodeCursor({ past: events.at(-1)!.eventId }) : null };
}

/**
 * CSV lines of the events or reports as of an instant (the page's downloads and GET
 * /api/v1/events/export): with the list's filters, the events the list pages through, in
 * its order (reports follow their event); without, every one.
 */
export async function* exportEventsCsv(actor: Actor, kind: string, asOfText?: string | null, filter?: EventListFilter): AsyncGenerator<string> {
  // People with events:read, tokens with the read scope (assertCanRead covers both).
  assertCanRead(actor, "events:read");
  if (kind !== "events" && kind !== "reports") throw new ValidationError("kind must be events or reports.", { kind: ["must be events or reports"] });
  const view = await eventsView(actor, asOfText);
  let events = view.events;
  if (filter) {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const page: EventsListPage = await listEvents(actor, { ...filter, asOf: view.past ? view.asOf : null, after, limit: 1000 });
      ids.push(...page.events.map((e) => e.eventId));
      after = page.next;
    } while (after);
    const byId = new Map(view.events.map((e) => [e.eventId, e]));
    events = ids.flatMap((id) => byId.get(id) ?? []);
  }
  const kept = new Set(events.map((e) => e.eventId));
  yield* kind === "events" ? eventsCsv(events) : reportsCsv(filter ? view.reports.filter((r) => r.eventId !== null && kept.has(r.eventId)) : view.reports);
}
