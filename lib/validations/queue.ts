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
  triage: { label: "Risk triage", columns: ["triage_key", "certainty", "created_at", "id"], defaultDir: "asc" },
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

const optionalText = (max: number) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.string().max(max, { error: `must be at most ${max} characters` }).optional());
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
export const QUEUE_VIEW_PARAMS = ["reason", "flag", "cluster", "batch", "scorer", "kind", "confMin", "confMax", "fragMin", "fragMax", "sort", "dir"] as const;
