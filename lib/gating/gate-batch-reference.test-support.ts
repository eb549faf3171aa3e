/**
 * Test support (not library code): gateBatch as it was before the fast path, every result
 * and its provenance built eagerly per record. The equality property test compares the
 * two byte for byte; this file goes when that test does.
 */
import { ensembleAgreement, glmGap } from "./agreement";
import { resolvePolicy } from "./assess";
import { estimateErrorProbability } from "./audit-priority";
import { applyLogitCaps } from "./caps";
import { evaluateBatchHold, type InheritedHold } from "./batch-hold";
import { flagListOf, lookupCluster, resolveContextCluster, type CompiledPolicy } from "./compiled-policy";
import { computeFlagMask } from "./flags";
import { fragilityScore } from "./fragility";
import { predictGlm } from "./glm";
import { combinedVariance, varianceComponents, Z_90 } from "./interval";
import { logit, sigmoid } from "./numeric";
import { matchCanaries } from "./canaries";
import type { BatchSummary, GatingProvenance } from "./provenance";
import { routeOf, routingReasons, type GatingReason, type RoutingContext } from "./routing";
import { GATING_CORE_VERSION, MAX_BATCH_SIZE, type PolicySnapshot, type ScoredRecord } from "./schemas";
import { computeTopology, missingChannelMap } from "./topology";
import type { GateBatchOptions, GateBatchOutput, GatingResult } from "./gate-batch";




type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One record up to (not including) routing; `route`/`reasons` are filled by the second pass. */
function gateRecord(
  record: ScoredRecord,
  compiled: CompiledPolicy,
  batch: BatchSummary,
  batchId: string,
  now: string,
  inheritedHold: InheritedHold | null,
): Mutable<GatingResult> {
  const snapshot = compiled.snapshot;
  const t = compiled.thresholds;
  // The steps of assessRecord, inlined (same functions, same order) to skip its wrapper object.
  const cluster = record.clusterId === undefined ? resolveContextCluster(compiled, record.context) : lookupCluster(compiled, record.clusterId);
  const clusterInfo = cluster.info;
  const topology = computeTopology(record.spend, record.context, clusterInfo.clusterId, cluster, compiled);
  const contributions = record.logitContributions ? applyLogitCaps(record.logitContributions, compiled) : null;
  const flagMask = computeFlagMask(topology, record.context, clusterInfo, contributions !== null && contributions.capsTriggered, compiled);
  const score = fragilityScore(flagMask, topology.zTop2, topology.missingChannelCount, compiled);
  const flags = flagListOf(compiled, flagMask);
  const canaryMatches = matchCanaries(compiled.canaries, record.recordId, topology, flagMask);
  const fragile = score >= snapshot.theta || canaryMatches.length > 0;
  // §4.1, inlined from computeInterval (same arithmetic) to skip its result object.
  const fromUpstream = record.varBase !== undefined;
  const varBase = fromUpstream ? (record.varBase as number) : snapshot.varBase;
  const varCombined = combinedVariance(varBase, topology.missingChannelCount, topology.missingContextCount, fragile, flagMask, compiled);
  const z50 = logit(record.pModel);
  const half = Z_90 * Math.sqrt(varCombined);
  const p10 = sigmoid(z50 - half);
  const p50 = sigmoid(z50);
  const p90 = sigmoid(z50 + half);
  const decision = p50 >= t.DECISION_THRESHOLD;
  const confidence = decision ? p10 : 1 - p90;
  const predictiveWidth = p90 - p10;

  let pGlm: number | null = null;
  let pGlmSource: GatingProvenance["pGlmSource"] = null;
  if (record.pGlm !== undefined && record.pGlm !== null) {
    pGlm = record.pGlm;
    pGlmSource = "upstream";
  } else if (compiled.glm !== null) {
    pGlm = predictGlm(compiled.glm, record.spend, record.context, topology, flagMask);
    pGlmSource = "snapshotGlm";
  }
  // Provenance keeps copies of the caller's objects, so changing the input later cannot change it.
  const ensemble = record.ensemble ? record.ensemble.slice() : null;
  const gap = glmGap(record.pModel, pGlm);
  const agreement = ensembleAgreement(ensemble, decision, t.DECISION_THRESHOLD);
  const errorEstimate = estimateErrorProbability(snapshot.auditPriority, { p50, predictiveWidth, glmGap: gap, ensembleAgreement: agreement, fragilityScore: score, topology, flagMask });
  const provenance: Mutable<GatingProvenance> = {
    gatingCoreVersion: GATING_CORE_VERSION,
    writtenAt: now,
    policy: compiled.policyRef,
    recordId: record.recordId,
    scorerVersion: record.scorerVersion,
    spend: { ...record.spend },
    missingChannels: missingChannelMap(compiled, topology.missingChannels),
    topology,
    flags,
    fragilityScore: score,
    theta: snapshot.theta,
    fragile,
    canaryMatches,
    cluster: clusterInfo,
    contributions,
    varComponents: varianceComponents(varBase, fromUpstream ? "upstream" : "snapshot", topology.missingChannelCount, topology.missingContextCount, fragile, flagMask, compiled),
    varCombined,
    p10,
    p50,
    p90,
    predictiveWidth,
    confidence,
    errorEstimate,
    decision,
    pModel: record.pModel,
    pGlm,
    pGlmSource,
    ensemble,
    glmGap: gap,
    ensembleAgreement: agreement,
    batch,
    inheritedHold,
    route: "auto",
    reasons: NO_REASONS,
  };
  return {
    recordId: record.recordId,
    batchId,
    policyId: compiled.id,
    policyHash: compiled.hash,
    route: "auto",
    decision,
    fragile,
    fragilityScore: score,
    flags,
    reasons: NO_REASONS,
    p10,
    p50,
    p90,
    predictiveWidth,
    confidence,
    errorEstimate,
    pModel: record.pModel,
    pGlm,
    provenance,
  };
}

