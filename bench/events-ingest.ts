/**
 * Minority-event log ingest throughput: 100,000 machine log rows (20,000 reports × the five
 * logs: detected, clustered, attribution, ended, cohort in events of 10 reports), sent in
 * batches of 10,000 through the same data-layer function as POST /api/v1/events/logs/{log}
 * (validation, natural keys, content hashes, versioning, one transaction per batch), then
 * the whole batch set again (every row a replay, nothing stored). Reports rows/s for both.
 *
 * `npm run bench:events [-- --reports N] [--database-url postgresql://…/postgres]`: creates
 * its own database `sentinel_bench_events` and drops it at the end. One JSON line on stdout.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import type { Actor } from "@/lib/auth/actor";
import { ingestEventLogRows } from "@/lib/data/events/ingest";
import { eventsView } from "@/lib/data/events/views";
import { LOG_NAMES, MAX_LOG_ROWS, reportId } from "@/lib/mrs";
import { createBenchDatabase, DEFAULT_SERVER_URL } from "./support";

const { values } = parseArgs({ options: { reports: { type: "string", default: "20000" }, "database-url": { type: "string" }, help: { type: "boolean" } } });
if (values.help) {
  console.log("Usage: npm run bench:events [-- --reports N] [--database-url postgresql://user@host:port/postgres]");
  process.exit(0);
}
const REPORTS = Number(values.reports);
const database = await createBenchDatabase(values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL, "sentinel_bench_events", 4);
const token: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "bench@local", scopes: ["events:ingest"] };

const t0 = Date.parse("2026-01-05T08:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();
const rows: Record<string, object[]> = { detected: [], clustered: [], attribution: [], ended: [], cohort: [] };
for (let i = 0; i < REPORTS; i++) {
  const storeId = `ST-${String(i).padStart(6, "0")}`;
  const sku = `SKU-${i % 50}`;
  const start = t0 + (i % 500) * 3_600_000;
  const id = reportId(storeId, sku, iso(start));
  const baseline = 1000 + (i % 97) * 10;
  const actual = baseline * (1.3 + (i % 7) / 10);
  rows.detected!.push({ reportId: id, storeId, retailer: ["Tesco", "Asda", "Co-op", "Waitrose"][i % 4], sku, windowStart: iso(start), baseline, actual, uplift: actual - baseline, writtenAt: iso(start + 3_600_000) });
  rows.clustered!.push({ reportId: id, clusterRunId: "run-1", clusterId: `CL-${i % 200}`, similarityFeatures: { uplift: actual / baseline }, writtenAt: iso(start + 4_000_000) });
  rows.attribution!.push({
    reportId: id,
    attributionRunId: "att-1",
    cause_1: { category: "promotion", label: "Promo" },
    confidence_1: 0.5 + (i % 40) / 100,
    cause_2: { category: "social_viral", label: "Social" },
    confidence_2: 0.2,
    narrative: "Generated for the benchmark.",
    evidence: [],
    writtenAt: iso(start + 5_000_000),
  });
  rows.ended!.push({ reportId: id, windowEnd: iso(start + 86_400_000), writtenAt: iso(start + 90_000_000) });
  rows.cohort!.push({ reportId: id, reportGroupId: `BENCH-${Math.floor(i / 10)}`, cohortSize: 10, cohortConfidence: 0.8, writtenAt: iso(start + 6_000_000) });
}
const total = REPORTS * LOG_NAMES.length;

async function sendAll(): Promise<{ seconds: number; stored: number; unchanged: number }> {
  let stored = 0;
  let unchanged = 0;
  const started = performance.now();
  for (const log of LOG_NAMES) {
    for (let i = 0; i < REPORTS; i += MAX_LOG_ROWS) {
      const out = await ingestEventLogRows(token, log, { rows: rows[log]!.slice(i, i + MAX_LOG_ROWS) });
      stored += out.stored + out.versioned;
      unchanged += out.unchanged;
    }
  }
  return { seconds: (performance.now() - started) / 1000, stored, unchanged };
}

process.stderr.write(`ingesting ${total.toLocaleString("en-US")} rows…\n`);
const first = await sendAll();
process.stderr.write("again (every row a replay)…\n");
const replay = await sendAll();
const viewStarted = performance.now();
const view = await eventsView({ kind: "operator" });
const viewSeconds = (performance.now() - viewStarted) / 1000;
await database.drop();
console.log(
  JSON.stringify({
    bench: "events log ingest",
    rows: total,
    batchRows: MAX_LOG_ROWS,
    storedRows: first.stored,
    rowsPerSecond: Math.round(total / first.seconds),
    replayUnchanged: replay.unchanged,
    replayRowsPerSecond: Math.round(total / replay.seconds),
    events: view.events.length,
    reports: view.reports.length,
    fullViewSeconds: Number(viewSeconds.toFixed(2)),
    node: process.version,
  }),
);
process.exit(0);
