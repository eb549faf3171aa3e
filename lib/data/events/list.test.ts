/**
 * The events list against real PostgreSQL: every order, direction and filter, paged three
 * at a time by keyset, gives exactly the events the pure rules (`selectEvents`) keep over
 * the whole live view, in the same order, each row as the pure projection draws it from the
 * hydrated event (the list reads it as kept with the roll-up); a past instant pages the
 * replay the same way;
 * a forged cursor is a 400.
 */
import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { BadRequestError } from "@/lib/errors";
import { EVENT_SORTS, LOG_NAMES, selectEvents, toEventListRow, type EventListFilter, type EventListRow, type LogRow } from "@/lib/mrs";
import { buildEntries, buildRows, world } from "@/lib/mrs/worlds.test-support";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { createUser } from "../users";
import { appendEventEntry } from "./current";
import { ingestEventLogRows } from "./ingest";
import { listEvents, type EventsListQuery } from "./list";
import { editLogEntryOf } from "./schedules";
import { eventsView } from "./views";

withTestDatabase({ own: "event_list" });
const token: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "svc@x", scopes: ["events:ingest"] };
let lead: Extract<Actor, { kind: "user" }>;

const none: EventListFilter = { cause: null, tier: null, priority: null, status: "all", degraded: null, retailer: null, store: null, q: null, mine: null, from: null, to: null, sort: "priority", dir: null };

async function allPages(query: EventsListQuery): Promise<EventListRow[]> {
  const rows: EventListRow[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 200; pages++) {
    const page = await listEvents(lead, { ...query, after, limit: 3 });
    rows.push(...page.events);
    if (!page.next) return rows;
    after = page.next;
  }
  throw new Error("the pages never end");
}

beforeAll(async () => {
  const user = await createUser(OPERATOR, { email: "lead@list.test", name: "Lena Lead", role: "lead", password: "correct horse battery" });
  lead = { kind: "user", id: user.id, email: "lead@list.test", name: "Lena Lead", role: "lead" };
  // Three random worlds, with people's entries on their events.
  const worlds = fc.sample(world, { numRuns: 3, seed: 20261207 });
  for (const [i, w] of worlds.entries()) {
    const prefix = `L${i}-`;
    const rows = buildRows(w.reports, prefix);
    for (const log of LOG_NAMES) for (const row of rows[log] as readonly LogRow[]) await ingestEventLogRows(token, log, { rows: [row] });
    for (const entry of buildEntries(w.entries, prefix)) await appendEventEntry({ ...editLogEntryOf({ ...entry, actor: { type: "user", id: lead.id, role: "lead" } }), requestId: randomUUID() }, null);
  }
}, 120_000);

describe("events list", () => {
  it("pages every order and filter exactly as the pure rules select over the live view", async () => {
    const view = await eventsView(lead);
    expect(view.events.length).toBeGreaterThan(5);
    const someone = view.reports.find((r) => r.eventId !== null && r.sku !== null)!;
    const filters: Partial<EventListFilter>[] = [
      {},
      { status: "open" },
      { status: "decided" },
      { priority: "high" },
      { tier: "medium" },
      { tier: "low" },
      { cause: view.events[0]!.causeCategory },
      { degraded: "true" },
      { degraded: "false" },
      { retailer: "tes" },
      { store: someone.storeId!.slice(-3) },
      { q: "S-1" },
      { q: "london" },
      { q: "label" },
      { mine: lead.id },
      { from: new Date("2025-08-11T00:00:00Z") },
      { to: new Date("2025-08-10T00:00:00Z") },
    ];
    // The filters are not vacuous: most keep some events and drop others.
    const kept = filters.map((extra) => selectEvents(view.events, { ...none, ...extra }, view.reports).length);
    expect(kept.filter((n) => n > 0 && n < view.events.length).length).toBeGreaterThanOrEqual(10);
    for (const sort of EVENT_SORTS) {
      for (const dir of ["asc", "desc"] as const) {
        for (const extra of sort === "priority" && dir === "asc" ? filters : [{}, { status: "open" as const }]) {
          const filter = { ...none, sort, dir, ...extra };
          const expected = selectEvents(view.events, filter, view.reports).map(toEventListRow);
          expect({ filter: JSON.stringify(extra), sort, dir, rows: await allPages(filter) }).toEqual({ filter: JSON.stringify(extra), sort, dir, rows: expected });
        }
      }
    }
  }, 120_000);

  it("a past instant pages its replay; a forged cursor is refused", async () => {
    const asOf = "2025-08-11T14:00:00.000Z";
    const past = await eventsView(lead, asOf);
    expect(await allPages({ ...none, asOf })).toEqual(selectEvents(past.events, { ...none, dir: "asc" }, past.reports).map(toEventListRow));
    await expect(listEvents(lead, { ...none, after: "not-a-cursor" })).rejects.toBeInstanceOf(BadRequestError);
    const first = await listEvents(lead, { ...none, limit: 2 });
    // A cursor of another order is not one of this order.
    await expect(listEvents(lead, { ...none, sort: "stores", after: first.next })).rejects.toBeInstanceOf(BadRequestError);
  }, 60_000);
});
