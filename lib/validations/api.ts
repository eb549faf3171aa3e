/**
 * Response shapes of the machine API (`/api/v1`), as zod schemas: the OpenAPI document is
 * generated from these and the request schemas the routes validate with, and the data
 * layer's return types are checked against them at compile time (lib/api/openapi.ts), so
 * the document cannot drift from what the API does.
 */
import * as z from "zod";
import { CARD_STATUSES, GATE_RESULTS, modelCardSchema, TASKS } from "@/lib/model-cards/card";
import { FLAG_CODES, REASON_CODES } from "@/lib/gating/reasons";
import { ALERT_RULES, type AlertRule } from "@/lib/governance/alerts";
import { TRAIL_SUBJECTS } from "@/lib/ledger/entry";
import { CAUSE_CATEGORIES, CONFIDENCE_TIERS, EVENT_STATUSES, FINALISATION_OUTCOMES } from "@/lib/mrs/taxonomy";

const probability = z.number().min(0).max(1);

export const apiErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(["bad_request", "unauthenticated", "forbidden", "not_found", "conflict", "too_large", "unsupported_media_type", "invalid", "rate_limited", "internal"]),
      message: z.string(),
      fields: z.record(z.string(), z.array(z.string())).optional().meta({ description: "every bad field (JSON path, or `line N, Column` for CSV) with its rules" }),
    }),
  })
  .meta({ id: "Error" });

export const ingestSummarySchema = z
  .object({
    batchId: z.string(),
    policy: z.object({ id: z.string(), hash: z.string() }),
    records: z.number().int(),
    routes: z.object({ auto: z.number().int(), audit: z.number().int() }),
    fragile: z.number().int(),
    fragileShare: z.number(),
    hold: z.object({
      held: z.boolean(),
      fragileFraction: z.number(),
      threshold: z.number(),
      pValue: z.number(),
      alpha: z.number(),
      inherited: z.number().int().meta({ description: "records that keep a hold from an earlier held, unreleased batch: they go to audit with BATCH_HOLD" }),
    }),
    superseded: z.number().int().meta({ description: "records seen before; their previous result version is superseded" }),
    receivedAt: z.string(),
  })
  .meta({ id: "IngestSummary" });

export const queueItemSchema = z
  .object({
    recordId: z.string(),
    resultId: z.string(),
    version: z.number().int(),
    ledgerVersion: z.number().int().meta({ description: "the record's decision version (confirm, override, amend, claim and takeover entries so far; notes do not count); a decision carries it" }),
    batchId: z.string(),
    batchHeld: z.boolean(),
    decision: z.boolean(),
    fragile: z.boolean(),
    fragilityScore: z.number(),
    theta: z.number(),
    decisionThreshold: z.number().meta({ description: "DECISION_THRESHOLD of the policy snapshot the record was gated with" }),
    p10: probability,
    p50: probability,
    p90: probability,
    confidence: probability,
    errorEstimate: probability.meta({ description: "estimated probability that the machine decision is wrong (gating spec §11); the triage order puts the highest first, after canaries" }),
    pModel: probability,
    clusterId: z.string(),
    scorerVersion: z.string(),
    flags: z.array(z.enum(FLAG_CODES)),
    reasonCodes: z.array(z.enum(REASON_CODES)),
    createdAt: z.string(),
    claim: z.object({ userId: z.string(), name: z.string().nullable(), until: z.string() }).nullable().meta({ description: "who holds an unexpired claim on the open record, and until when" }),
    review: z
      .object({ action: z.enum(["confirm", "override", "amend"]), label: z.boolean(), by: z.string().nullable(), at: z.string() })
      .nullable()
      .meta({ description: "the outcome of a decided record (status=decided): its latest confirm, override or a lead's amendment; null while open" }),
  })
  .meta({ id: "QueueItem" });

export const queuePageSchema = z
  .object({
    items: z.array(queueItemSchema),
    nextCursor: z.string().nullable().meta({ description: "opaque; pass as `cursor` for the next page; null on the last page" }),
    total: z.object({ count: z.number().int(), capped: z.boolean() }).meta({ description: "records in the whole view: exact up to 10,000; capped means more than 10,000" }),
    commonReasons: z.array(z.enum(REASON_CODES)).meta({ description: "reasons carried by more than half of this page's records (none on a page of fewer than 5)" }),
  })
  .meta({ id: "QueuePage" });

