-- AlterTable
ALTER TABLE "gating_results" ADD COLUMN     "cause_seq" BIGINT;

-- CreateTable
CREATE TABLE "policy_whatifs" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "proposal_id" UUID NOT NULL,
    "scope" JSONB NOT NULL,
    "requested_by" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total" INTEGER,
    "done" INTEGER NOT NULL DEFAULT 0,
    "figures" JSONB,
    "error" TEXT,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "policy_whatifs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_regatings" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "activation_seq" BIGINT NOT NULL,
    "policy_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "total" INTEGER NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "changed" INTEGER NOT NULL DEFAULT 0,
    "left_queue" INTEGER NOT NULL DEFAULT 0,
    "started_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(6),

    CONSTRAINT "policy_regatings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "policy_whatifs_proposal_id_requested_at_idx" ON "policy_whatifs"("proposal_id", "requested_at");

-- CreateIndex
CREATE UNIQUE INDEX "policy_regatings_activation_seq_key" ON "policy_regatings"("activation_seq");

-- AddForeignKey
ALTER TABLE "policy_whatifs" ADD CONSTRAINT "policy_whatifs_proposal_id_fkey" FOREIGN KEY ("proposal_id") REFERENCES "policy_proposals"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_regatings" ADD CONSTRAINT "policy_regatings_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policy_snapshots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- The cause is written with the version and never changed.
DROP TRIGGER "gating_results_immutable" ON "gating_results";
CREATE TRIGGER "gating_results_immutable"
  BEFORE UPDATE OF "id", "record_id", "version", "batch_id", "policy_id", "route", "decision", "fragile", "fragility_score", "theta", "triage_key", "error_estimate",
    "p10", "p50", "p90", "confidence", "p_model", "p_glm", "cluster_id", "scorer_version", "flags", "reason_codes", "input", "provenance", "created_at", "cause_seq"
  OR DELETE ON "gating_results" FOR EACH ROW EXECUTE FUNCTION "gating_results_guard"();

ALTER TABLE "policy_whatifs" ADD CONSTRAINT "policy_whatifs_status_check" CHECK ("status" IN ('running', 'done', 'failed'));
ALTER TABLE "policy_whatifs" ADD CONSTRAINT "policy_whatifs_done_check" CHECK ("done" >= 0 AND ("total" IS NULL OR "done" <= "total"));
ALTER TABLE "policy_regatings" ADD CONSTRAINT "policy_regatings_status_check" CHECK ("status" IN ('running', 'done', 'superseded'));
ALTER TABLE "policy_regatings" ADD CONSTRAINT "policy_regatings_counts_check" CHECK ("done" >= 0 AND "changed" BETWEEN 0 AND "done" AND "left_queue" BETWEEN 0 AND "done");

-- The re-gating's work list: queued, undecided records by the policy that gated them.
CREATE INDEX "queue_policy_idx" ON "gating_results" ("policy_id", "batch_id") WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
