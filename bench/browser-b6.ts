/**
 * B6 (design/performance.md): what an analyst's browser pays for the queue and a record.
 * Starts the console with demo data on its own database (port 3600), signs in as the demo
 * analyst and, in headless Chromium on loopback, loads a 100-row queue page and a record
 * page `--runs` times each (fresh page, warm server): LCP and Chrome's `ScriptDuration`
 * (Performance.getMetrics), plus each route's first-load JavaScript from the build (gzip).
 * The limit beside them is the budget (bench/budget.json); the ratios are figure / budget.
 * The same run also builds and serves a bare App Router page (no client component, the same
 * Next and React) and measures it the same way: the framework's own ScriptDuration, the floor
 * under any page of the console; a 10-row queue page, so the cost of 90 more rows shows; and
 * the console's smallest page (Account), what the console's shell costs around any page.
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
import { createBenchDatabase, DEFAULT_SERVER_URL, signInCookie, startConsole, startServerGroup } from "./support";

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
let floorServer: { base: string; stop(): Promise<void> } | undefined;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
try {
  floorServer = await startFrameworkFloor(PORT + 1, PORT === 3600 ? ".data/b6-floor" : `.data/b6-floor-${PORT}`);
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
    await page.goto(url.startsWith("http") ? url : base + url, { waitUntil: "load" });
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
  const scriptP50 = async (url: string) => {
    await measure(url);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push((await measure(url)).scriptDurationMs);
    return { p50: +quantile(runs, 0.5).toFixed(1), p95: +quantile(runs, 0.95).toFixed(1) };
  };
  say("measuring the framework floor, a 10-row queue page and the Account page…");
  const floor = await scriptP50(floorServer.base + "/");
  const queue10 = await scriptP50(base + "/queue?limit=10");
  const account = await scriptP50(base + "/account");
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
      scriptDurationMs: {
        p50: +quantile(script, 0.5).toFixed(1),
        p95: +quantile(script, 0.95).toFixed(1),
        target: budget.scriptDurationMs,
        ratioP95: +(quantile(script, 0.95) / budget.scriptDurationMs).toFixed(3),
        aboveFrameworkFloorP50: +(quantile(script, 0.5) - floor.p50).toFixed(1),
      },
    };
    say(`${name}: ${JSON.stringify(results[name])}`);
  }
  const summary = {
    benchmark: "B6 browser",
    database: serverUrl.includes("127.0.0.1:5432") ? "machine PostgreSQL" : "DATABASE_URL",
    runsPerRoute: RUNS,
    chromium: browser.version(),
    ...results,
    // The bare App Router page: what React and Next cost before any of the console's code.
    frameworkFloor: { scriptDurationMs: { ...floor, shareOfTarget: +(floor.p50 / budget.scriptDurationMs).toFixed(3) } },
    queue10Rows: { url: "/queue?limit=10", scriptDurationMs: queue10 },
    // The console's smallest page (a heading, four facts, a password form) inside its shell.
    smallestConsolePage: { url: "/account", scriptDurationMs: account },
    loadAverage1m: { atStart: +loadAtStart.toFixed(2), atEnd: +os.loadavg()[0]!.toFixed(2) },
    cores: os.cpus().length,
  };
  console.log(JSON.stringify(summary));
} finally {
  await browser.close();
  await floorServer?.stop();
  await consoleServer.stop();
  await database.drop();
}

/**
 * Builds and serves, with this project's Next and React, an App Router app of one page
 * that renders text and no client component (root layout included): the framework floor.
 */
async function startFrameworkFloor(port: number, dir: string): Promise<{ base: string; stop(): Promise<void> }> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(`${dir}/app`, { recursive: true });
  fs.writeFileSync(`${dir}/package.json`, '{ "private": true }\n');
  fs.writeFileSync(`${dir}/app/layout.jsx`, 'export default function RootLayout({ children }) {\n  return <html lang="en"><body>{children}</body></html>;\n}\n');
  // Rendered per request, as every console page is.
  fs.writeFileSync(
    `${dir}/app/page.jsx`,
    'import { connection } from "next/server";\nexport default async function Page() {\n  await connection();\n  return <main><h1>Floor</h1><p>An App Router page with no client component.</p></main>;\n}\n',
  );
  say("building the framework floor page…");
  const { execFileSync } = await import("node:child_process");
  execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build", dir], { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  const base = `http://127.0.0.1:${port}`;
  const server = await startServerGroup({
    what: "the framework floor page",
    args: ["node_modules/next/dist/bin/next", "start", dir, "-p", String(port), "-H", "127.0.0.1"],
    env: { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    readyUrl: `${base}/`,
  });
  return { base, stop: server.stop };
}