const resultVersionSchema = z.object({
  resultId: z.string(),
  version: z.number().int(),
  current: z.boolean(),
  batchId: z.string(),
  policyId: z.string(),
  route: z.enum(["auto", "audit"]),
  decision: z.boolean(),
  fragile: z.boolean(),
  confidence: z.number(),
  errorEstimate: probability.meta({ description: "estimated probability that the machine decision is wrong (gating spec §11)" }),
  createdAt: z.string(),
  reasonCodes: z.array(z.string()).meta({ description: "the gating reasons of this version (empty when routed auto)" }),
  causeSeq: z.string().nullable().meta({ description: "the edit-log entry that made this version when it was not an ingest: a batch release or a policy activation that re-gated the queue" }),
  review: z
    .object({ seq: z.string(), action: z.enum(["confirm", "override"]), label: z.boolean(), at: z.string() })
    .nullable()
    .meta({ description: "the human decision on this version (its edit-log entry), or null" }),
});

export const recordResultSchema = z
  .object({
    recordId: z.string(),
    current: resultVersionSchema.extend({
      provenance: z.record(z.string(), z.unknown()).meta({ description: "the full gating provenance (gating spec §9)" }),
      input: z.record(z.string(), z.unknown()).meta({ description: "the scored record as received" }),
      batchHeld: z.boolean(),
    }),
    versions: z.array(resultVersionSchema),
    ledgerVersion: z.number().int().meta({ description: "the record's decision version (confirm, override, amend, claim and takeover entries so far; notes do not count)" }),
  })
  .meta({ id: "RecordResult" });

export const batchDetailSchema = z
  .object({
    id: z.string(),
    policyId: z.string(),
    size: z.number().int(),
    routes: z.object({ auto: z.number().int(), audit: z.number().int() }),
    fragileCount: z.number().int(),
    hold: z.object({
      indicated: z.boolean(),
      held: z.boolean().meta({ description: "held now: held at ingest and not released since" }),
      releasedSeq: z.string().nullable().meta({ description: "the edit-log entry of the release, if released" }),
      fragileFraction: z.number(),
      threshold: z.number(),
      pValue: z.number(),
      alpha: z.number(),
    }),
    createdAt: z.string(),
    ledgerVersion: z.number().int().meta({ description: "the batch's edit-log version; a release carries it" }),
  })
  .meta({ id: "Batch" });

export const tokenInfoSchema = z
  .object({
    tokenId: z.string(),
    account: z.string(),
    scopes: z.array(z.string()),
    limits: z.object({ readPerMinute: z.number().int(), ingestPerMinute: z.number().int() }),
  })
  .meta({ id: "TokenInfo" });

const witnessComparisonSchema = z
  .object({
    state: z.enum(["none", "agrees", "disagrees"]).meta({ description: "none: no tree head witnessed yet (a fresh log); agrees; disagrees (problems name each difference)" }),
    file: z.string().meta({ description: "the witness file outside the database (LEDGER_WITNESS_DIR/<logId>.jsonl)" }),
    witnessed: z.number().int().meta({ description: "tree heads the file holds" }),
    signed: z.number().int().meta({ description: "signed tree heads the database holds" }),
    problems: z.array(
      z.object({
        treeSize: z.string().meta({ description: "the tree head concerned (\"\" for a line that is not a head)" }),
        field: z.string().nullable().meta({ description: "the field that differs, or null when a whole head is missing on one side" }),
        message: z.string(),
      }),
    ),
  })
  .meta({ id: "LedgerWitnessComparison" });

