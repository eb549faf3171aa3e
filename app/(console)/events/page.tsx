import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { KeysetPager } from "@/components/data-table/pager";
import { CsvLink, TableEmpty, TableError } from "@/components/data-table/states";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { requirePageUser } from "@/lib/auth/session";
import { listEvents } from "@/lib/data/events/list";
import { BadRequestError } from "@/lib/errors";
import { IsoDateField } from "@/components/ui/iso-date-field";
import { formatUtc } from "@/lib/format";
import { CAUSE_CATEGORIES, CAUSE_CATEGORY_LABELS, CONFIDENCE_TIERS, EVENT_STATUS_FILTERS, PRIORITIES } from "@/lib/mrs";
import { AsOfPicker } from "./as-of";
import { EventsTable } from "./events-columns";
import { EVENT_SORT_DEFAULT_DIR, EVENT_SORTS, eventsHref, FILTER_KEYS, invalidEventsParam, loadEventsSearch, type EventSort } from "./search-params";

export const metadata: Metadata = { title: "Minority events" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const select = "h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/**
 * Minority events (spec §4–5): one row per event, highest priority first, then the oldest;
 * filters and the as-of instant in the address. A past instant replays the view read-only.
 */
export default async function EventsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requirePageUser("events:read");
  const raw = await searchParams;
  // The URL state, parsed once; a value that does not parse is named, not dropped.
  const search = loadEventsSearch(raw);
  const invalid = invalidEventsParam(raw);
  let list;
  try {
    if (invalid) throw new BadRequestError(invalid);
    list = await listEvents(actor, { ...search, mine: search.mine ? actor.id : null });
  } catch (error) {
    if (!(error instanceof BadRequestError)) throw error;
    return (
      <div className="space-y-4">
        <PageHeader title="Minority events" />
        <TableError title={invalid ? "That address has a filter the list cannot read" : "That page cannot be shown"} href="/events" action="Show the open events">
          {error.message}
        </TableError>
      </div>
    );
  }
  const { events } = list;
  const view = { asOf: list.asOf, past: list.past };
  const asOf = view.past ? view.asOf : null;
  const filtered = FILTER_KEYS.some((k) => search[k] !== null) || search.status !== "open";
  const f = { ...search, from: search.from?.toISOString().slice(0, 10) ?? "", to: search.to?.toISOString().slice(0, 10) ?? "" };
  const dir = search.dir ?? EVENT_SORT_DEFAULT_DIR[search.sort];
  const sortHref = (sort: EventSort) => {
    const nextDir = sort === search.sort ? (dir === "asc" ? "desc" : "asc") : EVENT_SORT_DEFAULT_DIR[sort];
    return eventsHref("/events", { ...search, sort, dir: nextDir, after: null });
  };
  const sortLinks = { current: search.sort, dir, hrefs: Object.fromEntries(EVENT_SORTS.map((k) => [k, sortHref(k)])) as Record<EventSort, string> };
  const clearHref = asOf ? `/events?status=all&asOf=${encodeURIComponent(asOf)}` : "/events?status=all";
  const csvSearch = { ...search, after: null, asOf };

  return (
    <div className="space-y-4">
      <PageHeader
        title="Minority events"
        count={search.after || list.next ? undefined : events.length}
        description="Store and retailer reports rolled up into events, highest priority first, then the oldest. Replay any past instant; the machine's cause stays visible beside the analyst's."
        actions={
          <span className="flex gap-2 text-sm">
            <CsvLink href={eventsHref("/events/export?kind=events", csvSearch)} label="Download events (CSV)" />
            <CsvLink href={eventsHref("/events/export?kind=reports", csvSearch)} label="Download reports (CSV)" />
          </span>
        }
      />
      {view.past ? (
        <p role="status" className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-900 dark:bg-sky-950/50 dark:text-sky-200">
          Replaying as of <strong>{formatUtc(view.asOf)}</strong>: read-only, only rows written and actions taken by then.
        </p>
      ) : null}
      <div className="flex flex-wrap items-end justify-between gap-3 rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900">
        <Form action="/events" className="flex flex-wrap items-end gap-2 text-sm">
          {asOf ? <input type="hidden" name="asOf" value={asOf} /> : null}
          {search.sort !== "priority" || search.dir ? (
            <>
              <input type="hidden" name="sort" value={search.sort} />
              <input type="hidden" name="dir" value={dir} />
            </>
          ) : null}
          <label>
            <span className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">Search</span>
            <input type="search" name="q" defaultValue={f.q ?? ""} placeholder="SKU, store, city, cause…" className={`${select} w-56`} />
          </label>
          <label>
            <span className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">Status</span>
            <select name="status" defaultValue={f.status} className={`${select} max-w-32`}>
              {EVENT_STATUS_FILTERS.map((o) => (
                <option key={o} value={o}>
                  {o === "all" ? "all statuses" : o}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">Cause</span>
            <select name="cause" defaultValue={f.cause ?? ""} className={`${select} max-w-44`}>
              <option value="">Any</option>
              {CAUSE_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CAUSE_CATEGORY_LABELS[c].label}
                </option>
              ))}
            </select>
          </label>
          {(
            [
              ["tier", "Tier", CONFIDENCE_TIERS],
              ["priority", "Priority", PRIORITIES],
              ["degraded", "Degraded", ["true", "false"]],
            ] as const
          ).map(([name, label, options]) => (
            <label key={name}>
              <span className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</span>
              <select name={name} defaultValue={f[name] ?? ""} className={`${select} max-w-32`}>
                <option value="">Any</option>
                {options.map((o) => (
                  <option key={o} value={o}>
                    {o === "true" ? "degraded" : o === "false" ? "not degraded" : o}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <label>
            <span className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">Retailer</span>
            <input name="retailer" defaultValue={f.retailer ?? ""} placeholder="any" className={`${select} w-28`} />
          </label>
          <label>
            <span className="block text-xs font-medium text-zinc-600 dark:text-zinc-400">Store</span>
            <input name="store" defaultValue={f.store ?? ""} placeholder="any" className={`${select} w-24`} />
          </label>
          <IsoDateField name="from" label="Started from" defaultValue={f.from} className={select} />
          <IsoDateField name="to" label="to" defaultValue={f.to} className={select} />
          <label className="flex h-9 items-center gap-1.5 whitespace-nowrap">
            <input type="checkbox" name="mine" value="true" defaultChecked={f.mine === true} className="size-4" />
            My events
          </label>
          <Button type="submit">Apply</Button>
          {filtered ? (
            <Link href={asOf ? `/events?asOf=${encodeURIComponent(asOf)}` : "/events"} className="px-2 py-1.5 text-sky-700 hover:underline dark:text-sky-400">
              Clear
            </Link>
          ) : null}
        </Form>
        <AsOfPicker key={view.asOf} asOf={view.asOf} past={view.past} />
      </div>
      {events.length === 0 ? (
        <TableEmpty
          title={filtered ? "No event matches these filters" : "No open events"}
          clearHref={filtered ? (asOf ? `/events?asOf=${encodeURIComponent(asOf)}` : "/events") : clearHref}
          actionLabel={filtered ? undefined : "Show all statuses"}
        >
          {filtered
            ? "Widen or clear the filters."
            : "Every event has been decided or finalised. Show all statuses to see them; new events appear as upstream sends detected reports and cohorts to POST /api/v1/events/logs/{log}."}
        </TableEmpty>
      ) : (
        <>
          <EventsTable key={eventsHref(search)} rows={events} asOf={asOf} sort={sortLinks} />
          <KeysetPager
            summary={`${events.length} event${events.length === 1 ? "" : "s"} on this page`}
            firstHref={search.after ? eventsHref("/events", { ...search, after: null }) : null}
            nextHref={list.next ? eventsHref("/events", { ...search, after: list.next }) : null}
          />
        </>
      )}
    </div>
  );
}
