/**
 * The events list's URL state, parsed once (nuqs server parsers): filters, order and the
 * as-of instant, typed; `selectEvents` (lib/mrs) applies them to the view, on the page and in its CSV.
 * A value that does not parse is dropped (the form then shows it unset).
 */
import { createLoader, createSerializer, parseAsString, parseAsStringLiteral, type inferParserType } from "nuqs/server";
import { parseAsUtcDay } from "@/lib/url-parsers";
import { CAUSE_CATEGORIES, CONFIDENCE_TIERS, EVENT_SORTS, EVENT_STATUSES, PRIORITIES } from "@/lib/mrs";

export { EVENT_SORT_DEFAULT_DIR, EVENT_SORTS, selectEvents, type EventSort } from "@/lib/mrs";

export const eventsParsers = {
  cause: parseAsStringLiteral(CAUSE_CATEGORIES),
  tier: parseAsStringLiteral(CONFIDENCE_TIERS),
  priority: parseAsStringLiteral(PRIORITIES),
  status: parseAsStringLiteral(EVENT_STATUSES),
  degraded: parseAsStringLiteral(["true", "false"] as const),
  retailer: parseAsString,
  /** ISO dates (YYYY-MM-DD), UTC days, both inclusive */
  from: parseAsUtcDay,
  to: parseAsUtcDay,
  sort: parseAsStringLiteral(EVENT_SORTS).withDefault("priority"),
  dir: parseAsStringLiteral(["asc", "desc"] as const),
  asOf: parseAsString,
};

export const loadEventsSearch = createLoader(eventsParsers);
export type EventsSearch = inferParserType<typeof eventsParsers>;
export const eventsHref = createSerializer(eventsParsers);
export const FILTER_KEYS = ["cause", "tier", "priority", "status", "degraded", "retailer", "from", "to"] as const;

