/**
 * The events list's filters and orders, applied to a view (spec §4–5): the list page and
 * its CSV download select the same events. Pure: the filter arrives parsed.
 */
import type { HydratedReport } from "./hydrate";
import { suffixedStatus, type SuffixedStatus } from "./degraded";
import { alignedStores, type EventRollup } from "./rollup";
import type { CauseCategory, ConfidenceTier, EventStatus, Priority } from "./taxonomy";

export const EVENT_SORTS = ["priority", "started", "confidence", "stores", "uplift"] as const;
export type EventSort = (typeof EVENT_SORTS)[number];

/** The status filter's values: a status, or every status ("all"). The list opens on "open". */
export const EVENT_STATUS_FILTERS = ["open", "decided", "finalised", "all"] as const;
export type EventStatusFilter = (typeof EVENT_STATUS_FILTERS)[number];

/** What the list keeps and in which order; null = no filter (dates are UTC days, inclusive). */
export interface EventListFilter {
  cause: CauseCategory | null;
  tier: ConfidenceTier | null;
  priority: Priority | null;
  status: EventStatus | "all" | null;
  degraded: "true" | "false" | null;
  /** part of any member store's retailer (every store, not only the 14 aligned) */
  retailer: string | null;
  /** part of any member store's id */
  store?: string | null;
  /** free text: part of a member's SKU, store, city, cluster or retailer, or of the cause label */
  q?: string | null;
  /** events whose standing decision is this person's (the user id): "my events" */
  mine?: string | null;
  from: Date | null;
  to: Date | null;
  sort: EventSort;
  dir: "asc" | "desc" | null;
}

/** What the text filters read of a member report (a hydrated report satisfies it). */
export type EventMemberText = Pick<HydratedReport, "eventId" | "storeId" | "retailer" | "sku" | "city" | "clusterId">;

/** Each order's natural direction: the most urgent, the largest or the oldest first. */
export const EVENT_SORT_DEFAULT_DIR: Record<EventSort, "asc" | "desc"> = { priority: "asc", started: "asc", confidence: "desc", stores: "desc", uplift: "desc" };

/** The list's priority order: the most urgent first. */
export const PRIORITY_RANK = { high: 0, medium: 1, low: 2 } as const;
const DAY_MS = 86_400_000;

function sortValue(e: EventRollup, sort: EventSort): number | string {
  if (sort === "priority") return PRIORITY_RANK[e.priority];
  if (sort === "started") return e.windowStart ?? "";
  if (sort === "confidence") return e.confidence ?? -1;
  if (sort === "stores") return e.reportCount;
  return e.upliftSum ?? -1;
}

/** The events the filters keep, in the chosen order (ties: the oldest, then the id). */
export function selectEvents(events: readonly EventRollup[], f: EventListFilter, reports: readonly EventMemberText[] = []): EventRollup[] {
  const retailer = f.retailer?.toLowerCase();
  const store = f.store?.toLowerCase();
  const q = f.q?.toLowerCase();
  const members = new Map<string, EventMemberText[]>();
  for (const r of reports) {
    if (r.eventId === null) continue;
    const list = members.get(r.eventId);
    if (list) list.push(r);
    else members.set(r.eventId, [r]);
  }
  const has = (value: string | null, part: string) => value !== null && value.toLowerCase().includes(part);
  const anyMember = (e: EventRollup, test: (r: EventMemberText) => boolean) =>
    reports.length > 0 ? (members.get(e.eventId) ?? []).some(test) : alignedStores(e).some((s) => test({ eventId: e.eventId, storeId: s.storeId, retailer: s.retailer, sku: null, city: null, clusterId: null }));
  const from = f.from?.toISOString();
  const to = f.to ? new Date(f.to.getTime() + DAY_MS).toISOString() : null;
  const dir = f.dir ?? EVENT_SORT_DEFAULT_DIR[f.sort];
  const sign = dir === "asc" ? 1 : -1;
  return events
    .filter((e) => !f.cause || e.causeCategory === f.cause)
    .filter((e) => !f.tier || e.confidenceTier === f.tier)
    .filter((e) => !f.priority || e.priority === f.priority)
    .filter((e) => !f.status || f.status === "all" || e.status === f.status)
    .filter((e) => !f.degraded || String(e.isDegraded) === f.degraded)
    .filter((e) => !retailer || anyMember(e, (r) => has(r.retailer, retailer)))
    .filter((e) => !store || anyMember(e, (r) => has(r.storeId, store)))
    .filter((e) => !q || has(e.causeLabel, q) || has(e.machineCauseLabel, q) || anyMember(e, (r) => [r.sku, r.storeId, r.city, r.clusterId, r.retailer].some((v) => has(v, q))))
    .filter((e) => !f.mine || e.decidedById === f.mine)
    .filter((e) => !from || (e.windowStart !== null && e.windowStart >= from))
    .filter((e) => !to || (e.windowStart !== null && e.windowStart < to))
    .sort((a, b) => {
      const x = sortValue(a, f.sort);
      const y = sortValue(b, f.sort);
      const primary = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sign * primary || (a.windowStart ?? "").localeCompare(b.windowStart ?? "") || a.eventId.localeCompare(b.eventId);
    });
}

/** What the list shows of an event: its columns, nothing the row does not draw. */
export interface EventListRow {
  eventId: string;
  reportGroupId: string;
  causeCategory: CauseCategory;
  causeLabel: string | null;
  causeSource: "analyst" | "machine";
  confidence: number | null;
  tier: ConfidenceTier | null;
  priority: Priority;
  status: SuffixedStatus;
  degraded: boolean;
  autoConfirmed: boolean;
  reportCount: number;
  /** the retailers of the aligned stores, first seen first */
  retailers: string[];
  upliftSum: number | null;
  windowStart: string | null;
}

/** The part of a list row that holds until the event changes (kept with its roll-up); degraded moves with the clock. */
export type StoredEventListRow = Omit<EventListRow, "status" | "degraded">;

export function storedEventListRow(e: EventRollup): StoredEventListRow {
  return {
    eventId: e.eventId,
    reportGroupId: e.reportGroupId,
    causeCategory: e.causeCategory,
    causeLabel: e.causeLabel,
    causeSource: e.causeSource,
    confidence: e.confidence,
    tier: e.confidenceTier,
    priority: e.priority,
    autoConfirmed: e.autoConfirmed,
    reportCount: e.reportCount,
    retailers: [...new Set(alignedStores(e).flatMap((s) => (s.retailer ? [s.retailer] : [])))],
    upliftSum: e.upliftSum,
    windowStart: e.windowStart,
  };
}

/** A stored row made whole with the event's status and whether it is degraded now. */
export function eventListRow(stored: StoredEventListRow, status: EventStatus, degraded: boolean): EventListRow {
  return { ...stored, status: suffixedStatus(status, degraded), degraded };
}

/** The list row of a hydrated event (a replayed instant's list, and the reference of the stored one). */
export const toEventListRow = (e: EventRollup): EventListRow => eventListRow(storedEventListRow(e), e.status, e.isDegraded);
