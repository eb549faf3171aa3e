/**
 * Bad input gives a typed validation error naming the field — never a silent coercion (§10).
 */
import { describe, expect, it } from "vitest";
import { compilePolicy } from "./compiled-policy";
import { gateBatch } from "./gate-batch";
import { logit } from "./numeric";
import { buildPolicySnapshot } from "./policy-snapshot";
import {
  DEFAULT_THRESHOLDS,
  GATING_CORE_VERSION,
  MAX_BATCH_SIZE,
  REFERENCE_CHANNELS,
  type ScoredRecord,
} from "./schemas";
import { referenceSnapshot, referenceStatistics } from "./reference-data.test-support";
import { computeSnapshotHash } from "./snapshot-hash";
import { syntheticRecord, syntheticSnapshot, syntheticStatistics } from "./synthetic-policy.test-support";
import {
  formatError,
  formatPath,
  GatingValidationError,
  parseScoredBatch,
  validatePolicySnapshot,
  validateScoredBatch,
  validateScoredRecord,
  type GatingFieldError,
} from "./validation";

const policy = { channels: [...REFERENCE_CHANNELS] };

function goodRecord(recordId = "0001_01"): ScoredRecord {
  return {
    recordId,
    spend: { RoomService: 0, FoodCourt: 12.5, ShoppingMall: null, Spa: 3, VRDeck: 0 },
    context: { HomePlanet: "Earth", CryoSleep: false, Cabin: "B/0/P", Destination: "TRAPPIST-1e", Age: 39, VIP: null },
    pModel: 0.7,
    pGlm: 0.65,
    ensemble: [0.6, 0.7, 0.8],
    logitContributions: { base: logit(0.7) - 0.3, byFeature: { RoomService: 0.1, Spa: 0.2 } },
    varBase: 0.05,
    scorerVersion: "gbdt-1",
  };
}

function errorsOf(outcome: { ok: boolean; errors?: readonly GatingFieldError[] }): string[] {
  expect(outcome.ok).toBe(false);
  return (outcome.errors ?? []).map(formatError);
}

function batchWith(mutate: (r: Record<string, unknown>) => void, index = 3) {
  const records = Array.from({ length: 5 }, (_, i) => goodRecord(`000${i}_01`) as unknown as Record<string, unknown>);
  mutate(records[index] as Record<string, unknown>);
  return { batchId: "batch-1", records };
}

