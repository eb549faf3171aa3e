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

/** One limiter per pool and (prefix, points, duration): every key under it shares the budget's shape. */
const limiters = new WeakMap<Pool, Map<string, RateLimiterPostgres>>();

/**
 * An atomic counter in PostgreSQL (one upsert per consume), so parallel requests and
 * several server processes cannot overspend a budget between a check and a write.
 */
export function limiterFor(pool: Pool, prefix: string, points: number, durationSeconds: number): RateLimiterPostgres {
  let byShape = limiters.get(pool);
  if (!byShape) limiters.set(pool, (byShape = new Map()));
  const key = `${prefix}:${points}:${durationSeconds}`;
  let limiter = byShape.get(key);
  if (!limiter) {
    limiter = new RateLimiterPostgres({
      storeClient: pool,
      storeType: "pool",
      tableName: "api_rate_limits",
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: key,
      points,
      duration: durationSeconds,
    });
    byShape.set(key, limiter);
  }
  return limiter;
}

/** Seconds until a refused key may try again, from the limiter's refusal. */
export function retryAfterSeconds(refusal: RateLimiterRes): number {
  return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
}

/** Counts one request; throws RateLimitedError (429, Retry-After) once the minute's budget is spent. */
export async function consumeApiRequest(principal: ApiPrincipal, kind: RateKind): Promise<void> {
  const perMinute = kind === "read" ? principal.readPerMinute : principal.ingestPerMinute;
  try {
    await limiterFor(db().pool, kind, perMinute, 60).consume(principal.tokenId);
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      const seconds = retryAfterSeconds(error);
      throw new RateLimitedError(`The token's limit of ${perMinute} ${kind === "read" ? "read requests" : "ingest requests"} per minute is spent; retry in ${seconds} s.`, seconds);
    }
    throw error;
  }
}
