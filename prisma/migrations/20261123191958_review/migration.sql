-- AlterTable
ALTER TABLE "gating_results" ADD COLUMN     "review_action" TEXT,
ADD COLUMN     "review_label" BOOLEAN,
ADD COLUMN     "review_seq" BIGINT,
ADD COLUMN     "reviewed_at" TIMESTAMPTZ(6),
ADD COLUMN     "reviewed_by" UUID;

-- AlterTable
ALTER TABLE "ingest_batches" ADD COLUMN     "released_at" TIMESTAMPTZ(6),
ADD COLUMN     "released_seq" BIGINT;

-- CreateTable
CREATE TABLE "ledger_checkpoints" (
    "id" BIGSERIAL NOT NULL,
    "seq" BIGINT NOT NULL,
    "head_hash" TEXT NOT NULL,
    "signed_at" TEXT NOT NULL,
    "key_id" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ledger_checkpoints_seq_idx" ON "ledger_checkpoints"("seq");

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- Gating results are append-only provenance (gating spec §9) that may now also receive
-- their human decision, once. Two triggers, each firing
-- only for the columns an UPDATE sets (so recording a decision never reads the large
-- provenance text): any SET of an immutable column is refused; `current` may only go
-- true → false (a newer version supersedes the row) and review_* only from unset to set,
-- once. A test checks that every column is in exactly one of the two lists.
DROP TRIGGER "gating_results_append_only" ON "gating_results";
CREATE OR REPLACE FUNCTION "gating_results_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'gating_results is append-only: rows cannot be deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RAISE EXCEPTION 'gating_results is append-only: only a newer version may supersede a row' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "gating_results_immutable"
  BEFORE UPDATE OF "id", "record_id", "version", "batch_id", "policy_id", "route", "decision", "fragile", "fragility_score", "theta", "triage_key", "certainty",
    "p10", "p50", "p90", "confidence", "p_model", "p_glm", "cluster_id", "scorer_version", "flags", "reason_codes", "input", "provenance", "created_at"
  OR DELETE ON "gating_results" FOR EACH ROW EXECUTE FUNCTION "gating_results_guard"();
CREATE FUNCTION "gating_results_transition"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.current IS DISTINCT FROM OLD.current AND NOT (OLD.current AND NOT NEW.current) THEN
    RAISE EXCEPTION 'gating_results is append-only: only a newer version may supersede a row' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (NEW.review_seq, NEW.review_label, NEW.review_action, NEW.reviewed_by, NEW.reviewed_at) IS DISTINCT FROM (OLD.review_seq, OLD.review_label, OLD.review_action, OLD.reviewed_by, OLD.reviewed_at)
     AND NOT (OLD.review_seq IS NULL AND NEW.review_seq IS NOT NULL AND NEW.review_label IS NOT NULL AND NEW.review_action IS NOT NULL AND NEW.reviewed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'gating_results: a decision is recorded once and never changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "gating_results_transitions"
  BEFORE UPDATE OF "current", "review_seq", "review_label", "review_action", "reviewed_by", "reviewed_at"
  ON "gating_results" FOR EACH ROW EXECUTE FUNCTION "gating_results_transition"();

-- The open queue: current audit results nobody has decided yet. Same orders as before.
DROP INDEX "queue_triage_idx";
DROP INDEX "queue_cluster_triage_idx";
DROP INDEX "queue_confidence_idx";
DROP INDEX "queue_fragility_idx";
DROP INDEX "queue_age_idx";
DROP INDEX "queue_flags_idx";
DROP INDEX "queue_reasons_idx";
CREATE INDEX "queue_triage_idx" ON "gating_results" ("triage_key", "certainty", "created_at", "id") WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
CREATE INDEX "queue_cluster_triage_idx" ON "gating_results" ("cluster_id", "triage_key", "certainty", "created_at", "id") WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
CREATE INDEX "queue_confidence_idx" ON "gating_results" ("confidence", "id") WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
CREATE INDEX "queue_fragility_idx" ON "gating_results" ("fragility_score", "id") WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
CREATE INDEX "queue_age_idx" ON "gating_results" ("created_at", "id") WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
CREATE INDEX "queue_flags_idx" ON "gating_results" USING gin ("flags") WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
CREATE INDEX "queue_reasons_idx" ON "gating_results" USING gin ("reason_codes") WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
-- Decided records, for "similar decided records in the same cluster" and the override figures.
CREATE INDEX "decided_cluster_idx" ON "gating_results" ("cluster_id", "reviewed_at") WHERE "review_seq" IS NOT NULL;

DROP INDEX "ingest_batches_held_idx";
CREATE INDEX "ingest_batches_held_idx" ON "ingest_batches" ("created_at", "id") WHERE "held" AND "released_seq" IS NULL;

-- One decision on a record in one round trip: locks the current result, checks that the
-- version the analyst saw is still current, queued and undecided, that the entry's before /
-- after labels agree with the machine's decision and the action, appends the entry (which
-- checks the edit-log version and moves the chain head) and marks the result decided.
-- Errors: SR404 unknown record, SR409 stale or already decided, SR422 not queued / bad entry.
CREATE FUNCTION "record_decide"(p_c text, p_expected_version integer, p_result_version integer)
RETURNS TABLE ("seq" bigint, "hash" text, "recorded_at" text, "subject_version" integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_entry jsonb;
  v_result record;
  v_action text;
  v_before boolean;
  v_after boolean;
  v_actor uuid;
  v_appended record;
BEGIN
  BEGIN
    v_entry := p_c::jsonb;
    v_action := v_entry->>'action';
    v_before := (v_entry->'before'->>'label')::boolean;
    v_after := (v_entry->'after'->>'label')::boolean;
    v_actor := (v_entry->'actor'->>'id')::uuid;
  EXCEPTION WHEN others THEN
    RAISE EXCEPTION 'a record decision needs before.label and after.label (booleans) and a user actor' USING ERRCODE = 'SR422';
  END;
  IF v_entry->>'subjectType' IS DISTINCT FROM 'record' OR v_action NOT IN ('confirm', 'override') OR v_before IS NULL OR v_after IS NULL OR v_actor IS NULL THEN
    RAISE EXCEPTION 'a record decision is a confirm or override of a record by a user, with before.label and after.label' USING ERRCODE = 'SR422';
  END IF;

  SELECT r."id", r."version", r."route", r."decision", r."review_seq" INTO v_result
    FROM "gating_results" r WHERE r."record_id" = v_entry->>'subjectId' AND r."current" FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no record "%"', v_entry->>'subjectId' USING ERRCODE = 'SR404';
  END IF;
  IF v_result."version" <> p_result_version THEN
    RAISE EXCEPTION 'stale result: record % was re-scored (version %, not %)', v_entry->>'subjectId', v_result."version", p_result_version USING ERRCODE = 'SR409';
  END IF;
  IF v_result."review_seq" IS NOT NULL THEN
    RAISE EXCEPTION 'record % was already decided (edit-log entry %)', v_entry->>'subjectId', v_result."review_seq" USING ERRCODE = 'SR409';
  END IF;
  IF v_result."route" <> 'audit' THEN
    RAISE EXCEPTION 'record % is not in the audit queue: it was released automatically', v_entry->>'subjectId' USING ERRCODE = 'SR422';
  END IF;
  IF v_before <> v_result."decision" OR (v_action = 'confirm') <> (v_after = v_result."decision") THEN
    RAISE EXCEPTION 'the entry does not match the machine decision of record % (%)', v_entry->>'subjectId', v_result."decision" USING ERRCODE = 'SR422';
  END IF;

  SELECT * INTO v_appended FROM "edit_log_append"(p_c, p_expected_version);
  UPDATE "gating_results" SET "review_seq" = v_appended."seq", "review_label" = v_after, "review_action" = v_action,
    "reviewed_by" = v_actor, "reviewed_at" = v_appended."recorded_at"::timestamptz
    WHERE "id" = v_result."id";
  RETURN QUERY SELECT v_appended."seq", v_appended."hash", v_appended."recorded_at", v_appended."subject_version";
END $$;

-- Checkpoints are append-only like the log they sign.
CREATE TRIGGER "ledger_checkpoints_no_update_delete" BEFORE UPDATE OR DELETE ON "ledger_checkpoints" FOR EACH ROW EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "ledger_checkpoints_no_truncate" BEFORE TRUNCATE ON "ledger_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION "edit_log_refuse"();

-- The application's role (governance spec §1). The app's pool connects as whatever
-- DATABASE_URL says (often a superuser, for whom REVOKE means nothing) and then runs as
-- sentinel_app: ordinary rights on ordinary tables; on the edit log, its head, its subject
-- versions and the checkpoints only SELECT (and INSERT for checkpoints) — entries are
-- written by edit_log_append alone, which runs as its owner (SECURITY DEFINER), so not even
-- INSERT on the log is needed. Roles are server-wide: created once, shared by databases.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sentinel_app') THEN
    BEGIN
      CREATE ROLE sentinel_app NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- a concurrent migration made it
    END;
  END IF;
  -- A non-superuser owner must be a member to SET ROLE to it.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT sentinel_app TO %I', current_user);
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO sentinel_app', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO sentinel_app', current_schema());
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO sentinel_app', current_schema());
  -- Tables added later get the ordinary grants; an append-only one must revoke them in its migration.
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sentinel_app', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO sentinel_app', current_schema());
END $$;
REVOKE ALL ON "edit_log", "edit_log_head", "edit_log_subjects", "ledger_checkpoints" FROM sentinel_app;
DO $$ BEGIN
  IF to_regclass('_prisma_migrations') IS NOT NULL THEN
    -- read-only: the readiness check lists applied migrations
    REVOKE ALL ON "_prisma_migrations" FROM sentinel_app;
    GRANT SELECT ON "_prisma_migrations" TO sentinel_app;
  END IF;
END $$;
GRANT SELECT ON "edit_log", "edit_log_head", "edit_log_subjects" TO sentinel_app;
GRANT SELECT, INSERT ON "ledger_checkpoints" TO sentinel_app;
-- Policy snapshots and results are guarded by triggers; the role may not delete them either.
REVOKE DELETE, TRUNCATE ON "gating_results", "policy_snapshots" FROM sentinel_app;

ALTER FUNCTION "edit_log_append"(text, integer) SECURITY DEFINER SET search_path FROM CURRENT;
REVOKE ALL ON FUNCTION "edit_log_append"(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "edit_log_append"(text, integer) TO sentinel_app;
REVOKE ALL ON FUNCTION "record_decide"(text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "record_decide"(text, integer, integer) TO sentinel_app;
