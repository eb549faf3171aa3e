/**
 * The three parts of spec/gating.md §7 (training / calibration / test) and the group folds
 * used to evaluate the scorer. All split by passenger group (the `gggg` prefix of `gggg_pp`), because 45 % of passengers
 * travel in groups and a row split would leak a group's shared outcome across the split.
 * Shared with calibration: the same seed gives the same parts everywhere.
 */
import { groupOf } from "./features";

/** Shares of passenger groups in the three parts of §7: training 60 / calibration 20 / test 20. */
export const SPLIT_FRACTIONS = Object.freeze({ training: 0.6, calibration: 0.2, test: 0.2 });

export type SplitPart = "training" | "calibration" | "test";

/**
 * 32-bit hash of `${seed}:${groupId}`: FNV-1a over the UTF-16 code units, then the
 * murmur3 finaliser so neighbouring group ids spread evenly.
 */
export function groupHash(groupId: string, seed: number): number {
  const key = `${seed >>> 0}:${groupId}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The part a passenger group belongs to: its hash as a fraction u of 2³²; u < 0.2 test,
 * u < 0.4 calibration, else training. (The test part is the 20 % holdout of earlier
 * releases, so its figures stay comparable.)
 */
export function splitPartOf(groupId: string, seed: number): SplitPart {
  const u = groupHash(groupId, seed) / 4294967296;
  if (u < SPLIT_FRACTIONS.test) return "test";
  if (u < SPLIT_FRACTIONS.test + SPLIT_FRACTIONS.calibration) return "calibration";
  return "training";
}

/** The records of each part, in input order. Groups never straddle parts. */
export function splitParts<R extends { recordId: string }>(records: readonly R[], seed: number): Record<SplitPart, R[]> {
  const parts: Record<SplitPart, R[]> = { training: [], calibration: [], test: [] };
  for (const record of records) parts[splitPartOf(groupOf(record.recordId), seed)].push(record);
  return parts;
}

/**
 * GroupKFold (scikit-learn's rule, made deterministic): groups sorted by size descending,
 * ties by group id, each placed in the fold with the fewest rows so far (ties: lowest
 * fold). Returns the fold index of every record.
 */
export function groupKFold(recordIds: readonly string[], folds: number): number[] {
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`folds must be an integer ≥ 2, got ${folds}`);
  const sizes = new Map<string, number>();
  for (const id of recordIds) sizes.set(groupOf(id), (sizes.get(groupOf(id)) ?? 0) + 1);
  if (sizes.size < folds) throw new RangeError(`${sizes.size} groups cannot fill ${folds} folds`);
  const groups = [...sizes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const foldRows = new Array<number>(folds).fill(0);
  const foldOfGroup = new Map<string, number>();
  for (const [group, size] of groups) {
    let target = 0;
    for (let f = 1; f < folds; f++) if (foldRows[f]! < foldRows[target]!) target = f;
    foldOfGroup.set(group, target);
    foldRows[target]! += size;
  }
  return recordIds.map((id) => foldOfGroup.get(groupOf(id))!);
}
