import { describe, expect, it } from "vitest";
import { CURVE_SOURCES, gauntletVerdict, headlineMetric, modelCardSchema, type ModelCard } from "@/lib/model-cards/card";
import { featureSignature } from "@/lib/model-cards/signature";
import { buildSeedModelCards, HASH_DIM_PER_SET, NUM_HASH_SETS, placeholderChecksum, SEED_MODEL_CARDS } from "./model-cards";

const parsed: ModelCard[] = SEED_MODEL_CARDS.map((c) => modelCardSchema.parse(c));
const card = (model: string): ModelCard => {
  const c = parsed.find((x) => x.model === model);
  if (!c) throw new Error(`no card for ${model}`);
  return c;
};
const extra = (o: unknown, key: string): unknown => (o as Record<string, unknown> | null)?.[key];
const binaryCards = () => parsed.filter((c) => c.task === "binary_classifier");

/** The figures the documents print, typed in here from the seed text (not read from the fixtures). */
const SEED_001_PATHS = new Set([
  "gosales/outputs/leakage/Printers/2024-12-31/permutation_diag.json",
  "gosales/outputs/leakage/Solidworks/2024-12-31/permutation_diag.json",
  "gosales/outputs/leakage/Printers/2024-12-31/shift_grid_Printers_2024-12-31.json",
  "gosales/outputs/ablation/adjacency/Printers/2024-06-30_2025-03-31/adjacency_ablation_Printers_2024-06-30_2025-03-31.json",
  "gosales/outputs/ablation/adjacency/Printers/2024-06-30_2025-03-31/adjacency_ablation_Printers_2024-06-30_2025-03-31.csv",
  "gosales/outputs/ablation/adjacency/Solidworks/2024-06-30_2025-03-31/adjacency_ablation_Solidworks_2024-06-30_2025-03-31.json",
  "gosales/outputs/ablation/adjacency/Solidworks/2024-06-30_2025-03-31/adjacency_ablation_Solidworks_2024-06-30_2025-03-31.csv",
  "gosales/models/post_processing_model/model.pkl",
  "gosales/models/post_processing_model/feature_list.json",
  "gosales/models/post_processing_model/metadata.json",
  "gosales/outputs/metrics_post_processing.json",
  "gosales/outputs/thresholds_post_processing.csv",
  "gosales/outputs/gains_post_processing.csv",
]);
const SEED_003_ARTIFACTS = [
  "catboost_poisson_model.cbm",
  "model_metadata.pkl",
  "model_params.pkl",
  "model_metrics.pkl",
  "historical_features_snapshot.pkl",
  "branch_mapping_snapshot.pkl",
  "global_defaults_snapshot.pkl",
  "product_relativity_features.csv",
];
const ablation = (full: number, safe: number, delta: number) => ({
  "ablations.0": { variant: "Full", metric: "AUC", value: full, trainingCutoff: "2024-06-30", holdoutCutoff: "2025-03-31", holdoutMonths: 6 },
  "ablations.1": { variant: "SAFE", metric: "AUC", value: safe, trainingCutoff: "2024-06-30", holdoutCutoff: "2025-03-31", holdoutMonths: 6 },
  "ablations.2": { variant: "Full − SAFE", metric: "ΔAUC", value: delta },
});
const repro = { deltaAuc: 0, deltaLift10: 0, groupOverlap: 0, gate: "PASS" };
/** Every object marked `from_source` (or with a `…Source: "from_source"` key), by path, and the document figures it must hold. */
const FROM_SOURCE: Record<string, Record<string, object>> = {
  "gosales-printers": {
    metrics: { auc: 0.7095 },
    "gauntlet.permutation": { baselineAuc: 0.7095, permutedMean: 0.5272, degradation: 0.1823, pValue: 0.0476, gate: "PASS" },
    "gauntlet.reproducibility": repro,
    ...ablation(0.8301, 0.8251, 0.005),
  },
  "gosales-solidworks": {
    metrics: { auc: 0.5774 },
    "gauntlet.permutation": { baselineAuc: 0.5774, permutedMean: 0.4948, degradation: 0.0826, pValue: 0.0476, gate: "PASS" },
    "gauntlet.reproducibility": repro,
    ...ablation(0.738, 0.7449, -0.0069),
  },
  "gosales-post-processing": {},
  "catboost-poisson-selection": {
    metrics: { poissonDeviance: 0.9934, weightedMape: 0.6486, r2: 0.0735 },
    features: { count: 116, categoricalCount: 13 },
  },
};

