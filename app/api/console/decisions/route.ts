import { withConsoleSession } from "@/lib/api/console";
import { decideRecord } from "@/lib/data/decisions";

/**
 * POST /api/console/decisions: the record page's confirm or override, signed in by the
 * session cookie, answered in the actions' result shape. The guarantees are decideRecord's:
 * the version checks, the request id's replay, one round trip to the append.
 */
export const POST = withConsoleSession("decideRecord", decideRecord);
