/**
 * Per-token API rate limits (governance spec §2): reads and ingest requests per minute,
 * from the token's own limits or the deployment's defaults. Counted in PostgreSQL
 * (rate-limiter-flexible's store, table api_rate_limits), so every server process and a
 * restart see the same counts.
 */
import type { Pool } from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { RateLimitedError } from "@/lib/errors";
import { db } from "./db";
import type { ApiPrincipal } from "./tokens";

export type RateKind = "read" | "ingest";

/** One limiter per pool and (kind, limit): tokens with the same limit share it, keyed by token id. */
const limiters = new WeakMap<Pool, Map<string, RateLimiterPostgres>>();

function limiterFor(pool: Pool, kind: RateKind, perMinute: number): RateLimiterPostgres {
  let byLimit = limiters.get(pool);
  if (!byLimit) limiters.set(pool, (byLimit = new Map()));
  const key = `${kind}:${perMinute}`;
  let limiter = byLimit.get(key);
  if (!limiter) {
    limiter = new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      tableName: "api_rate_limits",
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: key,
      points: perMinute,
      duration: 60,
    });
    byLimit.set(key, limiter);
  }
  return limiter;
}

/** Counts one request; throws RateLimitedError (429, Retry-After) once the minute's budget is spent. */
export async function consumeApiRequest(principal: ApiPrincipal, kind: RateKind): Promise<void> {
  const perMinute = kind === "read" ? principal.readPerMinute : principal.ingestPerMinute;
  try {
    await limiterFor(db().pool, kind, perMinute).consume(principal.tokenId);
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new RateLimitedError(`The token's limit of ${perMinute} ${kind === "read" ? "read requests" : "ingest requests"} per minute is spent; retry in ${seconds} s.`, seconds);
    }
    throw error;
  }
}
