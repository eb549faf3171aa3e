/**
 * What is persisted per gating result (spec/gating.md §9): append-only, never
 * overwritten. Sub-objects that are the same for many results (policy reference, cluster
 * info, batch summary, flag lists, missing lists, variance terms) are shared frozen
 * objects, so building a provenance record allocates little; serialise it with
 * JSON.stringify (or canonicalJson) when persisting.
 */
import type { CapsOutcome } from "./caps";
import type { ClusterInfo } from "./compiled-policy";
import type { BatchHoldEvaluation, InheritedHold } from "./batch-hold";
import type { VarComponent } from "./interval";
import type { FlagCode, Route } from "./reasons";
import type { GatingReason } from "./routing";
import type { SpendTopology } from "./topology";

/** Batch facts every result of the batch shares (§6.2, §9): the hold test's figures and what became of it. */
export interface BatchSummary extends Omit<BatchHoldEvaluation, "hold"> {
  readonly batchId: string;
  /** the §6.2 test says hold */
  readonly holdIndicated: boolean;
  /** a hold is in effect: indicated and not released by a recorded human action */
  readonly held: boolean;
  /** the hold was indicated but released (re-gate after release) */
  readonly holdReleased: boolean;
  readonly auditCount: number;
  readonly autoCount: number;
}

export interface GatingProvenance {
  readonly gatingCoreVersion: string;
  /** supplied by the caller (never read from the clock inside the core) */
  readonly writtenAt: string;
  readonly policy: Readonly<{ id: string; hash: string }>;
  readonly recordId: string;
  readonly scorerVersion: string;
  /** raw spends with nulls, as received (a copy: later changes to the input do not reach it) */
  readonly spend: Readonly<Record<string, number | null>>;
  /** per channel: true when missing upstream */
  readonly missingChannels: Readonly<Record<string, boolean>>;
  readonly topology: SpendTopology;
  readonly flags: readonly FlagCode[];
  readonly fragilityScore: number;
  readonly theta: number;
  readonly fragile: boolean;
  /** canaries matched (`id:…`, `signature:…`); a match makes the record fragile */
  readonly canaryMatches: readonly string[];
  readonly cluster: ClusterInfo;
  /** raw and capped per-channel contributions with capsTriggered / capsScaling; null when not sent */
  readonly contributions: CapsOutcome | null;
  readonly varComponents: readonly VarComponent[];
  readonly varCombined: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
  readonly predictiveWidth: number;
  readonly confidence: number;
  /** §11 audit priority: estimated P(decision is wrong), by the snapshot's estimator */
  readonly errorEstimate: number;
  readonly decision: boolean;
  readonly pModel: number;
  readonly pGlm: number | null;
  /** where pGlm came from: sent upstream, computed from the snapshot's GLM, or none */
  readonly pGlmSource: "upstream" | "snapshotGlm" | null;
  readonly ensemble: readonly number[] | null;
  readonly glmGap: number | null;
  readonly ensembleAgreement: number | null;
  readonly batch: BatchSummary;
  /**
   * The hold this record brings from an earlier result in a held, unreleased batch (§6.2:
   * re-sending never launders a hold); null when none. Absent in results written before
   * gating core 1.1.0.
   */
  readonly inheritedHold: InheritedHold | null;
  route: Route;
  reasons: readonly GatingReason[];
}
