/**
 * B2 (design/performance.md): ingest end to end. 200,000 scored records, resampled from the
 * real data and scored by the reference scorer, are posted to POST /api/v1/batches of a
 * running console in batches of 1,000 (two clients at a time), gated and written with
 * provenance. The limit, measured in the same run: COPY of the same rows (the stored
 * batch's result and record rows, under new ids) into the same tables with the same indexes.
 *
 * `npm run bench:ingest [-- --records N] [--database-url postgresql://…/postgres]`: creates
 * its own database `sentinel_bench_b2` on that server, starts the console on it
 * (`scripts/start.ts`, port 3400, demo data off), and drops the database at the end.
 */
import os from "node:os";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { OPERATOR } from "@/lib/auth/actor";
import { createToken, ensureBuiltinServiceAccount } from "@/lib/data/tokens";
import { scoredReferenceData } from "@/lib/reference-data";
import { createPrng } from "@/lib/scorer/prng";
import { createBenchDatabase, DEFAULT_SERVER_URL, startConsole } from "./support";

const { values } = parseArgs({
  options: { records: { type: "string", default: "200000" }, "database-url": { type: "string" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("Usage: npm run bench:ingest [-- --records N] [--database-url postgresql://user@host:port/postgres]");
  process.exit(0);
}
const TOTAL = Number(values.records);
const BATCH = 1000;
const CLIENTS = 2;
const PORT = 3400;
const serverUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const DB = "sentinel_bench_b2";

const loadAtStart = os.loadavg()[0]!;
const database = await createBenchDatabase(serverUrl, DB, 2);
const databaseUrl = database.url;
const handle = database.handle;
const accountId = await ensureBuiltinServiceAccount(OPERATOR, ["ingest"]);
const { token } = await createToken(OPERATOR, { ownerId: accountId, name: "bench-b2", scopes: ["ingest"], expiresInDays: 1, ingestPerMinute: 1_000_000 });

// Records: the real rows scored once, resampled with fresh ids.
const scored = scoredReferenceData();
const prng = createPrng(7);
const random = () => prng.nextFloat();
const bodies: string[] = [];
for (let b = 0; b * BATCH < TOTAL; b++) {
  const records = Array.from({ length: Math.min(BATCH, TOTAL - b * BATCH) }, (_, i) => ({ ...scored[Math.floor(random() * scored.length)]!, recordId: `b2-${b}-${i}` }));
  bodies.push(JSON.stringify({ batchId: `b2-${b}`, records }));
}

process.stderr.write("starting the console on the bench database…\n");
// Its own process group, stopped whole (web server included) on exit, error or signal.
const consoleServer = await startConsole({ databaseUrl, port: PORT, demo: false, dataDir: ".data/bench-b2" });
const base = consoleServer.base;

async function post(body: string): Promise<void> {
  const res = await fetch(`${base}/api/v1/batches`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body });
  if (res.status !== 201) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
}
await post(JSON.stringify({ batchId: "warm-up", records: [{ ...scored[0]!, recordId: "warm-up" }] }));

const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    while (next < bodies.length) await post(bodies[next++]!);
  }),
);
const httpSeconds = (performance.now() - started) / 1000;
await consoleServer.stop();

// COPY of the same rows into the same tables (same indexes, same trigger), new ids.
const pool = handle.pool;
const exportRows = async (sql: string): Promise<Buffer> => {
  const client = await pool.connect();
  const chunks: Buffer[] = [];
  try {
    await pipeline(client.query(copyTo(`COPY (${sql}) TO STDOUT`)), async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) chunks.push(chunk);
    });
  } finally {
    client.release();
  }
  return Buffer.concat(chunks);
};
const recordRows = await exportRows(`SELECT record_id || '-c', current_version, created_at, updated_at FROM scored_records WHERE record_id LIKE 'b2-%'`);
const columns =
  "record_id, version, current, batch_id, policy_id, route, decision, fragile, fragility_score, theta, triage_key, error_estimate, p10, p50, p90, confidence, p_model, p_glm, cluster_id, scorer_version, flags, reason_codes, input, provenance, created_at";
const resultRows = await exportRows(`SELECT record_id || '-c', ${columns.split(", ").slice(1).join(", ")} FROM gating_results WHERE record_id LIKE 'b2-%'`);
const copyClient = await pool.connect();
const copyStarted = performance.now();
await copyClient.query("BEGIN");
// One statement of all the rows: longer than any request may run.
await copyClient.query("SET LOCAL statement_timeout = 0");
await pipeline(Readable.from([recordRows]), copyClient.query(copyFrom("COPY scored_records (record_id, current_version, created_at, updated_at) FROM STDIN")));
await pipeline(Readable.from([resultRows]), copyClient.query(copyFrom(`COPY gating_results (${columns}) FROM STDIN`)));
await copyClient.query("COMMIT");
const copySeconds = (performance.now() - copyStarted) / 1000;
copyClient.release();

const stored = Number((await pool.query("SELECT count(*) FROM gating_results WHERE record_id LIKE 'b2-%' AND record_id NOT LIKE '%-c'")).rows[0].count);
const avgProvenance = Number((await pool.query("SELECT avg(octet_length(provenance))::int AS n FROM gating_results")).rows[0].n);
await new Promise((r) => setTimeout(r, 2000));
await database.drop();

const httpRate = TOTAL / httpSeconds;
const copyRate = TOTAL / copySeconds;
console.log(
  JSON.stringify({
    bench: "B2 ingest end to end",
    records: TOTAL,
    storedExactlyOnce: stored === TOTAL,
    batchSize: BATCH,
    clients: CLIENTS,
    httpRecordsPerSecond: Math.round(httpRate),
    copyRowsPerSecond: Math.round(copyRate),
    shareOfCopy: Number((httpRate / copyRate).toFixed(3)),
    target: 0.4,
    provenanceBytesAvg: avgProvenance,
    provenanceStorage: "text",
    loadAverage1m: { atStart: +loadAtStart.toFixed(2), atEnd: +os.loadavg()[0]!.toFixed(2) },
    cores: os.cpus().length,
    node: process.version,
  }),
);
process.exit(0);
