import fs from "node:fs";
import { expect, test } from "@playwright/test";
import type { Role } from "@/lib/auth/permissions";
import { firstLoadBytes, scriptSources } from "@/lib/perf/first-load-js";
import { newApiContext, query, storageStateFor } from "./support";

/**
 * B6's first-load JavaScript budget (design/performance.md, bench/budget.json) against the
 * build the suite runs: each route's HTML, as its user receives it, names the scripts loaded
 * before hydration; their gzip bytes (from .next/static) stay within the route's budget.
 * Bytes only: the timings of B6 are the benchmark's (npm run bench:browser).
 */
const budget = JSON.parse(fs.readFileSync("bench/budget.json", "utf8")) as { firstLoadJsGzipBytes: Record<string, number> };

/** Who opens each route: the role whose page is the largest variant (a lead's queue has the bulk bar). */
const VIEWER: Record<string, Role | null> = {
  "/login": null,
  "/queue": "lead",
  "/queue/[recordId]": "lead",
  "/events": "analyst",
  "/governance/ledger": "governance",
  "/admin/users": "admin",
  "/account": "analyst",
};

test.describe("first-load JavaScript within budget", () => {
  for (const [route, limit] of Object.entries(budget.firstLoadJsGzipBytes)) {
    test(`${route} ≤ ${(limit / 1024).toFixed(1)} KB gzip`, async ({ baseURL }) => {
      expect(limit, "budgets stay within B6's 200 KB").toBeLessThanOrEqual(204_800);
      expect(route in VIEWER, `bench/budget.json route ${route} has a viewer here`).toBe(true);
      const role = VIEWER[route]!;
      let path = route;
      if (route === "/queue/[recordId]") {
        const [row] = await query<{ record_id: string }>("SELECT record_id FROM gating_results WHERE current AND route = 'audit' ORDER BY record_id LIMIT 1");
        expect(row, "the demo data has an audit record").toBeDefined();
        path = `/queue/${encodeURIComponent(row!.record_id)}`;
      }
      if (route === "/queue") path = "/queue?limit=100";
      // Every status: the demo's events are decided or finalised, and the list is what is measured.
      if (route === "/events") path = "/events?status=all";
      const api = await newApiContext(baseURL!, role ? storageStateFor(role) : undefined);
      try {
        const res = await api.get(path, { maxRedirects: 0 });
        expect(res.status(), `${path} as ${role ?? "a signed-out visitor"}`).toBe(200);
        const sources = scriptSources(await res.text());
        expect(sources.length).toBeGreaterThan(0);
        const js = firstLoadBytes(sources);
        test.info().annotations.push({ type: "first-load JS", description: `${route}: ${js.files} files, ${js.gzipBytes} B gzip (${(js.gzipBytes / 1024).toFixed(1)} KB), budget ${limit} B` });
        console.log(`${route}: ${js.files} files, ${(js.gzipBytes / 1024).toFixed(1)} KB gzip (budget ${(limit / 1024).toFixed(1)} KB)`);
        expect(js.gzipBytes, `${route} first-load JS (gzip bytes)`).toBeLessThanOrEqual(limit);
      } finally {
        await api.dispose();
      }
    });
  }
});
