/**
 * Minority events at scale (issue: incremental views), on the machine's PostgreSQL:
 *
 * 1. The views' upkeep, in process, same run: 100,000 log rows (20,000 reports × the five
 *    logs, events of 10 reports) stored through `ingestEventLogRows` with the incremental
 *    views kept, against the same rows (other reports) stored without them — alternating
 *    rounds in one database, so both see the same table sizes. Reports both rows/s and
 *    the ratio (the limit: storing the rows alone).
 * 2. Through HTTP, against the production console (`scripts/start.ts`, its own database):
 *    POST /api/v1/events/logs/{log} in batches of 10,000 up to 100,000 rows, then up to
 *    1,000,000; at each size the p95 of an event page (`/events/<id>`, random events) and of
 *    a filtered, searched list page, signed in, beside the p95 of the liveness route (the
 *    server's floor, same run), and the same reads through the data layer in process;
 *    targets 50 ms and 100 ms, flat from 100k to 1M.
 * Before the pages are measured at each size the database is settled with VACUUM ANALYZE
 * (timed in the JSON), as after any bulk load. Every row is replayed once at the end
 * (nothing stored). The load average is reported.
 *
 * `npm run bench:events [-- --rows 1000000] [--runs 200] [--port 3190] [--database-url postgresql://…/postgres]`:
 * creates `sentinel_bench_events` and `sentinel_bench_events_http`, drops both, stops the
 * server it started on success, error or signal. One JSON line on stdout.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { ingestEventLogRows } from "@/lib/data/events/ingest";
import { listEvents, type EventsListQuery } from "@/lib/data/events/list";
import { getEventDetail } from "@/lib/data/events/views";
import { setDatabase } from "@/lib/data/db";
import { createServiceAccount, createToken } from "@/lib/data/tokens";
import { createUser } from "@/lib/data/users";
import { eventId as eventIdOf, LOG_NAMES, MAX_LOG_ROWS, reportId, type LogName } from "@/lib/mrs";
import { atShutdown, createBenchDatabase, DEFAULT_SERVER_URL, dropOnSignal, signInCookie, startConsole } from "./support";

const { values } = parseArgs({
  options: { rows: { type: "string", default: "1000000" }, runs: { type: "string", default: "200" }, port: { type: "string", default: "3190" }, "database-url": { type: "string" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("Usage: npm run bench:events [-- --rows 1000000] [--runs 200] [--port 3190] [--database-url postgresql://user@host:port/postgres]");
  process.exit(0);
}
const serverUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const TOTAL_ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const SMALL_ROWS = 100_000;
const say = (m: string) => process.stderr.write(`[events] ${m}\n`);
const loadAtStart = os.loadavg()[0]!;

const t0 = Date.parse("2026-01-05T08:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();
const RETAILERS = ["Tesco", "Asda", "Co-op", "Waitrose"];

/** The five logs' rows of reports [from, to): events of 10 reports, every stage present. */
function rowsOf(from: number, to: number): Record<LogName, object[]> {
  const rows: Record<LogName, object[]> = { detected: [], clustered: [], attribution: [], ended: [], cohort: [] };
  for (let i = from; i < to; i++) {
    const storeId = `ST-${String(i).padStart(7, "0")}`;
    const sku = `SKU-${i % 50}`;
    const start = t0 + (i % 500) * 3_600_000;
    const id = reportId(storeId, sku, iso(start));
    const baseline = 1000 + (i % 97) * 10;
    const actual = baseline * (1.3 + (i % 7) / 10);
    rows.detected.push({ reportId: id, storeId, retailer: RETAILERS[i % 4], sku, city: `City-${i % 40}`, windowStart: iso(start), baseline, actual, uplift: actual - baseline, writtenAt: iso(start + 3_600_000) });
    rows.clustered.push({ reportId: id, clusterRunId: "run-1", clusterId: `CL-${i % 200}`, similarityFeatures: { uplift: actual / baseline }, writtenAt: iso(start + 4_000_000) });
    rows.attribution.push({
      reportId: id,
      attributionRunId: "att-1",
      cause_1: { category: i % 3 === 0 ? "data_error" : "promotion", label: i % 3 === 0 ? "Till feed" : "Promo" },
      confidence_1: 0.2 + (i % 70) / 100,
      cause_2: { category: "social_viral", label: "Social" },
      confidence_2: 0.1,
      narrative: "Generated for the benchmark.",
      evidence: [],
      writtenAt: iso(start + 5_000_000),
    });
    rows.ended.push({ reportId: id, windowEnd: iso(start + 86_400_000), writtenAt: iso(start + 90_000_000) });
    rows.cohort.push({ reportId: id, reportGroupId: `BENCH-${Math.floor(i / 10)}`, cohortSize: 10, cohortConfidence: 0.8, writtenAt: iso(start + 6_000_000) });
  }
  return rows;
}

