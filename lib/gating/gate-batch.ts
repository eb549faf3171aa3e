/**
 * gateBatch — the gating core's entry point (spec/gating.md): for every record of a
 * validated batch, topology → flags → fragility → interval → agreement → routing, with the
 * batch hold decided between the two passes. Pure and deterministic: the same records and
 * snapshot give the same output; shuffling records only permutes the results.
 *
 * Input must already be validated (`validateScoredBatch`); no zod runs here. The fast pass
 * computes what routing, the queue and the summaries read (scores, interval, flags,
 * reasons) over reused scratch state and per-batch arrays, allocating one result object
 * per record; each result's §9 provenance is built by the full evaluation on first read
 * (what-if previews and counts never read it; ingest does, once per record).
 */
import { ensembleAgreement, glmGap } from "./agreement";
import { resolvePolicy } from "./assess";
import { estimateErrorProbability } from "./audit-priority";
import { applyLogitCaps, capScalars } from "./caps";
import { evaluateBatchHold, type InheritedHold } from "./batch-hold";
import { flagListOf, lookupCluster, resolveContextCluster, type CompiledPolicy } from "./compiled-policy";
import { computeFlagMask } from "./flags";
import { fragilityScore } from "./fragility";
import { predictGlm } from "./glm";
import { combinedVariance, computeInterval, Z_90 } from "./interval";
import { logit, sigmoid } from "./numeric";
import { matchCanaries } from "./canaries";
import type { BatchSummary, GatingProvenance } from "./provenance";
import type { FlagCode, Route } from "./reasons";
import { routeOf, routingReasons, type CapsEvidence, type GatingReason, type RoutingContext, type RoutingEvidence } from "./routing";
import { GATING_CORE_VERSION, MAX_BATCH_SIZE, type PolicySnapshot, type ScoredRecord } from "./schemas";
import { computeTopology, missingChannelMap, SCRATCH_TOPOLOGY, topologyInto } from "./topology";

export interface GateBatchOptions {
  readonly batchId: string;
  /** ISO timestamp written into provenance (the core never reads the clock) */
  readonly now: string;
  /**
   * Re-gate after a recorded human release of a held batch (§6.2): the hold test is still
   * evaluated and reported (`holdIndicated`, `holdReleased`) but routes no record to audit.
   */
  readonly batchHoldReleased?: boolean;
  /**
   * Re-gate a batch that was not held when it arrived under a policy activated since: the
   * hold test is evaluated and reported (`holdIndicated`) but holds nothing, since a hold
   * is decided once, when the batch arrives (§6.2), and released only by a person.
   */
  readonly batchNotHeld?: boolean;
  /**
   * Holds that records keep from earlier results, by record id (§6.2: re-sending never
   * launders a hold). The data layer supplies them: for each record, a held batch, not
   * released, that holds an earlier result of it. Such a record gets BATCH_HOLD with that
   * batch's figures (its own batch's hold, when there is one, takes the reason; provenance
   * shows both) and every other check on its new result; it counts toward this batch's hold
   * test only by its own fragility. Only the release of the batch it names lifts the hold.
   */
  readonly inheritedHolds?: ReadonlyMap<string, InheritedHold>;
}

export interface GatingResult {
  readonly recordId: string;
  readonly batchId: string;
  readonly policyId: string;
  readonly policyHash: string;
  readonly route: Route;
  /** the label the machine would release (p50 ≥ DECISION_THRESHOLD) */
  readonly decision: boolean;
  readonly fragile: boolean;
  readonly fragilityScore: number;
  /** true flag codes in the §3.1 table's order */
  readonly flags: readonly FlagCode[];
  /** failed checks in the §6.3 table's order (empty ⇔ auto) */
  readonly reasons: readonly GatingReason[];
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  readonly predictiveWidth: number;
  readonly confidence: number;
  /** §11: estimated probability that `decision` is wrong (orders the audit queue after canaries) */
  readonly errorEstimate: number;
  readonly pModel: number;
  readonly pGlm: number | null;
  /**
   * Built on first read from the record (kept by reference until then: callers must not
   * change a record they gated before its provenance is read; validated batches are the
   * validator's own copies), then kept.
   */
  readonly provenance: GatingProvenance;
}

