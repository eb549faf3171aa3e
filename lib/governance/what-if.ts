/**
 * The what-if of a policy change (governance spec §4): the records of a window gated again
 * under the proposal and under its base, batch by batch, with the pure core, and what would
 * change — routes by reason, the records that would flip and why, the canaries that would
 * release, the audit workload per day, batches held, and on labelled records the §11 error
 * capture and released error rate under both (gating spec §11). Pure: the data layer feeds
 * it batches and stores what `figures()` returns.
 *
 * Each batch is gated as a whole, hold test included, under each policy; holds records keep
 * from other batches (§6.2) are left out, since they are the same under both policies.
 */
import { gateBatch, resolvePolicy, type CompiledPolicy, type GatingResult, type PolicySnapshot, type ScoredRecord } from "@/lib/gating";
import { REASON_CODES, type ReasonCode, type Route } from "@/lib/gating/reasons";
import { labelledRoutingOf, routingQuality, type LabelledRouting, type RoutingQuality } from "@/lib/gating/routing-quality";

/** One record of the window as stored: its input, its batch, the UTC day it was gated, its true label if known. */
export interface WhatIfRecord {
  readonly record: ScoredRecord;
  /** YYYY-MM-DD */
  readonly day: string;
  readonly truth: boolean | null;
}

export interface RouteCounts {
  auto: number;
  audit: number;
}

/** A record whose route differs under the proposal, and the reasons that make it so. */
export interface FlippedRecord {
  readonly recordId: string;
  readonly batchId: string;
  readonly from: Route;
  readonly to: Route;
  readonly reasonsBefore: readonly ReasonCode[];
  readonly reasonsAfter: readonly ReasonCode[];
  readonly p50: number;
  readonly fragilityBefore: number;
  readonly fragilityAfter: number;
}

export interface WhatIfFigures {
  readonly records: number;
  readonly batches: number;
  readonly routes: { readonly base: RouteCounts; readonly proposed: RouteCounts };
  /** records carrying each reason (only reasons seen under either policy) */
  readonly byReason: readonly { readonly code: ReasonCode; readonly base: number; readonly proposed: number }[];
  readonly flips: { readonly toAudit: number; readonly toAuto: number; readonly reasonsChanged: number; readonly sample: readonly FlippedRecord[] };
  /** canaries under the base that the proposal would release (route auto) */
  readonly canariesReleased: readonly FlippedRecord[];
  readonly canaries: { readonly base: number; readonly proposed: number };
  readonly heldBatches: { readonly base: number; readonly proposed: number };
  /** audit records per UTC day under each policy */
  readonly workload: readonly { readonly day: string; readonly base: number; readonly proposed: number }[];
  /** §11 on the labelled records of the window (null when none is labelled) */
  readonly quality: { readonly labelled: number; readonly base: RoutingQuality | null; readonly proposed: RoutingQuality | null };
}

/** How many flipped records the figures list (all are counted). */
export const FLIP_SAMPLE = 200;

const codesOf = (r: GatingResult): ReasonCode[] => r.reasons.map((x) => x.code);

/** Accumulates the what-if batch by batch; `figures()` gives what was seen so far. */
export function whatIfAccumulator(base: PolicySnapshot | CompiledPolicy, proposed: PolicySnapshot | CompiledPolicy, now: string) {
  const basePolicy = resolvePolicy(base);
  const proposedPolicy = resolvePolicy(proposed);
  const routes = { base: { auto: 0, audit: 0 }, proposed: { auto: 0, audit: 0 } };
  const reasons = new Map<ReasonCode, { base: number; proposed: number }>(REASON_CODES.map((c) => [c, { base: 0, proposed: 0 }]));
  const flips = { toAudit: 0, toAuto: 0, reasonsChanged: 0, sample: [] as FlippedRecord[] };
  const canariesReleased: FlippedRecord[] = [];
  const canaries = { base: 0, proposed: 0 };
  const heldBatches = { base: 0, proposed: 0 };
  const workload = new Map<string, { base: number; proposed: number }>();
  const labelled = { base: [] as LabelledRouting[], proposed: [] as LabelledRouting[] };
  let records = 0;
  let batches = 0;

  return {
    /** Gates one batch (its records as stored, 1…MAX_BATCH_SIZE) under both policies. */
    add(batchId: string, items: readonly WhatIfRecord[]): void {
      const inputs = items.map((i) => i.record);
      const before = gateBatch(inputs, basePolicy, { batchId, now });
      const after = gateBatch(inputs, proposedPolicy, { batchId, now });
      batches++;
      records += items.length;
      if (before.batch.held) heldBatches.base++;
      if (after.batch.held) heldBatches.proposed++;
      for (let i = 0; i < items.length; i++) {
        const b = before.results[i]!;
        const a = after.results[i]!;
        const item = items[i]!;
        routes.base[b.route]++;
        routes.proposed[a.route]++;
        const bc = codesOf(b);
        const ac = codesOf(a);
        for (const c of bc) reasons.get(c)!.base++;
        for (const c of ac) reasons.get(c)!.proposed++;
        const day = workload.get(item.day) ?? { base: 0, proposed: 0 };
        if (b.route === "audit") day.base++;
        if (a.route === "audit") day.proposed++;
        workload.set(item.day, day);
        const baseCanary = bc.includes("CANARY");
        if (baseCanary) canaries.base++;
        if (ac.includes("CANARY")) canaries.proposed++;
        const changedReasons = bc.length !== ac.length || bc.some((c, k) => c !== ac[k]);
        if (changedReasons) flips.reasonsChanged++;
        if (b.route !== a.route || (baseCanary && a.route === "auto")) {
          const flip: FlippedRecord = {
            recordId: item.record.recordId,
            batchId,
            from: b.route,
            to: a.route,
            reasonsBefore: bc,
            reasonsAfter: ac,
            p50: a.p50,
            fragilityBefore: b.fragilityScore,
            fragilityAfter: a.fragilityScore,
          };
          if (b.route !== a.route) {
            if (a.route === "audit") flips.toAudit++;
            else flips.toAuto++;
            if (flips.sample.length < FLIP_SAMPLE) flips.sample.push(flip);
          }
          if (baseCanary && a.route === "auto") canariesReleased.push(flip);
        }
        if (item.truth !== null) {
          labelled.base.push(labelledRoutingOf(b, item.truth));
          labelled.proposed.push(labelledRoutingOf(a, item.truth));
        }
      }
    },
    figures(): WhatIfFigures {
      return {
        records,
        batches,
        routes: { base: { ...routes.base }, proposed: { ...routes.proposed } },
        byReason: REASON_CODES.flatMap((code) => {
          const n = reasons.get(code)!;
          return n.base + n.proposed > 0 ? [{ code, ...n }] : [];
        }),
        flips: { ...flips, sample: [...flips.sample] },
        canariesReleased: [...canariesReleased],
        canaries: { ...canaries },
        heldBatches: { ...heldBatches },
        workload: [...workload.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, n]) => ({ day, ...n })),
        quality: {
          labelled: labelled.base.length,
          base: labelled.base.length > 0 ? routingQuality(labelled.base) : null,
          proposed: labelled.proposed.length > 0 ? routingQuality(labelled.proposed) : null,
        },
      };
    },
  };
}
