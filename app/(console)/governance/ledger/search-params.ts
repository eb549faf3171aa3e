/**
 * The edit log page's URL state, parsed once (nuqs server parsers): the typed filter
 * `listEntries` takes, and the serializer every link of the page uses. A value that does
 * not parse is dropped (the filter form then shows it unset).
 */
import { createLoader, createSerializer, parseAsStringLiteral } from "nuqs/server";
import { ALL_ACTIONS } from "@/lib/ledger/actions";
import { SUBJECT_TYPES } from "@/lib/ledger/entry";
import { parseAsMatching as matching, parseAsUtcDay } from "@/lib/url-parsers";

export const ledgerParsers = {
  /** a user's id, or "system" */
  actor: matching(/^(system|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/),
  action: matching(/^[a-z][a-z_]{0,39}$/),
  subject: parseAsStringLiteral(SUBJECT_TYPES),
  /** ISO dates (YYYY-MM-DD), UTC days, both inclusive */
  from: parseAsUtcDay,
  to: parseAsUtcDay,
  /** keyset: entries older than this seq */
  before: matching(/^\d{1,19}$/),
};

export const loadLedgerFilter = createLoader(ledgerParsers);
export type LedgerSearch = Awaited<ReturnType<typeof loadLedgerFilter>>;
export const ledgerHref = createSerializer(ledgerParsers);
export const LEDGER_PATH = "/governance/ledger";

/** Actions the filter suggests (any lower-case action name is accepted). */
export const KNOWN_ACTIONS = ALL_ACTIONS;
