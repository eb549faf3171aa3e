-- AlterTable
ALTER TABLE "saved_views" ADD COLUMN     "shared" BOOLEAN NOT NULL DEFAULT false;

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- Shared views are listed for everyone: find them without scanning every person's views.
CREATE INDEX "saved_views_shared_idx" ON "saved_views" ("name") WHERE "shared";

-- The open queue's triage order pins canaries first (the pin is part of the keyset key),
-- so page 1 of the default view starts with them; same predicate as the other queue indexes.
CREATE INDEX "queue_pinned_triage_idx" ON "gating_results" ((NOT ("reason_codes" @> ARRAY['CANARY']::text[])), "triage_key", "certainty", "created_at", "id")
  WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;

-- Decided records stay reachable from the queue (status "decided"): their own partial
-- indexes, newest decision first being the usual question.
CREATE INDEX "decided_queue_triage_idx" ON "gating_results" ((NOT ("reason_codes" @> ARRAY['CANARY']::text[])), "triage_key", "certainty", "created_at", "id")
  WHERE "current" AND "route" = 'audit' AND "review_seq" IS NOT NULL;
CREATE INDEX "decided_queue_age_idx" ON "gating_results" ("created_at", "id") WHERE "current" AND "route" = 'audit' AND "review_seq" IS NOT NULL;
