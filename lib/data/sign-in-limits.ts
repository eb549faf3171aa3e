/**
 * Limits on password guessing (governance spec §2, ASVS V6.3): sign-in tries per email and
 * per client address, and password-change tries per person. A try is reserved before the
 * password is checked, atomically in PostgreSQL, so twenty guesses in parallel get exactly
 * the budget's tries, not twenty; a try that succeeds is given back.
 */
import { createHash } from "node:crypto";
import { RateLimiterRes, type RateLimiterPostgres } from "rate-limiter-flexible";
import { loadEnv } from "@/lib/env";
import { RateLimitedError } from "@/lib/errors";
import { db } from "./db";
import { limiterFor, retryAfterSeconds } from "./rate-limit";

type Reservation = { limiter: RateLimiterPostgres; key: string };

/** Gives the reserved tries back: the attempt they paid for succeeded. */
export type GiveBack = () => Promise<void>;

// Keys are hashed: an email may be longer than the store's key column, and need not be kept.
const keyOf = (value: string) => createHash("sha256").update(value).digest("hex").slice(0, 40);

async function reserve(wanted: Reservation[], refusal: (minutes: number) => string): Promise<GiveBack> {
  const taken: Reservation[] = [];
  try {
    for (const r of wanted) {
      await r.limiter.consume(r.key);
      taken.push(r);
    }
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const seconds = retryAfterSeconds(error);
    throw new RateLimitedError(refusal(Math.ceil(seconds / 60)), seconds);
  }
  return async () => {
    await Promise.all(taken.map((r) => r.limiter.reward(r.key)));
  };
}

/** One sign-in try for this email and, when the address is known, this client address (four times the email's budget). */
export function reserveSignInTry(email: string, address: string | null): Promise<GiveBack> {
  const env = loadEnv();
  const window = env.SIGNIN_WINDOW_MINUTES * 60;
  const pool = db().pool;
  const wanted: Reservation[] = [{ limiter: limiterFor(pool, "signin:email", env.SIGNIN_MAX_FAILURES, window), key: keyOf(email) }];
  if (address) wanted.push({ limiter: limiterFor(pool, "signin:address", env.SIGNIN_MAX_FAILURES * 4, window), key: keyOf(address) });
  return reserve(wanted, (minutes) => `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
}

/** One try at proving the current password before changing it, with the same budget as sign-in. */
export function reservePasswordChangeTry(userId: string): Promise<GiveBack> {
  const env = loadEnv();
  const limiter = limiterFor(db().pool, "password-change", env.SIGNIN_MAX_FAILURES, env.SIGNIN_WINDOW_MINUTES * 60);
  return reserve([{ limiter, key: keyOf(userId) }], (minutes) => `Too many wrong current passwords. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`);
}
