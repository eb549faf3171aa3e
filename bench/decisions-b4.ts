/**
 * B4 (design/performance.md): decisions. 16 signed-in analysts (16 cookie jars) decide
 * distinct queued records through the real server action (`decideRecordAction`, posted as
 * the browser's runtime posts it), with open-loop arrivals of 20/s each (320/s offered): a
 * 10 s warm-up, then 30 s measured. The limit, measured in the same run: the append
 * function alone (`edit_log_append`, one round trip) from 16 database clients in a closed
 * loop (pgbench-style) — the ceiling a decision can approach. Afterwards: every
 * acknowledged decision is in the log exactly once, none twice, and the chain verifies.
 *
 * `npm run bench:decisions [-- --database-url postgresql://…/postgres]`: creates its own
 * database `sentinel_bench_b4` on that server, fills the queue with ≥ 14,000 records (the
 * real data ingested through the ingest path, its audit rows copied under new ids), starts
 * the console on it (`scripts/start.ts`, port 3500, demo data off; builds if needed) and
 * drops the database at the end. One JSON line on stdout.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { ingestDemoBatches } from "@/prisma/demo-batches";
import { OPERATOR } from "@/lib/auth/actor";
import { verifyLedger } from "@/lib/data/ledger";
import { createUser } from "@/lib/data/users";
import { canonicalJson } from "@/lib/ledger/chain";
import { APP_ROLE } from "@/lib/db/client";
import { createBenchDatabase, DEFAULT_SERVER_URL, signInCookie, startConsole } from "./support";

const { values } = parseArgs({ options: { "database-url": { type: "string" }, help: { type: "boolean" } } });
if (values.help) {
  console.log("Usage: npm run bench:decisions [-- --database-url postgresql://user@host:port/postgres]");
  process.exit(0);
}
const CLIENTS = 16;
const RATE_PER_CLIENT = 20;
const WARM_UP_S = 10;
const MEASURE_S = 30;
const PORT = 3500;
const COPIES = 10;
const serverUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const database = await createBenchDatabase(serverUrl, "sentinel_bench_b4", 4);
const say = (m: string) => process.stderr.write(`${m}\n`);

// The queue: the real data through the ingest path, then its audit rows copied under new ids.
say("ingesting the real data…");
await ingestDemoBatches(OPERATOR);
const owner = database.owner;
for (let k = 1; k <= COPIES; k++) {
  await owner.query(
    `INSERT INTO scored_records (record_id, current_version, created_at, updated_at)
     SELECT record_id || '-b4-' || $1::int, 1, created_at, created_at FROM gating_results WHERE current AND route = 'audit' AND record_id NOT LIKE '%-b4-%'`,
    [k],
  );
  await owner.query(
    `INSERT INTO gating_results (record_id, version, current, batch_id, policy_id, route, decision, fragile, fragility_score, theta, triage_key, error_estimate,
       p10, p50, p90, confidence, p_model, p_glm, cluster_id, scorer_version, flags, reason_codes, input, provenance, created_at)
     SELECT record_id || '-b4-' || $1::int, 1, true, batch_id, policy_id, route, decision, fragile, fragility_score, theta, triage_key, error_estimate,
       p10, p50, p90, confidence, p_model, p_glm, cluster_id, scorer_version, flags, reason_codes, input, provenance, created_at
     FROM gating_results WHERE current AND route = 'audit' AND record_id NOT LIKE '%-b4-%'`,
    [k],
  );
}
await owner.query("VACUUM ANALYZE gating_results");
const queue = (
  await owner.query<{ record_id: string; version: number; decision: boolean }>(
    "SELECT record_id, version, decision FROM gating_results WHERE current AND route = 'audit' AND review_seq IS NULL ORDER BY random()",
  )
).rows;
const needed = CLIENTS * RATE_PER_CLIENT * (WARM_UP_S + MEASURE_S);
if (queue.length < Math.max(10_000, needed)) throw new Error(`only ${queue.length} queued records; need ${needed}`);
say(`${queue.length.toLocaleString("en-US")} queued records`);

// 16 analysts.
const password = "bench-analyst-password";
const analysts = [];
for (let i = 0; i < CLIENTS; i++) analysts.push(await createUser(OPERATOR, { email: `b4-analyst-${i}@bench.local`, name: `Bench Analyst ${i}`, role: "analyst", password }));

say("starting the console on the bench database…");
// Its own process group, stopped whole (web server included) on exit, error or signal.
const consoleServer = await startConsole({ databaseUrl: database.url, port: PORT, demo: false, dataDir: ".data/bench-b4" });
const base = consoleServer.base;

/** The id Next gave the server action in this build. */
const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName?: string }> };
const actionId = Object.entries(manifest.node).find(([, v]) => v.exportedName === "decideRecordAction")![0];

// One cookie jar per analyst.
const jars = await Promise.all(
  analysts.map(async (a) => {
    const { name, value } = await signInCookie(base, a.email, password);
    return `${name}=${value}`;
  }),
);

type Outcome = { recordId: string; requestId: string; scheduled: number; done: number; status: "ok" | "conflict" | "error"; measured: boolean };
const outcomes: Outcome[] = [];
let nextRecord = 0;

