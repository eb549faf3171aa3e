/**
 * First-load JavaScript of a page (design/performance.md B6): the scripts its HTML makes
 * the browser fetch before hydration, gzip-compressed as the server sends them, read from
 * the production build's own files. Deterministic: the same build gives the same bytes.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** The build's script URLs a page's HTML loads: `<script src>` (not `nomodule`) and `<link rel=preload|modulepreload as=script>`. */
export function scriptSources(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*>/g)) {
    // A `nomodule` script (Next's legacy polyfills) is neither fetched nor run by a browser
    // with ES modules, which every browser the console supports has.
    if (/\bnomodule\b/i.test(m[0])) continue;
    const src = /\bsrc="([^"]+)"/.exec(m[0])?.[1];
    if (src) found.add(src);
  }
  for (const m of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = m[0];
    if (!/\brel="(?:preload|modulepreload)"/.test(tag) || (/\brel="preload"/.test(tag) && !/\bas="script"/.test(tag))) continue;
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href) found.add(href);
  }
  return [...found].filter((src) => src.startsWith("/_next/static/")).map((src) => src.replace(/&amp;/g, "&").split("?")[0]!);
}

/** Bytes of those scripts gzip-compressed (level 6, as Next's server compresses), each counted once. */
export function firstLoadBytes(sources: string[], buildDir = ".next"): { files: number; gzipBytes: number; rawBytes: number } {
  let gzipBytes = 0;
  let rawBytes = 0;
  for (const src of new Set(sources)) {
    const file = path.join(buildDir, "static", decodeURIComponent(src.slice("/_next/static/".length)));
    const body = fs.readFileSync(file);
    rawBytes += body.length;
    gzipBytes += gzipSync(body, { level: 6 }).length;
  }
  return { files: new Set(sources).size, gzipBytes, rawBytes };
}
