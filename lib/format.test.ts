import { describe, expect, it } from "vitest";
import { formatRelative, formatUtc, formatUtcDate, formatUtcMinute, parseIsoDate, parseUtcMinute } from "./format";

describe("one date format", () => {
  it("writes instants as ISO in UTC to the minute, whatever the offset they came with", () => {
    expect(formatUtc("2025-08-09T14:02:59.999Z")).toBe("2025-08-09 14:02 UTC");
    expect(formatUtc(new Date("2025-08-09T16:02:00+02:00"))).toBe("2025-08-09 14:02 UTC");
    expect(formatUtcDate("2025-08-09T23:59:00-01:00")).toBe("2025-08-10");
    expect(formatUtcMinute("2025-08-09T14:02:00Z")).toBe("2025-08-09 14:02");
  });

  it("says how long ago with a number and a unit, never 'last yr.' or 'yesterday'", () => {
    const now = new Date("2025-08-09T14:02:00Z");
    const at = (ms: number) => new Date(now.getTime() + ms);
    expect(formatRelative(at(-20_000), now)).toBe("just now");
    expect(formatRelative(at(-4 * 60_000), now)).toBe("4 min ago");
    expect(formatRelative(at(-3 * 3_600_000), now)).toBe("3 h ago");
    expect(formatRelative(at(-86_400_000), now)).toBe("1 day ago");
    expect(formatRelative(at(3 * 86_400_000), now)).toBe("in 3 days");
    expect(formatRelative(at(-400 * 86_400_000), now)).toBe("1 year ago");
    expect(formatRelative(at(-70 * 86_400_000), now)).toBe("2 months ago");
  });

  it("reads typed dates only as YYYY-MM-DD and instants as YYYY-MM-DD HH:MM (UTC)", () => {
    expect(parseIsoDate("2025-08-09")).toBe("2025-08-09");
    expect(parseIsoDate(" 2025-08-09 ")).toBe("2025-08-09");
    for (const bad of ["08/09/2025", "09/08/2025", "2025-8-9", "2025-02-30", "20250809", ""]) expect(parseIsoDate(bad), bad).toBeNull();
    expect(parseUtcMinute("2025-08-09 14:02")).toBe("2025-08-09T14:02:00.000Z");
    expect(parseUtcMinute("2025-08-09T14:02")).toBe("2025-08-09T14:02:00.000Z");
    for (const bad of ["2025-08-09", "08/09/2025 14:02", "2025-08-09 24:00", "2025-08-09 14:60", "2025-08-09 2:02pm"]) expect(parseUtcMinute(bad), bad).toBeNull();
  });
});