describe("scored record validation", () => {
  it("accepts a valid record and batch unchanged (null stays null)", () => {
    const outcome = validateScoredBatch({ batchId: "b", records: [goodRecord()] }, policy);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(outcome.value.records[0]?.spend.ShoppingMall).toBeNull();
  });

  it("NaN as a spend is an error naming records[3].spend.Spa", () => {
    expect(errorsOf(validateScoredBatch(batchWith((r) => ((r.spend as Record<string, unknown>).Spa = Number.NaN)), policy))).toEqual([
      "records[3].spend.Spa: must be a number ≥ 0 or null",
    ]);
  });

  it("a negative spend is an error naming the channel", () => {
    expect(errorsOf(validateScoredBatch(batchWith((r) => ((r.spend as Record<string, unknown>).VRDeck = -1)), policy))).toEqual([
      "records[3].spend.VRDeck: must be a number ≥ 0 or null",
    ]);
  });

  it("a spend given as text or Infinity is an error, not a coercion", () => {
    expect(errorsOf(validateScoredBatch(batchWith((r) => ((r.spend as Record<string, unknown>).Spa = "12")), policy))).toEqual([
      "records[3].spend.Spa: must be a number ≥ 0 or null",
    ]);
    expect(errorsOf(validateScoredBatch(batchWith((r) => ((r.spend as Record<string, unknown>).Spa = Infinity)), policy))).toEqual([
      "records[3].spend.Spa: must be a number ≥ 0 or null",
    ]);
  });

  it("p outside [0, 1] is an error naming pModel / pGlm / ensemble member", () => {
    expect(errorsOf(validateScoredBatch(batchWith((r) => (r.pModel = 1.2), 0), policy))).toEqual(["records[0].pModel: must be a probability in [0, 1]"]);
    expect(errorsOf(validateScoredBatch(batchWith((r) => (r.pGlm = -0.1), 1), policy))).toEqual(["records[1].pGlm: must be a probability in [0, 1]"]);
    expect(errorsOf(validateScoredBatch(batchWith((r) => (r.ensemble = [0.2, Number.NaN]), 2), policy))).toEqual([
      "records[2].ensemble[1]: must be a probability in [0, 1]",
    ]);
  });

  it("an unknown channel is an error naming it", () => {
    expect(errorsOf(validateScoredBatch(batchWith((r) => ((r.spend as Record<string, unknown>).Casino = 5)), policy))).toEqual([
      "records[3].spend.Casino: is not a policy channel (RoomService, FoodCourt, ShoppingMall, Spa, VRDeck)",
    ]);
  });

  it("an absent channel is an error naming it (null is how missing is sent)", () => {
    expect(errorsOf(validateScoredBatch(batchWith((r) => delete (r.spend as Record<string, unknown>).FoodCourt), policy))).toEqual([
      "records[3].spend.FoodCourt: is required: every policy channel must be present (null when missing)",
    ]);
  });

  it("channels come from the snapshot, not from a constant", () => {
    const twoChannels = { channels: ["RoomService", "Casino"] };
    const record = { ...goodRecord(), spend: { RoomService: 1, Casino: null } };
    expect(validateScoredRecord(record, twoChannels).ok).toBe(true);
    expect(errorsOf(validateScoredRecord(goodRecord(), twoChannels))).toContain("spend.Casino: is required: every policy channel must be present (null when missing)");
  });

  it("10,001 records is an error naming records; 10,000 is fine; a million is refused before any record is read", () => {
    const records = Array.from({ length: MAX_BATCH_SIZE + 1 }, (_, i) => goodRecord(`r${i}`));
    expect(errorsOf(validateScoredBatch({ batchId: "big", records }, policy))).toEqual(["records: must hold at most 10000 records (got 10001)"]);
    expect(validateScoredBatch({ batchId: "ok", records: records.slice(0, MAX_BATCH_SIZE) }, policy).ok).toBe(true);
    const million = new Array(1_000_000);
    const t0 = performance.now();
    expect(errorsOf(validateScoredBatch({ batchId: "huge", records: million }, policy))).toEqual(["records: must hold at most 10000 records (got 1000000)"]);
    expect(performance.now() - t0).toBeLessThan(50);
  });

  it("an empty batch is an error", () => {
    expect(errorsOf(validateScoredBatch({ batchId: "empty", records: [] }, policy))).toEqual(["records: must hold at least 1 record"]);
  });

  it("duplicate record ids in a batch are an error naming the second", () => {
    const outcome = validateScoredBatch({ batchId: "dup", records: [goodRecord("a"), goodRecord("b"), goodRecord("a")] }, policy);
    expect(errorsOf(outcome)).toEqual(['records[2].recordId: duplicates records[0].recordId ("a")']);
  });

  it("record ids follow the pattern", () => {
    expect(errorsOf(validateScoredRecord({ ...goodRecord(), recordId: "has space" }, policy))).toEqual([
      "recordId: must be 1–128 characters of [A-Za-z0-9_.:-]",
    ]);
    expect(validateScoredRecord({ ...goodRecord(), recordId: "x".repeat(129) }, policy).ok).toBe(false);
  });

  it("unknown fields are errors (e.g. a label leaking into a scored record)", () => {
    expect(errorsOf(validateScoredRecord({ ...goodRecord(), Transported: true }, policy))).toEqual(["Transported: is not a known field"]);
  });

  it("contributions must add up to logit(pModel) within 1e-6", () => {
    const bad = goodRecord();
    bad.logitContributions = { base: logit(0.7) - 0.3 + 1e-4, byFeature: { RoomService: 0.1, Spa: 0.2 } };
    const errs = errorsOf(validateScoredRecord(bad, policy));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^logitContributions: must add up to logit\(pModel\)/);
    const withinTolerance = goodRecord();
    withinTolerance.logitContributions = { base: logit(0.7) - 0.3 + 5e-7, byFeature: { RoomService: 0.1, Spa: 0.2 } };
    expect(validateScoredRecord(withinTolerance, policy).ok).toBe(true);
    // pModel = 1 compares against the clipped logit; a sum beyond the clip is the same probability.
    const certain = { ...goodRecord(), pModel: 1, logitContributions: { base: 20, byFeature: {} } };
    expect(validateScoredRecord(certain, policy).ok).toBe(true);
  });

  it("context values must be string, number, boolean or null", () => {
    expect(errorsOf(validateScoredRecord({ ...goodRecord(), context: { Age: Number.NaN } }, policy))).toEqual([
      "context.Age: must be a string, a finite number, a boolean or null",
    ]);
  });

  it("parse helpers throw a GatingValidationError carrying every field error", () => {
    try {
      parseScoredBatch(batchWith((r) => ((r.spend as Record<string, unknown>).Spa = -3)), policy);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(GatingValidationError);
      const err = e as GatingValidationError;
      expect(err.code).toBe("invalid");
      expect(err.fieldErrors).toEqual({ "records[3].spend.Spa": ["must be a number ≥ 0 or null"] });
      expect(err.message).toBe("records[3].spend.Spa: must be a number ≥ 0 or null");
    }
  });

  it("formats paths with odd keys quoted", () => {
    expect(formatPath(["records", 0, "spend", "Room Service"])).toBe('records[0].spend["Room Service"]');
  });
});

