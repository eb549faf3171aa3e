/**
 * A session lasts SESSION_MAX_AGE_HOURS from sign-in, however often it is used: the
 * token's sliding renewal moves its expiry, never its sign-in time (ASVS V7.3.2).
 * Returns the sign-in time (epoch ms) of a session still inside that lifetime, else null;
 * a token without one (issued before the limit existed) is not accepted.
 */
export function signedInAtIfCurrent(authAt: unknown, now: number, maxAgeHours: number): number | null {
  if (typeof authAt !== "number" || !Number.isFinite(authAt)) return null;
  if (authAt > now + 60_000) return null; // from the future: not a time this server wrote
  return now - authAt < maxAgeHours * 3_600_000 ? authAt : null;
}