async function decide(client: number, scheduled: number, measured: boolean): Promise<void> {
  const item = queue[nextRecord++]!;
  const input = { recordId: item.record_id, resultVersion: item.version, ledgerVersion: 0, machineLabel: item.decision, action: "confirm", requestId: randomUUID() };
  let status: Outcome["status"] = "error";
  try {
    // Posted to the record page, as the browser posts it (another path makes Next forward the action).
    const res = await fetch(`${base}/queue/${encodeURIComponent(item.record_id)}`, {
      method: "POST",
      headers: { "Next-Action": actionId, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", Origin: base, Cookie: jars[client]! },
      body: JSON.stringify([input]),
    });
    const text = await res.text();
    status = text.includes('"ok":true') ? "ok" : text.includes('"code":"conflict"') ? "conflict" : "error";
    if (status === "error" && outcomes.filter((o) => o.status === "error").length < 3) say(`error ${res.status}: ${text.slice(0, 300)}`);
  } catch (error) {
    if (outcomes.filter((o) => o.status === "error").length < 3) say(`error: ${(error as Error).message}`);
  }
  outcomes.push({ recordId: item.record_id, requestId: input.requestId, scheduled, done: performance.now(), status, measured });
}

/** Open loop: each client sends at its own fixed schedule, whether or not earlier requests returned. */
async function openLoop(seconds: number, measured: boolean): Promise<number> {
  const start = performance.now() + 50;
  const interval = 1000 / RATE_PER_CLIENT;
  const inflight: Promise<void>[] = [];
  const perClient = seconds * RATE_PER_CLIENT;
  for (let k = 0; k < perClient; k++) {
    for (let c = 0; c < CLIENTS; c++) {
      const at = start + k * interval + (c * interval) / CLIENTS;
      const wait = at - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      inflight.push(decide(c, at, measured));
    }
  }
  await Promise.all(inflight);
  return start;
}

say(`warm-up: ${WARM_UP_S} s at ${CLIENTS * RATE_PER_CLIENT}/s…`);
await openLoop(WARM_UP_S, false);
say(`measuring: ${MEASURE_S} s at ${CLIENTS * RATE_PER_CLIENT}/s…`);
const measureStart = await openLoop(MEASURE_S, true);
const measured = outcomes.filter((o) => o.measured);
const lastDone = Math.max(...measured.map((o) => o.done));
const okMeasured = measured.filter((o) => o.status === "ok");
const latencies = measured.map((o) => o.done - o.scheduled).sort((a, b) => a - b);
const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
const sustained = okMeasured.length / ((lastDone - measureStart) / 1000);
// The console stops before the append ceiling is measured, so the two do not share the cores.
await consoleServer.stop();
const loadDuringDecisions = os.loadavg()[0]!;

// The ceiling: the append function alone, 16 clients, closed loop.
say("append function alone: 16 clients, closed loop, 10 s…");
const appendClients = await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    const c = new pg.Client({ connectionString: database.url, options: `-c role=${APP_ROLE}` });
    await c.connect();
    return c;
  }),
);
const actor = { type: "user" as const, id: analysts[0]!.id, role: "analyst" };
let appended = 0;
const appendLatencies: number[] = [];
const appendUntil = performance.now() + 10_000;
await Promise.all(
  appendClients.map(async (c, i) => {
    for (let n = 0; performance.now() < appendUntil; n++) {
      const entry = { subjectType: "record", subjectId: `b4-append-${i}-${n}`, action: "confirm", before: { label: true }, after: { label: true }, reasonCode: null, reasonText: null, evidence: [], actor, sessionId: null, effectiveAt: new Date().toISOString() };
      const t = performance.now();
      await c.query("SELECT seq FROM edit_log_append($1, 0)", [canonicalJson(entry)]);
      appendLatencies.push(performance.now() - t);
      appended += 1;
    }
  }),
);
await Promise.all(appendClients.map((c) => c.end()));
const ceiling = appended / 10;
appendLatencies.sort((a, b) => a - b);

// Nothing lost, nothing twice, the chain verifies.
const acked = outcomes.filter((o) => o.status === "ok");
const counts = new Map(
  (await owner.query<{ subject_id: string; n: number }>("SELECT subject_id, count(*)::int AS n FROM edit_log WHERE action = 'confirm' AND subject_id NOT LIKE 'b4-append-%' GROUP BY subject_id")).rows.map((r) => [r.subject_id, r.n]),
);
const lost = acked.filter((o) => counts.get(o.recordId) !== 1).length;
const duplicated = [...counts.values()].filter((n) => n > 1).length;
const verdict = await verifyLedger(OPERATOR);
await new Promise((r) => setTimeout(r, 1000));
await database.drop();

console.log(
  JSON.stringify({
    bench: "B4 decisions",
    clients: CLIENTS,
    offeredPerSecond: CLIENTS * RATE_PER_CLIENT,
    warmUpSeconds: WARM_UP_S,
    measuredSeconds: MEASURE_S,
    queued: queue.length,
    sustainedPerSecond: Number(sustained.toFixed(1)),
    p50Ms: Number(pct(0.5).toFixed(1)),
    p95Ms: Number(pct(0.95).toFixed(1)),
    p99Ms: Number(pct(0.99).toFixed(1)),
    acknowledged: okMeasured.length,
    conflicts: measured.filter((o) => o.status === "conflict").length,
    errors: measured.filter((o) => o.status === "error").length,
    lost,
    duplicated,
    chainVerifies: verdict.ok,
    entries: verdict.count,
    appendOnlyCeilingPerSecond: Number(ceiling.toFixed(1)),
    appendOnlyP95Ms: Number(appendLatencies[Math.floor(0.95 * appendLatencies.length)]!.toFixed(1)),
    ratioToCeiling: Number((sustained / ceiling).toFixed(3)),
    targets: { sustainedPerSecond: 300, p95Ms: 50, lost: 0, duplicated: 0 },
    loadAverage1m: { afterDecisions: Number(loadDuringDecisions.toFixed(2)), atEnd: Number(os.loadavg()[0]!.toFixed(2)) },
    cores: os.cpus().length,
    node: process.version,
  }),
);
process.exit(0);