interface Mark {
  readonly path: string;
  readonly key: string;
  readonly value: unknown;
  readonly holder: Record<string, unknown>;
}

/** Every provenance mark in a card: a `source` key or a key ending in `Source`. */
function marks(node: unknown, path: string[] = []): Mark[] {
  if (Array.isArray(node)) return node.flatMap((x, i) => marks(x, [...path, String(i)]));
  if (node === null || typeof node !== "object") return [];
  const holder = node as Record<string, unknown>;
  const own = Object.entries(holder)
    .filter(([k]) => k === "source" || k.endsWith("Source"))
    .map(([key, value]) => ({ path: path.join("."), key, value, holder }));
  return [...own, ...Object.entries(holder).flatMap(([k, v]) => marks(v, [...path, k]))];
}

function nextMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}

describe("seed model cards: shape", () => {
  it("every fixture parses with the card schema, with no issues", () => {
    expect(SEED_MODEL_CARDS).toHaveLength(4);
    for (const c of SEED_MODEL_CARDS) expect(modelCardSchema.safeParse(c).error?.issues ?? []).toEqual([]);
  });

  it("one card per model version, with the statuses chosen", () => {
    expect(parsed.map((c) => [c.model, c.version, c.task, c.status, c.schemaVersion])).toEqual([
      ["gosales-printers", "2024-12-31", "binary_classifier", "champion", "1"],
      ["gosales-solidworks", "2024-12-31", "binary_classifier", "champion", "1"],
      ["gosales-post-processing", "2024-12-31", "binary_classifier", "candidate", "1"],
      ["catboost-poisson-selection", "2.1", "count_regressor", "candidate", "1"],
    ]);
    expect(new Set(parsed.map((c) => `${c.model}@${c.version}`)).size).toBe(parsed.length);
    expect(new Set(parsed.map((c) => c.runId)).size).toBe(parsed.length);
    expect(parsed.map((c) => c.domain)).toEqual(["Printers", "Solidworks", "Post_Processing", "Product selection forecasting"]);
    for (const c of parsed) {
      expect(c.owner.length).toBeGreaterThan(0);
      expect(c.data.description?.length ?? 0).toBeGreaterThan(40);
      expect(c.notes.length).toBeGreaterThan(100);
      expect(c.replaces).toBeNull();
    }
  });

  it("is the same data on every build", () => {
    const again = buildSeedModelCards();
    expect(again).toEqual(SEED_MODEL_CARDS);
    expect(JSON.stringify(again)).toBe(JSON.stringify(buildSeedModelCards()));
    expect(JSON.stringify(again.map((c) => modelCardSchema.parse(c)))).toBe(JSON.stringify(parsed));
  });

  it("keeps unknown extra fields through modelCardSchema.parse", () => {
    const printers = card("gosales-printers");
    expect(printers.artifacts.every((a) => extra(a, "checksumSource") === "synthesised")).toBe(true);
    expect(extra(printers.gauntlet.shiftGrid, "source")).toBe("synthesised");
    expect(extra(printers.gauntlet.shiftGrid, "pendingShiftDays")).toEqual([28, 56]);
    expect(extra(printers.metrics, "source")).toBe("from_source");
    expect(extra(printers.ablations[0], "trainingCutoff")).toBe("2024-06-30");
    expect(extra(printers.prequential, "trainingCutoff")).toBe("2024-06-30");
    expect(typeof extra(printers.calibration, "maeWeighted")).toBe("number");
    expect(extra(card("catboost-poisson-selection").features, "namesSource")).toBe("synthesised");
    expect(extra(card("gosales-post-processing").metrics, "source")).toBe("synthesised");
    // and a field no fixture has, at the top and nested
    const withNew = modelCardSchema.parse({ ...SEED_MODEL_CARDS[3], pipelineExtra: { run: 7 }, artifacts: [{ ...SEED_MODEL_CARDS[3]!.artifacts![0]!, sizeBytes: 1234 }] });
    expect(extra(withNew, "pipelineExtra")).toEqual({ run: 7 });
    expect(extra(withNew.artifacts[0], "sizeBytes")).toBe(1234);
    expect(extra(withNew.artifacts[0], "checksumSource")).toBe("synthesised");
  });

  it("every feature signature is the signature of its list, counts consistent", () => {
    for (const c of parsed) {
      const list = c.features.list!;
      expect(c.features.signature).toBe(featureSignature(list));
      expect(c.features.count).toBe(list.length);
      expect(c.features.categoricalCount).toBe(list.filter((f) => f.type === "categorical").length);
      expect(new Set(list.map((f) => f.name)).size).toBe(list.length);
    }
    // SAFE drops the ALS factors: Solidworks' list differs from Printers', and has no als_f*
    expect(card("gosales-solidworks").features.signature).not.toBe(card("gosales-printers").features.signature);
    expect(card("gosales-solidworks").features.list!.some((f) => f.name.startsWith("als_f"))).toBe(false);
    expect(card("gosales-printers").features.list!.some((f) => f.name.startsWith("als_f"))).toBe(true);
  });
});

