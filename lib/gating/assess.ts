/**
 * The per-record, batch-independent part of gating: cluster, §2 topology, §4.2 caps,
 * §3.1 flags and the §3.2 fragility score. gateBatch uses it, and calibration uses it to
 * score reference rows before θ exists.
 */
import { applyLogitCaps, type CapsOutcome } from "./caps";
import { compilePolicy, flagListOf, isCompiledPolicy, lookupCluster, resolveContextCluster, type ClusterInfo, type CompiledPolicy } from "./compiled-policy";
import { computeFlagMask } from "./flags";
import { fragilityScore } from "./fragility";
import type { FlagCode } from "./reasons";
import type { LogitContributions, PolicySnapshot } from "./schemas";
import { computeTopology, type ContextInput, type SpendInput, type SpendTopology } from "./topology";

/** The inputs assessment reads: a scored record, or a reference row (no scores needed). */
export interface AssessableRecord {
  readonly spend: SpendInput;
  readonly context: ContextInput;
  readonly clusterId?: string;
  readonly logitContributions?: LogitContributions;
}

export interface RecordAssessment {
  readonly cluster: ClusterInfo;
  readonly topology: SpendTopology;
  /** §4.2 outcome; null when the record has no contributions */
  readonly contributions: CapsOutcome | null;
  /** bit i ⇔ FLAG_CODES[i] */
  readonly flagMask: number;
  readonly flags: readonly FlagCode[];
  readonly fragilityScore: number;
}

export function resolvePolicy(policy: PolicySnapshot | CompiledPolicy): CompiledPolicy {
  return isCompiledPolicy(policy) ? policy : compilePolicy(policy);
}

export function assessRecord(record: AssessableRecord, policy: PolicySnapshot | CompiledPolicy): RecordAssessment {
  const compiled = resolvePolicy(policy);
  const cluster = record.clusterId === undefined ? resolveContextCluster(compiled, record.context) : lookupCluster(compiled, record.clusterId);
  const topology = computeTopology(record.spend, record.context, cluster.info.clusterId, cluster, compiled);
  const contributions = record.logitContributions ? applyLogitCaps(record.logitContributions, compiled) : null;
  const flagMask = computeFlagMask(topology, record.context, cluster.info, contributions !== null && contributions.capsTriggered, compiled);
  return {
    cluster: cluster.info,
    topology,
    contributions,
    flagMask,
    flags: flagListOf(compiled, flagMask),
    fragilityScore: fragilityScore(flagMask, topology.zTop2, topology.missingChannelCount, compiled),
  };
}

/** Fragility scores of reference rows under a (draft) policy, for `chooseTheta`. θ is not read. */
export function referenceFragilityScores(rows: readonly AssessableRecord[], policy: PolicySnapshot | CompiledPolicy): number[] {
  const compiled = resolvePolicy(policy);
  return rows.map((r) => assessRecord(r, compiled).fragilityScore);
}
