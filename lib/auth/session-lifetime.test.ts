import { describe, expect, it } from "vitest";
import { signedInAtIfCurrent } from "./session-lifetime";

describe("signedInAtIfCurrent", () => {
  const hour = 3_600_000;
  const now = Date.UTC(2026, 11, 6, 12);

  it("accepts a session inside the absolute lifetime and refuses it once the lifetime from sign-in has passed", () => {
    expect(signedInAtIfCurrent(now - 7.9 * hour, now, 8)).toBe(now - 7.9 * hour);
    expect(signedInAtIfCurrent(now - 8 * hour, now, 8)).toBeNull();
    expect(signedInAtIfCurrent(now - 30 * 24 * hour, now, 8)).toBeNull();
  });

  it("refuses a token without a sign-in time, or with one from the future", () => {
    for (const bad of [undefined, null, "1700000000000", Number.NaN, Number.POSITIVE_INFINITY]) expect(signedInAtIfCurrent(bad, now, 8)).toBeNull();
    expect(signedInAtIfCurrent(now + 2 * 60_000, now, 8)).toBeNull();
  });
});
