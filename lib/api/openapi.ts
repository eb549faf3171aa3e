/**
 * The OpenAPI 3.1 document of `/api/v1`, generated (zod-openapi) from the zod schemas the
 * routes validate requests with and the response schemas of lib/validations/api.ts.
 */
import * as z from "zod";
import { createDocument } from "zod-openapi";
import type { BatchDetail } from "@/lib/data/batches";
import type { IngestSummary } from "@/lib/data/ingest";
import type { AlertView } from "@/lib/data/alerts";
import type { AuditTrail } from "@/lib/data/audit-trail";
import { TRAIL_SUBJECTS } from "@/lib/ledger/entry";
import type { OverrideRegister } from "@/lib/data/override-register";
import type { CauseConfusion } from "@/lib/governance/event-causes";
import type { RoutingHealth } from "@/lib/data/routing-health";
import type { SliceKpis } from "@/lib/data/slices";
import type { EventPipelineGovernance } from "@/lib/data/events/governance";
import type { QueuePage, QueueTotal } from "@/lib/data/queue";
import type { RecordResult } from "@/lib/data/results";
import type { EntryInclusionProof, SignedConsistencyProof } from "@/lib/data/ledger-tree";
import type { LedgerVerification } from "@/lib/ledger/witness";
import { scoredBatchSchema } from "@/lib/gating/schemas";
import { downstreamWindowsPageSchema, modelCardSummarySchema, storedModelCardSchema, alertListSchema, apiErrorSchema, batchDetailSchema, ingestSummarySchema, ledgerConsistencyProofSchema, ledgerInclusionProofSchema, ledgerVerificationSchema, auditTrailSchema, eventPipelineSchema, overrideRegisterSchema, queuePageSchema, routingHealthSchema, recordResultSchema, sliceKpisSchema, tokenInfoSchema } from "@/lib/validations/api";
import { labelBatchSchema, labelSummarySchema, type LabelSummary } from "@/lib/validations/labels";
import type { ModelCardSummary, StoredModelCard } from "@/lib/data/model-cards";
import type { DownstreamWindowsPage } from "@/lib/data/events/views";
import { modelCardSchema } from "@/lib/model-cards/card";
import { queueQuerySchema } from "@/lib/validations/queue";

// Compile-time: what the data layer returns is what the document describes.
type Assignable<T, U extends T> = U;
export type ResponseShapesMatch = [
  Assignable<z.infer<typeof ingestSummarySchema>, IngestSummary>,
  Assignable<z.infer<typeof queuePageSchema>, QueuePage & { total: QueueTotal }>,
  Assignable<z.infer<typeof batchDetailSchema>, BatchDetail>,
  Assignable<Omit<z.infer<typeof recordResultSchema>, "current">, Omit<RecordResult, "current">>,
  Assignable<z.infer<typeof ledgerVerificationSchema>, LedgerVerification>,
  Assignable<z.infer<typeof ledgerInclusionProofSchema>, EntryInclusionProof>,
  Assignable<z.infer<typeof ledgerConsistencyProofSchema>, SignedConsistencyProof>,
  Assignable<z.infer<typeof labelSummarySchema>, LabelSummary>,
  Assignable<z.infer<typeof overrideRegisterSchema>, OverrideRegister & { eventCauses: CauseConfusion }>,
  Assignable<z.infer<typeof routingHealthSchema>, RoutingHealth>,
  Assignable<z.infer<typeof auditTrailSchema>, AuditTrail>,
  Assignable<z.infer<typeof sliceKpisSchema>, SliceKpis>,
  Assignable<z.infer<typeof alertListSchema>["alerts"][number], AlertView>,
  Assignable<z.infer<typeof eventPipelineSchema>, EventPipelineGovernance>,
  Assignable<z.infer<typeof modelCardSummarySchema>, ModelCardSummary>,
  Assignable<z.infer<typeof storedModelCardSchema>, StoredModelCard>,
  Assignable<z.infer<typeof downstreamWindowsPageSchema>, DownstreamWindowsPage>,
];

