/**
 * Routing-quality evaluation of a policy on labelled records (spec/gating.md §11), for
 * `npm run eval:routing`: scores the chosen part of the reference data with the reference
 * scorer, gates it in batches of each size and computes the §11 figures with the pure
 * functions of lib/gating. Also gates the seed's failure records under new ids (and
 * slightly rescaled), which must all reach audit as canaries: an id list never matches new
 * traffic, the signatures must.
 */
import { computeSnapshotHash, gateBatch, labelledRoutingOf, routingQuality, type CsvRow, type PolicySnapshot, type RoutingQuality } from "@/lib/gating";
import { SEED_CANARY_IDS } from "@/lib/gating/canaries";
import { scoreForGating, type ReferenceScorer } from "@/lib/scorer/model";
import { splitParts, type SplitPart } from "@/lib/scorer/split";
import { gateAll, ROUTING_BATCH_SIZES } from "./calibrate";

export type EvaluatedPart = SplitPart | "all";

export interface SeedShapedResult {
  readonly recordId: string;
  /** the seed record it was built from */
  readonly from: string;
  readonly scale: number;
  readonly route: "auto" | "audit";
  readonly canary: boolean;
}

export interface RoutingEvaluation {
  readonly policy: { readonly id: string; readonly hash: string; readonly csAccept: number; readonly targetReleaseError: number; readonly releaseDelta: number };
  readonly scorerVersion: string;
  readonly part: EvaluatedPart;
  readonly splitSeed: number;
  readonly records: number;
  readonly capsTriggeredShare: number;
  readonly runs: readonly { readonly batchSize: number; readonly quality: RoutingQuality }[];
  readonly seedShaped: readonly SeedShapedResult[];
}

/** Spend scalings of the seed-shaped records: the shape, not the exact amounts. */
const SEED_SHAPE_SCALES = [0.97, 1, 1.03] as const;

function seedShapedRows(rows: readonly CsvRow[]): (CsvRow & { from: string; scale: number })[] {
  return SEED_CANARY_IDS.flatMap((id, k) => {
    const row = rows.find((r) => r.recordId === id);
    if (!row) return [];
    return SEED_SHAPE_SCALES.map((scale, j) => ({
      ...row,
      // A new passenger group (9xxx), so neither the id nor the group is one the policy knows.
      recordId: `${9900 + k}_0${j + 1}`,
      spend: Object.fromEntries(Object.entries(row.spend).map(([ch, v]) => [ch, v === null ? null : Math.round(v * scale)])),
      from: id,
      scale,
    }));
  });
}

export function evaluateRouting(
  rows: readonly CsvRow[],
  policy: PolicySnapshot,
  scorer: ReferenceScorer,
  options: { readonly part?: EvaluatedPart; readonly batchSizes?: readonly number[] } = {},
): RoutingEvaluation {
  const part = options.part ?? "test";
  const splitSeed = scorer.artifact.training.split.seed;
  const labelled = rows.filter((r) => r.label !== null);
  const chosen = part === "all" ? labelled : splitParts(labelled, splitSeed)[part];
  const scored = scoreForGating(scorer, chosen);
  const labels = chosen.map((r) => r.label as boolean);
  const runs = (options.batchSizes ?? ROUTING_BATCH_SIZES).map((batchSize) => {
    const results = gateAll(scored, policy, batchSize, `eval-${batchSize}`).results;
    return { batchSize, results, quality: routingQuality(results.map((r, i) => labelledRoutingOf(r, labels[i] as boolean))) };
  });
  const shaped = seedShapedRows(rows);
  const seedShaped = scoreForGating(scorer, shaped).map((record, i): SeedShapedResult => {
    // Each alone, as the seed's failures arrived (batches of one).
    const result = gateBatch([record], policy, { batchId: `seed-shape-${i + 1}`, now: "1970-01-01T00:00:00Z" }).results[0]!;
    return { recordId: record.recordId, from: shaped[i]!.from, scale: shaped[i]!.scale, route: result.route, canary: result.reasons.some((r) => r.code === "CANARY") };
  });
  const first = runs[0]?.results ?? [];
  return {
    policy: { id: policy.id, hash: computeSnapshotHash(policy), csAccept: policy.csAccept, targetReleaseError: policy.thresholds.TARGET_RELEASE_ERROR, releaseDelta: policy.thresholds.RELEASE_DELTA },
    scorerVersion: scorer.scorerVersion,
    part,
    splitSeed,
    records: scored.length,
    capsTriggeredShare: first.length === 0 ? 0 : first.filter((r) => r.flags.includes("CAPS_TRIGGERED")).length / first.length,
    runs: runs.map(({ batchSize, quality }) => ({ batchSize, quality })),
    seedShaped,
  };
}
