/**
 * B5 (design/performance.md): the governance figures at 100,000 and 1,000,000 human
 * decisions. The decisions (a gating result in audit, decided, and its edit-log entry, by
 * 20 analysts over the last 12 weeks, one in seven an override) are written in SQL as the
 * table owner with triggers off, then the rollups are built from their definitions
 * (`override_facts`, `routing_facts`, `slice_record_source`, `drift_facts`,
 * `routing_quality_fact_rows`) as the migrations'
 * backfills do. Timed, in the same run, through the data layer (round trip and Node included):
 *   - the override register (`overrideRegister`, 12 weeks) and routing health's daily
 *     figures (`routingDaily`, 28 days), from the rollups;
 *   - the same aggregates by GROUP BY over the base tables (the facts views);
 *   - slice KPIs (`sliceKpis`, 28 days, drain included) and drift (`routingDrift`, 28 days)
 *     from their rollups, against GROUP BY over `slice_facts` and `drift_facts`;
 *   - §11 routing quality on labelled records (`labelledRoutingQuality`, 28 days, drain
 *     included) from its rollup, against the per-record recomputation
 *     (`labelledRoutingQualityFromBase`);
 *   - the routing page's data in all (daily figures, §11, drift) plus the register.
 *
 * `npm run bench:governance [-- --database-url postgresql://…/postgres] [--runs N]` —
 * creates and drops its own database `sentinel_bench_b5`. JSON summary as the last line.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { activePolicy } from "@/lib/data/policies";
import { overrideRegister } from "@/lib/data/override-register";
import { routingDrift } from "@/lib/data/drift";
import { labelledRoutingQuality, labelledRoutingQualityFromBase, routingDaily } from "@/lib/data/routing-health";
import { sliceKpis } from "@/lib/data/slices";
import { createUser } from "@/lib/data/users";
import { createBenchDatabase, DEFAULT_SERVER_URL, dropOnSignal } from "./support";

const { values } = parseArgs({ options: { "database-url": { type: "string" }, runs: { type: "string", default: "15" }, help: { type: "boolean" } } });
if (values.help) {
  console.log("Usage: npm run bench:governance [-- --database-url postgresql://user@host:port/postgres] [--runs N]");
  process.exit(0);
}
const serverUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const RUNS = Number(values.runs);
const TARGET_MS = 100;
const say = (m: string) => process.stderr.write(`[b5] ${m}\n`);
const governance: Actor = { kind: "user", id: "00000000-0000-0000-0000-000000000000", email: "bench@local", name: "Bench", role: "governance" };

const loadAtStart = os.loadavg()[0]!;
const database = await createBenchDatabase(serverUrl, "sentinel_bench_b5", 4);
const drop = dropOnSignal(database);

try {
  const policyId = (await activePolicy()).snapshot.id;
  for (let i = 0; i < 20; i++) await createUser(OPERATOR, { email: `analyst${i}@bench.local`, name: `Analyst ${i}`, role: "analyst", password: "bench bench bench" });
  const owner = database.owner;

  /** Writes decisions [from, to) (records r<from>…): batches of 1,000, results in audit decided, their entries. */
  async function addDecisions(from: number, to: number): Promise<void> {
    const client = await owner.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL statement_timeout = 0");
      // Bulk fixture: no per-row triggers (the rollups are rebuilt from their definitions below).
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query(
        `INSERT INTO ingest_batches (id, policy_id, size, fragile_count, fragile_fraction, p_value, threshold, alpha, hold_indicated, held, audit_count, auto_count, created_at)
         SELECT 'b5-' || b, $1, 1000, 50, 0.05, 0.5, 0.05, 0.05, false, false, 1000, 0, now() - make_interval(days => b % 84)
         FROM generate_series($2::int / 1000, $3::int / 1000 - 1) b`,
        [policyId, from, to],
      );
      await client.query("INSERT INTO scored_records (record_id, current_version, created_at, updated_at) SELECT 'r' || g, 1, now(), now() FROM generate_series($1::int, $2::int - 1) g", [from, to]);
      await client.query(
        `WITH people AS (SELECT array_agg(id ORDER BY email) AS ids FROM users WHERE email LIKE 'analyst%@bench.local')
         INSERT INTO gating_results (record_id, version, current, batch_id, policy_id, route, decision, fragile, fragility_score, theta, error_estimate, triage_key,
           p10, p50, p90, confidence, p_model, cluster_id, scorer_version, flags, reason_codes, input, provenance, created_at,
           review_seq, review_label, review_action, reviewed_by, reviewed_at)
         SELECT 'r' || g, 1, true, 'b5-' || (g / 1000), $1, 'audit'::"Route", g % 2 = 0, g % 20 = 0, 0.1, 0.5, 0.3, -0.3,
           0.2, 0.5, 0.8, 0.6, 0.5, (ARRAY['Earth|TRAPPIST-1e', 'Mars|55 Cancri e', 'Europa|PSO J318.5-22'])[1 + g % 3], 'bench-1',
           CASE WHEN g % 25 = 0 THEN ARRAY['CAPS_TRIGGERED'] ELSE ARRAY[]::text[] END, ARRAY['LOW_CONFIDENCE'], '{}', '{}', now() - make_interval(days => (g / 1000) % 84),
           g + 1, (g % 2 = 0) <> (g % 7 = 0), CASE WHEN g % 7 = 0 THEN 'override' ELSE 'confirm' END, people.ids[1 + g % 20], now() - make_interval(days => (g / 1000) % 84)
         FROM generate_series($2::int, $3::int - 1) g, people`,
        [policyId, from, to],
      );
      await client.query(
        `INSERT INTO edit_log (seq, subject_type, subject_id, action, c, effective_at, recorded_at, prev_hash, hash, subject_version)
         SELECT r.review_seq, 'record', r.record_id, r.review_action,
           json_build_object('action', r.review_action, 'actor', json_build_object('type', 'user', 'id', r.reviewed_by, 'role', 'analyst'),
             'before', json_build_object('label', r.decision, 'resultVersion', 1), 'after', json_build_object('label', r.review_label),
             'effectiveAt', to_char(r.reviewed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
             'reasonCode', CASE WHEN r.review_action = 'override' THEN 'model_wrong_evidence' END, 'subjectType', 'record', 'subjectId', r.record_id)::text,
           r.reviewed_at, r.reviewed_at, 'bench', 'bench', 1
         FROM gating_results r WHERE r.review_seq > $1 AND r.review_seq <= $2`,
        [from, to],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
  }

  // The owner's own session without the app's statement timeout: the rebuilds and the base
  // aggregates at 1M run for longer than any request may.
  const ownerClient = await owner.connect();
  await ownerClient.query("SET statement_timeout = 0");
  async function rebuildRollups(): Promise<void> {
    await ownerClient.query("TRUNCATE override_rollup, routing_rollup");
    await ownerClient.query(
      `INSERT INTO override_rollup (dimension, key, week, decisions, overrides, amendments)
       SELECT dimension, key, week, sum(decisions), sum(overrides), sum(amendments) FROM override_facts GROUP BY 1, 2, 3`,
    );
    await ownerClient.query(
      `INSERT INTO routing_rollup (day, policy_id, results, audit, fragile, caps, single, single_auto, single_fragile, single_fragile_auto, canary, canary_auto, batches, held_batches)
       SELECT day, policy_id, sum(results), sum(audit), sum(fragile), sum(caps), sum(single), sum(single_auto), sum(single_fragile), sum(single_fragile_auto), sum(canary), sum(canary_auto), sum(batches), sum(held_batches)
       FROM routing_facts GROUP BY 1, 2`,
    );
    // Slice KPIs' and drift's rollups, as their migrations' backfills build them.
    await ownerClient.query("TRUNCATE slice_rollup, slice_record_facts, slice_dirty, drift_rollup, routing_quality_rollup");
    await ownerClient.query("INSERT INTO slice_record_facts SELECT * FROM slice_record_source");
    await ownerClient.query(
      `INSERT INTO slice_rollup (dimension, key, day, bucket, records, audit, decided, overrides, labelled, positives, false_pos, false_neg, disputed, p10_micro, p50_micro, p90_micro)
       SELECT x.dimension, x.key, x.day, x.bucket, sum(x.records), sum(x.audit), sum(x.decided), sum(x.overrides), sum(x.labelled), sum(x.positives), sum(x.false_pos), sum(x.false_neg),
              sum(x.disputed), sum(x.p10_micro), sum(x.p50_micro), sum(x.p90_micro)
       FROM slice_record_facts f CROSS JOIN LATERAL slice_fact_rows(f) x GROUP BY 1, 2, 3, 4`,
    );
    await ownerClient.query(
      `INSERT INTO routing_quality_rollup (day, kind, key, audit, error, records)
       SELECT x.day, x.kind, x.key, x.audit, x.error, sum(x.records) FROM slice_record_facts f CROSS JOIN LATERAL routing_quality_fact_rows(f) x GROUP BY 1, 2, 3, 4, 5`,
    );
    await ownerClient.query("INSERT INTO drift_rollup (day, variable, bin, n) SELECT day, variable, bin, count(*) FROM drift_facts GROUP BY 1, 2, 3");
    await ownerClient.query("VACUUM ANALYZE");
  }

  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  async function timed(runs: number, call: () => Promise<unknown>): Promise<{ p50Ms: number; p95Ms: number }> {
    await call();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await call();
      times.push(performance.now() - t);
    }
    return { p50Ms: +quantile(times, 0.5).toFixed(2), p95Ms: +quantile(times, 0.95).toFixed(2) };
  }

  const pool = database.handle.pool;
  /** The same aggregates by GROUP BY over the base tables (the rollups' definitions), for the same windows. */
  const baseRegister = () =>
    ownerClient.query(
      `SELECT dimension, key, CASE WHEN dimension = 'all' THEN week END AS week, sum(decisions), sum(overrides), sum(amendments)
       FROM override_facts WHERE week >= (date_trunc('week', now() AT TIME ZONE 'UTC') - interval '11 weeks')::date GROUP BY 1, 2, 3`,
    );
  const baseRouting = () =>
    ownerClient.query(
      `SELECT day, sum(results), sum(audit), sum(fragile), sum(caps), sum(single), sum(single_auto), sum(single_fragile), sum(single_fragile_auto), sum(canary), sum(canary_auto), sum(batches), sum(held_batches)
       FROM routing_facts WHERE day >= (now() AT TIME ZONE 'UTC')::date - 27 GROUP BY day`,
    );

  const baseSlices = () =>
    ownerClient.query(
      `SELECT dimension, key, bucket, sum(records), sum(audit), sum(decided), sum(overrides), sum(labelled), sum(positives), sum(false_pos), sum(false_neg), sum(disputed),
              sum(p10_micro), sum(p50_micro), sum(p90_micro)
       FROM slice_facts WHERE day >= (now() AT TIME ZONE 'UTC')::date - 27 GROUP BY 1, 2, 3`,
    );
  const baseDrift = () => ownerClient.query("SELECT day, variable, bin, count(*) FROM drift_facts WHERE day >= (now() AT TIME ZONE 'UTC')::date - 27 GROUP BY 1, 2, 3");

  async function measure(decisions: number) {
    const have = Number((await pool.query("SELECT count(*)::int AS n FROM edit_log")).rows[0].n);
    for (let from = have; from < decisions; from += 100_000) {
      await addDecisions(from, Math.min(from + 100_000, decisions));
      say(`${Math.min(from + 100_000, decisions).toLocaleString("en-US")} decisions`);
    }
    await rebuildRollups();
    const register = await timed(RUNS, () => overrideRegister(governance, { weeks: 12 }));
    const routing = await timed(RUNS, () => routingDaily(governance, { days: 28 }));
    const registerBase = await timed(Math.max(3, Math.floor(RUNS / 5)), baseRegister);
    const routingBase = await timed(Math.max(3, Math.floor(RUNS / 5)), baseRouting);
    const slices = await timed(RUNS, () => sliceKpis(governance, { days: 28, slice: { dimension: "flag", key: "CAPS_TRIGGERED" } }));
    const drift = await timed(RUNS, () => routingDrift(governance, { days: 28 }));
    const slicesBase = await timed(3, baseSlices);
    const driftBase = await timed(3, baseDrift);
    const from = new Date(Date.now() - 27 * 86_400_000).toISOString().slice(0, 10);
    const quality = await timed(RUNS, () => labelledRoutingQuality(from));
    const qualityBase = await timed(3, () => labelledRoutingQualityFromBase(from));
    // What both read: the same labelled records (the rollup's counts are exact).
    const [rolled, recomputed] = [(await labelledRoutingQuality(from)).figures, (await labelledRoutingQualityFromBase(from)).figures];
    if (rolled?.records !== recomputed?.records || rolled?.errors !== recomputed?.errors || rolled?.caught !== recomputed?.caught) {
      throw new Error(`§11 from the rollup (${rolled?.records} records, ${rolled?.errors} errors) differs from the recomputation (${recomputed?.records}, ${recomputed?.errors})`);
    }
    const both = register.p50Ms + routing.p50Ms;
    const bothBase = registerBase.p50Ms + routingBase.p50Ms;
    const page = both + quality.p50Ms + drift.p50Ms;
    const pageBase = bothBase + qualityBase.p50Ms + driftBase.p50Ms;
    return {
      decisions,
      overrideRegister: { ...register, baseGroupBy: registerBase },
      routingDaily: { ...routing, baseGroupBy: routingBase },
      registerPlusRouting: { p50Ms: +both.toFixed(2), targetMs: TARGET_MS, ratioToTarget: +(both / TARGET_MS).toFixed(3), baseGroupByP50Ms: +bothBase.toFixed(2), speedupOverBase: +(bothBase / both).toFixed(1) },
      sliceKpis: { ...slices, baseGroupBy: slicesBase, targetMs: TARGET_MS, ratioToTarget: +(slices.p50Ms / TARGET_MS).toFixed(3), speedupOverBase: +(slicesBase.p50Ms / slices.p50Ms).toFixed(1) },
      routingDrift: { ...drift, baseGroupBy: driftBase, targetMs: TARGET_MS, ratioToTarget: +(drift.p50Ms / TARGET_MS).toFixed(3), speedupOverBase: +(driftBase.p50Ms / drift.p50Ms).toFixed(1) },
      labelledRoutingQuality: {
        ...quality,
        baseRecomputation: qualityBase,
        labelledRecords: rolled?.records ?? 0,
        modelErrors: rolled?.errors ?? 0,
        baselineCaught: { rollup: +(rolled?.baseline.caught ?? 0).toFixed(1), recomputation: recomputed?.baseline.caught ?? 0 },
        targetMs: TARGET_MS,
        ratioToTarget: +(quality.p50Ms / TARGET_MS).toFixed(3),
        speedupOverBase: +(qualityBase.p50Ms / quality.p50Ms).toFixed(1),
      },
      registerPlusRoutingPage: {
        note: "override register + routing health's daily figures, §11 quality and drift: everything the two pages read",
        p50Ms: +page.toFixed(2),
        targetMs: TARGET_MS,
        ratioToTarget: +(page / TARGET_MS).toFixed(3),
        baseP50Ms: +pageBase.toFixed(2),
        speedupOverBase: +(pageBase / page).toFixed(1),
      },
    };
  }

  const at100k = await measure(100_000);
  say(JSON.stringify(at100k));
  const at1M = await measure(1_000_000);
  say(JSON.stringify(at1M));
  ownerClient.release();
  console.log(
    JSON.stringify({
      benchmark: "B5 governance figures",
      database: serverUrl.includes("127.0.0.1:5432") ? "machine PostgreSQL" : "DATABASE_URL",
      runs: RUNS,
      at100k,
      at1M,
      targets: { registerPlusRoutingMs: TARGET_MS, speedupOverBaseAt1M: 10, flat: "1M ≈ 100k" },
      flat1MOver100k: +(at1M.registerPlusRouting.p50Ms / at100k.registerPlusRouting.p50Ms).toFixed(2),
      loadAverage1m: { atStart: +loadAtStart.toFixed(2), atEnd: +os.loadavg()[0]!.toFixed(2) },
      cores: os.cpus().length,
      node: process.version,
    }),
  );
} finally {
  await drop();
}
