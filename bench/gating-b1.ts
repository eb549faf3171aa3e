/**
 * B1 (design/performance.md): the pure gating core on 1,000,000 records resampled from the
 * real data, in mixed batch sizes 1–1,000, results consumed per batch and not retained,
 * against a plain loop summing the five spends of the same records in the same run.
 * Prints a JSON summary as its last line. `npm run bench:gating [-- --records N]`.
 *
 * Records: the 8,693 real rows scored once by the committed reference scorer (pModel, a
 * 10-member ensemble, additive per-feature contributions) with pGlm filled from the
 * committed default policy's GLM, then resampled; gated under the committed default policy.
 * Each resampled record is a record of its own (its own spend, context, ensemble and
 * contributions objects, parsed from JSON as a request body is), as validation hands
 * records to the gate. The same run also gates the records as shallow copies sharing their
 * row's nested objects (`…SharedRows`): reading the contributions is then random access
 * over the 8,693 rows' boxed numbers, which is what the figures before this layout measured.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { gateBatch, scoredBatchSchema, validateScoredBatch, type ScoredRecord } from "@/lib/gating";
import { readPolicyFile, scoredReferenceData } from "@/lib/reference-data";
import { createPrng } from "@/lib/scorer/prng";

const { values } = parseArgs({ options: { records: { type: "string", default: "1000000" }, help: { type: "boolean" } } });
if (values.help) {
  console.log("Usage: npm run bench:gating [-- --records N]   (default 1,000,000)");
  process.exit(0);
}
const TOTAL = Number(values.records);

// The real rows, scored once by the reference scorer (pModel, 10-member ensemble, additive
// contributions); pGlm from the committed default policy's GLM, so every field is present.
const snapshot = readPolicyFile();
const withScores = scoredReferenceData();
const glm = gateBatch(withScores.slice(0, 10_000), snapshot, { batchId: "glm", now: "1970-01-01T00:00:00Z" }).results;
const scored: ScoredRecord[] = withScores.map((record, i) => ({ ...record, pGlm: glm[i]!.pGlm }));

// A deterministic resample.
const prng = createPrng(42);
const random = () => prng.nextFloat();

const loadAtStart = os.loadavg()[0]!;
const sharedRows: ScoredRecord[] = new Array(TOTAL);
const records: ScoredRecord[] = new Array(TOTAL);
for (let i = 0; i < TOTAL; i++) {
  const row = scored[Math.floor(random() * scored.length)]!;
  sharedRows[i] = { ...row, recordId: `${row.recordId}-${i}` };
  records[i] = JSON.parse(JSON.stringify(sharedRows[i])) as ScoredRecord;
}
const sizes: number[] = [];
for (let used = 0; used < TOTAL; ) {
  const n = Math.min(TOTAL - used, 1 + Math.floor(random() * 1000));
  sizes.push(n);
  used += n;
}

function summingLoop(): number {
  let s = 0;
  for (let i = 0; i < TOTAL; i++) {
    const sp = records[i]!.spend;
    s += (sp.RoomService ?? 0) + (sp.FoodCourt ?? 0) + (sp.ShoppingMall ?? 0) + (sp.Spa ?? 0) + (sp.VRDeck ?? 0);
  }
  return s;
}

function gateAll(input: readonly ScoredRecord[] = records): { audit: number; fragile: number } {
  let audit = 0;
  let fragile = 0;
  let offset = 0;
  for (let b = 0; b < sizes.length; b++) {
    const out = gateBatch(input.slice(offset, offset + sizes[b]!), snapshot, { batchId: `b${b}`, now: "1970-01-01T00:00:00Z" });
    for (const r of out.results) {
      if (r.route === "audit") audit++;
      if (r.fragile) fragile++;
    }
    offset += sizes[b]!;
  }
  return { audit, fragile };
}

const best = (fn: () => unknown, runs: number) => {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return min;
};

gateAll(); // warm-up
const loopSeconds = best(summingLoop, 5);
const gateSeconds = best(() => gateAll(records), 5);
const counts = gateAll();
const sharedCounts = gateAll(sharedRows);
if (sharedCounts.audit !== counts.audit || sharedCounts.fragile !== counts.fragile) throw new Error("the two layouts gated differently");
const sharedRowsSeconds = best(() => gateAll(sharedRows), 3);
// Validation, reported apart: validateScoredBatch (the hand-written check of plain-batch.ts,
// the schema only when it is unsure) and the zod schema alone, 1,000 records a batch.
const validationSample = Math.min(TOTAL, 100_000);
const validateAll = (validate: (batch: { batchId: string; records: ScoredRecord[] }) => boolean) => () => {
  for (let o = 0; o < validationSample; o += 1000) {
    if (!validate({ batchId: "v", records: records.slice(o, o + 1000) })) throw new Error(`batch at ${o} did not validate`);
  }
};
const validationSeconds = best(validateAll((b) => validateScoredBatch(b, snapshot).ok), 3);
const zodValidationSeconds = best(validateAll((b) => scoredBatchSchema.safeParse(b).success), 2);

console.log(
  JSON.stringify({
    bench: "B1 gating core",
    records: TOTAL,
    batches: sizes.length,
    gateRecordsPerSecond: Math.round(TOTAL / gateSeconds),
    loopRecordsPerSecond: Math.round(TOTAL / loopSeconds),
    ratioToSummingLoop: Number((gateSeconds / loopSeconds).toFixed(1)),
    targetRecordsPerSecond: 1_000_000,
    ratioGoal: 40,
    met: TOTAL / gateSeconds >= 1_000_000 && gateSeconds / loopSeconds <= 40,
    gateRecordsPerSecondSharedRows: Math.round(TOTAL / sharedRowsSeconds),
    ratioToSummingLoopSharedRows: Number((sharedRowsSeconds / loopSeconds).toFixed(1)),
    validationRecordsPerSecond: Math.round(validationSample / validationSeconds),
    zodValidationRecordsPerSecond: Math.round(validationSample / zodValidationSeconds),
    auditShare: Number((counts.audit / TOTAL).toFixed(4)),
    fragileShare: Number((counts.fragile / TOTAL).toFixed(4)),
    loadAverage1m: { start: Number(loadAtStart.toFixed(2)), end: Number(os.loadavg()[0]!.toFixed(2)) },
    node: process.version,
  }),
);
