/**
 * Demo data for the audit queue: the shipped real data (data/spaceship-titanic/train.csv,
 * 8,693 passengers), scored once by the reference scorer over the whole file (group sizes
 * need the whole file), then sent through the ingest path the API uses — `ingestBatch`,
 * JSON bodies — in realistic batches:
 *   1. the seed's canaries 0253_01, 0254_01, 0257_01 with their seven neighbours in file
 *      order: 3 fragile of 10, so the batch is held (§6.2);
 *   2. the first five other fragile records: a small held batch (BATCH_HOLD_MIN_N is 5, so no
 *      smaller batch is ever held; a fragile record alone goes to audit as SINGLETON_FRAGILE);
 *   3. everything else in file order, cut by a fixed cycle of sizes from 1 to 400.
 * About 30 % of the records land in the queue (5 % fragile, the rest below the release bar), and a
 * few batches are held. Each batch has a fixed idempotency key, so an interrupted first
 * run resumes without duplicates.
 */
import type { Actor } from "@/lib/auth/actor";
import { ingestBatch } from "@/lib/data/ingest";
import { activePolicy } from "@/lib/data/policies";
import { assessRecord, compilePolicy, SEED_CANARY_IDS, type PolicySnapshot, type ScoredRecord } from "@/lib/gating";
import { scoredReferenceData } from "@/lib/reference-data";

const DEMO_BATCH_SIZES = [1, 20, 100, 200, 1, 50, 100, 400] as const;

function demoBatches(policy: PolicySnapshot): { key: string; body: string }[] {
  const scored = scoredReferenceData();
  const first = scored.findIndex((r) => r.recordId === SEED_CANARY_IDS[0]);
  const canaryBatch = scored.slice(first - 2, first + 8);
  const others = [...scored.slice(0, first - 2), ...scored.slice(first + 8)];
  const compiled = compilePolicy(policy);
  const heldFive = new Set(others.filter((r) => assessRecord(r, compiled).fragilityScore >= policy.theta).slice(0, 5));
  const rest = others.filter((r) => !heldFive.has(r));
  const groups: ScoredRecord[][] = [canaryBatch, [...heldFive]];
  for (let offset = 0, n = 0; offset < rest.length; n++) {
    const size = DEMO_BATCH_SIZES[n % DEMO_BATCH_SIZES.length]!;
    groups.push(rest.slice(offset, offset + size));
    offset += size;
  }
  return groups.map((records, n) => {
    const batchId = `demo-${String(n + 1).padStart(3, "0")}`;
    return { key: batchId, body: JSON.stringify({ batchId, records }) };
  });
}

/** Ingests the demo batches; returns how many records went in and how many were queued. */
export async function ingestDemoBatches(actor: Actor): Promise<{ batches: number; records: number; audit: number; held: number }> {
  const totals = { batches: 0, records: 0, audit: 0, held: 0 };
  for (const batch of demoBatches((await activePolicy()).snapshot)) {
    const response = await ingestBatch(actor, { body: batch.body, contentType: "application/json", idempotencyKey: batch.key });
    const summary = JSON.parse(response.body) as { records: number; routes: { audit: number }; hold: { held: boolean } };
    totals.batches += 1;
    totals.records += summary.records;
    totals.audit += summary.routes.audit;
    if (summary.hold.held) totals.held += 1;
  }
  return totals;
}
