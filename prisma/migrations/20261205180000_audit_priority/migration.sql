-- Audit priority (gating spec §11): the audit queue's triage order becomes canaries first,
-- then the estimated probability that the machine label is wrong (highest first), then
-- age. Every result stores that estimate; triage_key now holds its negation so the whole
-- order runs ascending and a keyset page stays one index range scan. certainty
-- (|p50 − DECISION_THRESHOLD|) only served the old order and goes.

-- Hand-written (the schema comparison cannot add a NOT NULL column to a filled table, and
-- the backfill must pass the append-only trigger, which is recreated below).

ALTER TABLE "gating_results" ADD COLUMN "error_estimate" DOUBLE PRECISION;

-- The immutable-columns trigger would refuse the backfill; it is recreated with the new
-- column list once the rows are filled.
DROP TRIGGER "gating_results_immutable" ON "gating_results";

-- Results gated before the estimate existed: the provenance's errorEstimate when it has
-- one, else the model's own estimate (the probability of the other class).
UPDATE "gating_results" r
   SET "error_estimate" = s."estimate", "triage_key" = -s."estimate"
  FROM (
    SELECT "id", CASE WHEN jsonb_typeof("stored") = 'number' THEN ("stored" #>> '{}')::double precision ELSE LEAST("p50", 1 - "p50") END AS "estimate"
      FROM (SELECT "id", "p50", "provenance"::jsonb -> 'errorEstimate' AS "stored" FROM "gating_results") p
  ) s
 WHERE s."id" = r."id";

ALTER TABLE "gating_results" ALTER COLUMN "error_estimate" SET NOT NULL;
ALTER TABLE "gating_results" ADD CONSTRAINT "gating_results_error_estimate_range" CHECK ("error_estimate" >= 0 AND "error_estimate" <= 1);
-- The sort key is the estimate, negated: every writer must agree.
ALTER TABLE "gating_results" ADD CONSTRAINT "gating_results_triage_key_is_estimate" CHECK ("triage_key" = -"error_estimate");

-- The old order's indexes: the unpinned one had no query left since the pin; the others
-- carry certainty.
DROP INDEX "queue_triage_idx";
DROP INDEX "queue_cluster_triage_idx";
DROP INDEX "queue_pinned_triage_idx";
DROP INDEX "decided_queue_triage_idx";
ALTER TABLE "gating_results" DROP COLUMN "certainty";

CREATE TRIGGER "gating_results_immutable"
  BEFORE UPDATE OF "id", "record_id", "version", "batch_id", "policy_id", "route", "decision", "fragile", "fragility_score", "theta", "triage_key", "error_estimate",
    "p10", "p50", "p90", "confidence", "p_model", "p_glm", "cluster_id", "scorer_version", "flags", "reason_codes", "input", "provenance", "created_at"
  OR DELETE ON "gating_results" FOR EACH ROW EXECUTE FUNCTION "gating_results_guard"();

-- The triage order exactly (canary pin, triage_key, created_at, id): open records, open
-- records of one cluster (the cluster filter), decided records.
CREATE INDEX "queue_pinned_triage_idx" ON "gating_results" ((NOT ("reason_codes" @> ARRAY['CANARY']::text[])), "triage_key", "created_at", "id")
  WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
CREATE INDEX "queue_cluster_triage_idx" ON "gating_results" ("cluster_id", (NOT ("reason_codes" @> ARRAY['CANARY']::text[])), "triage_key", "created_at", "id")
  WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
CREATE INDEX "decided_queue_triage_idx" ON "gating_results" ((NOT ("reason_codes" @> ARRAY['CANARY']::text[])), "triage_key", "created_at", "id")
  WHERE "current" AND "route" = 'audit' AND "review_seq" IS NOT NULL;
-- The P(wrong) column's own order (no pin), like confidence and fragility.
CREATE INDEX "queue_error_estimate_idx" ON "gating_results" ("error_estimate", "id") WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
