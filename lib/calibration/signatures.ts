/**
 * The default policy's canary signatures (spec/gating.md §6.1): one per failure shape of
 * the seed, so that new records built the same way are caught, not only the three ids.
 * Bounds are inclusive; each is kept narrow enough to match at most 2 % of the test part
 * (the calibration report prints every signature's match count and the model's error
 * rate on its matches, and the calibration test pins the 2 %).
 */
import type { CanarySignature } from "@/lib/gating";

export const SEED_FAILURE_SIGNATURES: readonly CanarySignature[] = Object.freeze([
  {
    // 0253_01, 0254_01: several medium spends that sum high, none dominant.
    name: "medium-spends-summing-high",
    allFlags: ["AGGREGATE_MEDIUM_HIGH"],
    where: { top1Share: { gte: 0.5, lte: 0.7 }, nonZeroCount: { gte: 3 }, top2Sum: { gte: 850, lte: 1150 }, countAboveQ90: { lte: 1 } },
  },
  {
    // 0257_01: one dominant channel beside a missing one.
    name: "dominant-beside-missing",
    allFlags: ["SUPER_DOMINANT"],
    where: { missingChannelCount: { gte: 1 }, top1Share: { gte: 0.99 }, top1Value: { gte: 500 }, nonZeroCount: { lte: 1 } },
  },
]);
