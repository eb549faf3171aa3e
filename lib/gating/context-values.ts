/**
 * How context values read: what counts as missing, and how a value becomes a cluster-id
 * part (§2). Shared by topology, the compiled policy and the reference statistics so the
 * three can never disagree.
 */

/** Written for a missing cluster-key part (§2): `∅|TRAPPIST-1e` is a cluster of its own. */
export const MISSING_CLUSTER_PART = "∅";

/** Missing context: null, absent, or an empty / blank string. */
export function isMissingContextValue(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v !== "string") return false;
  // Fast path: a string that starts with a visible character is not blank.
  if (v.length > 0 && v.charCodeAt(0) > 32) return false;
  return v.trim() === "";
}

/** A context value as one part of a cluster id. */
export function clusterPart(v: unknown): string {
  if (isMissingContextValue(v)) return MISSING_CLUSTER_PART;
  return typeof v === "string" ? v : String(v);
}
