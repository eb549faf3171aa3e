/**
 * B3 (design/performance.md): the audit queue's page query at 100,000 and 1,000,000 gating
 * results. The real data is ingested once through the ingest path (8,693 records, about
 * 15 % queued), then copied in SQL with new record ids until the table holds the size;
 * the audit share stays the calibrated one. For the (flag, cluster) filter with the
 * longest queue, the first page and a deep page (page 50 at 100k, page 500 at 1M) of 50
 * rows in triage order are timed through `listQueue` (round trips included) against the
 * EXPLAIN ANALYZE execution time of the same two statements (the page's ids, then its rows
 * by id), in the same run. The view's capped count (`countQueue`, which the queue page runs
 * beside the page) is timed too.
 *
 * `npm run bench:queue [-- --database-url postgresql://…/postgres]` — creates and drops
 * its own database `sentinel_bench_b3` on that server. JSON summary as the last line.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { countQueue, listQueue, queueQuery, queuePageSql, QUEUE_COUNT_CAP, QUEUE_ITEMS_SQL } from "@/lib/data/queue";
import { queueQuerySchema } from "@/lib/validations/queue";
import { ingestDemoBatches } from "@/prisma/demo-batches";
import { createBenchDatabase, DEFAULT_SERVER_URL, dropOnSignal } from "./support";

const { values } = parseArgs({ options: { "database-url": { type: "string" }, runs: { type: "string", default: "40" }, help: { type: "boolean" } } });
if (values.help) {
  console.log("Usage: npm run bench:queue [-- --database-url postgresql://user@host:port/postgres] [--runs N]");
  process.exit(0);
}
const serverUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const RUNS = Number(values.runs);
const DB = "sentinel_bench_b3";
const reader: Actor = { kind: "user", id: "00000000-0000-0000-0000-000000000000", email: "bench@local", name: "Bench", role: "analyst" };

const loadAtStart = os.loadavg()[0]!;
const database = await createBenchDatabase(serverUrl, DB, 4);
const drop = dropOnSignal(database);
const pool = database.handle.pool;

process.stderr.write("ingesting the real data through the ingest path…\n");
await ingestDemoBatches(OPERATOR);
const base = Number((await pool.query("SELECT count(*) FROM gating_results")).rows[0].count);

/** Copies the original rows with new record ids (suffix -k) until the table holds `target` rows. */
async function growTo(target: number): Promise<void> {
  let have = Number((await pool.query("SELECT count(*) FROM gating_results")).rows[0].count);
  for (let k = Math.ceil(have / base); have < target; k++) {
    const take = Math.min(base, target - have);
    await pool.query("BEGIN");
    await pool.query(
      `INSERT INTO scored_records (record_id, current_version, created_at, updated_at)
       SELECT record_id || '-' || $1::int, 1, created_at, created_at FROM gating_results WHERE id <= $2 ORDER BY id LIMIT $3`,
      [k, base, take],
    );
    await pool.query(
      `INSERT INTO gating_results (record_id, version, current, batch_id, policy_id, route, decision, fragile, fragility_score, theta, triage_key, error_estimate,
         p10, p50, p90, confidence, p_model, p_glm, cluster_id, scorer_version, flags, reason_codes, input, provenance, created_at)
       SELECT record_id || '-' || $1::int, 1, true, batch_id, policy_id, route, decision, fragile, fragility_score, theta, triage_key, error_estimate,
         p10, p50, p90, confidence, p_model, p_glm, cluster_id, scorer_version, flags, reason_codes, input, provenance, created_at + make_interval(secs => $1::int)
       FROM gating_results WHERE id <= $2 ORDER BY id LIMIT $3`,
      [k, base, take],
    );
    await pool.query("COMMIT");
    have += take;
    if (k % 10 === 0) process.stderr.write(`  ${have.toLocaleString("en-US")} results\n`);
  }
  await database.owner.query("VACUUM ANALYZE gating_results");
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function timeCall(query: Record<string, string>, call: typeof listQueue | typeof countQueue = listQueue): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await call(reader, queueQuery(query));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
}

/** The median execution time of the page's two statements: its ids in order, then its rows by id. */
async function explainMs(query: Record<string, string>): Promise<number> {
  const sql = queuePageSql(queueQuerySchema.parse(query));
  const ids = (await pool.query<{ result_id: string }>(sql.text, sql.values)).rows.map((r) => r.result_id).slice(0, Number(query.limit));
  const executionMs = async (text: string, values: unknown[]) =>
    ((await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${text}`, values)).rows[0]["QUERY PLAN"][0] as { "Execution Time": number })["Execution Time"];
  const times: number[] = [];
  for (let i = 0; i < 9; i++) times.push((await executionMs(sql.text, sql.values)) + (await executionMs(QUEUE_ITEMS_SQL.text, [ids])));
  times.sort((a, b) => a - b);
  return times[4]!;
}

async function measure(size: number, deepPage: number) {
  await growTo(size);
  // The (flag, cluster) pair with the longest queue: deep enough to page that far.
  const pair = (
    await pool.query<{ flag: string; cluster_id: string; n: string }>(
      `SELECT f AS flag, cluster_id, count(*) AS n FROM gating_results, unnest(flags) AS f WHERE current AND route = 'audit' GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 1`,
    )
  ).rows[0]!;
  const view = { flag: pair.flag, cluster: pair.cluster_id, sort: "triage", limit: "50" };
  let cursor: string | null = null;
  for (let p = 1; p < deepPage; p++) {
    const page = await listQueue(reader, queueQuery(cursor ? { ...view, cursor } : view));
    cursor = page.nextCursor;
    if (!cursor) throw new Error(`the filtered queue ends before page ${deepPage} (${pair.n} rows)`);
  }
  const deep = { ...view, cursor: cursor! };
  const first = await timeCall(view);
  const deepT = await timeCall(deep);
  const count = await timeCall(view, countQueue);
  const firstSql = await explainMs(view);
  const deepSql = await explainMs(deep);
  return {
    results: size,
    filter: { flag: pair.flag, cluster: pair.cluster_id, queueLength: Number(pair.n) },
    deepPage,
    firstPage: { p50Ms: round(first.p50), p95Ms: round(first.p95), sqlMs: round(firstSql), ratioToSqlPlus1ms: round(first.p50 / (2 * firstSql + 1)) },
    deep: { p50Ms: round(deepT.p50), p95Ms: round(deepT.p95), sqlMs: round(deepSql), ratioToSqlPlus1ms: round(deepT.p50 / (2 * deepSql + 1)) },
    deepOverFirst: round(deepT.p50 / first.p50),
    count: { p50Ms: round(count.p50), p95Ms: round(count.p95), cap: QUEUE_COUNT_CAP },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

try {
  const small = await measure(100_000, 50);
  process.stderr.write(`${JSON.stringify(small)}\n`);
  const large = await measure(1_000_000, 500);
  process.stderr.write(`${JSON.stringify(large)}\n`);
  console.log(
    JSON.stringify({
      bench: "B3 audit queue page",
      pageSize: 50,
      at100k: small,
      at1M: large,
      targets: { callVsSql: "≤ 2× SQL + 1 ms (ratio ≤ 1)", p95Ms: 50, deepOverFirst: 1.2, flat: "1M p50 ≈ 100k p50" },
      flat1MOver100k: round(large.deep.p50Ms / small.deep.p50Ms),
      loadAverage1m: { atStart: +loadAtStart.toFixed(2), atEnd: +os.loadavg()[0]!.toFixed(2) },
      cores: os.cpus().length,
      node: process.version,
    }),
  );
} finally {
  await drop();
}
