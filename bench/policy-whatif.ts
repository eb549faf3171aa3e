/**
 * The what-if of a policy proposal and the queue's re-gating on activation (governance spec
 * §4), at 100,000 records: 100 batches of 1,000 resampled from the shipped data, ingested
 * through the data layer, a third of them with label feedback. A proposal raises
 * TARGET_FRAGILE_RATE to 0.05 (θ chosen again). Timed in the same run:
 *   - the what-if (`runWhatIf`, window 7 days: every record) against its floor — reading the
 *     same inputs and labels (the same SQL) and gating each batch under both policies in
 *     memory, the work it cannot avoid;
 *   - the re-gating of the queue after approval (`regateQueue`) against the ingest of the
 *     same number of records measured here (both gate and write a result version).
 *
 * `npm run bench:whatif [-- --database-url postgresql://…/postgres] [--runs N]` — creates
 * and drops its own database `sentinel_bench_whatif`. JSON summary as the last line.
 */
import os from "node:os";
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { gateBatch, type ScoredRecord } from "@/lib/gating";
import { ingestBatch } from "@/lib/data/ingest";
import { activePolicy, policiesById } from "@/lib/data/policies";
import { decidePolicyProposal, proposePolicyChange } from "@/lib/data/policy-changes";
import { regateQueue } from "@/lib/data/regating";
import { createUser } from "@/lib/data/users";
import { createWhatIf, latestWhatIf, runWhatIf } from "@/lib/data/what-if";
import { referenceRows, scoredReferenceData } from "@/lib/reference-data";
import { recordTruth } from "@/lib/governance/truth";
import { LATEST_AMENDMENT_JOIN } from "@/lib/data/record-outcome";
import { createBenchDatabase, DEFAULT_SERVER_URL, dropOnSignal } from "./support";

const { values } = parseArgs({ options: { "database-url": { type: "string" }, runs: { type: "string", default: "3" }, records: { type: "string", default: "100000" }, help: { type: "boolean" } } });
if (values.help) {
  console.log("Usage: npm run bench:whatif [-- --database-url postgresql://user@host:port/postgres] [--runs N] [--records N]");
  process.exit(0);
}
const serverUrl = values["database-url"] ?? process.env.BENCH_DATABASE_URL ?? DEFAULT_SERVER_URL;
const RUNS = Number(values.runs);
const RECORDS = Number(values.records);
const BATCH = 1_000;
const say = (m: string) => process.stderr.write(`[whatif] ${m}\n`);
const loadAtStart = os.loadavg()[0]!;

const database = await createBenchDatabase(serverUrl, "sentinel_bench_whatif", 4);
const drop = dropOnSignal(database);

async function person(name: string): Promise<Extract<Actor, { kind: "user" }>> {
  const u = await createUser(OPERATOR, { email: `${name}@bench.local`, name, role: "governance", password: "bench bench bench" });
  return { kind: "user", id: u.id, email: u.email, name, role: "governance" };
}

const seconds = (ms: number) => +(ms / 1000).toFixed(2);