describe("seed model cards: the documents' figures", () => {
  it("Printers (seed 001): permutation, reproducibility, shift grid, ablation", () => {
    const c = card("gosales-printers");
    expect(c.trainingCutoff).toBe("2024-12-31");
    expect(c.metrics).toMatchObject({ auc: 0.7095 });
    expect(c.gauntlet.permutation).toMatchObject({ baselineAuc: 0.7095, permutedMean: 0.5272, degradation: 0.1823, pValue: 0.0476, permutations: 20, gate: "PASS" });
    expect(c.gauntlet.reproducibility).toMatchObject({ deltaAuc: 0, deltaLift10: 0, groupOverlap: 0, gate: "PASS" });
    expect(c.data.groupOverlap).toBe(0);
    expect(c.gauntlet.shiftGrid?.gate).toBe("PASS");
    expect(c.gauntlet.shiftGrid?.rows.map((r) => r.shiftDays)).toEqual([7, 14]);
    expect(c.ablations.map((a) => [a.variant, a.metric, a.value])).toEqual([
      ["Full", "AUC", 0.8301],
      ["SAFE", "AUC", 0.8251],
      ["Full − SAFE", "ΔAUC", 0.005],
    ]);
    expect(c.ablations[2]!.value).toBeCloseTo(0.8301 - 0.8251, 10);
    expect(c.safePolicy).toBe(false);
    expect(gauntletVerdict(c).result).toBe("PASS");
  });

  it("p≈0.0476 is 1/21: the smallest p-value 20 permutations can give, and no other count gives it", () => {
    const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
    expect(r4(1 / 21)).toBe(0.0476);
    expect([19, 20, 21].map((n) => r4(1 / (n + 1)))).toEqual([0.05, 0.0476, 0.0455]);
    for (const m of ["gosales-printers", "gosales-solidworks"]) {
      const p = card(m).gauntlet.permutation!;
      expect(p.permutations).toBe(20);
      expect(extra(p, "note")).toMatch(/1\/21 = 0\.0476/);
      expect(p.degradation).toBeCloseTo(p.baselineAuc - p.permutedMean, 10);
    }
  });

  it("Solidworks (seed 001): permutation, reproducibility, ablation with SAFE > Full, SAFE policy, prequential months", () => {
    const c = card("gosales-solidworks");
    expect(c.metrics).toMatchObject({ auc: 0.5774 });
    expect(c.gauntlet.permutation).toMatchObject({ baselineAuc: 0.5774, permutedMean: 0.4948, degradation: 0.0826, pValue: 0.0476, permutations: 20, gate: "PASS" });
    expect(c.gauntlet.reproducibility).toMatchObject({ deltaAuc: 0, deltaLift10: 0, groupOverlap: 0, gate: "PASS" });
    expect(c.gauntlet.shiftGrid).toBeNull();
    expect(c.ablations.map((a) => [a.variant, a.value])).toEqual([
      ["Full", 0.738],
      ["SAFE", 0.7449],
      ["Full − SAFE", -0.0069],
    ]);
    expect(c.ablations[2]!.value).toBeCloseTo(0.738 - 0.7449, 10);
    expect(c.ablations[2]!.note).toMatch(/flagged for review/);
    expect(c.safePolicy).toBe(true);
    expect(c.prequential?.rows.map((r) => r.month)).toEqual(["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02"]);
    expect(gauntletVerdict(c).result).toBe("PASS");
  });

  it("Post_Processing (seed 001): artifacts as listed, no gauntlet, synthesised metrics said so", () => {
    const c = card("gosales-post-processing");
    expect(c.status).toBe("candidate");
    expect(c.gauntlet).toEqual({ shiftGrid: null, permutation: null, reproducibility: null });
    expect(gauntletVerdict(c).result).toBeNull();
    expect(extra(c.metrics, "source")).toBe("synthesised");
    expect(c.notes.toLowerCase()).toContain("no figures in the source; synthesised for display");
    expect(c.notes).toContain("Run Leakage Gauntlet for Post_Processing");
    expect(c.artifacts.map((a) => a.uri)).toEqual([...SEED_001_PATHS].filter((p) => p.includes("post_processing")));
    expect(extra(c.prequential, "trainingCutoff")).toBe("2024-12-31");
    expect(c.ablations).toEqual([]);
  });

  it("the Poisson count model (seed 003): metrics, features, artifacts, no gauntlet", () => {
    const c = card("catboost-poisson-selection");
    expect(c.version).toBe("2.1");
    expect(c.createdAt.startsWith("2025-06-24")).toBe(true);
    expect(c.metrics).toMatchObject({ poissonDeviance: 0.9934, weightedMape: 0.6486, r2: 0.0735 });
    expect(c.metrics).toMatchObject({ weightedMape: Math.round(64.86 * 100) / 10_000 });
    expect(headlineMetric(c)).toEqual({ name: "Poisson deviance", value: 0.9934, higherIsBetter: false, synthesised: false });
    expect(c.features.count).toBe(116);
    expect(c.features.categoricalCount).toBe(13);
    expect([HASH_DIM_PER_SET, NUM_HASH_SETS]).toEqual([32, 3]);
    const names = c.features.list!.map((f) => f.name);
    const hashed = names.filter((n) => /^ix_hash_[0-2]_\d+$/.test(n));
    expect(hashed).toHaveLength(96);
    expect(c.features.list!.filter((f) => hashed.includes(f.name)).every((f) => f.type === "numeric")).toBe(true);
    expect(names.length - hashed.length).toBe(20);
    expect(names).not.toContain("total_employees_in_group");
    expect(c.data.groupOverlap).toBe(0);
    expect(c.artifacts.map((a) => a.name)).toEqual(SEED_003_ARTIFACTS);
    expect(c.artifacts.map((a) => a.uri)).toEqual(SEED_003_ARTIFACTS.map((f) => `models/catboost_poisson_model/${f}`));
    expect(c.gauntlet).toEqual({ shiftGrid: null, permutation: null, reproducibility: null });
    expect(c.notes).toMatch(/not applicable/i);
    expect(c.notes).toMatch(/feature flag/);
    expect(c.notes).toMatch(/one full ordering cycle/);
    expect(c.calibration).toBeNull();
    expect(c.threshold).toBeNull();
  });
});