export const ledgerVerificationSchema = z
  .union([
    z.object({ ok: z.literal(true), count: z.number().int(), headHash: z.string(), witness: witnessComparisonSchema }),
    z.object({ ok: z.literal(false), count: z.number().int(), firstBad: z.object({ seq: z.string(), reason: z.string() }), witness: witnessComparisonSchema }),
  ])
  .meta({ id: "LedgerVerification" });

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const signedTreeHeadSchema = z
  .object({
    treeSize: z.number().int().meta({ description: "entries the tree holds (the checkpoint's seq)" }),
    rootHash: hex64.meta({ description: "the RFC 9162 root of the tree of treeSize entries" }),
    headHash: hex64.meta({ description: "the chain hash of entry treeSize" }),
    signedAt: z.string().meta({ description: "ISO 8601 UTC time of signing" }),
    keyId: z.string().meta({ description: "first 16 hex of SHA-256 of the signing public key (raw 32 bytes)" }),
    signature: z.string().meta({ description: "Ed25519, base64, over `sentinel-ledger-tree-head\\n<treeSize>\\n<rootHash>\\n<headHash>\\n<signedAt>`; check it with the key published on the edit log page, never a key the response carries" }),
  })
  .meta({ id: "LedgerSignedTreeHead" });

export const ledgerInclusionProofSchema = z
  .object({
    seq: z.number().int().meta({ description: "the entry (leaf index + 1)" }),
    entryHash: hex64.meta({ description: "the entry's chain hash: the leaf's input" }),
    leafIndex: z.number().int(),
    treeSize: z.number().int(),
    leafHash: hex64.meta({ description: "SHA-256(0x00 ‖ entry hash bytes)" }),
    auditPath: z.array(hex64).meta({ description: "RFC 9162 §2.1.3.1 inclusion path, leaf side first" }),
    rootHash: hex64.meta({ description: "the tree's root (RFC 9162 MTH)" }),
    treeHead: signedTreeHeadSchema.meta({ description: "the signed tree head of treeSize entries; its rootHash is rootHash" }),
  })
  .meta({ id: "LedgerInclusionProof" });

export const ledgerConsistencyProofSchema = z
  .object({
    first: z.number().int(),
    second: z.number().int(),
    path: z.array(hex64).meta({ description: "RFC 9162 §2.1.4.1 consistency path" }),
    firstRoot: hex64,
    secondRoot: hex64,
    firstTreeHead: signedTreeHeadSchema.meta({ description: "the signed tree head of `first` entries (its rootHash is firstRoot)" }),
    secondTreeHead: signedTreeHeadSchema.meta({ description: "the signed tree head of `second` entries (its rootHash is secondRoot)" }),
  })
  .meta({ id: "LedgerConsistencyProof" });

const overrideCellShape = {
  decisions: z.number().int(),
  overrides: z.number().int(),
  amendments: z.number().int(),
  rate: z.number().nullable().meta({ description: "overrides / decisions; null without decisions" }),
};
const overrideRowSchema = z.object({ key: z.string(), label: z.string(), ...overrideCellShape }).meta({ id: "OverrideRow" });

const causeCategorySchema = z.enum(CAUSE_CATEGORIES);

export const overrideRegisterSchema = z
  .object({
    threshold: z.number().meta({ description: "the override rate above which a slice calls for a look" }),
    weeks: z.number().int(),
    from: z.string().meta({ description: "first day of the window (a Monday, UTC), YYYY-MM-DD" }),
    total: z.object(overrideCellShape),
    trend: z.array(z.object({ week: z.string(), ...overrideCellShape })).meta({ description: "every week of the window, oldest first" }),
    by: z.object({
      analyst: z.array(overrideRowSchema).meta({ description: "key: the user's id; amendments under the lead who amended" }),
      override_reason: z.array(overrideRowSchema),
      gating_reason: z.array(overrideRowSchema),
      cluster: z.array(overrideRowSchema),
      policy: z.array(overrideRowSchema),
      scorer: z.array(overrideRowSchema),
    }),
    eventCauses: z
      .object({
        categories: z.array(causeCategorySchema),
        cells: z.partialRecord(causeCategorySchema, z.partialRecord(causeCategorySchema, z.number().int())).meta({ description: "events per machine cause, then analyst cause" }),
        byMachine: z.array(z.object({ machine: causeCategorySchema, decided: z.number().int(), overturned: z.number().int(), rate: z.number() })),
        decided: z.number().int(),
        overturned: z.number().int(),
      })
      .meta({ description: "every event whose cause a person decided (not windowed): the machine cause against theirs" }),
  })
  .meta({ id: "OverrideRegister" });

