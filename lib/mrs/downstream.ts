/**
 * What downstream systems (the seed's MAB and MMM models) must do with the sales windows
 * minority events touched (seed 004: protect them from distorted windows). One row per
 * report — a store × SKU × window — with the decision people made (the report's own, else
 * its event's, else the machine's) and a treatment:
 * - `exclude`: the sales figures are wrong — a false positive (finalised so) or a data
 *   error — and must not train anything;
 * - `reweight`: a real but atypical window (a promotion, a viral post, a competitor's
 *   stock-out…) that should count less. While the event is open this is `provisional`.
 * A window dismissed at finalisation (real, negligible) needs nothing and is not listed;
 * a report not yet detected has no window yet. Pure.
 */
import type { HydratedReport } from "./hydrate";
import type { CauseCategory, ConfidenceTier, EventStatus, FinalisationOutcome } from "./taxonomy";

export type DownstreamTreatment = "exclude" | "reweight";

export interface DownstreamWindow {
  readonly reportId: string;
  readonly eventId: string | null;
  readonly storeId: string | null;
  readonly retailer: string | null;
  readonly sku: string | null;
  readonly windowStart: string;
  /** null while the window is still open */
  readonly windowEnd: string | null;
  readonly status: EventStatus;
  readonly outcome: FinalisationOutcome | null;
  readonly cause: { readonly category: CauseCategory; readonly label: string | null; readonly source: "analyst" | "machine" };
  readonly confidence: number | null;
  readonly confidenceTier: ConfidenceTier | null;
  readonly treatment: DownstreamTreatment;
  /** no person has decided yet: the treatment may change */
  readonly provisional: boolean;
}

/** The treatment of one report's window, or null when it needs none (dismissed). */
export function downstreamTreatment(r: Pick<HydratedReport, "analystStatus" | "analystOutcome" | "causeCategory">): DownstreamTreatment | null {
  if (r.analystStatus === "finalised" && r.analystOutcome === "dismissed") return null;
  if (r.analystStatus === "finalised" && r.analystOutcome === "false_positive") return "exclude";
  return r.causeCategory === "data_error" ? "exclude" : "reweight";
}

/** Every report window a downstream system must exclude or reweight, ordered by window start, then report id (the keyset order). */
export function downstreamWindows(reports: readonly HydratedReport[]): DownstreamWindow[] {
  const out: DownstreamWindow[] = [];
  for (const r of reports) {
    const treatment = downstreamTreatment(r);
    if (treatment === null || r.windowStart === null) continue;
    out.push({
      reportId: r.reportId,
      eventId: r.eventId,
      storeId: r.storeId,
      retailer: r.retailer,
      sku: r.sku,
      windowStart: r.windowStart,
      windowEnd: r.windowEnd,
      status: r.analystStatus,
      outcome: r.analystOutcome,
      cause: { category: r.causeCategory, label: r.causeLabel, source: r.causeSource },
      confidence: r.confidence_1,
      confidenceTier: r.confidenceTier,
      treatment,
      provisional: r.analystStatus === "open",
    });
  }
  return out.sort((a, b) => windowOrder(a, b));
}

/** The keyset order: window start (as instants), then report id. */
export function windowOrder(a: Pick<DownstreamWindow, "windowStart" | "reportId">, b: Pick<DownstreamWindow, "windowStart" | "reportId">): number {
  const t = Date.parse(a.windowStart) - Date.parse(b.windowStart);
  return t !== 0 ? t : a.reportId < b.reportId ? -1 : a.reportId > b.reportId ? 1 : 0;
}