describe("seed model cards: provenance", () => {
  it("every mark is a known source; everything from_source is a document figure checked here", () => {
    for (const c of parsed) {
      const all = marks(c);
      for (const m of all) expect(CURVE_SOURCES as readonly unknown[]).toContain(m.value);
      const fromSource = all.filter((m) => m.value === "from_source");
      // artifacts: a from_source uri must be a path the seed prints
      for (const m of fromSource.filter((x) => x.path.startsWith("artifacts."))) {
        expect(m.key).toBe("uriSource");
        const uri = m.holder.uri as string;
        expect(SEED_001_PATHS.has(uri) || (c.model === "catboost-poisson-selection" && SEED_003_ARTIFACTS.includes(uri.replace("models/catboost_poisson_model/", "")))).toBe(true);
      }
      const expected = FROM_SOURCE[c.model]!;
      const rest = fromSource.filter((x) => !x.path.startsWith("artifacts."));
      expect(rest.map((m) => m.path).sort()).toEqual(Object.keys(expected).sort());
      for (const m of rest) expect(m.holder).toMatchObject(expected[m.path]!);
    }
  });

  it("every curve the documents do not give is marked synthesised, and its note says so", () => {
    for (const c of binaryCards()) {
      for (const curve of [c.calibration, c.gains, c.prequential]) {
        expect(curve?.source).toBe("synthesised");
        expect(String(extra(curve, "note"))).toMatch(/synthesised/i);
      }
      expect(c.topK.length).toBeGreaterThan(0);
      for (const k of c.topK) expect(extra(k, "source")).toBe("synthesised");
      expect(extra(c.threshold, "source")).toBe("synthesised");
      expect(c.threshold?.rationale).toMatch(/synthesised/);
      expect(extra(c.features, "source")).toBe("synthesised");
    }
    const grid = card("gosales-printers").gauntlet.shiftGrid!;
    expect(extra(grid, "source")).toBe("synthesised");
    expect(grid.note).toMatch(/SYNTHESISED/);
    expect(grid.note).toMatch(/\{28, 56\} are pending/);
    expect(extra(card("catboost-poisson-selection").features, "note")).toMatch(/20 core names .* synthesised/);
  });

  it("every artifact checksum is a marked placeholder (the documents give none)", () => {
    for (const c of parsed) {
      expect(c.artifacts.length).toBeGreaterThan(0);
      for (const a of c.artifacts) {
        expect(extra(a, "checksumSource")).toBe("synthesised");
        expect(a.checksum).toBe(placeholderChecksum(a.uri));
        expect(a.name).toBe(a.uri.slice(a.uri.lastIndexOf("/") + 1));
      }
    }
  });
});

