/**
 * The §3.1 flags as a bit mask (bit i ⇔ FLAG_CODES[i]); `flagListOf` turns a mask into
 * the output array of true codes in the table's order. Flags are descriptive: the
 * fragile decision is the score of fragility.ts, not "any flag".
 */
import { flagListOf, type ClusterInfo, type CompiledPolicy } from "./compiled-policy";
import { isMissingContextValue } from "./context-values";
import { FLAG_BIT } from "./reasons";
import type { ContextInput, SpendTopology } from "./topology";

export { flagListOf };

/** CryoSleep reads as asleep when it is `true` (or the text "true", any case, as in CSV input). */
function isCryoAsleep(v: unknown): boolean {
  return v === true || (typeof v === "string" && v.trim().toLowerCase() === "true");
}

/** Every §3.1 flag; CAPS_TRIGGERED comes from caps.ts (pass `capsTriggered`). */
export function computeFlagMask(
  topology: SpendTopology,
  context: ContextInput,
  cluster: ClusterInfo,
  capsTriggered: boolean,
  policy: CompiledPolicy,
): number {
  const t = policy.thresholds;
  const tol = t.SPEND_ZERO_TOLERANCE;
  let mask = 0;
  const positive = topology.total > tol;
  if (positive && (topology.top1Share >= t.TOP1_SHARE_SUPERDOM || topology.top1AtOrAboveOutlier)) mask |= FLAG_BIT.SUPER_DOMINANT;
  if (topology.countAboveQ90 >= t.MULTI_HIGH_MIN_COUNT) mask |= FLAG_BIT.MULTI_HIGH_SPEND;
  if (topology.countAboveQ75 >= t.AGG_MIN_COUNT && (topology.top2Sum >= t.TOP2_SUM_ABS_LOW || topology.top2SumPctile >= t.AGG_TOP2_PCTILE)) {
    mask |= FLAG_BIT.AGGREGATE_MEDIUM_HIGH;
  }
  if (topology.missingContextCount > 0) mask |= FLAG_BIT.MISSING_CONTEXT;
  // "every observed spend ≤ tol" ⇔ no observed spend > tol ⇔ nonZeroCount = 0 (also when nothing is observed).
  const allObservedZero = topology.nonZeroCount === 0;
  if (allObservedZero && topology.missingChannelCount > 0) mask |= FLAG_BIT.IMPUTED_ZERO_ALL;
  const cryo: unknown = policy.contextOf(context, policy.cryoSlot);
  if (allObservedZero && isMissingContextValue(cryo)) mask |= FLAG_BIT.CRYO_UNKNOWN_ALLZERO;
  if (isCryoAsleep(cryo) && topology.nonZeroCount > 0) mask |= FLAG_BIT.CRYO_CONFLICT;
  if (topology.countAtOrAboveOutlier > 0) mask |= FLAG_BIT.PER_FEATURE_OUTLIER;
  if (cluster.small) mask |= FLAG_BIT.SMALL_CLUSTER;
  if (capsTriggered) mask |= FLAG_BIT.CAPS_TRIGGERED;
  return mask;
}
