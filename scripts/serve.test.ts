import { describe, expect, it } from "vitest";
// @ts-expect-error plain JavaScript, run before anything is compiled
import { clientAddress, trustForwarding } from "./serve.mjs";

describe("clientAddress", () => {
  it("without trusted proxies is the connection's peer, whatever X-Forwarded-For claims", () => {
    expect(clientAddress("203.0.113.7", "1.2.3.4", 0)).toBe("203.0.113.7");
    expect(clientAddress("::ffff:127.0.0.1", "10.0.0.1, 10.0.0.2", 0)).toBe("127.0.0.1");
    expect(clientAddress("::1", undefined, 0)).toBe("::1");
  });

  it("behind N trusted proxies is the address the outermost of them saw, not what the client prepended", () => {
    // client forged "6.6.6.6"; our proxy saw the client as 198.51.100.4 and connected from 10.0.0.5
    expect(clientAddress("10.0.0.5", "6.6.6.6, 198.51.100.4", 1)).toBe("198.51.100.4");
    // two proxies: the outer saw 198.51.100.4, the inner saw the outer (10.0.0.9)
    expect(clientAddress("10.0.0.5", "6.6.6.6, 198.51.100.4, 10.0.0.9", 2)).toBe("198.51.100.4");
    // fewer entries than hops: the leftmost we have
    expect(clientAddress("10.0.0.5", "", 3)).toBe("10.0.0.5");
    expect(clientAddress("10.0.0.5", ["6.6.6.6", "198.51.100.4"], 1)).toBe("198.51.100.4");
  });
});

describe("trustForwarding", () => {
  it("leaves one trusted address and drops the forwarded host and scheme a client could forge", () => {
    const req = {
      socket: { remoteAddress: "127.0.0.1" },
      headers: { "x-forwarded-for": "6.6.6.6", "x-real-ip": "6.6.6.6", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https", host: "127.0.0.1:3000" },
    };
    trustForwarding(req, 0);
    expect(req.headers).toEqual({ "x-forwarded-for": "127.0.0.1", host: "127.0.0.1:3000" });
  });

  it("behind a trusted proxy keeps the proxy's host and scheme", () => {
    const req = { socket: { remoteAddress: "10.0.0.5" }, headers: { "x-forwarded-for": "198.51.100.4", "x-forwarded-host": "review.example", "x-forwarded-proto": "https" } };
    trustForwarding(req, 1);
    expect(req.headers).toEqual({ "x-forwarded-for": "198.51.100.4", "x-forwarded-host": "review.example", "x-forwarded-proto": "https" });
  });
});