const NO_REASONS: readonly GatingReason[] = Object.freeze([]);

/**
 * Gates one batch of validated records against a policy snapshot (or a compiled policy).
 * Throws RangeError for an empty or oversized batch — validation refuses those first.
 */
export function gateBatchReference(records: readonly ScoredRecord[], policy: PolicySnapshot | CompiledPolicy, options: GateBatchOptions): GateBatchOutput {
  const n = records.length;
  if (n < 1 || n > MAX_BATCH_SIZE) throw new RangeError(`a batch holds 1…${MAX_BATCH_SIZE} records (got ${n})`);
  const compiled = resolvePolicy(policy);
  const snapshot = compiled.snapshot;
  const t = compiled.thresholds;
  const batch: Mutable<BatchSummary> = {
    batchId: options.batchId,
    size: n,
    fragileCount: 0,
    fragileFraction: 0,
    pValue: 1,
    threshold: t.BATCH_FRAGILE_THRESHOLD,
    alpha: t.BATCH_HOLD_ALPHA,
    baseRate: snapshot.realisedFragileRate,
    minSize: t.BATCH_HOLD_MIN_N,
    holdIndicated: false,
    held: false,
    holdReleased: false,
    auditCount: 0,
    autoCount: 0,
  };

  const results = new Array<Mutable<GatingResult>>(n);
  const inherited = options.inheritedHolds;
  let fragileCount = 0;
  for (let i = 0; i < n; i++) {
    const record = records[i] as ScoredRecord;
    const r = gateRecord(record, compiled, batch, options.batchId, options.now, inherited?.get(record.recordId) ?? null);
    if (r.fragile) fragileCount++;
    results[i] = r;
  }

  const hold = evaluateBatchHold(fragileCount, n, snapshot.realisedFragileRate, t.BATCH_FRAGILE_THRESHOLD, t.BATCH_HOLD_ALPHA, t.BATCH_HOLD_MIN_N);
  const released = options.batchHoldReleased === true;
  batch.fragileCount = fragileCount;
  batch.fragileFraction = hold.fragileFraction;
  batch.pValue = hold.pValue;
  batch.holdIndicated = hold.hold;
  batch.held = hold.hold && !released && options.batchNotHeld !== true;
  batch.holdReleased = hold.hold && released;

  const ctx: RoutingContext = {
    thresholds: t,
    theta: snapshot.theta,
    csAccept: snapshot.csAccept,
    contributionsExpected: snapshot.contributionsExpected,
    batchId: options.batchId,
    batch: hold,
    held: batch.held,
  };
  let audit = 0;
  for (let i = 0; i < n; i++) {
    const r = results[i] as Mutable<GatingResult>;
    const prov = r.provenance as Mutable<GatingProvenance>;
    const reasons = routingReasons(prov, ctx);
    const route = routeOf(reasons);
    r.reasons = reasons;
    r.route = route;
    prov.reasons = reasons;
    prov.route = route;
    if (route === "audit") audit++;
  }
  batch.auditCount = audit;
  batch.autoCount = n - audit;
  return { batch, results };
}
