-- CreateEnum
CREATE TYPE "Route" AS ENUM ('auto', 'audit');

-- CreateTable
CREATE TABLE "policy_snapshots" (
    "id" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "source" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activated_at" TIMESTAMPTZ(6),

    CONSTRAINT "policy_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_batches" (
    "id" TEXT NOT NULL,
    "policy_id" TEXT NOT NULL,
    "token_id" UUID,
    "size" INTEGER NOT NULL,
    "fragile_count" INTEGER NOT NULL,
    "fragile_fraction" DOUBLE PRECISION NOT NULL,
    "p_value" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "alpha" DOUBLE PRECISION NOT NULL,
    "hold_indicated" BOOLEAN NOT NULL,
    "held" BOOLEAN NOT NULL,
    "audit_count" INTEGER NOT NULL,
    "auto_count" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "scored_records" (
    "record_id" TEXT NOT NULL,
    "current_version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "scored_records_pkey" PRIMARY KEY ("record_id")
);

-- CreateTable
CREATE TABLE "gating_results" (
    "id" BIGSERIAL NOT NULL,
    "record_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "current" BOOLEAN NOT NULL,
    "batch_id" TEXT NOT NULL,
    "policy_id" TEXT NOT NULL,
    "route" "Route" NOT NULL,
    "decision" BOOLEAN NOT NULL,
    "fragile" BOOLEAN NOT NULL,
    "fragility_score" DOUBLE PRECISION NOT NULL,
    "theta" DOUBLE PRECISION NOT NULL,
    "triage_key" DOUBLE PRECISION NOT NULL,
    "certainty" DOUBLE PRECISION NOT NULL,
    "p10" DOUBLE PRECISION NOT NULL,
    "p50" DOUBLE PRECISION NOT NULL,
    "p90" DOUBLE PRECISION NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "p_model" DOUBLE PRECISION NOT NULL,
    "p_glm" DOUBLE PRECISION,
    "cluster_id" TEXT NOT NULL,
    "scorer_version" TEXT NOT NULL,
    "flags" TEXT[],
    "reason_codes" TEXT[],
    "input" TEXT NOT NULL,
    "provenance" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "gating_results_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_requests" (
    "token_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response_body" TEXT NOT NULL,
    "batch_id" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_requests_pkey" PRIMARY KEY ("token_id","key")
);

-- CreateTable
CREATE TABLE "api_rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "api_rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "policy_snapshots_hash_key" ON "policy_snapshots"("hash");

-- CreateIndex
CREATE INDEX "ingest_batches_created_at_idx" ON "ingest_batches"("created_at");

-- CreateIndex
CREATE INDEX "gating_results_batch_id_idx" ON "gating_results"("batch_id");

-- CreateIndex
CREATE UNIQUE INDEX "gating_results_record_id_version_key" ON "gating_results"("record_id", "version");

-- AddForeignKey
ALTER TABLE "ingest_batches" ADD CONSTRAINT "ingest_batches_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policy_snapshots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gating_results" ADD CONSTRAINT "gating_results_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "scored_records"("record_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gating_results" ADD CONSTRAINT "gating_results_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "ingest_batches"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "gating_results" ADD CONSTRAINT "gating_results_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policy_snapshots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- Exactly one active policy snapshot.
CREATE UNIQUE INDEX "policy_snapshots_one_active" ON "policy_snapshots" ("active") WHERE "active";

-- Gating results are append-only provenance (gating spec §9): a row may only lose its
-- `current` mark when a newer version supersedes it; nothing else may change, nothing
-- may be deleted. Policy snapshots are immutable apart from their activation.
CREATE FUNCTION "gating_results_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'gating_results is append-only: rows cannot be deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT (OLD.current AND NOT NEW.current)
     OR (to_jsonb(NEW) - 'current') IS DISTINCT FROM (to_jsonb(OLD) - 'current') THEN
    RAISE EXCEPTION 'gating_results is append-only: only a newer version may supersede a row' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "gating_results_append_only" BEFORE UPDATE OR DELETE ON "gating_results"
  FOR EACH ROW EXECUTE FUNCTION "gating_results_guard"();

CREATE FUNCTION "policy_snapshots_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'policy snapshots are immutable: rows cannot be deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id IS DISTINCT FROM OLD.id OR NEW.hash IS DISTINCT FROM OLD.hash OR NEW.content IS DISTINCT FROM OLD.content
     OR NEW.source IS DISTINCT FROM OLD.source OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
    RAISE EXCEPTION 'policy snapshots are immutable: only activation may change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "policy_snapshots_immutable" BEFORE UPDATE OR DELETE ON "policy_snapshots"
  FOR EACH ROW EXECUTE FUNCTION "policy_snapshots_guard"();

-- The audit queue is the current results routed to audit; each whitelisted order of
-- lib/data/queue.ts has a partial index whose columns all run in one direction, so a
-- keyset page is one index range scan however deep it is.
CREATE INDEX "queue_triage_idx" ON "gating_results" ("triage_key", "certainty", "created_at", "id") WHERE "current" AND "route" = 'audit';
CREATE INDEX "queue_cluster_triage_idx" ON "gating_results" ("cluster_id", "triage_key", "certainty", "created_at", "id") WHERE "current" AND "route" = 'audit';
CREATE INDEX "queue_confidence_idx" ON "gating_results" ("confidence", "id") WHERE "current" AND "route" = 'audit';
CREATE INDEX "queue_fragility_idx" ON "gating_results" ("fragility_score", "id") WHERE "current" AND "route" = 'audit';
CREATE INDEX "queue_age_idx" ON "gating_results" ("created_at", "id") WHERE "current" AND "route" = 'audit';
CREATE INDEX "queue_flags_idx" ON "gating_results" USING gin ("flags") WHERE "current" AND "route" = 'audit';
CREATE INDEX "queue_reasons_idx" ON "gating_results" USING gin ("reason_codes") WHERE "current" AND "route" = 'audit';
CREATE INDEX "ingest_batches_held_idx" ON "ingest_batches" ("created_at", "id") WHERE "held";
