/**
 * The events list's filters and orders, applied to a view (spec §4–5): the list page and
 * its CSV download select the same events. Pure: the filter arrives parsed.
 */
import { alignedStores, type EventRollup } from "./rollup";
import type { CauseCategory, ConfidenceTier, EventStatus, Priority } from "./taxonomy";

export const EVENT_SORTS = ["priority", "started", "confidence", "stores", "uplift"] as const;
export type EventSort = (typeof EVENT_SORTS)[number];

/** What the list keeps and in which order; null = no filter (dates are UTC days, inclusive). */
export interface EventListFilter {
  cause: CauseCategory | null;
  tier: ConfidenceTier | null;
  priority: Priority | null;
  status: EventStatus | null;
  degraded: "true" | "false" | null;
  retailer: string | null;
  from: Date | null;
  to: Date | null;
  sort: EventSort;
  dir: "asc" | "desc" | null;
}

/** Each order's natural direction: the most urgent, the largest or the oldest first. */
export const EVENT_SORT_DEFAULT_DIR: Record<EventSort, "asc" | "desc"> = { priority: "asc", started: "asc", confidence: "desc", stores: "desc", uplift: "desc" };

const PRIORITY_RANK = { high: 0, medium: 1, low: 2 } as const;
const DAY_MS = 86_400_000;

function sortValue(e: EventRollup, sort: EventSort): number | string {
  if (sort === "priority") return PRIORITY_RANK[e.priority];
  if (sort === "started") return e.windowStart ?? "";
  if (sort === "confidence") return e.confidence ?? -1;
  if (sort === "stores") return e.reportCount;
  return e.upliftSum ?? -1;
}

/** The events the filters keep, in the chosen order (ties: the oldest, then the id). */
export function selectEvents(events: readonly EventRollup[], f: EventListFilter): EventRollup[] {
  const retailer = f.retailer?.toLowerCase();
  const from = f.from?.toISOString();
  const to = f.to ? new Date(f.to.getTime() + DAY_MS).toISOString() : null;
  const dir = f.dir ?? EVENT_SORT_DEFAULT_DIR[f.sort];
  const sign = dir === "asc" ? 1 : -1;
  return events
    .filter((e) => !f.cause || e.causeCategory === f.cause)
    .filter((e) => !f.tier || e.confidenceTier === f.tier)
    .filter((e) => !f.priority || e.priority === f.priority)
    .filter((e) => !f.status || e.status === f.status)
    .filter((e) => !f.degraded || String(e.isDegraded) === f.degraded)
    .filter((e) => !retailer || alignedStores(e).some((s) => s.retailer?.toLowerCase().includes(retailer)))
    .filter((e) => !from || (e.windowStart !== null && e.windowStart >= from))
    .filter((e) => !to || (e.windowStart !== null && e.windowStart < to))
    .sort((a, b) => {
      const x = sortValue(a, f.sort);
      const y = sortValue(b, f.sort);
      const primary = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sign * primary || (a.windowStart ?? "").localeCompare(b.windowStart ?? "") || a.eventId.localeCompare(b.eventId);
    });
}