const p95 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)]!;
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

const drops: (() => Promise<void>)[] = [];
let stopServer: (() => Promise<void>) | null = null;
async function cleanUp() {
  await stopServer?.().catch(() => undefined);
  stopServer = null;
  for (const drop of drops.splice(0)) await drop();
}

try {
  // 1. The views' upkeep, in process.
  const upkeep = await createBenchDatabase(serverUrl, "sentinel_bench_events", 4);
  drops.push(dropOnSignal(upkeep));
  const token: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "bench@local", scopes: ["events:ingest"] };
  const seconds = { with: 0, without: 0 };
  const ROUND_REPORTS = SMALL_ROWS / LOG_NAMES.length / 4;
  for (let r = 0; r < 8; r++) {
    const views = r % 2 === 1;
    const rows = rowsOf(r * ROUND_REPORTS, (r + 1) * ROUND_REPORTS);
    const started = performance.now();
    for (const log of LOG_NAMES) await ingestEventLogRows(token, log, { rows: rows[log] }, new Date(), { views });
    seconds[views ? "with" : "without"] += (performance.now() - started) / 1000;
  }
  const rowsEach = SMALL_ROWS;
  const inProcess = {
    rows: rowsEach,
    withViewsRowsPerSecond: Math.round(rowsEach / seconds.with),
    withoutViewsRowsPerSecond: Math.round(rowsEach / seconds.without),
    ratio: round(seconds.with / seconds.without, 2),
  };
  say(`upkeep: ${JSON.stringify(inProcess)}`);
  await drops.pop()!();

  // 2. Through HTTP, against the production console.
  const http = await createBenchDatabase(serverUrl, "sentinel_bench_events_http", 4);
  drops.push(dropOnSignal(http));
  setDatabase(http.handle);
  const analyst = await createUser(OPERATOR, { email: "analyst@bench.local", name: "Bench Analyst", role: "analyst", password: "bench bench bench" });
  const reader: Actor = { kind: "user", id: analyst.id, email: analyst.email, name: analyst.name, role: "analyst" };
  const account = await createServiceAccount(OPERATOR, { email: "feeds@bench.local", name: "Bench feeds", allowedScopes: ["events:ingest", "read"] });
  const { token: secret } = await createToken(OPERATOR, { ownerId: account.id, name: "bench", scopes: ["events:ingest", "read"], ingestPerMinute: 1_000_000, readPerMinute: 1_000_000 });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-bench-events-"));
  drops.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  atShutdown(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
  say("starting the console (a production build when stale)…");
  const server = await startConsole({ databaseUrl: http.url, port: Number(values.port), demo: false, dataDir });
  stopServer = server.stop;
  const cookie = await signInCookie(server.base, "analyst@bench.local", "bench bench bench");
  const headers = { Cookie: `${cookie.name}=${cookie.value}` };

  let sent = 0;
  const sendUpTo = async (rowsTarget: number, replay = false): Promise<{ rowsPerSecond: number; stored: number; unchanged: number }> => {
    const reportsFrom = replay ? 0 : sent / LOG_NAMES.length;
    const reportsTo = rowsTarget / LOG_NAMES.length;
    let stored = 0;
    let unchanged = 0;
    const started = performance.now();
    for (let from = reportsFrom; from < reportsTo; from += MAX_LOG_ROWS) {
      const rows = rowsOf(from, Math.min(reportsTo, from + MAX_LOG_ROWS));
      for (const log of LOG_NAMES) {
        const res = await fetch(`${server.base}/api/v1/events/logs/${log}`, { method: "POST", headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" }, body: JSON.stringify({ rows: rows[log] }) });
        if (res.status !== 201) throw new Error(`POST ${log}: ${res.status} ${await res.text()}`);
        const out = (await res.json()) as { stored: number; versioned: number; unchanged: number };
        stored += out.stored + out.versioned;
        unchanged += out.unchanged;
      }
      if (!replay && (from / MAX_LOG_ROWS) % 10 === 9) say(`  ${((from + MAX_LOG_ROWS) * LOG_NAMES.length).toLocaleString("en-US")} rows`);
    }
    const rowsSent = (reportsTo - reportsFrom) * LOG_NAMES.length;
    if (!replay) sent = rowsTarget;
    return { rowsPerSecond: Math.round(rowsSent / ((performance.now() - started) / 1000)), stored, unchanged };
  };

  const timeGet = async (url: string, withCookie: boolean): Promise<number> => {
    const started = performance.now();
    const res = await fetch(url, { headers: withCookie ? headers : {}, redirect: "manual" });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
    return performance.now() - started;
  };
  const LIST = "/events?status=all&priority=high&q=SKU-7&sort=started";
  const LIST_FILTER: EventsListQuery = { status: "all", priority: "high", q: "SKU-7", sort: "started", cause: null, tier: null, degraded: null, retailer: null, from: null, to: null, dir: null };
  const measurePages = async (rows: number) => {
    // After a bulk load the planner has no statistics yet and autovacuum would be running
    // beside the reads: settle the tables as an operator would, and report how long it took.
    const settleStarted = performance.now();
    await http.owner.query("VACUUM ANALYZE");
    const settleSeconds = round((performance.now() - settleStarted) / 1000);
    const events = rows / LOG_NAMES.length / 10;
    const urls = Array.from({ length: RUNS }, (_, i) => `${server.base}/events/${eventIdOf(`BENCH-${Math.floor(((i * 7919) % events))}`)}`);
    // Warm-up: a console just started compiles its render paths on the first requests.
    for (const url of urls.slice(0, 40)) await timeGet(url, true);
    for (let i = 0; i < 20; i++) await timeGet(`${server.base}${LIST}`, true);
    const event: number[] = [];
    const list: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      event.push(await timeGet(urls[i]!, true));
      list.push(await timeGet(`${server.base}${LIST}`, true));
      floor.push(await timeGet(`${server.base}/api/health`, false));
    }
    // The same reads through the data layer in this process: what of a page is the database's.
    const eventData: number[] = [];
    const listData: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let started = performance.now();
      await getEventDetail(reader, urls[i]!.split("/").at(-1)!);
      eventData.push(performance.now() - started);
      started = performance.now();
      await listEvents(reader, { ...LIST_FILTER });
      listData.push(performance.now() - started);
    }
    const out = {
      rows,
      vacuumAnalyzeSeconds: settleSeconds,
      eventPageP95Ms: round(p95(event)),
      eventDataP95Ms: round(p95(eventData)),
      listPageP95Ms: round(p95(list)),
      listDataP95Ms: round(p95(listData)),
      floorP95Ms: round(p95(floor)),
      eventPageToFloor: round(p95(event) / p95(floor)),
      listPageToFloor: round(p95(list) / p95(floor)),
    };
    say(`pages at ${rows.toLocaleString("en-US")} rows: ${JSON.stringify(out)}`);
    return out;
  };

  say(`HTTP ingest up to ${SMALL_ROWS.toLocaleString("en-US")} rows…`);
  const ingestSmall = await sendUpTo(Math.min(SMALL_ROWS, TOTAL_ROWS));
  const small = await measurePages(Math.min(SMALL_ROWS, TOTAL_ROWS));
  say(`HTTP ingest up to ${TOTAL_ROWS.toLocaleString("en-US")} rows…`);
  const ingestLarge = TOTAL_ROWS > SMALL_ROWS ? await sendUpTo(TOTAL_ROWS) : null;
  const large = TOTAL_ROWS > SMALL_ROWS ? await measurePages(TOTAL_ROWS) : null;
  say("replaying the first 100,000 rows (nothing stored)…");
  const replay = await sendUpTo(Math.min(SMALL_ROWS, TOTAL_ROWS), true);
  const loadAtEnd = os.loadavg()[0]!;
  await cleanUp();

  console.log(
    JSON.stringify({
      bench: "minority events at scale",
      database: "machine PostgreSQL",
      upkeepInProcess: inProcess,
      http: {
        ingest: { to100k: ingestSmall, toTotal: ingestLarge, replay100k: replay },
        pages: { at100k: small, atTotal: large },
        growth100kToTotal: large ? { eventPage: round(large.eventPageP95Ms / small.eventPageP95Ms, 2), listPage: round(large.listPageP95Ms / small.listPageP95Ms, 2) } : null,
      },
      targets: { eventPageP95Ms: 50, listPageP95Ms: 100, flat: "1M/100k p95 ≈ 1" },
      met: large ? { eventPage: large.eventPageP95Ms <= 50 && small.eventPageP95Ms <= 50, listPage: large.listPageP95Ms <= 100 && small.listPageP95Ms <= 100 } : null,
      loadAverage: { start: round(loadAtStart, 2), end: round(loadAtEnd, 2) },
      cores: os.cpus().length,
      node: process.version,
    }),
  );
  process.exit(0);
} catch (error) {
  console.error(error);
  await cleanUp();
  process.exit(process.exitCode ?? 1);
}
