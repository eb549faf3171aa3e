import { describe, expect, it } from "vitest";
import { allowedActionOrigins, contentSecurityPolicy, isAllowedActionOrigin, newNonce, securityHeaders } from "./security-headers";

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

describe("contentSecurityPolicy", () => {
  it("lets only this view's nonce run scripts, and nothing frame, embed or rebase the page", () => {
    const d = directives(contentSecurityPolicy({ nonce: "abc123" }));
    expect(d.get("script-src")).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'none'"]);
    expect(d.get("script-src")).not.toContain("'unsafe-inline'");
    expect(d.get("script-src")).not.toContain("'unsafe-eval'");
    expect(d.has("upgrade-insecure-requests")).toBe(false);
  });

  it("allows eval only for the development server and upgrades requests only over https", () => {
    expect(directives(contentSecurityPolicy({ nonce: "n", development: true })).get("script-src")).toContain("'unsafe-eval'");
    expect(directives(contentSecurityPolicy({ nonce: "n", https: true })).has("upgrade-insecure-requests")).toBe(true);
  });

  it("lets a sign-in form reach the configured identity provider and nowhere else", () => {
    const d = directives(contentSecurityPolicy({ nonce: "n", formTargets: ["https://id.example"] }));
    expect(d.get("form-action")).toEqual(["'self'", "https://id.example"]);
  });
});

describe("newNonce", () => {
  it("gives 128 random bits, different every view", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(new Set(Array.from({ length: 100 }, newNonce)).size).toBe(100);
  });
});

describe("securityHeaders", () => {
  it("sends HSTS only over https", () => {
    expect(securityHeaders()).not.toHaveProperty("Strict-Transport-Security");
    expect(securityHeaders({ https: true })["Strict-Transport-Security"]).toMatch(/^max-age=\d{8}/);
    expect(securityHeaders()).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "Cross-Origin-Opener-Policy": "same-origin",
    });
  });
});

describe("server action origins", () => {
  it("trusts the configured public URL over whatever Host the request names", () => {
    const allowed = allowedActionOrigins({ publicUrl: "https://review.example/console", host: "evil.example", https: true });
    expect(allowed).toEqual(["https://review.example"]);
    expect(isAllowedActionOrigin("https://review.example", allowed)).toBe(true);
    expect(isAllowedActionOrigin("https://evil.example", allowed)).toBe(false);
  });

  it("without a public URL, accepts only the address the request was sent to", () => {
    const allowed = allowedActionOrigins({ host: "127.0.0.1:3000", https: false });
    expect(isAllowedActionOrigin("http://127.0.0.1:3000", allowed)).toBe(true);
    expect(isAllowedActionOrigin("https://127.0.0.1:3000", allowed)).toBe(false);
    expect(isAllowedActionOrigin("http://127.0.0.1:3001", allowed)).toBe(false);
  });

  it("refuses a missing, null or malformed Origin", () => {
    const allowed = ["http://localhost:3000"];
    for (const origin of [null, "null", "", "not a url", "http://localhost:3000.evil.example"]) {
      expect(isAllowedActionOrigin(origin, allowed)).toBe(false);
    }
    expect(allowedActionOrigins({ host: null, https: false })).toEqual([]);
  });
});
