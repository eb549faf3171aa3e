import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeCallbackPath, safeRedirectUrl } from "./callback-url";

const REFUSED = [
  "/.//evil.example/x",
  "/./..//evil.example/x",
  "/a/../..//evil.example",
  "//evil",
  "//evil.example/x",
  "///evil.example",
  "/\\evil",
  "/\\/evil",
  "\\\\evil",
  "/queue\\..\\..\\evil",
  "/%2F%2Fevil",
  "/%2f%2fevil",
  "/%5C%5Cevil",
  "https://evil",
  "https://evil.example/queue",
  "http://x.invalid/queue",
  "javascript:alert(1)",
  "JAVASCRIPT:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/\t/evil.example",
  "/\n/evil.example",
  "/queue\u0000",
  "/\u007f/evil",
  " /queue",
  "queue",
  "./queue",
  "../queue",
  "?x=1",
  "#top",
  "",
  `/${"a".repeat(3000)}`,
];

describe("safeCallbackPath", () => {
  for (const value of REFUSED) {
    it(`refuses ${JSON.stringify(value).slice(0, 60)}`, () => {
      expect(safeCallbackPath(value)).toBeNull();
    });
  }

  it("refuses what is not a string", () => {
    for (const value of [undefined, null, 1, ["/queue"], { toString: () => "/queue" }]) expect(safeCallbackPath(value)).toBeNull();
  });

  it("accepts same-origin paths with their query and fragment", () => {
    expect(safeCallbackPath("/queue?x=1")).toBe("/queue?x=1");
    expect(safeCallbackPath("/")).toBe("/");
    expect(safeCallbackPath("/queue/abc#timeline")).toBe("/queue/abc#timeline");
    expect(safeCallbackPath("/events?q=a%2Fb")).toBe("/events?q=a%2Fb");
    expect(safeCallbackPath("/governance/./ledger")).toBe("/governance/ledger");
    expect(safeCallbackPath("/a/../queue")).toBe("/queue");
  });

  it("whatever it accepts stays on the origin it is resolved against", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webPath(), fc.string().map((s) => `/${s}`), fc.webUrl()), (value) => {
        const path = safeCallbackPath(value);
        if (path === null) return;
        expect(path.startsWith("/") && !path.startsWith("//")).toBe(true);
        expect(new URL(path, "https://review.example.com").origin).toBe("https://review.example.com");
        expect(new URL(path, "http://localhost:3000").origin).toBe("http://localhost:3000");
      }),
      { numRuns: 2000 },
    );
  });
});

describe("safeRedirectUrl (next-auth's redirect callback)", () => {
  const base = "http://localhost:3170";
  it("keeps same-origin paths and URLs, on the base origin", () => {
    expect(safeRedirectUrl("/queue?x=1", base)).toBe(`${base}/queue?x=1`);
    expect(safeRedirectUrl(`${base}/events`, base)).toBe(`${base}/events`);
  });

  it("sends everything else to the base URL", () => {
    for (const url of ["/.//evil.example/x", "//evil", "/\\evil", "https://evil", "javascript:alert(1)", "http://localhost:3171/queue", `${base}/.//evil.example/x`, "not a url"]) {
      expect(safeRedirectUrl(url, base)).toBe(base);
    }
  });
});