const routingCountsShape = {
  results: z.number().int(),
  audit: z.number().int(),
  fragile: z.number().int(),
  caps: z.number().int().meta({ description: "results whose flags carry CAPS_TRIGGERED" }),
  single: z.number().int().meta({ description: "results of batches of one record" }),
  singleAuto: z.number().int(),
  singleFragile: z.number().int(),
  singleFragileAuto: z.number().int().meta({ description: "target 0" }),
  canary: z.number().int(),
  canaryAuto: z.number().int().meta({ description: "canaries released automatically: an alert" }),
  batches: z.number().int(),
  heldBatches: z.number().int(),
};
const riskCoveragePointSchema = z.object({ coverage: z.number(), risk: z.number() });

const driftLevelSchema = z.enum(["stable", "moderate", "significant"]).nullable().meta({ description: "PSI < 0.1 stable, < 0.25 moderate, else significant" });
const driftFigureSchema = z.object({
  n: z.number().int(),
  referenceMissingShare: z.number().nullable(),
  missingShare: z.number().nullable(),
  psi: z.number().nullable(),
  ks: z.number().nullable(),
  level: driftLevelSchema,
});

export const routingHealthSchema = z
  .object({
    days: z.number().int(),
    from: z.string().meta({ description: "first day of the window, YYYY-MM-DD (UTC)" }),
    policy: z.object({ id: z.string(), expectedFragileShare: z.number(), targetReleaseError: z.number() }),
    total: z.object(routingCountsShape),
    series: z.array(z.object({ day: z.string(), ...routingCountsShape, fragileBand: z.object({ low: z.number(), high: z.number() }).nullable() })),
    canaries: z.array(z.object({ recordId: z.string(), route: z.enum(["auto", "audit"]).nullable(), version: z.number().int().nullable(), gatedAt: z.string().nullable() })),
    quality: z.object({
      labelled: z.object({ feedback: z.number().int(), decision: z.number().int(), disputed: z.number().int() }),
      figures: z
        .object({
          records: z.number().int(),
          errors: z.number().int(),
          auditShare: z.number(),
          errorCapture: z.number().nullable(),
          releasedErrorRate: z.number().nullable(),
          releasedErrorUpper: z.number(),
          baseline: z.object({ caught: z.number().int(), errorCapture: z.number().nullable(), releasedErrorRate: z.number().nullable() }),
          oracle: z.object({ errorCapture: z.number().nullable() }),
          riskCoverage: z.array(riskCoveragePointSchema).readonly(),
          operatingPoint: riskCoveragePointSchema,
        })
        .nullable()
        .meta({ description: "gating spec §11 on the window's labelled current results (also byReason, byFlag, lift, …); null without labelled records" }),
    }),
    drift: z
      .object({
        reference: z.object({ policyId: z.string(), rows: z.number().int(), description: z.string() }),
        variables: z.array(
          z.object({
            variable: z.enum(["pModel", "RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck"]),
            bins: z.array(z.number().int()).meta({ description: "the window's results per bin; bin 0 = missing" }),
            referenceBins: z.array(z.number().int()),
            window: driftFigureSchema,
            days: z.array(z.object({ day: z.string(), n: z.number().int(), psi: z.number().nullable(), level: driftLevelSchema })),
          }),
        ),
      })
      .meta({ description: "PSI (missing as its own bin) and KS (binned, values present) against the active policy's reference data; null figures under 100 results" }),
  })
  .meta({ id: "RoutingHealth" });

const sliceRefSchema = z.union([
  z.object({ dimension: z.literal("all"), key: z.literal("") }),
  z.object({ dimension: z.enum(["flag", "fragility", "home_planet", "destination", "cabin_deck"]), key: z.string() }),
]);
const sliceRowSchema = z.object({
  dimension: z.enum(["all", "flag", "fragility", "home_planet", "destination", "cabin_deck"]),
  key: z.string().meta({ description: "the flag or context value; ∅ = missing" }),
  records: z.number().int(),
  audit: z.number().int(),
  decided: z.number().int(),
  overrides: z.number().int(),
  labelled: z.number().int(),
  positives: z.number().int(),
  falsePos: z.number().int(),
  falseNeg: z.number().int(),
  disputed: z.number().int(),
  figures: z.object({
    auditRate: z.number().nullable(),
    overrideRate: z.number().nullable(),
    fpRate: z.number().nullable().meta({ description: "the model's false positives / labelled negatives" }),
    fnRate: z.number().nullable().meta({ description: "the model's false negatives / labelled positives" }),
    coverage: z.object({ covered: z.number().int(), judged: z.number().int() }).meta({ description: "p50 deciles with ≥ 10 labelled records whose observed rate lies in their mean [p10, p90]" }),
  }),
});

