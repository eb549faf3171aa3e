/**
 * Fragility score and the fragile decision (spec/gating.md §3.2):
 *   fragilityScore = Σ w_flag·I(flag) + w_top2·clamp(zTop2, 0, 3) + w_missingChannel·missingChannelCount
 *   fragile = fragilityScore ≥ θ, or the record is a canary.
 * CAPS_TRIGGERED's weight is zeroed at compile time unless the snapshot expects contributions.
 */
import type { CompiledPolicy } from "./compiled-policy";
import { FLAG_CODES } from "./reasons";

/** zTop2 is clamped to [0, ZTOP2_CLAMP_MAX] in the score. */
const ZTOP2_CLAMP_MAX = 3;

export function fragilityScore(flagMask: number, zTop2: number, missingChannelCount: number, policy: CompiledPolicy): number {
  const t = policy.thresholds;
  const w = policy.flagWeights;
  let score = 0;
  for (let i = 0; i < FLAG_CODES.length; i++) if (flagMask & (1 << i)) score += w[i] as number;
  const z = zTop2 < 0 ? 0 : zTop2 > ZTOP2_CLAMP_MAX ? ZTOP2_CLAMP_MAX : zTop2;
  score += t.FRAGILITY_WEIGHT_TOP2_Z * z;
  score += t.FRAGILITY_WEIGHT_MISSING_CHANNEL * missingChannelCount;
  return score;
}
