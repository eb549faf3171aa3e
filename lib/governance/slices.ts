import { FLAG_CODES, type FlagCode } from "@/lib/gating/reasons";

/**
 * Slice KPIs (governance spec §3): the slices, what each figure means, and the figures
 * worked out from a slice's counts — rates on labelled records and calibration coverage
 * (labelled records bucketed by p50: does the observed positive rate lie within the
 * bucket's mean [p10, p90]?).
 */

export const SLICE_DIMENSIONS = ["flag", "fragility", "home_planet", "destination", "cabin_deck"] as const;
export type SliceDimension = (typeof SLICE_DIMENSIONS)[number];

export const SLICE_DIMENSION_LABELS: Record<SliceDimension, { title: string; column: string; meaning: string }> = {
  flag: { title: "By flag", column: "Flag", meaning: "each flag of the record's current result; a record with several flags counts under each" },
  fragility: { title: "By fragility", column: "Fragility", meaning: "whether the record's current result is fragile (fragility score ≥ θ, gating spec §3.2)" },
  home_planet: { title: "By HomePlanet", column: "HomePlanet", meaning: "the record's HomePlanet as received; ∅ = missing" },
  destination: { title: "By Destination", column: "Destination", meaning: "the record's Destination as received; ∅ = missing" },
  cabin_deck: { title: "By CabinDeck", column: "CabinDeck", meaning: "the deck part of the record's Cabin (deck/num/side); ∅ = missing or not of that form" },
};

export const FRAGILITY_KEYS = ["fragile", "not fragile"] as const;

/** The flags the spec names for slice KPIs (governance spec §3), shown first. */
export const SPEC_FLAGS: readonly FlagCode[] = ["AGGREGATE_MEDIUM_HIGH", "SUPER_DOMINANT", "MULTI_HIGH_SPEND"];

/** A bucket needs this many labelled records before its coverage is judged. */
export const MIN_BUCKET_LABELLED = 10;

export interface SliceCounts {
  records: number;
  audit: number;
  decided: number;
  overrides: number;
  labelled: number;
  positives: number;
  falsePos: number;
  falseNeg: number;
  disputed: number;
}

/** One p50 decile of a slice's labelled records: their count, positives and interval sums. */
export interface SliceBucketCounts {
  bucket: number;
  labelled: number;
  positives: number;
  p10Sum: number;
  p50Sum: number;
  p90Sum: number;
}

export interface ReliabilityBucket {
  bucket: number;
  /** p50 range of the bucket, e.g. [0.3, 0.4) */
  range: [number, number];
  labelled: number;
  observed: number;
  meanP10: number;
  meanP50: number;
  meanP90: number;
  /** null when the bucket has fewer than MIN_BUCKET_LABELLED labelled records */
  covered: boolean | null;
}

export interface SliceFigures {
  auditRate: number | null;
  overrideRate: number | null;
  /** model's false positives / labelled negatives */
  fpRate: number | null;
  /** model's false negatives / labelled positives */
  fnRate: number | null;
  coverage: { covered: number; judged: number };
}

const rate = (a: number, b: number) => (b > 0 ? a / b : null);

export function reliability(buckets: readonly SliceBucketCounts[]): ReliabilityBucket[] {
  return buckets
    .filter((b) => b.labelled > 0)
    .sort((a, b) => a.bucket - b.bucket)
    .map((b) => {
      const observed = b.positives / b.labelled;
      const meanP10 = b.p10Sum / b.labelled;
      const meanP90 = b.p90Sum / b.labelled;
      return {
        bucket: b.bucket,
        range: [b.bucket / 10, (b.bucket + 1) / 10] as [number, number],
        labelled: b.labelled,
        observed,
        meanP10,
        meanP50: b.p50Sum / b.labelled,
        meanP90,
        covered: b.labelled < MIN_BUCKET_LABELLED ? null : observed >= meanP10 && observed <= meanP90,
      };
    });
}

export function sliceFigures(c: SliceCounts, buckets: readonly SliceBucketCounts[]): SliceFigures {
  const judged = reliability(buckets).filter((b) => b.covered !== null);
  return {
    auditRate: rate(c.audit, c.records),
    overrideRate: rate(c.overrides, c.decided),
    fpRate: rate(c.falsePos, c.labelled - c.positives),
    fnRate: rate(c.falseNeg, c.positives),
    coverage: { covered: judged.filter((b) => b.covered).length, judged: judged.length },
  };
}

export type SliceRef = { dimension: "all"; key: "" } | { dimension: SliceDimension; key: string };

/** A slice in a URL: `flag:SUPER_DOMINANT`, `home_planet:Earth`, …; absent or `all` means every record. */
export function parseSlice(value: string | string[] | undefined | null): { ok: true; slice: SliceRef } | { ok: false; message: string } {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text === null || text === "" || text === "all") return { ok: true, slice: { dimension: "all", key: "" } };
  const colon = text.indexOf(":");
  const dimension = colon < 0 ? text : text.slice(0, colon);
  const key = colon < 0 ? "" : text.slice(colon + 1);
  if (!(SLICE_DIMENSIONS as readonly string[]).includes(dimension) || key === "" || key.length > 200) {
    return { ok: false, message: `must be all or <dimension>:<value> with dimension one of ${SLICE_DIMENSIONS.join(", ")}` };
  }
  if (dimension === "flag" && !(FLAG_CODES as readonly string[]).includes(key)) return { ok: false, message: `names no flag: ${key} is not one of ${FLAG_CODES.join(", ")}` };
  if (dimension === "fragility" && !(FRAGILITY_KEYS as readonly string[]).includes(key)) return { ok: false, message: `names no fragility: ${key} is not one of ${FRAGILITY_KEYS.join(", ")}` };
  return { ok: true, slice: { dimension: dimension as SliceDimension, key } };
}

export const sliceParam = (s: SliceRef) => (s.dimension === "all" ? "all" : `${s.dimension}:${s.key}`);
export const sliceName = (s: SliceRef) => (s.dimension === "all" ? "All records" : `${SLICE_DIMENSION_LABELS[s.dimension].column} = ${s.key}`);
