/**
 * B4 (design/performance.md): decisions. 16 signed-in analysts (16 cookie jars) decide
 * distinct queued records through the record page's decision route (`POST
 * /api/console/decisions`, decideRecord in the data layer), with open-loop arrivals of 20/s
 * each (320/s offered). The load generator is as light as it can be: node:http with
 * keep-alive sockets and every body built beforehand.
 * First a readiness warm-up until 100 requests have succeeded, then three rounds of a 10 s
 * warm-up and 30 s measured; the median round is reported beside each round. The limit,
 * measured in the same run: the append function alone (`edit_log_append`, one round trip)
 * from 16 database clients in a closed loop (pgbench-style). Afterwards: every acknowledged
 * decision is in the log exactly once, none twice, and the chain verifies.
 *
 * `npm run bench:decisions [-- --database-url postgresql://…/postgres] [--port 3500] [--rounds 3]`:
 * creates its own database `sentinel_bench_b4` on that server, fills the queue with the
 * records three rounds need (the real data ingested through the ingest path, its audit rows
 * copied under new ids), starts the console on it (`scripts/start.ts`, demo data off; builds
 * if needed), and on success, error or signal stops the console's whole process group and
 * drops the database. One JSON line on stdout; progress on stderr.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ingestDemoBatches } from "@/prisma/demo-batches";
import { OPERATOR } from "@/lib/auth/actor";
import { verifyLedger } from "@/lib/data/ledger";
import { regateQueue } from "@/lib/data/regating";
import { drainSliceRollup } from "@/lib/data/slices";
import { createUser } from "@/lib/data/users";
import { canonicalJson } from "@/lib/ledger/chain";
import { APP_ROLE } from "@/lib/db/client";
import { atShutdown, createBenchDatabase, DEFAULT_SERVER_URL, dropOnSignal, signInCookie, startConsole } from "./support";

const { values } = parseArgs({
  options: { "database-url": { type: "string" }, port: { type: "string", default: "3500" }, rounds: { type: "string", default: "3" }, help: { type: "boolean" } },
});
if (values.help) {
  console.log("Usage: npm run bench:decisions [-- --database-url postgresql://user@host:port/postgres] [--port 3500] [--rounds 3]");
  process.exit(0);
}
const CLIENTS = 16;
const RATE_PER_CLIENT = 20;
const WARM_UP_S = 10;
const MEASURE_S = 30;
const READY_SUCCESSES = 100;
const ROUNDS = Number(values.rounds);
const PORT = Number(values.port);
const serverUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const say = (m: string) => process.stderr.write(`[b4] ${m}\n`);
const round1 = (x: number) => Number(x.toFixed(1));
const load = () => Number(os.loadavg()[0]!.toFixed(2));
const loadAtStart = load();

const database = await createBenchDatabase(serverUrl, "sentinel_bench_b4", 4);
const drop = dropOnSignal(database);
// The console's data folder (its secrets, the ledger's witness file) is this process's too:
// the chain is verified here against the witness the console wrote. Removed at the end.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-bench-b4-"));
process.env.SENTINEL_DATA_DIR = dataDir;
atShutdown(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
let stopConsole: (() => Promise<void>) | null = null;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

try {
  // The queue: the real data through the ingest path, then its audit rows copied under new ids.
  say("ingesting the real data…");
  await ingestDemoBatches(OPERATOR);
  // The demo's policy activation leaves queued records to re-gate: done here, first, or the
  // console's scheduler would re-gate every copy below while the decisions are measured.
  const regated = await regateQueue();
  say(`re-gated ${regated} queued records before copying`);
  const owner = database.owner;
  const needed = READY_SUCCESSES * 2 + ROUNDS * CLIENTS * RATE_PER_CLIENT * (WARM_UP_S + MEASURE_S);
  const perCopy = (await owner.query<{ n: number }>("SELECT count(*)::int AS n FROM gating_results WHERE current AND route = 'audit'")).rows[0]!.n;
  const copies = Math.max(10, Math.ceil(needed / perCopy));
  for (let k = 1; k <= copies; k++) {
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
  // The copies marked every record for the slice KPIs' rollup: drained here too, or the
  // console's first scheduled drain (10 s after it starts) rebuilds every copy's facts
  // inside round 1. What the rounds measure is a console past its start-up work.
  const drained = await drainSliceRollup();
  say(`drained the slice rollup of ${drained} records before the console starts`);
  await owner.query("VACUUM ANALYZE gating_results");
  const queue = (
    await owner.query<{ record_id: string; version: number; decision: boolean }>(
      "SELECT record_id, version, decision FROM gating_results WHERE current AND route = 'audit' AND review_seq IS NULL ORDER BY random()",
    )
  ).rows;
  if (queue.length < Math.max(10_000, needed)) throw new Error(`only ${queue.length} queued records; need ${needed}`);
  say(`${queue.length.toLocaleString("en-US")} queued records`);

  // 16 analysts.
  const password = "bench-analyst-password";
  const analysts = [];
  for (let i = 0; i < CLIENTS; i++) analysts.push(await createUser(OPERATOR, { email: `b4-analyst-${i}@bench.local`, name: `Bench Analyst ${i}`, role: "analyst", password }));

  say(`starting the console on port ${PORT}…`);
  // Its own process group, stopped whole (web server included) on exit, error or signal.
  const consoleServer = await startConsole({ databaseUrl: database.url, port: PORT, demo: false, dataDir });
  stopConsole = consoleServer.stop;
  const base = consoleServer.base;
  const jars = await Promise.all(
    analysts.map(async (a) => {
      const { name, value } = await signInCookie(base, a.email, password);
      return `${name}=${value}`;
    }),
  );

  // Every body built before the clock starts: the generator only writes and reads.
  type Prepared = { recordId: string; requestId: string; client: number; body: Buffer };
  let nextRecord = 0;
  const prepare = (client: number): Prepared => {
    const item = queue[nextRecord++]!;
    const requestId = randomUUID();
    const input = { recordId: item.record_id, resultVersion: item.version, ledgerVersion: 0, machineLabel: item.decision, action: "confirm", requestId };
    return { recordId: item.record_id, requestId, client, body: Buffer.from(JSON.stringify(input)) };
  };

  type Status = "ok" | "conflict" | "error";
  let errorsShown = 0;
  const post = (p: Prepared): Promise<Status> =>
    new Promise((resolve) => {
      const req = http.request(
        { agent, host: "127.0.0.1", port: PORT, path: "/api/console/decisions", method: "POST", headers: { "Content-Type": "application/json", "Content-Length": p.body.length, Origin: base, Cookie: jars[p.client]! } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            const status: Status = res.statusCode === 200 && text.includes('"ok":true') ? "ok" : res.statusCode === 409 ? "conflict" : "error";
            if (status === "error" && errorsShown++ < 3) say(`error ${res.statusCode}: ${text.slice(0, 300)}`);
            resolve(status);
          });
          res.on("error", () => resolve("error"));
        },
      );
      req.on("error", (error) => {
        if (errorsShown++ < 3) say(`error: ${error.message}`);
        resolve("error");
      });
      req.end(p.body);
    });

  type Outcome = { recordId: string; scheduled: number; done: number; status: Status };
  const acknowledged: Outcome[] = [];

  // Readiness: the first requests after a start are cold; send until 100 have succeeded.
  say(`readiness: until ${READY_SUCCESSES} decisions succeed…`);
  for (let ok = 0, sent = 0; ok < READY_SUCCESSES; sent++) {
    if (sent > READY_SUCCESSES * 10) throw new Error(`only ${ok} of ${sent} readiness requests succeeded`);
    const batch = Array.from({ length: CLIENTS }, (_, c) => prepare(c));
    const started = performance.now();
    const statuses = await Promise.all(batch.map(post));
    statuses.forEach((s, i) => {
      if (s === "ok") acknowledged.push({ recordId: batch[i]!.recordId, scheduled: started, done: performance.now(), status: s });
    });
    ok += statuses.filter((s) => s === "ok").length;
  }

  /** Open loop: each client sends on its own fixed schedule, whether or not earlier requests returned. */
  async function openLoop(seconds: number): Promise<{ outcomes: Outcome[]; start: number }> {
    const perClient = seconds * RATE_PER_CLIENT;
    const planned = Array.from({ length: perClient * CLIENTS }, (_, i) => prepare(i % CLIENTS));
    const start = performance.now() + 50;
    const interval = 1000 / RATE_PER_CLIENT;
    const inflight: Promise<Outcome>[] = [];
    for (let k = 0; k < perClient; k++) {
      for (let c = 0; c < CLIENTS; c++) {
        const at = start + k * interval + (c * interval) / CLIENTS;
        const wait = at - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const p = planned[k * CLIENTS + c]!;
        inflight.push(post(p).then((status) => ({ recordId: p.recordId, scheduled: at, done: performance.now(), status })));
      }
    }
    return { outcomes: await Promise.all(inflight), start };
  }

  type Round = { sustainedPerSecond: number; p50Ms: number; p95Ms: number; p99Ms: number; acknowledged: number; conflicts: number; errors: number; loadAverage1m: number };
  const rounds: Round[] = [];
  for (let r = 1; r <= ROUNDS; r++) {
    say(`round ${r}: warm-up ${WARM_UP_S} s at ${CLIENTS * RATE_PER_CLIENT}/s…`);
    const warm = await openLoop(WARM_UP_S);
    acknowledged.push(...warm.outcomes.filter((o) => o.status === "ok"));
    say(`round ${r}: measuring ${MEASURE_S} s…`);
    const { outcomes, start } = await openLoop(MEASURE_S);
    acknowledged.push(...outcomes.filter((o) => o.status === "ok"));
    const ok = outcomes.filter((o) => o.status === "ok");
    const lastDone = Math.max(...outcomes.map((o) => o.done));
    const latencies = outcomes.map((o) => o.done - o.scheduled).sort((a, b) => a - b);
    const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
    const figures: Round = {
      sustainedPerSecond: round1(ok.length / ((lastDone - start) / 1000)),
      p50Ms: round1(pct(0.5)),
      p95Ms: round1(pct(0.95)),
      p99Ms: round1(pct(0.99)),
      acknowledged: ok.length,
      conflicts: outcomes.filter((o) => o.status === "conflict").length,
      errors: outcomes.filter((o) => o.status === "error").length,
      loadAverage1m: load(),
    };
    say(`round ${r}: ${JSON.stringify(figures)}`);
    rounds.push(figures);
  }
  agent.destroy();
  // The console stops before the append ceiling is measured, so the two do not share the cores.
  await consoleServer.stop();
  stopConsole = null;
  const loadAfterDecisions = load();

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
  const counts = new Map(
    (await owner.query<{ subject_id: string; n: number }>("SELECT subject_id, count(*)::int AS n FROM edit_log WHERE action = 'confirm' AND subject_id NOT LIKE 'b4-append-%' GROUP BY subject_id")).rows.map((r) => [r.subject_id, r.n]),
  );
  const lost = acknowledged.filter((o) => counts.get(o.recordId) !== 1).length;
  const duplicated = [...counts.values()].filter((n) => n > 1).length;
  const verdict = await verifyLedger(OPERATOR);
  await drop();
  fs.rmSync(dataDir, { recursive: true, force: true });

  // The median by latency: every round that keeps up sustains the offered rate, so p95 is what tells them apart.
  const median = [...rounds].sort((a, b) => a.p95Ms - b.p95Ms)[Math.floor(rounds.length / 2)]!;
  const met = (f: Round) => f.sustainedPerSecond >= 300 && f.p95Ms <= 50 && f.errors === 0;
  console.log(
    JSON.stringify({
      bench: "B4 decisions",
      path: "POST /api/console/decisions",
      clients: CLIENTS,
      offeredPerSecond: CLIENTS * RATE_PER_CLIENT,
      warmUpSeconds: WARM_UP_S,
      measuredSeconds: MEASURE_S,
      queued: queue.length,
      median,
      rounds,
      roundsMeetingTargets: `${rounds.filter(met).length} of ${rounds.length}`,
      acknowledgedInAll: acknowledged.length,
      lost,
      duplicated,
      chainVerifies: verdict.ok,
      ...(verdict.ok ? {} : { chainFirstBad: verdict.firstBad }),
      entries: verdict.count,
      appendOnlyCeilingPerSecond: round1(ceiling),
      appendOnlyP95Ms: round1(appendLatencies[Math.floor(0.95 * appendLatencies.length)]!),
      ratioToCeiling: Number((median.sustainedPerSecond / ceiling).toFixed(3)),
      targets: { sustainedPerSecond: 300, p95Ms: 50, lost: 0, duplicated: 0 },
      loadAverage1m: { start: loadAtStart, afterDecisions: loadAfterDecisions, end: load() },
      cores: os.cpus().length,
      node: process.version,
    }),
  );
  process.exit(0);
} catch (error) {
  console.error(error);
  agent.destroy();
  await stopConsole?.().catch(() => undefined);
  await drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}
