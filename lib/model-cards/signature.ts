/**
 * A feature signature (spec model-cards.md §1, seed 003's "hash-based feature signature
 * tracking"): SHA-256 of the features' names and types in order, one `name<TAB>type` line
 * each. Order matters — a model reads its inputs by position — so a reordered list is a
 * different signature, and a card whose signature differs from the champion's warns of
 * schema drift. Pure.
 */
import { createHash } from "node:crypto";

export function featureSignature(features: readonly { name: string; type: string }[]): string {
  const hash = createHash("sha256");
  for (const f of features) hash.update(`${f.name}\t${f.type}\n`);
  return hash.digest("hex");
}