describe("policy snapshot validation", () => {
  it("exports the §8 defaults and the core version", () => {
    expect(GATING_CORE_VERSION).toBe("1.1.0");
    expect(DEFAULT_THRESHOLDS.TOP1_SHARE_SUPERDOM).toBe(0.75);
    expect(DEFAULT_THRESHOLDS.TOP2_SUM_ABS_LOW).toBe(800);
    expect(DEFAULT_THRESHOLDS.SMALL_BATCH_FRAGILE_GATES).toEqual({ GLM_GAP_MAX: 0.05, ENSEMBLE_AGREEMENT_MIN: 0.99, INTERVAL_WIDTH_MAX: 0.12, CONFIDENCE_MIN: 0.8 });
    expect(DEFAULT_THRESHOLDS.FRAGILE_GATES).toEqual(DEFAULT_THRESHOLDS.SMALL_BATCH_FRAGILE_GATES);
    expect(DEFAULT_THRESHOLDS.KAPPA_FLAGS.SUPER_DOMINANT).toBe(2.1);
    expect(DEFAULT_THRESHOLDS.KAPPA_IMPUTE).toBe(0.3);
    expect(DEFAULT_THRESHOLDS.KAPPA_MISSING).toBe(0.6);
    expect(DEFAULT_THRESHOLDS.FRAGILITY_WEIGHTS.SMALL_CLUSTER).toBe(0.5);
    expect(DEFAULT_THRESHOLDS.CLUSTER_KEY).toEqual(["HomePlanet", "Destination"]);
    expect(DEFAULT_THRESHOLDS.REQUIRED_CONTEXT_KEYS).toEqual(["HomePlanet", "Destination", "Cabin"]);
    expect(Object.isFrozen(DEFAULT_THRESHOLDS.KAPPA_FLAGS)).toBe(true);
  });

  it("a built snapshot validates and carries every default", () => {
    const s = referenceSnapshot();
    expect(validatePolicySnapshot(s).ok).toBe(true);
    expect(s.thresholds).toEqual(DEFAULT_THRESHOLDS);
    expect(s.varBase).toBe(0.04);
    expect(s.csAccept).toBe(0.6);
    expect(s.glm).toBeNull();
  });

  it("a built or parsed snapshot is deep-frozen: changing it throws, so the compiled-policy cache cannot go stale", () => {
    const statistics = syntheticStatistics();
    const s = syntheticSnapshot({ statistics });
    const compiled = compilePolicy(s);
    const hash = computeSnapshotHash(s);
    const attempts: (() => void)[] = [
      () => ((s as { theta: number }).theta = 0),
      () => ((s.thresholds as { BATCH_HOLD_ALPHA: number }).BATCH_HOLD_ALPHA = 1),
      () => ((s.thresholds.SMALL_BATCH_FRAGILE_GATES as { CONFIDENCE_MIN: number }).CONFIDENCE_MIN = 0),
      () => (s.statistics.global.top2SumSorted as number[]).push(1),
      () => ((s.statistics.global.top2SumSorted as number[])[0] = 5),
      () => (s.canaries.ids as string[]).push("0001_01"),
      () => delete (s.featureChannelMap as Record<string, string>).Spa,
    ];
    // Test files are ES modules, hence strict mode: writing to a frozen object throws.
    for (const attempt of attempts) expect(attempt).toThrow(TypeError);
    expect(s.theta).toBe(1.5);
    expect(computeSnapshotHash(s)).toBe(hash);
    expect(compilePolicy(s)).toBe(compiled);
    expect(compiled.hash).toBe(hash);
    // The caller's own inputs are not frozen (validation copies them).
    expect(Object.isFrozen(statistics.global.top2SumSorted)).toBe(false);
    // A variant is a copy, with its own compiled state.
    const variant = structuredClone(s);
    variant.theta = 0;
    expect(compilePolicy(variant)).not.toBe(compiled);
    const record = syntheticRecord("r", [1, 0, 0, 0, 0], { pModel: 0.9 });
    expect(gateBatch([record], variant, { batchId: "b", now: "t" }).results[0]?.fragile).toBe(true);
    expect(gateBatch([record], s, { batchId: "b", now: "t" }).results[0]?.fragile).toBe(false);
    const parsed = validatePolicySnapshot(JSON.parse(JSON.stringify(s)));
    expect(parsed.ok && Object.isFrozen(parsed.value.statistics.clusters)).toBe(true);
  });

  it("CS_ACCEPT above CS is refused, naming csAccept", () => {
    const errs = errorsOf(validatePolicySnapshot({ ...referenceSnapshot(), csAccept: 0.85 }));
    expect(errs).toContain(
      "csAccept: must not exceed thresholds.SMALL_BATCH_FRAGILE_GATES.CONFIDENCE_MIN (CS = 0.8): the rule is CS ≥ CS_ACCEPT",
    );
    expect(() => buildPolicySnapshot({ statistics: referenceStatistics(), theta: 1, realisedFragileRate: 0.04, csAccept: 0.9 })).toThrow(GatingValidationError);
  });

  it("a small flag that disagrees with N_MIN_SLICE is refused", () => {
    const s = structuredClone(referenceSnapshot());
    const cluster = s.statistics.clusters["Earth|TRAPPIST-1e"];
    if (!cluster) throw new Error("fixture");
    cluster.small = true;
    expect(errorsOf(validatePolicySnapshot(s))).toEqual(['statistics.clusters["Earth|TRAPPIST-1e"].small: must be false (n = 3101, N_MIN_SLICE = 60)']);
  });

  it("negative weights or κ are refused (they would break monotonicity)", () => {
    const s = structuredClone(referenceSnapshot());
    s.thresholds.KAPPA_FLAGS.SUPER_DOMINANT = -1;
    s.thresholds.FRAGILITY_WEIGHTS.MISSING_CONTEXT = -0.1;
    expect(errorsOf(validatePolicySnapshot(s))).toEqual([
      "thresholds.KAPPA_FLAGS.SUPER_DOMINANT: must be a number ≥ 0",
      "thresholds.FRAGILITY_WEIGHTS.MISSING_CONTEXT: must be a number ≥ 0",
    ]);
  });

  it("GLM features must follow the grammar and never use CAPS_TRIGGERED", () => {
    const glm = { features: ["spend:Casino", "flag:CAPS_TRIGGERED", "bogus"], mean: [0, 0, 0], scale: [1, 1, 1], coef: [1, 1, 1], intercept: 0 };
    const errs = errorsOf(validatePolicySnapshot({ ...referenceSnapshot(), glm }));
    expect(errs).toEqual([
      'glm.features[0]: "spend:Casino" names unknown channel "Casino"',
      'glm.features[1]: "flag:CAPS_TRIGGERED" CAPS_TRIGGERED is not a GLM feature (spec §5)',
      'glm.features[2]: "bogus" must start with spend:, missing:spend:, flag:, topology:, onehot: or missing:',
    ]);
    const ragged = { features: ["spend:Spa"], mean: [0, 1], scale: [1], coef: [1], intercept: 0 };
    expect(errorsOf(validatePolicySnapshot({ ...referenceSnapshot(), glm: ragged }))).toEqual(["glm.mean: must have one entry per feature (1)"]);
  });

  it("a release target or test level outside (0, 0.5) is refused, naming the field", () => {
    for (const [field, value] of [
      ["TARGET_RELEASE_ERROR", 0.5],
      ["TARGET_RELEASE_ERROR", 0],
      ["RELEASE_DELTA", 0.5],
      ["RELEASE_DELTA", -0.01],
    ] as const) {
      const s = structuredClone(referenceSnapshot());
      s.thresholds[field] = value;
      expect(errorsOf(validatePolicySnapshot(s))).toEqual([`thresholds.${field}: must be in (0, 0.5)`]);
    }
    expect(() => buildPolicySnapshot({ statistics: referenceStatistics(), theta: 1, realisedFragileRate: 0.04, thresholds: { RELEASE_DELTA: 0.6 } })).toThrow(/RELEASE_DELTA: must be in \(0, 0.5\)/);
  });

  it("a signature's top1Channel must name policy channels (or null)", () => {
    const s = { ...referenceSnapshot(), canaries: { ids: [], signatures: [{ name: "dominant", where: { top1Channel: { in: ["Spa", null, "Casino"] } } }] } };
    expect(errorsOf(validatePolicySnapshot(s))).toEqual(['canaries.signatures[0].where.top1Channel.in[2]: must name a policy channel or null (got "Casino")']);
  });

  it("an audit-priority model must be fitted on exactly the audit-priority inputs", () => {
    const m = { features: ["modelUncertainty"], mean: [0], scale: [1], coef: [1], intercept: 0 };
    const errs = errorsOf(validatePolicySnapshot({ ...referenceSnapshot(), auditPriority: m }));
    expect(errs[0]).toMatch(/^auditPriority.features: must be exactly absLogit, modelUncertainty, predictiveWidth/);
  });

  it("a canary signature with no condition would match everything and is refused", () => {
    const s = { ...referenceSnapshot(), canaries: { ids: [], signatures: [{ name: "all" }] } };
    expect(errorsOf(validatePolicySnapshot(s))).toEqual(["canaries.signatures[0]: must have at least one flag or one bound"]);
    const badField = { ...referenceSnapshot(), canaries: { ids: [], signatures: [{ name: "x", where: { top1Channel: { gte: 1 } } }] } };
    expect(validatePolicySnapshot(badField).ok).toBe(false);
  });

  it("statistics must cover exactly the policy channels", () => {
    expect(errorsOf(validatePolicySnapshot({ ...referenceSnapshot(), channels: ["RoomService", "FoodCourt", "ShoppingMall", "Spa"] }))).toContain(
      "statistics.global.channels.VRDeck: is not a policy channel",
    );
  });
});
