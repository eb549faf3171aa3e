/**
 * Agreement between the model and its fallbacks (spec/gating.md §4.3). A null means the
 * evidence is missing; routing fails fragile records closed on it (GLM_MISSING,
 * ENSEMBLE_MISSING), it never counts as agreement.
 */

/** |pModel − pGlm|, or null when there is no GLM probability. */
export function glmGap(pModel: number, pGlm: number | null | undefined): number | null {
  return pGlm === null || pGlm === undefined ? null : Math.abs(pModel - pGlm);
}

/**
 * Share of ensemble members whose label (p ≥ decisionThreshold) equals `decision`;
 * null without an ensemble (absent or empty).
 */
export function ensembleAgreement(
  ensemble: readonly number[] | null | undefined,
  decision: boolean,
  decisionThreshold: number,
): number | null {
  if (!ensemble || ensemble.length === 0) return null;
  let agree = 0;
  for (let i = 0; i < ensemble.length; i++) if ((ensemble[i] as number) >= decisionThreshold === decision) agree++;
  return agree / ensemble.length;
}