const json = (schema: z.ZodType, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = {
  "401": json(apiErrorSchema, "No token, or an unknown, revoked or expired one"),
  "403": json(apiErrorSchema, "The token lacks the scope"),
  "429": json(apiErrorSchema, "Over the token's rate limit; see Retry-After"),
};

/** The query parameters of the queue as strings (what a URL carries); the rules are those of queueQuerySchema. */
const queueParameters = z.object(Object.fromEntries(Object.keys(queueQuerySchema.shape).map((key) => [key, z.string().optional()])));

export function openApiDocument() {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Sentinel Review machine API",
      version: "1.0.0",
      description: "Ingest scored batches and label feedback, and read the audit queue. Authenticate with `Authorization: Bearer sr_…` (API tokens with scopes). See docs/api.md.",
    },
    components: { securitySchemes: { token: { type: "http", scheme: "bearer", description: "An API token (sr_…) with the scope the operation names." } } },
    security: [{ token: [] }],
    paths: {
      "/api/v1/batches": {
        post: {
          summary: "Ingest one batch of scored records (scope ingest)",
          description: "All or nothing; idempotent by Idempotency-Key (or batch id). CSV in the Spaceship Titanic layout is scored by the reference scorer.",
          requestParams: {
            header: z.object({ "idempotency-key": z.string().max(200).optional().meta({ description: "replays return the first response byte for byte" }) }),
            query: z.object({ batchId: z.string().optional().meta({ description: "batch id for CSV bodies" }) }),
          },
          requestBody: {
            content: {
              "application/json": { schema: scoredBatchSchema.partial({ batchId: true }) },
              "text/csv": { schema: z.string().meta({ description: "Spaceship Titanic CSV, any dialect of gating spec §1.1a" }) },
            },
          },
          responses: {
            "201": json(ingestSummarySchema, "Stored (or replayed: header Idempotent-Replayed: true)"),
            "400": json(apiErrorSchema, "Malformed JSON"),
            ...errors,
            "409": json(apiErrorSchema, "Idempotency key reused for another request, or batch id taken"),
            "413": json(apiErrorSchema, "Body over the size limit"),
            "415": json(apiErrorSchema, "Neither application/json nor text/csv"),
            "422": json(apiErrorSchema, "Invalid records; every bad field is listed and nothing was written"),
          },
        },
      },
      "/api/v1/labels": {
        post: {
          summary: "Label feedback: observed outcomes of ingested records (scope ingest)",
          description:
            "Body { labels: [{ recordId, label, observedAt, source }] } (1…10,000). All or nothing; append-only; one label per record and source: the same label again is a no-op (200, counted as unchanged), a contradicting one a 409. docs/labels.md says which figures count these labels.",
          requestBody: { content: { "application/json": { schema: labelBatchSchema } } },
          responses: {
            "201": json(labelSummarySchema, "Stored"),
            "200": json(labelSummarySchema, "Every label was already stored as sent: nothing written"),
            "400": json(apiErrorSchema, "Malformed JSON"),
            ...errors,
            "409": json(apiErrorSchema, "A label contradicts the one stored for the same record and source; nothing was written"),
            "413": json(apiErrorSchema, "Body over the size limit"),
            "415": json(apiErrorSchema, "Not application/json"),
            "422": json(apiErrorSchema, "Invalid labels or records never ingested, each named labels[i].field with its rule; nothing was written"),
          },
        },
      },
      "/api/v1/model-cards": {
        get: {
          summary: "The model-card registry: every card's summary (scope read)",
          description: "One card per (model, version), append-only; status as registered (promotion is recorded in the edit log).",
          responses: { "200": json(z.object({ cards: z.array(modelCardSummarySchema) }), "The cards, by model, newest first"), ...errors },
        },
        post: {
          summary: "Register a model card from a training pipeline (scope models:write)",
          description:
            "One card per (model, version), append-only, idempotent by (model, version, runId, configHash): the same card again answers 200 with the stored one (header Idempotent-Replayed: true); another runId, configHash or content under a registered (model, version) is a 409 — a changed card is a new version. Fields the schema does not know are kept. Ranges are checked (AUC and rates in [0, 1], deviance ≥ 0, R² ≤ 1), a feature list must match its signature, schemaVersion must be one this console reads.",
          requestBody: { content: { "application/json": { schema: modelCardSchema } } },
          responses: {
            "201": json(storedModelCardSchema, "Registered"),
            "200": json(storedModelCardSchema, "This very card was registered before: nothing written"),
            "400": json(apiErrorSchema, "Malformed JSON"),
            ...errors,
            "409": json(apiErrorSchema, "The (model, version) holds another card, naming what differs"),
            "413": json(apiErrorSchema, "Body over the size limit"),
            "415": json(apiErrorSchema, "Not application/json"),
            "422": json(apiErrorSchema, "An invalid card: every bad field named with its rule; nothing was written"),
          },
        },
      },
      "/api/v1/model-cards/{id}": {
        get: {
          summary: "One model card, whole (scope read)",
          requestParams: { path: z.object({ id: z.string().meta({ description: "the card's id (UUID)" }) }) },
          responses: { "200": json(storedModelCardSchema, "The card"), ...errors, "404": json(apiErrorSchema, "No such card") },
        },
      },
      "/api/v1/governance/overrides": {
        get: {
          summary: "The override register: overrides / human decisions by analyst, reason, cluster, policy, scorer and week (scope read)",
          description: "The figures of /governance/overrides, from the rollup the edit log maintains. Counts analyst decisions only (docs/labels.md).",
          requestParams: { query: z.object({ weeks: z.string().optional().meta({ description: "window in ISO weeks, 1–104 (default 12)" }) }) },
          responses: { "200": json(overrideRegisterSchema, "The register"), "400": json(apiErrorSchema, "weeks out of range, naming the parameter"), ...errors },
        },
      },
      "/api/v1/governance/routing": {
        get: {
          summary: "Routing health: daily shares, holds, n = 1, caps, canaries and §11 routing quality on labelled records (scope read)",
          description: "The figures of /governance/routing. Daily counts from the rollup the ingest maintains; routing quality on the window's labelled current results (label feedback first, else the analysts' final decision; docs/labels.md), from a rollup kept by the same drain as the slice KPIs: counts exact, the uncertainty baseline and risk–coverage curve by model-confidence band (0.002 wide, pro rata within a band).",
          requestParams: { query: z.object({ days: z.string().optional().meta({ description: "window in UTC days, 1–366 (default 28)" }) }) },
          responses: { "200": json(routingHealthSchema, "The figures"), "400": json(apiErrorSchema, "days out of range, naming the parameter"), ...errors },
        },
      },
      "/api/v1/governance/alerts": {
        get: {
          summary: "Governance alerts: open (default) or all, newest first, with their acknowledgements (scope read)",
          description: "The list of /governance/alerts: one alert per rule and key, raised by the scheduled evaluation; an acknowledgement is an edit-log entry.",
          requestParams: { query: z.object({ status: z.string().optional().meta({ description: "open (default) or all" }) }) },
          responses: { "200": json(alertListSchema, "The alerts"), "400": json(apiErrorSchema, "status other than open or all, naming the parameter"), ...errors },
        },
      },
      "/api/v1/governance/slices": {
        get: {
          summary: "Slice KPIs: per flag, HomePlanet, Destination and CabinDeck, audit and override rates, the model's FP/FN rates and calibration coverage (scope read)",
          description: "The figures of /governance/slices, read from the incremental slice rollup (brought up to every committed write first). Truth: label feedback when its sources agree, else the analysts' final decision (docs/labels.md).",
          requestParams: {
            query: z.object({
              days: z.string().optional().meta({ description: "window in UTC days, 1–366 (default 28)" }),
              slice: z.string().optional().meta({ description: "the slice whose reliability buckets to return: all (default) or dimension:value, e.g. flag:SUPER_DOMINANT, home_planet:Earth, cabin_deck:∅" }),
            }),
          },
          responses: { "200": json(sliceKpisSchema, "The figures"), "400": json(apiErrorSchema, "days out of range or a slice that names no slice, naming the parameter"), ...errors },
        },
      },
      "/api/v1/governance/events": {
        get: {
          summary: "Event pipeline: freshness and coverage per stage against the SLOs with p95 latency, the ingest error rate, attribution drift and stale events (scope read)",
          description:
            "The figures of /governance/events (minority-events spec §9). Reports count on the UTC day their detection was recorded; p95 is read from a latency histogram with fixed edges (1, 5, 15, 30 min, 1, 2, 4, 8, 24, 72 h), so it is the edge the 95th percentile does not exceed. Stale events: open longer than 72 h since their first detection or latest reopening. Any other parameter is a 400 naming it.",
          requestParams: { query: z.object({ days: z.string().optional().meta({ description: "window in UTC days, 1–366 (default 28)" }) }) },
          responses: { "200": json(eventPipelineSchema, "The figures"), "400": json(apiErrorSchema, "days out of range or an unknown parameter, naming it"), ...errors },
        },
      },
      "/api/v1/trail/{subjectType}/{id}": {
        get: {
          summary: "A subject's audit trail: machine rows, label feedback and human actions with their chain positions (scope read)",
          requestParams: { path: z.object({ subjectType: z.enum(TRAIL_SUBJECTS), id: z.string() }) },
          responses: { "200": json(auditTrailSchema, "The trail, oldest first"), ...errors, "404": json(apiErrorSchema, "No such subject") },
        },
      },
      "/api/v1/queue": {
        get: {
          summary: "One keyset page of the audit queue (scope read)",
          requestParams: { query: queueParameters },
          responses: { "200": json(queuePageSchema, "A page"), ...errors, "422": json(apiErrorSchema, "An unknown filter or sort, or a forged cursor") },
        },
      },
      "/api/v1/results/{recordId}": {
        get: {
          summary: "A record's current result with full provenance, and every version (scope read)",
          requestParams: { path: z.object({ recordId: z.string() }) },
          responses: { "200": json(recordResultSchema, "The record"), ...errors, "404": json(apiErrorSchema, "No such record") },
        },
      },
      "/api/v1/batches/{id}": {
        get: {
          summary: "A batch's figures and hold state (scope read)",
          requestParams: { path: z.object({ id: z.string() }) },
          responses: { "200": json(batchDetailSchema, "The batch"), ...errors, "404": json(apiErrorSchema, "No such batch") },
        },
      },
      "/api/v1/events/logs/{log}": {
        post: {
          summary: "A batch of one minority-event machine log's rows (scope events:ingest)",
          description:
            "log ∈ detected, clustered, attribution, ended, cohort; body { rows: [...] } (≤ 10,000), each row as spec/minority-events.md §2 defines it. All or nothing; a replayed row (same natural key and content) is a no-op, new content under a key is its next version.",
          requestParams: { path: z.object({ log: z.enum(["detected", "clustered", "attribution", "ended", "cohort"]) }) },
          responses: {
            "201": json(
              z.object({ log: z.string(), received: z.number().int(), stored: z.number().int(), versioned: z.number().int(), unchanged: z.number().int() }).meta({ id: "EventLogIngest" }),
              "Stored",
            ),
            "400": json(apiErrorSchema, "Malformed JSON"),
            ...errors,
            "404": json(apiErrorSchema, "Unknown log"),
            "422": json(apiErrorSchema, "Invalid rows, each named rows.i.field with its rule; nothing stored"),
          },
        },
      },
      "/api/v1/events/export": {
        get: {
          summary: "Hydrated reports or event roll-ups as CSV, streamed (scope read)",
          description: "kind=events|reports; asOf=<ISO-8601 instant> replays a past view (a future or unparsable instant is a 400). Flat _1/_2/_3 cause columns and storeId_1…_14 / retailer_1…_14.",
          requestParams: { query: z.object({ kind: z.enum(["events", "reports"]).optional(), asOf: z.string().optional() }) },
          responses: {
            "200": { description: "CSV", content: { "text/csv": { schema: z.string() } } },
            "400": json(apiErrorSchema, "asOf in the future or unparsable"),
            ...errors,
            "422": json(apiErrorSchema, "Unknown kind"),
          },
        },
      },
      "/api/v1/events/windows": {
        get: {
          summary: "The sales windows downstream systems must exclude or reweight (scope read)",
          description:
            "One row per minority report (store × SKU × window) with the decision people made and a treatment: exclude (a false positive or a data error: the figures are wrong) or reweight (real but atypical; provisional while undecided). Windows dismissed at finalisation are not listed. status=open,decided,finalised (comma-separated; default all); from/to (a day YYYY-MM-DD, UTC, or an ISO-8601 instant) keep windows that overlap the period; keyset-paged by window start and report id: pass `next` as `after`; limit 1–5000 (default 500). A bad parameter is a 400 naming it.",
          requestParams: { query: z.object({ status: z.string().optional(), from: z.string().optional(), to: z.string().optional(), after: z.string().optional(), limit: z.string().optional() }) },
          responses: { "200": json(downstreamWindowsPageSchema, "A page of windows"), "400": json(apiErrorSchema, "A parameter that does not parse, named with its rule"), ...errors },
        },
      },
      "/api/v1/ledger/verify": {
        get: {
          summary: "Recomputes the edit log's hash chain and compares its signed tree heads with the witness file (scope read)",
          description: "ok with the count and head hash, or the first bad entry's seq and what is wrong with it. `witness` compares the database's signed tree heads, the witness file outside the database and the roots recomputed from the entries: each head missing on one side or field that differs is named by tree size and field (then ok is false); state none means no head witnessed yet.",
          responses: { "200": json(ledgerVerificationSchema, "The verdict"), ...errors },
        },
      },
      "/api/v1/ledger/export": {
        get: {
          summary: "The edit log as JSON lines, streamed (scope read)",
          description: "One line per entry { c, seq, recordedAt, prevHash, hash } in seq order, and after the entry a signed checkpoint covers, its line { type: \"checkpoint\", seq, treeSize, rootHash, headHash, signedAt, keyId, publicKey, signature } (Ed25519): a signed tree head, whose signature covers `sentinel-ledger-tree-head\\n<treeSize>\\n<rootHash>\\n<headHash>\\n<signedAt>` (treeSize = seq; rootHash the RFC 9162 root of the first treeSize entries). Checkpoints signed before tree heads have no treeSize/rootHash and sign `sentinel-ledger-checkpoint\\n<seq>\\n<headHash>\\n<signedAt>`. docs/ledger.md shows the outside verification, with the public key pinned.",
          responses: { "200": { description: "JSON lines", content: { "application/x-ndjson": { schema: z.string() } } }, ...errors },
        },
      },
      "/api/v1/ledger/proof/inclusion/{seq}": {
        get: {
          summary: "An entry's inclusion proof in the edit log's Merkle tree (scope read)",
          description: "RFC 9162 §2.1.3: the audit path from the entry's leaf (SHA-256(0x00 ‖ entry hash)) to the root of the tree of treeSize entries, which must be the size of a signed tree head (default: the latest signed tree head). The response carries that head (treeHead); check its signature with the published key. docs/ledger.md shows the outside verification.",
          requestParams: { path: z.object({ seq: z.string() }), query: z.object({ treeSize: z.string().optional() }) },
          responses: { "200": json(ledgerInclusionProofSchema, "The proof"), ...errors, "422": json(apiErrorSchema, "seq or treeSize not a whole number ≥ 1, seq beyond treeSize, treeSize not the size of a signed tree head (\"never signed\"), or, without treeSize, seq newer than the latest signed tree head (wait for or sign the next one)") },
        },
      },
      "/api/v1/ledger/proof/consistency": {
        get: {
          summary: "A consistency proof between two sizes of the edit log (scope read)",
          description: "RFC 9162 §2.1.4: proves the log of `second` entries extends the log of `first` entries. Both must be sizes of signed tree heads; both heads are returned (firstTreeHead, secondTreeHead) to be checked with the published key.",
          requestParams: { query: z.object({ first: z.string(), second: z.string() }) },
          responses: { "200": json(ledgerConsistencyProofSchema, "The proof"), ...errors, "422": json(apiErrorSchema, "first or second not a whole number ≥ 1, first > second, or first or second not the size of a signed tree head (\"never signed\")") },
        },
      },
      "/api/v1/token": {
        get: { summary: "Describes the calling token (scope read)", responses: { "200": json(tokenInfoSchema, "The token"), ...errors } },
      },
    },
  });
}