describe("seed model cards: the synthesised curves hold together", () => {
  it("gains: (0,0) to (1,1), rising, concave, with the area the card's AUC implies", () => {
    for (const c of binaryCards()) {
      const pts = c.gains!.points;
      const prevalence = extra(c.gains, "prevalence") as number;
      expect(pts[0]).toEqual({ fraction: 0, capture: 0 });
      expect(pts.at(-1)).toEqual({ fraction: 1, capture: 1 });
      const slopes = pts.slice(1).map((p, i) => (p.capture - pts[i]!.capture) / (p.fraction - pts[i]!.fraction));
      for (const s of slopes) expect(s).toBeGreaterThanOrEqual(0);
      for (let i = 1; i < slopes.length; i++) expect(slopes[i]!).toBeLessThanOrEqual(slopes[i - 1]! + 0.02);
      const area = pts.slice(1).reduce((s, p, i) => s + ((p.capture + pts[i]!.capture) / 2) * (p.fraction - pts[i]!.fraction), 0);
      expect(Math.abs(area - (prevalence / 2 + (1 - prevalence) * c.metrics.auc!))).toBeLessThan(0.01);
    }
  });

  it("top-K: capture on the gains curve, positive rate = prevalence × capture / K, thresholds falling, threshold at K = 10 %", () => {
    for (const c of binaryCards()) {
      const prevalence = extra(c.gains, "prevalence") as number;
      expect(c.topK.map((k) => k.kPercent)).toEqual([1, 5, 10, 20]);
      for (const k of c.topK) {
        expect(c.gains!.points.find((p) => p.fraction === k.kPercent / 100)?.capture).toBe(k.capture);
        expect(k.positiveRate).toBeCloseTo((prevalence * k.capture) / (k.kPercent / 100), 3);
        expect(k.positiveRate).toBeGreaterThan(prevalence);
      }
      for (let i = 1; i < c.topK.length; i++) expect(c.topK[i]!.threshold).toBeLessThan(c.topK[i - 1]!.threshold);
      expect(c.threshold?.value).toBe(c.topK.find((k) => k.kPercent === 10)!.threshold);
    }
  });

  it("calibration: bins in order of prediction, observed rates close to the diagonal, MAE as recorded", () => {
    for (const c of binaryCards()) {
      const bins = c.calibration!.bins;
      const prevalence = extra(c.gains, "prevalence") as number;
      expect(bins).toHaveLength(10);
      for (let i = 1; i < bins.length; i++) expect(bins[i]!.meanPredicted).toBeGreaterThan(bins[i - 1]!.meanPredicted);
      for (const b of bins) expect(Math.abs(b.observedRate - b.meanPredicted)).toBeLessThanOrEqual(0.1 * b.meanPredicted + 1 / b.count);
      const n = bins.reduce((s, b) => s + b.count, 0);
      const observed = bins.reduce((s, b) => s + b.observedRate * b.count, 0) / n;
      expect(Math.abs(observed - prevalence)).toBeLessThan(0.1 * prevalence);
      const mae = bins.reduce((s, b) => s + b.count * Math.abs(b.meanPredicted - b.observedRate), 0) / n;
      expect(extra(c.calibration, "maeWeighted")).toBeCloseTo(mae, 4);
    }
  });

  it("prequential: consecutive months, a gentle decline, no early gains", () => {
    expect(card("gosales-printers").prequential!.rows.map((r) => r.month)).toEqual([
      "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12",
    ]);
    // months not complete at the card's date (2025-09-09) carry no figures
    expect(card("gosales-printers").prequential!.rows.filter((r) => r.auc === null).map((r) => r.month)).toEqual(["2025-09", "2025-10", "2025-11", "2025-12"]);
    for (const c of binaryCards()) {
      const rows = c.prequential!.rows;
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.month).toBe(nextMonth(rows[i - 1]!.month));
      const seen = rows.filter((r) => r.auc !== null);
      expect(seen.length).toBeGreaterThanOrEqual(8);
      expect(seen.every((r) => r.month < c.createdAt.slice(0, 7))).toBe(true);
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!];
        expect(b.auc!).toBeLessThanOrEqual(a.auc!);
        expect(a.auc! - b.auc!).toBeLessThanOrEqual(0.01);
        expect(b.lift10!).toBeLessThanOrEqual(a.lift10!);
        expect(b.brier!).toBeGreaterThanOrEqual(a.brier!);
      }
    }
  });

  it("shift grid: non-improving as the cutoff moves earlier, within the seed's Shift-14 limits", () => {
    const grid = card("gosales-printers").gauntlet.shiftGrid!;
    let previous = 0;
    for (const r of grid.rows) {
      expect(r.deltaAuc).toBeCloseTo(r.auc - 0.7095, 10);
      expect(r.deltaAuc).toBeLessThanOrEqual(previous);
      expect(r.deltaAuc).toBeLessThanOrEqual(0.01);
      expect(r.deltaLift10!).toBeLessThanOrEqual(0.25);
      expect(r.deltaLift10!).toBeLessThanOrEqual(0);
      previous = r.deltaAuc;
    }
    // the baseline lift@10 of the grid is the gains curve's capture at 10 %
    const capture10 = card("gosales-printers").gains!.points.find((p) => p.fraction === 0.1)!.capture;
    for (const r of grid.rows) expect(r.lift10! - r.deltaLift10!).toBeCloseTo(capture10 / 0.1, 2);
  });
});
