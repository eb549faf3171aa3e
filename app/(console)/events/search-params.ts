/**
 * The events list's URL state, parsed once (nuqs server parsers): filters, search, order,
 * page cursor and the as-of instant, typed; `listEvents` (lib/data) applies them, on the
 * page and in its CSV. A value that does not parse is named by `invalidEventsParam` (the
 * page says so, the export answers 400) rather than dropped silently.
 */
import { createLoader, createSerializer, parseAsBoolean, parseAsString, parseAsStringLiteral, type inferParserType } from "nuqs/server";
import { parseAsUtcDay } from "@/lib/url-parsers";
import { CAUSE_CATEGORIES, CONFIDENCE_TIERS, EVENT_SORTS, EVENT_STATUS_FILTERS, PRIORITIES } from "@/lib/mrs";

export { EVENT_SORT_DEFAULT_DIR, EVENT_SORTS, type EventSort } from "@/lib/mrs";

export const eventsParsers = {
  cause: parseAsStringLiteral(CAUSE_CATEGORIES),
  tier: parseAsStringLiteral(CONFIDENCE_TIERS),
  priority: parseAsStringLiteral(PRIORITIES),
  /** open events first: the work still to do; "all" for every status */
  status: parseAsStringLiteral(EVENT_STATUS_FILTERS).withDefault("open"),
  degraded: parseAsStringLiteral(["true", "false"] as const),
  retailer: parseAsString,
  store: parseAsString,
  q: parseAsString,
  /** events whose standing decision is the reader's */
  mine: parseAsBoolean,
  /** ISO dates (YYYY-MM-DD), UTC days, both inclusive */
  from: parseAsUtcDay,
  to: parseAsUtcDay,
  sort: parseAsStringLiteral(EVENT_SORTS).withDefault("priority"),
  dir: parseAsStringLiteral(["asc", "desc"] as const),
  after: parseAsString,
  asOf: parseAsString,
};

export const loadEventsSearch = createLoader(eventsParsers);
export type EventsSearch = inferParserType<typeof eventsParsers>;
export const eventsHref = createSerializer(eventsParsers);
export const FILTER_KEYS = ["cause", "tier", "priority", "degraded", "retailer", "store", "q", "mine", "from", "to"] as const;

const RULES: Partial<Record<keyof typeof eventsParsers, string>> = {
  cause: `one of ${CAUSE_CATEGORIES.join(", ")}`,
  tier: `one of ${CONFIDENCE_TIERS.join(", ")}`,
  priority: `one of ${PRIORITIES.join(", ")}`,
  status: `one of ${EVENT_STATUS_FILTERS.join(", ")}`,
  degraded: "true or false",
  mine: "true or false",
  from: "a date YYYY-MM-DD",
  to: "a date YYYY-MM-DD",
  sort: `one of ${EVENT_SORTS.join(", ")}`,
  dir: "asc or desc",
};

/** The first parameter present with a value its parser refuses, as "from must be a date YYYY-MM-DD; got …", or null. */
export function invalidEventsParam(params: URLSearchParams | Record<string, string | string[] | undefined>): string | null {
  const get = (k: string) => (params instanceof URLSearchParams ? params.get(k) : [params[k]].flat()[0]) ?? "";
  for (const [name, rule] of Object.entries(RULES)) {
    const raw = get(name);
    if (raw !== "" && eventsParsers[name as keyof typeof eventsParsers].parse(raw) === null) return `${name} must be ${rule}; got ${JSON.stringify(raw)}`;
  }
  return null;
}