export const sliceKpisSchema = z
  .object({
    days: z.number().int(),
    from: z.string().meta({ description: "first day of the window, YYYY-MM-DD (UTC)" }),
    slices: z.array(sliceRowSchema),
    selected: z.object({
      slice: sliceRefSchema,
      row: sliceRowSchema.nullable(),
      reliability: z.array(
        z.object({
          bucket: z.number().int(),
          range: z.tuple([z.number(), z.number()]),
          labelled: z.number().int(),
          observed: z.number(),
          meanP10: z.number(),
          meanP50: z.number(),
          meanP90: z.number(),
          covered: z.boolean().nullable(),
        }),
      ),
    }),
  })
  .meta({ id: "SliceKpis" });

export const alertListSchema = z
  .object({
    status: z.enum(["open", "all"]),
    alerts: z.array(
      z.object({
        id: z.string(),
        rule: z.enum(Object.keys(ALERT_RULES) as [AlertRule, ...AlertRule[]]),
        key: z.string().meta({ description: "the day, week, record or entry the alert concerns (one alert per rule and key)" }),
        title: z.string(),
        detail: z.string(),
        raisedAt: z.string(),
        lastSeenAt: z.string(),
        acknowledged: z.object({ seq: z.string(), by: z.string(), name: z.string().nullable(), at: z.string(), note: z.string().nullable() }).nullable(),
      }),
    ),
  })
  .meta({ id: "AlertList" });

const pipelineStageSchema = z.enum(["detection", "clustering", "attribution"]);
const causeMixSchema = z.record(z.string(), z.number().int()).meta({ description: "proposals per cause_1 category (data_error, promotion, …, unknown)" });

export const eventPipelineSchema = z
  .object({
    days: z.number().int(),
    from: z.string().meta({ description: "first day of the window, YYYY-MM-DD (UTC)" }),
    now: z.string().meta({ description: "the instant freshness and staleness are measured at" }),
    stages: z.array(
      z.object({
        stage: pipelineStageSchema,
        log: z.enum(["detected", "clustered", "attribution", "ended", "cohort"]),
        sloSeconds: z.number().int().meta({ description: "detection and clustering 1800, attribution 14400" }),
        freshnessSeconds: z.number().int().nullable().meta({ description: "now − the log's newest writtenAt; null when empty" }),
        freshnessMeetsSlo: z.boolean().nullable(),
        figures: z.object({
          reports: z.number().int().meta({ description: "detected reports of the window (by the day their detection was recorded)" }),
          done: z.number().int().meta({ description: "reports whose stage happened (a cluster id, a confidence)" }),
          withinSlo: z.number().int(),
          coverage: z.number().nullable().meta({ description: "withinSlo / reports" }),
          p95: z
            .union([z.number(), z.literal("over"), z.literal("not-yet")])
            .nullable()
            .meta({ description: "upper edge (seconds) of the histogram bucket holding the 95th percentile; over: beyond 72 h; not-yet: more than 5 % have not reached the stage" }),
          meetsSlo: z.boolean().nullable(),
        }),
        histogram: z.array(z.object({ bucket: z.number().int(), upTo: z.number().int().nullable(), reports: z.number().int() })).meta({ description: "bucket -1: not yet; upTo null: beyond the last edge" }),
      }),
    ),
    freshnessSeconds: z.record(z.enum(["detected", "clustered", "attribution", "ended", "cohort"]), z.number().int().nullable()),
    ingest: z.object({
      requests: z.number().int(),
      received: z.number().int(),
      rejected: z.number().int(),
      errorRate: z.number().nullable(),
      slo: z.number().meta({ description: "0.01" }),
      meetsSlo: z.boolean().nullable(),
    }),
    series: z.array(
      z.object({
        day: z.string(),
        reports: z.number().int(),
        withinSlo: z.object({ detection: z.number().int(), clustering: z.number().int(), attribution: z.number().int() }),
        received: z.number().int(),
        rejected: z.number().int(),
      }),
    ),
    drift: z.object({
      days: z.array(z.object({ day: z.string(), proposals: z.number().int(), confident: z.number().int(), meanConfidence: z.number().nullable(), mix: causeMixSchema })),
      total: z.object({ proposals: z.number().int(), confident: z.number().int(), meanConfidence: z.number().nullable(), mix: causeMixSchema }),
    }),
    stale: z.object({
      slaHours: z.number(),
      events: z.array(
        z.object({
          eventId: z.string(),
          reportGroupId: z.string(),
          reportCount: z.number().int(),
          openSince: z.string(),
          openHours: z.number().int(),
          causeCategory: z.string(),
          confidence: z.number().nullable(),
          priority: z.enum(["high", "medium", "low"]),
          degraded: z.boolean(),
        }),
      ),
    }),
  })
  .meta({ id: "EventPipeline" });

