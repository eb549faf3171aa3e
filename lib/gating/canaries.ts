/**
 * Canaries (spec/gating.md §6.1): known failure cases registered in the policy, by record
 * id or by signature — a conjunction over one record's flags and §2 topology fields,
 * bounds inclusive. A canary is fragile and always routed to audit (CANARY) while it is
 * in the snapshot; retiring one is a new snapshot (a recorded, reasoned change).
 */
import { flagMaskOf, type TopologyNumericField } from "./reasons";
import type { Canaries, CanarySignature } from "./schemas";
import type { SpendTopology } from "./topology";

/** The seed's canaries (seed 000 §B.7). */
export const SEED_CANARY_IDS = ["0253_01", "0254_01", "0257_01"] as const;

interface CompiledSignature {
  readonly label: string;
  readonly flagMask: number;
  readonly fields: readonly TopologyNumericField[];
  readonly gte: Float64Array;
  readonly lte: Float64Array;
  /** allowed top1Channel values; null when the signature does not bound it */
  readonly top1Channels: ReadonlySet<string | null> | null;
}

export interface CompiledCanaries {
  readonly ids: ReadonlySet<string>;
  readonly signatures: readonly CompiledSignature[];
  /** shared "matched by id" label lists, one per id */
  readonly idLabels: ReadonlyMap<string, readonly string[]>;
}

/** Label of a canary match in reasons and provenance. */
function canaryIdLabel(recordId: string): string {
  return `id:${recordId}`;
}
export function canarySignatureLabel(name: string): string {
  return `signature:${name}`;
}

function compileSignature(sig: CanarySignature): CompiledSignature {
  const { top1Channel, ...bounds } = sig.where ?? {};
  const fields = (Object.keys(bounds) as TopologyNumericField[]).filter((f) => bounds[f] !== undefined);
  const gte = new Float64Array(fields.length);
  const lte = new Float64Array(fields.length);
  fields.forEach((f, i) => {
    const b = bounds[f];
    gte[i] = b?.gte ?? Number.NEGATIVE_INFINITY;
    lte[i] = b?.lte ?? Number.POSITIVE_INFINITY;
  });
  const top1Channels = top1Channel ? new Set(top1Channel.in) : null;
  return { label: canarySignatureLabel(sig.name), flagMask: flagMaskOf(sig.allFlags ?? []), fields, gte, lte, top1Channels };
}

export function compileCanaries(canaries: Canaries): CompiledCanaries {
  const idLabels = new Map<string, readonly string[]>();
  for (const id of canaries.ids) idLabels.set(id, Object.freeze([canaryIdLabel(id)]));
  return { ids: new Set(canaries.ids), signatures: canaries.signatures.map(compileSignature), idLabels };
}

function signatureMatches(sig: CompiledSignature, topology: SpendTopology, flagMask: number): boolean {
  if ((flagMask & sig.flagMask) !== sig.flagMask) return false;
  if (sig.top1Channels !== null && !sig.top1Channels.has(topology.top1Channel)) return false;
  for (let i = 0; i < sig.fields.length; i++) {
    const v = topology[sig.fields[i] as TopologyNumericField];
    // NaN never satisfies a bound: a value that cannot be compared does not match.
    if (!(v >= (sig.gte[i] as number) && v <= (sig.lte[i] as number))) return false;
  }
  return true;
}

const NO_MATCH: readonly string[] = Object.freeze([]);

/** Labels of every canary this record matches (id first, then signatures in policy order); empty when none. */
export function matchCanaries(compiled: CompiledCanaries, recordId: string, topology: SpendTopology, flagMask: number): readonly string[] {
  const byId = compiled.idLabels.get(recordId);
  const sigs = compiled.signatures;
  if (sigs.length === 0) return byId ?? NO_MATCH;
  let out: string[] | null = null;
  for (let i = 0; i < sigs.length; i++) {
    const sig = sigs[i] as CompiledSignature;
    if (signatureMatches(sig, topology, flagMask)) (out ??= byId ? [...byId] : []).push(sig.label);
  }
  if (out === null) return byId ?? NO_MATCH;
  return Object.freeze(out);
}
