/**
 * A hand-written check of a plainly valid scored batch, for the ingest hot path: zod's
 * schema (schemas.ts) takes ~25 µs per record, this a fraction of it. It answers only
 * "valid, and here is the value"; anything it is not sure of — an invalid field, an odd
 * object, a `__proto__` key — returns null, and the caller runs the schema, which names
 * every error. The value is built as zod builds it (fresh objects, the schema's key order,
 * an optional key given as undefined kept as undefined), so the two cannot be told apart;
 * a property test holds them equal, and the schema stays the definition of valid.
 */
import { contributionAdditivityError, MAX_BATCH_SIZE, RECORD_ID_PATTERN, type ScoredBatch, type ScoredRecord } from "./schemas";

type Plain = Record<string, unknown>;

/** An object literal or JSON object: what a request body parses to. */
function isPlainObject(x: unknown): x is Plain {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

const has = (o: Plain, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** zod's z.number(): finite (NaN and ±Infinity refused). */
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isProbability = (v: unknown): v is number => isFiniteNumber(v) && v >= 0 && v <= 1;

const RECORD_KEYS = new Set(["recordId", "spend", "context", "clusterId", "pModel", "pGlm", "ensemble", "logitContributions", "varBase", "scorerVersion"]);

/** A copy of a string-keyed record whose every value passes `valid`; null when one does not. */
function copyRecord(x: unknown, valid: (v: unknown) => boolean, nonEmptyKeys: boolean): Plain | null {
  if (!isPlainObject(x)) return null;
  const out: Plain = {};
  for (const key in x) {
    if (key === "__proto__" || (nonEmptyKeys && key === "")) return null;
    const v = x[key];
    if (!valid(v)) return null;
    out[key] = v;
  }
  return out;
}

const validSpend = (v: unknown) => v === null || (isFiniteNumber(v) && v >= 0);
const validContext = (v: unknown) => v === null || typeof v === "string" || typeof v === "boolean" || isFiniteNumber(v);

/** One record as `scoredRecordSchema` would return it, or null. */
export function plainScoredRecord(x: unknown): ScoredRecord | null {
  if (!isPlainObject(x)) return null;
  for (const key in x) if (!RECORD_KEYS.has(key)) return null;
  const { recordId, pModel, scorerVersion } = x;
  if (typeof recordId !== "string" || !RECORD_ID_PATTERN.test(recordId)) return null;
  if (!isProbability(pModel)) return null;
  if (typeof scorerVersion !== "string" || scorerVersion.length === 0) return null;
  const spend = copyRecord(x.spend, validSpend, false);
  if (spend === null) return null;
  const context = copyRecord(x.context, validContext, false);
  if (context === null) return null;
  const out: Plain = { recordId, spend, context };
  if (has(x, "clusterId")) {
    const v = x.clusterId;
    if (v !== undefined && (typeof v !== "string" || v.length < 1 || v.length > 256)) return null;
    out.clusterId = v;
  }
  out.pModel = pModel;
  if (has(x, "pGlm")) {
    const v = x.pGlm;
    if (v !== undefined && v !== null && !isProbability(v)) return null;
    out.pGlm = v;
  }
  if (has(x, "ensemble")) {
    const v = x.ensemble;
    if (v === undefined) out.ensemble = v;
    else {
      if (!Array.isArray(v)) return null;
      const copy = new Array<number>(v.length);
      for (let i = 0; i < v.length; i++) {
        const p: unknown = v[i];
        if (!isProbability(p)) return null;
        copy[i] = p;
      }
      out.ensemble = copy;
    }
  }
  if (has(x, "logitContributions")) {
    const v = x.logitContributions;
    if (v === undefined) out.logitContributions = v;
    else {
      if (!isPlainObject(v)) return null;
      for (const key in v) if (key !== "base" && key !== "byFeature") return null;
      if (!isFiniteNumber(v.base)) return null;
      const byFeature = copyRecord(v.byFeature, isFiniteNumber, true) as Record<string, number> | null;
      if (byFeature === null) return null;
      const contributions = { base: v.base, byFeature };
      if (contributionAdditivityError(contributions, pModel) !== null) return null;
      out.logitContributions = contributions;
    }
  }
  if (has(x, "varBase")) {
    const v = x.varBase;
    if (v !== undefined && !(isFiniteNumber(v) && v >= 0)) return null;
    out.varBase = v;
  }
  out.scorerVersion = scorerVersion;
  return out as unknown as ScoredRecord;
}

/** A batch as `scoredBatchSchema` would return it, or null (then run the schema). */
export function plainScoredBatch(x: unknown): ScoredBatch | null {
  if (!isPlainObject(x)) return null;
  for (const key in x) if (key !== "batchId" && key !== "records") return null;
  const { batchId, records } = x;
  if (typeof batchId !== "string" || !RECORD_ID_PATTERN.test(batchId)) return null;
  if (!Array.isArray(records) || records.length < 1 || records.length > MAX_BATCH_SIZE) return null;
  const out = new Array<ScoredRecord>(records.length);
  for (let i = 0; i < records.length; i++) {
    const r = plainScoredRecord(records[i]);
    if (r === null) return null;
    out[i] = r;
  }
  return { batchId, records: out };
}
