/**
 * Test support (not library code): reads the shipped reference data once and builds the
 * statistics and policy snapshots the gating tests use. Only tests import this module —
 * the library itself never reads files.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { SEED_CANARY_IDS } from "./canaries";
import { readCsv, type CsvRow } from "./csv";
import { logit } from "./numeric";
import { buildPolicySnapshot, type PolicySnapshotInput } from "./policy-snapshot";
import { chooseTheta, computeReferenceStatistics } from "./reference-statistics";
import { referenceFragilityScores } from "./assess";
import { REFERENCE_CHANNELS, type PolicySnapshot, type ReferenceStatistics, type ScoredRecord } from "./schemas";

export const TRAIN_CSV_PATH = path.resolve(import.meta.dirname, "../../data/spaceship-titanic/train.csv");

let rows: CsvRow[] | null = null;
let statistics: ReferenceStatistics | null = null;
let snapshot: PolicySnapshot | null = null;

export function referenceRows(): CsvRow[] {
  if (rows) return rows;
  const result = readCsv(readFileSync(TRAIN_CSV_PATH, "utf8"));
  if (!result.ok) throw new Error(`train.csv did not parse: ${result.errors[0]?.message}`);
  rows = result.rows;
  return rows;
}

export function referenceRow(recordId: string): CsvRow {
  const row = referenceRows().find((r) => r.recordId === recordId);
  if (!row) throw new Error(`no row ${recordId}`);
  return row;
}

/** Statistics over ALL rows of train.csv (the spec's §3.1 flag rates are quoted on all rows). */
export function referenceStatistics(): ReferenceStatistics {
  statistics ??= computeReferenceStatistics(referenceRows());
  return statistics;
}

/** A calibrated snapshot: θ chosen on all rows at TARGET_FRAGILE_RATE, the seed's canaries, defaults elsewhere. */
export function referenceSnapshot(): PolicySnapshot {
  if (snapshot) return snapshot;
  const stats = referenceStatistics();
  const draft = buildPolicySnapshot({ statistics: stats, theta: 0, realisedFragileRate: 0 });
  const { theta, realisedFragileRate } = chooseTheta(referenceFragilityScores(referenceRows(), draft), draft.thresholds.TARGET_FRAGILE_RATE);
  snapshot = buildPolicySnapshot({ id: "reference-test", statistics: stats, theta, realisedFragileRate, canaries: { ids: [...SEED_CANARY_IDS] } });
  return snapshot;
}

export function snapshotWith(overrides: Omit<Partial<PolicySnapshotInput>, "statistics">): PolicySnapshot {
  const base = referenceSnapshot();
  return buildPolicySnapshot({
    id: base.id,
    statistics: base.statistics,
    theta: base.theta,
    realisedFragileRate: base.realisedFragileRate,
    canaries: base.canaries,
    ...overrides,
  });
}

export interface ScoreFields {
  pModel: number;
  pGlm?: number | null;
  ensemble?: number[];
  /** per-channel contributions (policy channel order) plus one non-channel feature; base fills the rest */
  channelContributions?: number[];
  varBase?: number;
  recordId?: string;
}

/** A scored record from a reference row (label never copied). Contributions add up exactly. */
export function scoredFromRow(row: Pick<CsvRow, "recordId" | "spend" | "context">, s: ScoreFields): ScoredRecord {
  const record: ScoredRecord = {
    recordId: s.recordId ?? row.recordId,
    spend: { ...row.spend },
    context: { ...row.context },
    pModel: s.pModel,
    scorerVersion: "test-scorer-1",
  };
  if (s.pGlm !== undefined) record.pGlm = s.pGlm;
  if (s.ensemble) record.ensemble = s.ensemble;
  if (s.varBase !== undefined) record.varBase = s.varBase;
  if (s.channelContributions) {
    const byFeature: Record<string, number> = {};
    let sum = 0;
    REFERENCE_CHANNELS.forEach((ch, j) => {
      const c = s.channelContributions?.[j] ?? 0;
      byFeature[ch] = c;
      sum += c;
    });
    byFeature.Age = 0.05;
    sum += 0.05;
    record.logitContributions = { base: logit(s.pModel) - sum, byFeature };
  }
  return record;
}

/** Scores that pass every fragile gate at the defaults: the model is overwhelmingly sure and everything agrees. */
export function overwhelmingScores(pModel = 0.999): ScoreFields {
  return { pModel, pGlm: pModel, ensemble: Array.from({ length: 10 }, () => pModel), channelContributions: [0.1, 0.05, 0, 0.02, 0.01] };
}

const probability = fc.double({ min: 0, max: 1, noNaN: true });

/** fast-check: scoring fields, sometimes missing evidence, often extreme probabilities (so autos happen). */
export const scoreFieldsArb: fc.Arbitrary<ScoreFields> = fc
  .record({
    pModel: fc.oneof(probability, fc.constantFrom(0.001, 0.01, 0.03, 0.97, 0.99, 0.999), fc.double({ min: 0.95, max: 1, noNaN: true })),
    glmShift: fc.option(fc.double({ min: -0.2, max: 0.2, noNaN: true }), { nil: undefined }),
    ensembleShift: fc.option(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { nil: undefined }),
    contributions: fc.option(fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 5, maxLength: 5 }), { nil: undefined }),
    varBase: fc.option(fc.double({ min: 0, max: 0.5, noNaN: true }), { nil: undefined }),
  })
  .map(({ pModel, glmShift, ensembleShift, contributions, varBase }) => {
    const clip = (x: number) => Math.min(1, Math.max(0, x));
    const s: ScoreFields = { pModel };
    if (glmShift !== undefined) s.pGlm = clip(pModel + glmShift);
    if (ensembleShift !== undefined) s.ensemble = Array.from({ length: 10 }, (_, i) => clip(pModel + (ensembleShift * i) / 9));
    if (contributions) s.channelContributions = contributions;
    if (varBase !== undefined) s.varBase = varBase;
    return s;
  });

/** fast-check: a batch of distinct records drawn from the real rows with random scores. */
export function batchArb(maxSize: number): fc.Arbitrary<ScoredRecord[]> {
  const n = referenceRows().length;
  return fc
    .uniqueArray(fc.tuple(fc.integer({ min: 0, max: n - 1 }), scoreFieldsArb), { minLength: 1, maxLength: maxSize, selector: ([i]) => i })
    .map((items) => items.map(([i, s]) => scoredFromRow(referenceRows()[i] as CsvRow, s)));
}
