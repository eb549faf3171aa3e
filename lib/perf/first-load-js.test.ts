import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { firstLoadBytes, scriptSources } from "./first-load-js";

describe("first-load JavaScript", () => {
  it("finds the build's scripts a page loads, once each, and nothing else (not nomodule polyfills)", () => {
    const html = `<html><head>
      <link rel="preload" as="script" fetchPriority="low" href="/_next/static/chunks/a.js"/>
      <link rel="stylesheet" href="/_next/static/chunks/x.css"/>
      <link rel="preload" as="font" href="/_next/static/media/f.woff2"/>
      <script src="/_next/static/chunks/a.js" async=""></script>
      <script src="/_next/static/chunks/b.js?dpl=1" async=""></script>
      <script nonce="n">self.__next_f.push([1,""])</script>
      <script src="/_next/static/chunks/polyfills.js" noModule=""></script>
      <script src="https://cdn.example/other.js"></script></head></html>`;
    expect(scriptSources(html)).toEqual(["/_next/static/chunks/a.js", "/_next/static/chunks/b.js"]);
  });

  it("counts each file's gzip size from the build", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "first-load-"));
    fs.mkdirSync(path.join(dir, "static/chunks"), { recursive: true });
    fs.writeFileSync(path.join(dir, "static/chunks/a.js"), "x".repeat(10_000));
    const once = firstLoadBytes(["/_next/static/chunks/a.js"], dir);
    expect(once.rawBytes).toBe(10_000);
    expect(once.gzipBytes).toBeGreaterThan(0);
    expect(once.gzipBytes).toBeLessThan(200);
    expect(firstLoadBytes(["/_next/static/chunks/a.js", "/_next/static/chunks/a.js"], dir)).toEqual(once);
  });
});
