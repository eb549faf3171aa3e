/**
 * The audit queue's view: filters, sort and page, as URL search parameters (the page and
 * `GET /api/v1/queue` read the same ones). Unknown values are errors naming the parameter,
 * never silently dropped.
 */
import * as z from "zod";
import { FLAG_CODES, REASON_CODES } from "@/lib/gating/reasons";

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
} as const;
export type QueueKind = keyof typeof QUEUE_KINDS;

/** Which records the view shows: the open queue, the open records I hold a claim on, or decided ones. */
export const QUEUE_STATUSES = {
  open: "Open",
  mine: "Claimed by me",
  decided: "Decided",
} as const;
export type QueueStatus = keyof typeof QUEUE_STATUSES;

const optionalText = (max: number) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .max(max, { error: `must be at most ${max} characters` })
      // Control characters (a NUL byte above all) are never part of an id, a cluster or a cursor.
      .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), { error: "must not contain control characters" })
      .optional(),
  );
const optionalNumber = (min: number, max: number) =>
  z.preprocess(
    (v) => (v === "" || v === undefined ? undefined : Number(v)),
    z
      .number({ error: `must be a number in [${min}, ${max}]` })
      .min(min, { error: `must be a number in [${min}, ${max}]` })
      .max(max, { error: `must be a number in [${min}, ${max}]` })
      .optional(),
  );

export const queueQuerySchema = z
  .strictObject({
    reason: z.preprocess((v) => (v === "" ? undefined : v), z.enum(REASON_CODES, { error: "must be a reason code" }).optional()),
    flag: z.preprocess((v) => (v === "" ? undefined : v), z.enum(FLAG_CODES, { error: "must be a flag code" }).optional()),
    cluster: optionalText(256),
    batch: optionalText(128),
    scorer: optionalText(128),
    status: z.preprocess((v) => (v === "" || v === undefined ? "open" : v), z.enum(["open", "mine", "decided"], { error: "must be open, mine or decided" })),
    kind: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["fragile", "low-confidence"], { error: "must be fragile or low-confidence" }).optional()),
    confMin: optionalNumber(0, 1),
    confMax: optionalNumber(0, 1),
    fragMin: optionalNumber(-1e6, 1e6),
    fragMax: optionalNumber(-1e6, 1e6),
    sort: z.preprocess((v) => (v === "" || v === undefined ? "triage" : v), z.enum(QUEUE_SORT_KEYS as [QueueSort, ...QueueSort[]], { error: `must be one of ${QUEUE_SORT_KEYS.join(", ")}` })),
    dir: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["asc", "desc"], { error: "must be asc or desc" }).optional()),
    cursor: optionalText(512),
    limit: z.preprocess(
      (v) => (v === "" || v === undefined ? 50 : Number(v)),
      z.number({ error: "must be an integer in [1, 500]" }).int({ error: "must be an integer in [1, 500]" }).min(1, { error: "must be an integer in [1, 500]" }).max(500, { error: "must be an integer in [1, 500]" }),
    ),
  })
  .superRefine((q, ctx) => {
    if (q.confMin !== undefined && q.confMax !== undefined && q.confMin > q.confMax) ctx.addIssue({ code: "custom", path: ["confMax"], message: "must be ≥ confMin" });
    if (q.fragMin !== undefined && q.fragMax !== undefined && q.fragMin > q.fragMax) ctx.addIssue({ code: "custom", path: ["fragMax"], message: "must be ≥ fragMin" });
  });
export type QueueQuery = z.infer<typeof queueQuerySchema>;

/** The parameters that define a view (everything but the page position). */
export const QUEUE_VIEW_PARAMS = ["status", "reason", "flag", "cluster", "batch", "scorer", "kind", "confMin", "confMax", "fragMin", "fragMax", "sort", "dir"] as const;

/** A request's search parameters as a flat string map (a repeated parameter keeps its first value). */
export function flattenSearchParams(params: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined) out[k] = Array.isArray(v) ? (v[0] ?? "") : v;
  return out;
}

export type QueueViewParse = { ok: true; query: QueueQuery; view: Record<string, string> } | { ok: false; param: string; message: string; view: Record<string, string> };

/**
 * The queue page's URL state, parsed once: the typed query the data layer takes, and the
 * view's own parameters (no cursor) for links. An invalid parameter is named, never dropped.
 */
export function parseQueueView(params: Record<string, string | string[] | undefined>): QueueViewParse {
  const flat = flattenSearchParams(params);
  const view = Object.fromEntries(QUEUE_VIEW_PARAMS.filter((k) => flat[k]).map((k) => [k, flat[k]!]));
  const parsed = queueQuerySchema.safeParse(flat);
  if (parsed.success) return { ok: true, query: parsed.data, view };
  const issue = parsed.error.issues[0]!;
  return { ok: false, param: String(issue.path[0] ?? ""), message: issue.message, view };
}

/** The queue page's address for a view with some parameters changed (null or "" removes one). */
export function queueHref(view: Record<string, string>, changes: Record<string, string | null> = {}, path = "/queue"): string {
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...view, ...changes })) if (v !== null && v !== "") next.set(k, v);
  const s = next.toString();
  return s ? `${path}?${s}` : path;
}
