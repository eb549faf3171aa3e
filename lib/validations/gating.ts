/** The gating core's zod schemas, shared by forms, actions, API and CLI (defined in lib/gating). */
export {
  scoredRecordSchema,
  scoredBatchSchema,
  policySnapshotSchema,
  thresholdsSchema,
  canarySignatureSchema,
  canariesSchema,
  glmCoefficientsSchema,
  referenceStatisticsSchema,
  logitContributionsSchema,
  recordIdSchema,
  MAX_BATCH_SIZE,
  type ScoredRecord,
  type ScoredBatch,
  type PolicySnapshot,
  type Thresholds,
  type CanarySignature,
  type GlmCoefficients,
} from "@/lib/gating/schemas";
export { validateScoredBatch, validateScoredRecord, validatePolicySnapshot, GatingValidationError, type GatingFieldError } from "@/lib/gating/validation";
