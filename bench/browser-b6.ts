/**
 * B6 (design/performance.md): what an analyst's browser pays for the queue and a record.
 * Starts the console with demo data on its own database (port 3600), signs in as the demo
 * analyst and, in headless Chromium on loopback, loads a 100-row queue page and a record
 * page `--runs` times each (fresh page, warm server): LCP and Chrome's `ScriptDuration`
 * (Performance.getMetrics), plus each route's first-load JavaScript from the build (gzip).
 * The limit beside them is the budget (bench/budget.json); the ratios are figure / budget.
 *
 * `npm run bench:browser [-- --database-url postgresql://…/postgres] [--runs N] [--port P]`
 * (`--port`, or `BENCH_PORT`, when another run holds 3600: each port gets its own database).
 * JSON summary as the last line. Stops the console it started on success, error or signal.
 */
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { firstLoadBytes, scriptSources } from "@/lib/perf/first-load-js";
import { DEMO_USERS } from "@/prisma/demo-users";
import { createBenchDatabase, DEFAULT_SERVER_URL, signInCookie, startConsole } from "./support";

const { values } = parseArgs({ options: { "database-url": { type: "string" }, runs: { type: "string", default: "15" }, port: { type: "string" }, help: { type: "boolean" } } });
if (values.help) {
  console.log("Usage: npm run bench:browser [-- --database-url postgresql://user@host:port/postgres] [--runs N] [--port P]");
  process.exit(0);
}
const serverUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const RUNS = Number(values.runs);
const PORT = Number(values.port ?? process.env.BENCH_PORT ?? 3600);
if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65535) throw new Error(`--port must be a TCP port, not ${values.port ?? process.env.BENCH_PORT}`);
const budget = JSON.parse(fs.readFileSync("bench/budget.json", "utf8")) as BrowserBudget;
type BrowserBudget = { firstLoadJsGzipBytes: Record<string, number>; lcpMs: number; scriptDurationMs: number };
const say = (m: string) => process.stderr.write(`[b6] ${m}\n`);

const database = await createBenchDatabase(serverUrl, PORT === 3600 ? "sentinel_bench_b6" : `sentinel_bench_b6_${PORT}`, 2);
const loadAtStart = os.loadavg()[0]!;
say("starting the console with demo data…");
const consoleServer = await startConsole({ databaseUrl: database.url, port: PORT, demo: true, dataDir: PORT === 3600 ? ".data/bench-b6" : `.data/bench-b6-${PORT}` });
const base = consoleServer.base;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
try {
  const analyst = DEMO_USERS.find((u) => u.role === "analyst")!;
  const cookie = await signInCookie(base, analyst.email, analyst.password);
  const recordId = (await database.handle.pool.query<{ record_id: string }>("SELECT record_id FROM gating_results WHERE current AND route = 'audit' ORDER BY record_id LIMIT 1")).rows[0]!.record_id;
  const routes: Record<string, string> = { queue: "/queue?limit=100", record: `/queue/${encodeURIComponent(recordId)}` };

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addCookies([{ ...cookie, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);

  /** One cold page load on a warm server: LCP from the page's own observer, ScriptDuration from CDP. */
  async function measure(url: string): Promise<{ lcpMs: number; scriptDurationMs: number; rows: number }> {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Performance.enable", { timeDomain: "timeTicks" });
    await page.addInitScript(() => {
      (window as unknown as { __lcp: number }).__lcp = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) (window as unknown as { __lcp: number }).__lcp = e.startTime;
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    await page.goto(base + url, { waitUntil: "load" });
    await page.waitForLoadState("networkidle");
    // LCP is final once the page is idle and nothing larger paints.
    await page.waitForTimeout(250);
    const lcpMs = await page.evaluate(() => (window as unknown as { __lcp: number }).__lcp);
    const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
    const scriptDurationMs = (metrics.find((m) => m.name === "ScriptDuration")?.value ?? Number.NaN) * 1000;
    const rows = await page.locator("tbody tr").count();
    await page.close();
    return { lcpMs, scriptDurationMs, rows };
  }

  const quantile = (xs: number[], q: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  };
  const results: Record<string, unknown> = {};
  for (const [name, url] of Object.entries(routes)) {
    const html = await (await fetch(base + url, { headers: { Cookie: `${cookie.name}=${cookie.value}` } })).text();
    const js = firstLoadBytes(scriptSources(html));
    await measure(url); // warms the server's caches for this route
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(url));
    const lcp = runs.map((r) => r.lcpMs);
    const script = runs.map((r) => r.scriptDurationMs);
    const jsBudget = budget.firstLoadJsGzipBytes[name === "queue" ? "/queue" : "/queue/[recordId]"]!;
    results[name] = {
      url,
      rows: runs[0]!.rows,
      firstLoadJs: { files: js.files, gzipKB: +(js.gzipBytes / 1024).toFixed(1), rawKB: +(js.rawBytes / 1024).toFixed(1), budgetKB: +(jsBudget / 1024).toFixed(1), ratio: +(js.gzipBytes / jsBudget).toFixed(3) },
      lcpMs: { p50: +quantile(lcp, 0.5).toFixed(1), p95: +quantile(lcp, 0.95).toFixed(1), target: budget.lcpMs, ratioP95: +(quantile(lcp, 0.95) / budget.lcpMs).toFixed(3) },
      scriptDurationMs: { p50: +quantile(script, 0.5).toFixed(1), p95: +quantile(script, 0.95).toFixed(1), target: budget.scriptDurationMs, ratioP95: +(quantile(script, 0.95) / budget.scriptDurationMs).toFixed(3) },
    };
    say(`${name}: ${JSON.stringify(results[name])}`);
  }
  const summary = {
    benchmark: "B6 browser",
    database: serverUrl.includes("127.0.0.1:5432") ? "machine PostgreSQL" : "DATABASE_URL",
    runsPerRoute: RUNS,
    chromium: browser.version(),
    ...results,
    loadAverage1m: { atStart: +loadAtStart.toFixed(2), atEnd: +os.loadavg()[0]!.toFixed(2) },
    cores: os.cpus().length,
  };
  console.log(JSON.stringify(summary));
} finally {
  await browser.close();
  await consoleServer.stop();
  await database.drop();
}