export interface GateBatchOutput {
  readonly batch: BatchSummary;
  /** in input order */
  readonly results: GatingResult[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * §9 provenance of one record, by the full evaluation (the steps of assessRecord and
 * computeInterval inlined, same functions and order), with the route and reasons the
 * batch gave it. The fast pass computes the same figures over scratch state.
 */
function fullProvenance(
  record: ScoredRecord,
  compiled: CompiledPolicy,
  batch: BatchSummary,
  now: string,
  inheritedHold: InheritedHold | null,
  route: Route,
  reasons: readonly GatingReason[],
): GatingProvenance {
  const snapshot = compiled.snapshot;
  const t = compiled.thresholds;
  const cluster = record.clusterId === undefined ? resolveContextCluster(compiled, record.context) : lookupCluster(compiled, record.clusterId);
  const clusterInfo = cluster.info;
  const topology = computeTopology(record.spend, record.context, clusterInfo.clusterId, cluster, compiled);
  const contributions = record.logitContributions ? applyLogitCaps(record.logitContributions, compiled) : null;
  const flagMask = computeFlagMask(topology, record.context, clusterInfo, contributions !== null && contributions.capsTriggered, compiled);
  const score = fragilityScore(flagMask, topology.zTop2, topology.missingChannelCount, compiled);
  const canaryMatches = matchCanaries(compiled.canaries, record.recordId, topology, flagMask);
  const fragile = score >= snapshot.theta || canaryMatches.length > 0;
  // Provenance is built once per result, on first read: the interval's own function, result object and all.
  const { varCombined, varComponents, p10, p50, p90, predictiveWidth, decision, confidence } = computeInterval(
    record.pModel,
    record.varBase,
    topology.missingChannelCount,
    topology.missingContextCount,
    fragile,
    flagMask,
    compiled,
  );
  const glm = glmOf(record, compiled, topology, flagMask);
  // Provenance keeps copies of the caller's objects, so changing the input later cannot change it.
  const ensemble = record.ensemble ? record.ensemble.slice() : null;
  const gap = glmGap(record.pModel, glm.pGlm);
  const agreement = ensembleAgreement(ensemble, decision, t.DECISION_THRESHOLD);
  const errorEstimate = estimateErrorProbability(snapshot.auditPriority, { p50, predictiveWidth, glmGap: gap, ensembleAgreement: agreement, fragilityScore: score, topology, flagMask });
  return {
    gatingCoreVersion: GATING_CORE_VERSION,
    writtenAt: now,
    policy: compiled.policyRef,
    recordId: record.recordId,
    scorerVersion: record.scorerVersion,
    spend: { ...record.spend },
    missingChannels: missingChannelMap(compiled, topology.missingChannels),
    topology,
    flags: flagListOf(compiled, flagMask),
    fragilityScore: score,
    theta: snapshot.theta,
    fragile,
    canaryMatches,
    cluster: clusterInfo,
    contributions,
    varComponents,
    varCombined,
    p10,
    p50,
    p90,
    predictiveWidth,
    confidence,
    errorEstimate,
    decision,
    pModel: record.pModel,
    pGlm: glm.pGlm,
    pGlmSource: glm.source,
    ensemble,
    glmGap: gap,
    ensembleAgreement: agreement,
    batch,
    inheritedHold,
    route,
    reasons,
  };
}

const GLM_RESULT: { pGlm: number | null; source: GatingProvenance["pGlmSource"] } = { pGlm: null, source: null };

/** pGlm and where it came from (the shared object is overwritten by the next call). */
function glmOf(record: ScoredRecord, compiled: CompiledPolicy, topology: GatingProvenance["topology"], flagMask: number): typeof GLM_RESULT {
  if (record.pGlm !== undefined && record.pGlm !== null) {
    GLM_RESULT.pGlm = record.pGlm;
    GLM_RESULT.source = "upstream";
  } else if (compiled.glm !== null) {
    GLM_RESULT.pGlm = predictGlm(compiled.glm, record.spend, record.context, topology, flagMask);
    GLM_RESULT.source = "snapshotGlm";
  } else {
    GLM_RESULT.pGlm = null;
    GLM_RESULT.source = null;
  }
  return GLM_RESULT;
}

const NO_REASONS: readonly GatingReason[] = Object.freeze([]);

/** The batch-wide part of every result of one batch (one object, not five fields per result). */
interface BatchShared {
  readonly compiled: CompiledPolicy;
  readonly batch: BatchSummary;
  readonly now: string;
  /** FIGURES numbers per record, in the order of the F_ offsets: numbers in a typed array are not boxed one by one */
  readonly figures: Float64Array;
  /** per record: 1 when it has a pGlm (then figure F_PGLM is it) */
  readonly hasGlm: Uint8Array;
}

const FIGURES = 9;
const F_SCORE = 0;
const F_P10 = 1;
const F_P50 = 2;
const F_P90 = 3;
const F_WIDTH = 4;
const F_CONFIDENCE = 5;
const F_ERROR = 6;
const F_PMODEL = 7;
const F_PGLM = 8;

/** One record's result: the fast pass's figures, and its provenance on first read. */
class GatedRecord implements GatingResult {
  readonly recordId: string;
  readonly batchId: string;
  readonly policyId: string;
  readonly policyHash: string;
  route: Route = "auto";
  decision = false;
  fragile = false;
  flags: readonly FlagCode[] = NO_FLAGS;
  reasons: readonly GatingReason[] = NO_REASONS;
  readonly #shared: BatchShared;
  /** this record's first figure in shared.figures */
  readonly #at: number;
  readonly #record: ScoredRecord;
  readonly #inheritedHold: InheritedHold | null;
  #provenance: GatingProvenance | null = null;

  constructor(record: ScoredRecord, shared: BatchShared, index: number, inheritedHold: InheritedHold | null) {
    this.recordId = record.recordId;
    this.batchId = shared.batch.batchId;
    this.policyId = shared.compiled.id;
    this.policyHash = shared.compiled.hash;
    this.#shared = shared;
    this.#at = index * FIGURES;
    this.#record = record;
    this.#inheritedHold = inheritedHold;
  }

  get fragilityScore(): number {
    return this.#figure(F_SCORE);
  }
  get p10(): number {
    return this.#figure(F_P10);
  }
  get p50(): number {
    return this.#figure(F_P50);
  }
  get p90(): number {
    return this.#figure(F_P90);
  }
  get predictiveWidth(): number {
    return this.#figure(F_WIDTH);
  }
  get confidence(): number {
    return this.#figure(F_CONFIDENCE);
  }
  get errorEstimate(): number {
    return this.#figure(F_ERROR);
  }
  get pModel(): number {
    return this.#figure(F_PMODEL);
  }
  get pGlm(): number | null {
    return this.#shared.hasGlm[this.#at / FIGURES] === 1 ? this.#figure(F_PGLM) : null;
  }

  #figure(offset: number): number {
    return this.#shared.figures[this.#at + offset] as number;
  }

  get provenance(): GatingProvenance {
    const s = this.#shared;
    this.#provenance ??= fullProvenance(this.#record, s.compiled, s.batch, s.now, this.#inheritedHold, this.route, this.reasons);
    return this.#provenance;
  }

  /** The same JSON as a plain result object, provenance included. */
  toJSON() {
    return {
      recordId: this.recordId,
      batchId: this.batchId,
      policyId: this.policyId,
      policyHash: this.policyHash,
      route: this.route,
      decision: this.decision,
      fragile: this.fragile,
      fragilityScore: this.fragilityScore,
      flags: this.flags,
      reasons: this.reasons,
      p10: this.p10,
      p50: this.p50,
      p90: this.p90,
      predictiveWidth: this.predictiveWidth,
      confidence: this.confidence,
      errorEstimate: this.errorEstimate,
      pModel: this.pModel,
      pGlm: this.pGlm,
      provenance: this.provenance,
    };
  }
}

const NO_FLAGS: readonly FlagCode[] = Object.freeze([]);

/**
 * What the routing pass reads per record, as arrays over the batch (struct of arrays):
 * allocated once at the largest batch size and reused, since gating is synchronous.
 */
const evidence = {
  canaryMatches: new Array<readonly string[]>(MAX_BATCH_SIZE),
  inheritedHold: new Array<InheritedHold | null>(MAX_BATCH_SIZE),
  hasCaps: new Uint8Array(MAX_BATCH_SIZE),
  capsTriggered: new Uint8Array(MAX_BATCH_SIZE),
  capsMaxAbsRaw: new Float64Array(MAX_BATCH_SIZE),
  capsMaxIdx: new Int32Array(MAX_BATCH_SIZE),
  capsScaling: new Float64Array(MAX_BATCH_SIZE),
  hasGlmGap: new Uint8Array(MAX_BATCH_SIZE),
  glmGap: new Float64Array(MAX_BATCH_SIZE),
  hasEnsembleAgreement: new Uint8Array(MAX_BATCH_SIZE),
  ensembleAgreement: new Float64Array(MAX_BATCH_SIZE),
};

/** The one routing evidence object the routing pass refills per record (reasons copy what they show). */
const routingInput: Mutable<RoutingEvidence> = {
  canaryMatches: NO_FLAGS,
  fragile: false,
  fragilityScore: 0,
  contributions: null,
  glmGap: null,
  ensembleAgreement: null,
  predictiveWidth: 0,
  confidence: 0,
  inheritedHold: null,
};
const capsInput: Mutable<CapsEvidence> = { capsTriggered: false, maxAbsRaw: 0, maxAbsRawChannel: null, capsScaling: 0 };

/** The fast pass for record i: its result's figures, and its routing evidence into `evidence`. */
function gateRecord(i: number, record: ScoredRecord, compiled: CompiledPolicy, r: GatedRecord, shared: BatchShared): void {
  const snapshot = compiled.snapshot;
  const t = compiled.thresholds;
  const cluster = record.clusterId === undefined ? resolveContextCluster(compiled, record.context) : lookupCluster(compiled, record.clusterId);
  const clusterInfo = cluster.info;
  const glmScores = (record.pGlm === undefined || record.pGlm === null) && compiled.glm !== null;
  const shape = compiled.shapeRead || (glmScores && compiled.glmReadsShape);
  const topology = topologyInto(SCRATCH_TOPOLOGY, record.spend, record.context, clusterInfo.clusterId, cluster, compiled, shape);
  let capsTriggered = false;
  if (record.logitContributions) {
    const caps = capScalars(record.logitContributions, compiled);
    capsTriggered = caps.capsTriggered;
    evidence.hasCaps[i] = 1;
    evidence.capsTriggered[i] = capsTriggered ? 1 : 0;
    evidence.capsMaxAbsRaw[i] = caps.maxAbsRaw;
    evidence.capsMaxIdx[i] = caps.maxIdx;
    evidence.capsScaling[i] = caps.capsScaling;
  } else {
    evidence.hasCaps[i] = 0;
  }
  const flagMask = computeFlagMask(topology, record.context, clusterInfo, capsTriggered, compiled);
  const score = fragilityScore(flagMask, topology.zTop2, topology.missingChannelCount, compiled);
  const canaryMatches = matchCanaries(compiled.canaries, record.recordId, topology, flagMask);
  const fragile = score >= snapshot.theta || canaryMatches.length > 0;
  const varBase = record.varBase !== undefined ? record.varBase : snapshot.varBase;
  const varCombined = combinedVariance(varBase, topology.missingChannelCount, topology.missingContextCount, fragile, flagMask, compiled);
  const z50 = logit(record.pModel);
  const half = Z_90 * Math.sqrt(varCombined);
  const p10 = sigmoid(z50 - half);
  const p50 = sigmoid(z50);
  const p90 = sigmoid(z50 + half);
  const decision = p50 >= t.DECISION_THRESHOLD;
  const confidence = decision ? p10 : 1 - p90;
  const predictiveWidth = p90 - p10;
  const pGlm = glmOf(record, compiled, topology, flagMask).pGlm;
  const gap = glmGap(record.pModel, pGlm);
  const agreement = ensembleAgreement(record.ensemble ?? null, decision, t.DECISION_THRESHOLD);
  r.decision = decision;
  r.fragile = fragile;
  r.flags = flagListOf(compiled, flagMask);
  shared.hasGlm[i] = pGlm === null ? 0 : 1;
  const figures = shared.figures;
  const at = i * FIGURES;
  figures[at + F_SCORE] = score;
  figures[at + F_P10] = p10;
  figures[at + F_P50] = p50;
  figures[at + F_P90] = p90;
  figures[at + F_WIDTH] = predictiveWidth;
  figures[at + F_CONFIDENCE] = confidence;
  figures[at + F_ERROR] = estimateErrorProbability(snapshot.auditPriority, { p50, predictiveWidth, glmGap: gap, ensembleAgreement: agreement, fragilityScore: score, topology, flagMask });
  figures[at + F_PMODEL] = record.pModel;
  figures[at + F_PGLM] = pGlm ?? 0;
  evidence.canaryMatches[i] = canaryMatches;
  evidence.hasGlmGap[i] = gap === null ? 0 : 1;
  evidence.glmGap[i] = gap ?? 0;
  evidence.hasEnsembleAgreement[i] = agreement === null ? 0 : 1;
  evidence.ensembleAgreement[i] = agreement ?? 0;
}

/**
 * Gates one batch of validated records against a policy snapshot (or a compiled policy).
 * Throws RangeError for an empty or oversized batch — validation refuses those first.
 */
export function gateBatch(records: readonly ScoredRecord[], policy: PolicySnapshot | CompiledPolicy, options: GateBatchOptions): GateBatchOutput {
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

  const results = new Array<GatedRecord>(n);
  const shared: BatchShared = { compiled, batch, now: options.now, figures: new Float64Array(n * FIGURES), hasGlm: new Uint8Array(n) };
  const inherited = options.inheritedHolds;
  let fragileCount = 0;
  for (let i = 0; i < n; i++) {
    const record = records[i] as ScoredRecord;
    const hold = inherited?.get(record.recordId) ?? null;
    const r = new GatedRecord(record, shared, i, hold);
    gateRecord(i, record, compiled, r, shared);
    evidence.inheritedHold[i] = hold;
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
  const terms = compiled.capTerms;
  let audit = 0;
  for (let i = 0; i < n; i++) {
    const r = results[i] as GatedRecord;
    const e = routingInput;
    e.canaryMatches = evidence.canaryMatches[i] as readonly string[];
    e.fragile = r.fragile;
    e.fragilityScore = r.fragilityScore;
    if (evidence.hasCaps[i] === 1) {
      const maxIdx = evidence.capsMaxIdx[i] as number;
      capsInput.capsTriggered = evidence.capsTriggered[i] === 1;
      capsInput.maxAbsRaw = evidence.capsMaxAbsRaw[i] as number;
      capsInput.maxAbsRawChannel = maxIdx >= 0 ? (terms[maxIdx] as string) : null;
      capsInput.capsScaling = evidence.capsScaling[i] as number;
      e.contributions = capsInput;
    } else {
      e.contributions = null;
    }
    e.glmGap = evidence.hasGlmGap[i] === 1 ? (evidence.glmGap[i] as number) : null;
    e.ensembleAgreement = evidence.hasEnsembleAgreement[i] === 1 ? (evidence.ensembleAgreement[i] as number) : null;
    e.predictiveWidth = r.predictiveWidth;
    e.confidence = r.confidence;
    e.inheritedHold = evidence.inheritedHold[i] as InheritedHold | null;
    const reasons = routingReasons(e, ctx);
    r.reasons = reasons;
    r.route = routeOf(reasons);
    if (r.route === "audit") audit++;
  }
  // Nothing of this batch's records stays reachable from the shared arrays.
  evidence.canaryMatches.fill(NO_FLAGS, 0, n);
  evidence.inheritedHold.fill(null, 0, n);
  batch.auditCount = audit;
  batch.autoCount = n - audit;
  return { batch, results };
}
