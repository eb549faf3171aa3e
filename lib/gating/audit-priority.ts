/**
 * Audit priority (spec/gating.md §11): the estimated probability that the machine's label
 * is wrong, which orders the audit queue after the canaries.
 *
 * Two estimators, chosen by calibration on the test part (whichever catches more errors in
 * the first places of the queue) and named in the snapshot:
 *   - the model's own confidence (`auditPriority: null`): P(wrong) = min(p50, 1 − p50);
 *   - a small logistic "learning to defer" model fitted on the training part's
 *     out-of-fold errors, over the inputs below (a standardised dot product, like the GLM).
 *
 * The inputs are what the gate already computed for the record; no new evidence.
 */
import { FLAG_CODES } from "./reasons";
import { logit, sigmoid } from "./numeric";
import type { AuditPriorityModel } from "./schemas";
import type { SpendTopology } from "./topology";

/** Inputs of the audit-priority model, in column order (names stored in the snapshot). */
export const AUDIT_PRIORITY_FEATURES = [
  "absLogit",
  "modelUncertainty",
  "predictiveWidth",
  "glmGap",
  "glmMissing",
  "ensembleDisagreement",
  "fragilityScore",
  "missingChannelCount",
  "missingContextCount",
  "log1pTotal",
  "top1Share",
  "entropy",
  "nonZeroCount",
  "countAboveQ75",
  "countAboveQ90",
  "top2SumPctile",
  "zTop2",
  ...FLAG_CODES.map((code) => `flag:${code}`),
] as const;

/** What the estimate reads from one gated record. */
export interface AuditPriorityInput {
  readonly p50: number;
  readonly predictiveWidth: number;
  readonly glmGap: number | null;
  readonly ensembleAgreement: number | null;
  readonly fragilityScore: number;
  readonly topology: SpendTopology;
  readonly flagMask: number;
}

/** The model's own estimate that its label is wrong: the probability of the other class. */
export function modelErrorProbability(p50: number): number {
  return p50 < 0.5 ? p50 : 1 - p50;
}

/** Raw feature values (unstandardised) in AUDIT_PRIORITY_FEATURES order. */
export function auditPriorityFeatures(input: AuditPriorityInput): Float64Array {
  return auditPriorityFeaturesInto(new Float64Array(AUDIT_PRIORITY_FEATURES.length), input);
}

function auditPriorityFeaturesInto(x: Float64Array, input: AuditPriorityInput): Float64Array {
  const t = input.topology;
  let i = 0;
  // |logit p50|: for a calibrated model logit P(wrong) = −|logit p50|, so the fitted model
  // nests the model's own confidence and can only add to it.
  x[i++] = Math.abs(logit(input.p50));
  x[i++] = modelErrorProbability(input.p50);
  x[i++] = input.predictiveWidth;
  x[i++] = input.glmGap ?? 0;
  x[i++] = input.glmGap === null ? 1 : 0;
  x[i++] = input.ensembleAgreement === null ? 0 : 1 - input.ensembleAgreement;
  x[i++] = input.fragilityScore;
  x[i++] = t.missingChannelCount;
  x[i++] = t.missingContextCount;
  x[i++] = Math.log1p(t.total);
  x[i++] = t.top1Share;
  x[i++] = t.entropy;
  x[i++] = t.nonZeroCount;
  x[i++] = t.countAboveQ75;
  x[i++] = t.countAboveQ90;
  x[i++] = t.top2SumPctile;
  x[i++] = t.zTop2;
  for (let b = 0; b < FLAG_CODES.length; b++) x[i++] = (input.flagMask >>> b) & 1;
  return x;
}

/** Reused per call: the estimate runs one record at a time. */
const scratchFeatures = new Float64Array(AUDIT_PRIORITY_FEATURES.length);

/** P(the released label is wrong) under the snapshot's estimator. */
export function estimateErrorProbability(model: AuditPriorityModel | null, input: AuditPriorityInput): number {
  if (model === null) return modelErrorProbability(input.p50);
  const x = auditPriorityFeaturesInto(scratchFeatures, input);
  let z = model.intercept;
  for (let j = 0; j < x.length; j++) z += ((model.coef[j] as number) * ((x[j] as number) - (model.mean[j] as number))) / (model.scale[j] as number);
  return sigmoid(z);
}
