/**
 * The audit queue's view as the browser needs it: the orders, kinds and statuses the
 * filters offer and the addresses of views. No zod here: client components import this
 * module, and the schema that parses a view (lib/validations/queue.ts) stays on the server.
 */

/**
 * Whitelisted orders. Each is a list of columns that all run in one direction (the index
 * behind it has them in that order), so `dir` flips the whole list.
 */
export const QUEUE_SORTS = {
  // `canary_pin` sorts canaries (reason CANARY) first: the pin is part of the keyset key.
  // `triage_key` is −error_estimate, so ascending puts the likeliest wrong labels first (gating spec §11).
  triage: { label: "Risk triage", columns: ["canary_pin", "triage_key", "created_at", "id"], defaultDir: "asc" },
  error: { label: "P(wrong)", columns: ["error_estimate", "id"], defaultDir: "desc" },
  confidence: { label: "Confidence", columns: ["confidence", "id"], defaultDir: "asc" },
  fragility: { label: "Fragility score", columns: ["fragility_score", "id"], defaultDir: "desc" },
  age: { label: "Age", columns: ["created_at", "id"], defaultDir: "asc" },
} as const;
export type QueueSort = keyof typeof QUEUE_SORTS;
export const QUEUE_SORT_KEYS = Object.keys(QUEUE_SORTS) as QueueSort[];

export const QUEUE_KINDS = {
  fragile: "Fragile (score ≥ θ or canary)",
  "low-confidence": "Low confidence (not fragile)",
  regated: "Re-gated: reasons changed",
} as const;
export type QueueKind = keyof typeof QUEUE_KINDS;

/** Which records the view shows: the open queue, the open records I hold a claim on, or decided ones. */
export const QUEUE_STATUSES = {
  open: "Open",
  mine: "Claimed by me",
  decided: "Decided",
} as const;
export type QueueStatus = keyof typeof QUEUE_STATUSES;

/** The parameters that define a view (everything but the page position). */
export const QUEUE_VIEW_PARAMS = ["status", "reason", "flag", "cluster", "batch", "scorer", "kind", "confMin", "confMax", "fragMin", "fragMax", "sort", "dir"] as const;

/** A request's search parameters as a flat string map (a repeated parameter keeps its first value). */
export function flattenSearchParams(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = Array.isArray(v) ? (v[0] ?? "") : v;
  return out;
}

/** The queue page's address for a view with some parameters changed (null or "" removes one). */
export function queueHref(view: Record<string, string>, changes: Record<string, string | null> = {}, path = "/queue"): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...view, ...changes })) if (v !== null && v !== "") next.set(k, v);
  const s = next.toString();
  return s ? `${path}?${s}` : path;
}
