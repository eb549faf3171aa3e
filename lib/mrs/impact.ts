/**
 * The impact vector (seed 004, "Categorization"): which parts of the commercial system an
 * event would distort if nothing were done — baseline drift, attribution error, spend
 * leakage, operational disruption — with the size of what is at stake (the uplift over the
 * baseline). The seed names the dimension but not each case's vectors; they follow from the
 * cause people decided (else the machine's) by this table, which reads the seed's own
 * responses: a Data Error is backfilled out of the baselines; misattribution and organic
 * attention move campaign credit and the spend that follows it (MAB); a competitor's
 * stock-out is shielded from the attribution model and spend; a promotion's temporary lift
 * is credited to the promotion and kept out of the baseline; store and external shocks
 * disrupt operations and are excluded from the baselines. A false positive is bad data
 * whatever its label: only the baseline is at risk.
 */
import { IMPACT_VECTORS, type CauseCategory, type FinalisationOutcome, type ImpactVector } from "./taxonomy";

/** Why each cause category distorts each vector it does (absent: it does not). */
const DISTORTS: Record<CauseCategory, Partial<Record<ImpactVector, string>>> = {
  data_error: { baseline_drift: "Bad rows would enter the baseline unless the window is excluded and backfilled." },
  marketing_misattribution: {
    attribution_error: "The lift would be credited to paid media it may not come from.",
    spend_leakage: "Budget would follow the credited campaign.",
  },
  promotion: {
    baseline_drift: "A temporary promotional lift would raise the baseline.",
    attribution_error: "The promotion's lift would be credited to other drivers.",
  },
  competitor_stockout: {
    attribution_error: "Substituted demand would be credited to our own activity.",
    spend_leakage: "Spend would be shifted towards a lift that ends when the competitor restocks.",
  },
  social_viral: {
    attribution_error: "Organic attention would be credited to campaigns (MAB, MMM).",
    spend_leakage: "Budget would follow a campaign that did not cause the lift.",
  },
  operational_store_issue: {
    baseline_drift: "The disrupted window would enter the baseline.",
    operational_disruption: "The store's stock, staffing or systems are affected.",
  },
  external_disruption: {
    baseline_drift: "A one-off shock would enter the baseline unless excluded.",
    operational_disruption: "Stores around the disruption see unusual demand and stock pressure.",
  },
  unknown: {},
};

export interface ImpactVectorRow {
  readonly vector: ImpactVector;
  readonly distorted: boolean;
  /** why it is distorted; null when it is not */
  readonly why: string | null;
}

export interface ImpactVectorView {
  /** the four vectors in taxonomy order, each distorted or not */
  readonly rows: readonly ImpactVectorRow[];
  /** no cause is known yet (unknown): the vector cannot be read */
  readonly undetermined: boolean;
  /** what is at stake: the uplift, the baseline and the uplift's share of it (null when missing or the baseline is not positive) */
  readonly uplift: number | null;
  readonly baseline: number | null;
  readonly upliftShare: number | null;
}

export interface ImpactInput {
  /** the cause shown: the decided one, else the machine's */
  readonly causeCategory: CauseCategory;
  readonly outcome: FinalisationOutcome | null;
  readonly uplift: number | null;
  readonly baseline: number | null;
}

/** The impact vector of an event (or a report) from its shown cause, outcome and totals. */
export function impactVector(input: ImpactInput): ImpactVectorView {
  const distorts = input.outcome === "false_positive" ? { baseline_drift: "A false positive: its rows are bad data that would enter the baseline unless excluded." } : DISTORTS[input.causeCategory];
  const rows = IMPACT_VECTORS.map((vector) => ({ vector, distorted: distorts[vector] !== undefined, why: distorts[vector] ?? null }));
  const share = input.uplift !== null && input.baseline !== null && input.baseline > 0 ? input.uplift / input.baseline : null;
  return { rows, undetermined: input.outcome !== "false_positive" && input.causeCategory === "unknown", uplift: input.uplift, baseline: input.baseline, upliftShare: share };
}
