/**
 * Builds a complete, validated policy snapshot from calibration outputs, filling every
 * §8 default that is not given. Throws GatingValidationError (naming the field) when the
 * result breaks a schema rule, e.g. CS_ACCEPT above CS.
 */
import { SEED_CANARY_IDS } from "./canaries";
import { markSmallClusters } from "./reference-statistics";
import {
  DEFAULT_THRESHOLDS,
  POLICY_SNAPSHOT_SCHEMA_VERSION,
  REFERENCE_CHANNELS,
  REFERENCE_CONTEXT_KEYS,
  type AuditPriorityModel,
  type Canaries,
  type GlmCoefficients,
  type PolicySnapshot,
  type ReferenceStatistics,
  type Thresholds,
} from "./schemas";
import { computeSnapshotHash } from "./snapshot-hash";
import { parsePolicySnapshot } from "./validation";

/** Overrides of §8 values; nested groups (gates, κ, weights) merge key by key. */
export type ThresholdOverrides = {
  [K in keyof Thresholds]?: Thresholds[K] extends readonly unknown[] ? Thresholds[K] : Thresholds[K] extends object ? Partial<Thresholds[K]> : Thresholds[K];
};

export interface PolicySnapshotInput {
  /** defaults to `policy-` + the first 16 hex digits of the content hash */
  readonly id?: string;
  readonly channels?: readonly string[];
  readonly contextKeys?: readonly string[];
  readonly thresholds?: ThresholdOverrides;
  readonly statistics: ReferenceStatistics;
  readonly theta: number;
  readonly realisedFragileRate: number;
  /** default false: CAPS_TRIGGERED weighs 0 and absent contributions are not a failure */
  readonly contributionsExpected?: boolean;
  /** default: each channel's own name and `<channel>_missing` map to the channel */
  readonly featureChannelMap?: Readonly<Record<string, string>>;
  /** default none: features derived from several spend channels (capped as terms of their own) */
  readonly spendDerivedFeatures?: readonly string[];
  /** default: thresholds.VAR_BASE_DEFAULT (0.04) */
  readonly varBase?: number;
  /** default: thresholds.CS_ACCEPT_UNCALIBRATED (0.60) — calibration should always pass one */
  readonly csAccept?: number;
  readonly glm?: GlmCoefficients | null;
  /** default null: the model's own confidence orders the audit queue (§11) */
  readonly auditPriority?: AuditPriorityModel | null;
  /** default: the seed's canary ids (0253_01, 0254_01, 0257_01), no signatures — failing closed */
  readonly canaries?: Partial<Canaries>;
}

function mergeThresholds(overrides: ThresholdOverrides = {}): Thresholds {
  const base = structuredClone(DEFAULT_THRESHOLDS) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = base[key];
    base[key] =
      current && typeof current === "object" && !Array.isArray(current) && typeof value === "object" && !Array.isArray(value)
        ? { ...current, ...value }
        : Array.isArray(value)
          ? [...value]
          : value;
  }
  return base as unknown as Thresholds;
}

function defaultFeatureChannelMap(channels: readonly string[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const ch of channels) {
    map[ch] = ch;
    map[`${ch}_missing`] = ch;
  }
  return map;
}

export function buildPolicySnapshot(input: PolicySnapshotInput): PolicySnapshot {
  const thresholds = mergeThresholds(input.thresholds);
  const channels = [...(input.channels ?? REFERENCE_CHANNELS)];
  const content: Omit<PolicySnapshot, "id"> = {
    schemaVersion: POLICY_SNAPSHOT_SCHEMA_VERSION,
    channels,
    contextKeys: [...(input.contextKeys ?? REFERENCE_CONTEXT_KEYS)],
    thresholds,
    statistics: markSmallClusters(input.statistics, thresholds.N_MIN_SLICE),
    theta: input.theta,
    realisedFragileRate: input.realisedFragileRate,
    contributionsExpected: input.contributionsExpected ?? false,
    featureChannelMap: { ...(input.featureChannelMap ?? defaultFeatureChannelMap(channels)) },
    spendDerivedFeatures: [...(input.spendDerivedFeatures ?? [])],
    varBase: input.varBase ?? thresholds.VAR_BASE_DEFAULT,
    csAccept: input.csAccept ?? thresholds.CS_ACCEPT_UNCALIBRATED,
    glm: input.glm ?? null,
    auditPriority: input.auditPriority ?? null,
    canaries: {
      ids: [...(input.canaries?.ids ?? SEED_CANARY_IDS)],
      signatures: [...(input.canaries?.signatures ?? [])],
    },
  };
  const id = input.id ?? `policy-${computeSnapshotHash(content).slice(0, 16)}`;
  return parsePolicySnapshot({ id, ...content });
}