export const auditTrailSchema = z
  .object({
    subjectType: z.enum(TRAIL_SUBJECTS),
    subjectId: z.string(),
    items: z.array(
      z.object({
        at: z.string(),
        kind: z.enum(["machine", "label", "human"]),
        title: z.string(),
        facts: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
        chain: z.object({ seq: z.string(), hash: z.string(), subjectVersion: z.number().int(), subject: z.string() }).optional().meta({ description: "edit-log entries: chain position, hash, the subject's version after it" }),
      }),
    ),
  })
  .meta({ id: "AuditTrail" });

/** A model card's summary in the registry's list (lib/data/model-cards.ts). */
export const modelCardSummarySchema = z
  .object({
    id: z.uuid(),
    model: z.string(),
    displayName: z.string().nullable(),
    domain: z.string(),
    version: z.string(),
    task: z.enum(TASKS),
    status: z.enum(CARD_STATUSES),
    gauntlet: z.enum(GATE_RESULTS).nullable().meta({ description: "FAIL if any gate fails; null when the card has no gauntlet" }),
    headline: z
      .object({ name: z.string(), value: z.number(), higherIsBetter: z.boolean(), synthesised: z.boolean().meta({ description: "the card marks its metrics as synthesised (its source gave none)" }) })
      .meta({ description: "AUC for a classifier, Poisson deviance for a count model" }),
    previous: z
      .object({ id: z.uuid(), version: z.string(), change: z.number() })
      .nullable()
      .meta({ description: "the version before (the one this card replaces, else the one registered before it) and the headline's change since" }),
    trainingCutoff: z.string().nullable(),
    createdAt: z.string(),
    registeredAt: z.string(),
  })
  .meta({ id: "ModelCardSummary" });

export const storedModelCardSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(CARD_STATUSES).meta({ description: "in the registry, from its approved promotions and rollbacks; card.status is what it was registered with" }),
    registeredAt: z.string(),
    tokenId: z.uuid().nullable().meta({ description: "the API token that registered it; null for the console's own cards" }),
    card: modelCardSchema,
  })
  .meta({ id: "StoredModelCard" });

export const downstreamWindowsPageSchema = z
  .object({
    asOf: z.string().meta({ description: "the instant the view was computed at (now)" }),
    windows: z.array(
      z.object({
        reportId: z.string(),
        eventId: z.string().nullable(),
        storeId: z.string().nullable(),
        retailer: z.string().nullable(),
        sku: z.string().nullable(),
        windowStart: z.string(),
        windowEnd: z.string().nullable().meta({ description: "null while the window is still open" }),
        status: z.enum(EVENT_STATUSES),
        outcome: z.enum(FINALISATION_OUTCOMES).nullable(),
        cause: z.object({ category: z.enum(CAUSE_CATEGORIES), label: z.string().nullable(), source: z.enum(["analyst", "machine"]) }),
        confidence: z.number().nullable(),
        confidenceTier: z.enum(CONFIDENCE_TIERS).nullable(),
        treatment: z.enum(["exclude", "reweight"]).meta({ description: "exclude: the figures are wrong (false positive, data error); reweight: real but atypical" }),
        provisional: z.boolean().meta({ description: "no person has decided yet: the treatment may change" }),
      }),
    ),
    next: z.string().nullable().meta({ description: "pass as `after` for the next page; null on the last" }),
  })
  .meta({ id: "DownstreamWindowsPage" });