try {
  const ingestor: Actor = { kind: "token", tokenId: randomUUID(), accountId: randomUUID(), accountEmail: "bench@local", scopes: ["ingest"] };
  const source = scoredReferenceData();
  const truth = new Map(referenceRows().map((r) => [r.recordId, r.label!]));
  const batches: { id: string; records: ScoredRecord[] }[] = [];
  for (let b = 0; b * BATCH < RECORDS; b++) {
    const records = Array.from({ length: Math.min(BATCH, RECORDS - b * BATCH) }, (_, i) => {
      const r = source[(b * 7919 + i * 31) % source.length]!;
      return { ...r, recordId: `${r.recordId}.${b}.${i}` };
    });
    batches.push({ id: `bench-${b}`, records });
  }
  const ingestStart = performance.now();
  for (const batch of batches) await ingestBatch(ingestor, { body: JSON.stringify({ batchId: batch.id, records: batch.records }), contentType: "application/json", idempotencyKey: null });
  const ingestMs = performance.now() - ingestStart;
  say(`ingested ${RECORDS.toLocaleString("en")} records in ${seconds(ingestMs)} s`);
  const labelled = batches.flatMap((b) => b.records).filter((_, i) => i % 3 === 0);
  await database.owner.query("INSERT INTO record_labels (record_id, source, label, observed_at) SELECT * FROM unnest($1::text[], $2::text[], $3::bool[], $4::timestamptz[])", [
    labelled.map((r) => r.recordId),
    labelled.map(() => "bench"),
    labelled.map((r) => truth.get(r.recordId.split(".")[0]!)!),
    labelled.map(() => new Date().toISOString()),
  ]);

  const [grace, gus] = [await person("grace"), await person("gus")];
  const proposal = await proposePolicyChange(grace, { baseSnapshotId: (await activePolicy()).snapshot.id, values: { "thresholds.TARGET_FRAGILE_RATE": "0.05" }, reason: "Benchmark: audit more of the fragile tail.", requestId: randomUUID() });
  const snapshots = await policiesById([proposal.baseSnapshotId, proposal.snapshotId]);
  const [base, proposed] = [snapshots.get(proposal.baseSnapshotId)!.snapshot, snapshots.get(proposal.snapshotId)!.snapshot];

  const whatIfMs: number[] = [];
  const floorMs: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    await runWhatIf(await createWhatIf(grace, { proposalId: proposal.id, window: "days", days: 7 }));
    whatIfMs.push(performance.now() - t);
    // The floor: the same reads (batch by batch, the same SQL) and both gatings, nothing stored.
    t = performance.now();
    for (const batch of batches) {
      const rows = (
        await database.handle.pool.query<{ input: string; feedback: boolean[] | null; decided: boolean | null }>(
          `SELECT r.input, fb.labels AS feedback, coalesce(am.label, r.review_label) AS decided FROM gating_results r
           LEFT JOIN LATERAL (SELECT array_agg(l.label) AS labels FROM record_labels l WHERE l.record_id = r.record_id) fb ON true
           ${LATEST_AMENDMENT_JOIN}
           WHERE r.batch_id = $1 AND r.current ORDER BY r.record_id`,
          [batch.id],
        )
      ).rows;
      const records = rows.map((r) => {
        recordTruth(r.feedback ?? [], r.decided);
        return JSON.parse(r.input) as ScoredRecord;
      });
      gateBatch(records, base, { batchId: batch.id, now: "t" });
      gateBatch(records, proposed, { batchId: batch.id, now: "t" });
    }
    floorMs.push(performance.now() - t);
    say(`run ${run + 1}: what-if ${seconds(whatIfMs.at(-1)!)} s, floor ${seconds(floorMs.at(-1)!)} s`);
  }
  const figures = (await latestWhatIf(grace, proposal.id))!.figures!;
  if (figures.records !== RECORDS) throw new Error(`the what-if re-gated ${figures.records} records, not ${RECORDS}`);

  await decidePolicyProposal(gus, { proposalId: proposal.id, decision: "approve", reason: "Benchmark approval after the what-if.", requestId: randomUUID() });
  const queued = Number((await database.owner.query("SELECT total FROM policy_regatings ORDER BY activation_seq DESC LIMIT 1")).rows[0].total);
  const regateStart = performance.now();
  const regated = await regateQueue();
  const regateMs = performance.now() - regateStart;
  if (regated !== queued) throw new Error(`re-gated ${regated} of ${queued} queued records`);

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const whatIf = median(whatIfMs);
  const floor = median(floorMs);
  const summary = {
    benchmark: "policy what-if and re-gating",
    records: RECORDS,
    batches: batches.length,
    labelled: labelled.length,
    whatIf: {
      medianS: seconds(whatIf),
      runsS: whatIfMs.map(seconds),
      recordsPerS: Math.round(RECORDS / (whatIf / 1000)),
      floorMedianS: seconds(floor),
      ratioToFloor: +(whatIf / floor).toFixed(2),
      flips: { toAudit: figures.flips.toAudit, toAuto: figures.flips.toAuto },
      auditBase: figures.routes.base.audit,
      auditProposed: figures.routes.proposed.audit,
    },
    regating: {
      queuedRecords: queued,
      seconds: seconds(regateMs),
      recordsPerS: Math.round(queued / (regateMs / 1000)),
      ingestRecordsPerS: Math.round(RECORDS / (ingestMs / 1000)),
      ratioToIngestPerRecord: +((regateMs / queued) / (ingestMs / RECORDS)).toFixed(2),
    },
    machine: { cpus: os.cpus().length, loadAtStart: +loadAtStart.toFixed(2), loadAtEnd: +os.loadavg()[0]!.toFixed(2) },
  };
  console.log(JSON.stringify(summary));
} finally {
  await drop();
}
process.exit(0);
