/**
 * Public API of the gating core (spec/gating.md). Pure: no Next, Prisma, fs or clock.
 * Client components should import `@/lib/gating/reasons` or `@/lib/gating/explain`
 * directly: this index also re-exports modules that use node:crypto (snapshot hashing).
 */
export * from "./reasons";
export * from "./schemas";
export * from "./validation";
export * from "./numeric";
export { deriveClusterId, computeTopology, isMissingContextValue, MISSING_CLUSTER_PART, type SpendTopology, type SpendInput, type ContextInput } from "./topology";
export { computeFlagMask, flagListOf } from "./flags";
export { fragilityScore } from "./fragility";
export { computeInterval, combinedVariance, intervalFromVariance, varianceComponents, Z_90, type IntervalOutcome, type VarComponent } from "./interval";
export { applyLogitCaps, capChannelContributions, type CapsOutcome, type CapSettings } from "./caps";
export { glmGap, ensembleAgreement } from "./agreement";
export { canarySignatureLabel, compileCanaries, matchCanaries, SEED_CANARY_IDS, type CompiledCanaries } from "./canaries";
export { binomialUpperTail, logBinomialUpperTail, evaluateBatchHold, logFactorial, minimumHeldCount, type BatchHoldEvaluation, type InheritedHold } from "./batch-hold";
export { routingReasons, routeOf, type GatingReason, type GateSet, type RoutingEvidence, type RoutingContext } from "./routing";
export type { BatchSummary, GatingProvenance } from "./provenance";
export { explainResult, describeReasonDetail } from "./explain";
export { gateBatch, type GateBatchOptions, type GateBatchOutput, type GatingResult } from "./gate-batch";
export { assessRecord, referenceFragilityScores, resolvePolicy, type AssessableRecord, type RecordAssessment } from "./assess";
export { compilePolicy, lookupCluster, type CompiledPolicy, type CompiledCluster, type ClusterInfo } from "./compiled-policy";
export { compileGlm, featurizeGlm, predictGlm, type CompiledGlm } from "./glm";
export { parseGlmFeatureName, glmFeatureNameError, glmContextText, AGE_BUCKETS, type GlmFeature } from "./glm-features";
export { computeReferenceStatistics, markSmallClusters, chooseTheta, chooseCapPerFeature, type ReferenceRow, type ReferenceStatisticsOptions } from "./reference-statistics";
export { buildPolicySnapshot, type PolicySnapshotInput, type ThresholdOverrides } from "./policy-snapshot";
export { canonicalJson, computeSnapshotHash } from "./snapshot-hash";
export { readCsv, CSV_MISSING_MARKERS, type CsvRow, type CsvError, type CsvReadOptions, type CsvReadResult, type CsvColumnType } from "./csv";
export * from "./release-guarantee";
export * from "./audit-priority";
export * from "./routing-quality";
