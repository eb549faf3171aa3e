/**
 * The GLM fallback's feature-name grammar (spec §5). A snapshot's `glm.features` names
 * each column; `glm.ts` compiles the names into extractors once per policy, and the
 * fitting code (calibration) must featurize with the same functions so fitting and
 * scoring cannot drift.
 *
 *   spend:<channel>            log1p(min(spend, global CHANNEL_OUTLIER_QUANTILE of the channel)); missing → no value
 *   missing:spend:<channel>    1 when the spend is null (missing upstream), else 0
 *   flag:<FLAG>                1 when the §3.1 flag is true (CAPS_TRIGGERED is not allowed, §5)
 *   topology:log1pTop2Sum      log1p(top2Sum)
 *   topology:log1pTop3Sum      log1p(top3Sum)
 *   topology:entropy           spend entropy (§2)
 *   onehot:<key>=<level>       1 when the context value (as text) equals level; 0 otherwise, also when missing
 *   missing:<key>              1 when the context value is missing (null, absent, empty)
 *
 * Context keys may be any context key, or one of the derived keys:
 *   CabinDeck, CabinSide       from `Cabin` = deck/num/side (missing when Cabin is missing or not of that form)
 *   AgeBucket                  from `Age`: [0,13) [13,18) [18,30) [30,50) [50,inf)
 * Booleans read as `true` / `false`, numbers as JavaScript prints them.
 */
import { isMissingContextValue } from "./context-values";
import { FLAG_CODES, type FlagCode } from "./reasons";

const GLM_TOPOLOGY_FEATURES = ["log1pTop2Sum", "log1pTop3Sum", "entropy"] as const;
export type GlmTopologyFeature = (typeof GLM_TOPOLOGY_FEATURES)[number];
export const AGE_BUCKETS = ["[0,13)", "[13,18)", "[18,30)", "[30,50)", "[50,inf)"] as const;

export type GlmFeature =
  | { kind: "spend"; channelIndex: number }
  | { kind: "spendMissing"; channelIndex: number }
  | { kind: "flag"; bit: number }
  | { kind: "topology"; field: GlmTopologyFeature }
  | { kind: "onehot"; key: string; level: string }
  | { kind: "missing"; key: string };

/** Parses a feature name; returns an error message when it does not follow the grammar. */
export function parseGlmFeatureName(name: string, channels: readonly string[]): GlmFeature | string {
  if (name.startsWith("spend:")) {
    const i = channels.indexOf(name.slice(6));
    return i >= 0 ? { kind: "spend", channelIndex: i } : `names unknown channel "${name.slice(6)}"`;
  }
  if (name.startsWith("missing:spend:")) {
    const i = channels.indexOf(name.slice(14));
    return i >= 0 ? { kind: "spendMissing", channelIndex: i } : `names unknown channel "${name.slice(14)}"`;
  }
  if (name.startsWith("flag:")) {
    const code = name.slice(5) as FlagCode;
    const i = FLAG_CODES.indexOf(code);
    if (i < 0) return `names unknown flag "${code}"`;
    if (code === "CAPS_TRIGGERED") return "CAPS_TRIGGERED is not a GLM feature (spec §5)";
    return { kind: "flag", bit: 1 << i };
  }
  if (name.startsWith("topology:")) {
    const field = name.slice(9) as GlmTopologyFeature;
    return GLM_TOPOLOGY_FEATURES.includes(field) ? { kind: "topology", field } : `names unknown topology feature "${field}"`;
  }
  if (name.startsWith("onehot:")) {
    const body = name.slice(7);
    const eq = body.indexOf("=");
    if (eq <= 0) return "must look like onehot:<key>=<level>";
    return { kind: "onehot", key: body.slice(0, eq), level: body.slice(eq + 1) };
  }
  if (name.startsWith("missing:")) {
    const key = name.slice(8);
    return key ? { kind: "missing", key } : "must look like missing:<key>";
  }
  return "must start with spend:, missing:spend:, flag:, topology:, onehot: or missing:";
}

export function glmFeatureNameError(name: string, channels: readonly string[]): string | null {
  const parsed = parseGlmFeatureName(name, channels);
  return typeof parsed === "string" ? `"${name}" ${parsed}` : null;
}

type ContextLike = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** The text of a (possibly derived) context key, or null when missing. */
export function glmContextText(context: ContextLike, key: string): string | null {
  if (key === "CabinDeck" || key === "CabinSide") {
    const cabin = context.Cabin;
    if (typeof cabin !== "string") return null;
    const parts = cabin.split("/");
    if (parts.length !== 3) return null;
    const part = key === "CabinDeck" ? parts[0] : parts[2];
    return part ? part : null;
  }
  if (key === "AgeBucket") {
    const age = context.Age;
    if (typeof age !== "number" || !(age >= 0)) return null;
    return age < 13 ? AGE_BUCKETS[0] : age < 18 ? AGE_BUCKETS[1] : age < 30 ? AGE_BUCKETS[2] : age < 50 ? AGE_BUCKETS[3] : AGE_BUCKETS[4];
  }
  const v = context[key];
  if (isMissingContextValue(v)) return null;
  // A boolean sent as text ("True", as CSV files have it) is the same level as the boolean,
  // as the flags read it; otherwise it would match neither one-hot level.
  if (typeof v === "string") {
    const text = v.trim().toLowerCase();
    if (text === "true" || text === "false") return text;
  }
  return String(v);
}
