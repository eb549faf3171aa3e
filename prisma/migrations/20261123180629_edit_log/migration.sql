-- CreateTable
CREATE TABLE "edit_log" (
    "seq" BIGINT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "c" TEXT NOT NULL,
    "effective_at" TIMESTAMPTZ(6) NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "subject_version" INTEGER NOT NULL,

    CONSTRAINT "edit_log_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "edit_log_head" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "edit_log_head_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "edit_log_subjects" (
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,

    CONSTRAINT "edit_log_subjects_pkey" PRIMARY KEY ("subject_type","subject_id")
);

-- CreateIndex
CREATE INDEX "edit_log_subject_type_subject_id_seq_idx" ON "edit_log"("subject_type", "subject_id", "seq");

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- The chain starts empty: seq 0, the genesis hash.
INSERT INTO "edit_log_head" ("id", "seq", "hash") VALUES (1, 0, repeat('0', 64));
ALTER TABLE "edit_log_head" ADD CONSTRAINT "edit_log_head_single_row" CHECK ("id" = 1);

-- Appends one entry: locks the head (so appends are serialized and the chain never forks),
-- checks the subject's expected version, takes seq = head + 1 (gapless: a refused or rolled
-- back append leaves no hole), formats recordedAt in SQL with microseconds and hashes
--   sha256(c ⏎ seq ⏎ recordedAt ⏎ prevHash)
-- exactly as lib/ledger/chain.ts does, inserts the row and moves the head. The subject,
-- action and effectiveAt columns are read from `c` itself, so they cannot disagree with
-- what the hash covers. Errors: SQLSTATE SR409 (stale version), SR422 (bad entry).
CREATE FUNCTION "edit_log_append"(p_c text, p_expected_version integer)
RETURNS TABLE ("seq" bigint, "hash" text, "recorded_at" text, "subject_version" integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_entry jsonb;
  v_head_seq bigint;
  v_head_hash text;
  v_version integer;
  v_now timestamptz;
  v_effective timestamptz;
  v_text text;
  v_hash text;
BEGIN
  BEGIN
    v_entry := p_c::jsonb;
    v_effective := (v_entry->>'effectiveAt')::timestamptz;
  EXCEPTION WHEN others THEN
    RAISE EXCEPTION 'edit log entry is not valid JSON with an effectiveAt time' USING ERRCODE = 'SR422';
  END;
  IF v_entry->>'subjectType' IS NULL OR v_entry->>'subjectId' IS NULL OR v_entry->>'action' IS NULL THEN
    RAISE EXCEPTION 'edit log entry needs subjectType, subjectId and action' USING ERRCODE = 'SR422';
  END IF;

  SELECT h."seq", h."hash" INTO v_head_seq, v_head_hash FROM "edit_log_head" h WHERE h."id" = 1 FOR UPDATE;
  SELECT s."version" INTO v_version FROM "edit_log_subjects" s
    WHERE s."subject_type" = v_entry->>'subjectType' AND s."subject_id" = v_entry->>'subjectId' FOR UPDATE;
  v_version := COALESCE(v_version, 0);
  IF p_expected_version IS NOT NULL AND p_expected_version <> v_version THEN
    RAISE EXCEPTION 'stale version: % % is at version %, not %', v_entry->>'subjectType', v_entry->>'subjectId', v_version, p_expected_version
      USING ERRCODE = 'SR409';
  END IF;

  v_now := clock_timestamp();
  IF v_effective > v_now + interval '5 minutes' THEN
    RAISE EXCEPTION 'effectiveAt % is later than the time of recording', v_effective USING ERRCODE = 'SR422';
  END IF;
  v_text := to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  v_hash := encode(sha256(convert_to(p_c || E'\n' || (v_head_seq + 1)::text || E'\n' || v_text || E'\n' || v_head_hash, 'UTF8')), 'hex');

  INSERT INTO "edit_log" ("seq", "subject_type", "subject_id", "action", "c", "effective_at", "recorded_at", "prev_hash", "hash", "subject_version")
  VALUES (v_head_seq + 1, v_entry->>'subjectType', v_entry->>'subjectId', v_entry->>'action', p_c, v_effective, v_now, v_head_hash, v_hash, v_version + 1);
  UPDATE "edit_log_head" SET "seq" = v_head_seq + 1, "hash" = v_hash WHERE "id" = 1;
  INSERT INTO "edit_log_subjects" ("subject_type", "subject_id", "version") VALUES (v_entry->>'subjectType', v_entry->>'subjectId', 1)
    ON CONFLICT ("subject_type", "subject_id") DO UPDATE SET "version" = "edit_log_subjects"."version" + 1;

  RETURN QUERY SELECT v_head_seq + 1, v_hash, v_text, v_version + 1;
END $$;

-- The log itself refuses change, whoever asks (the superuser included): rows by trigger,
-- TRUNCATE by a statement trigger. The head and the versions only move forward through
-- the append function; they refuse DELETE and TRUNCATE.
CREATE FUNCTION "edit_log_refuse"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the edit log is append-only: % on % is refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "edit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "edit_log" FOR EACH ROW EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "edit_log_no_truncate" BEFORE TRUNCATE ON "edit_log" FOR EACH STATEMENT EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "edit_log_head_no_delete" BEFORE DELETE ON "edit_log_head" FOR EACH ROW EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "edit_log_head_no_truncate" BEFORE TRUNCATE ON "edit_log_head" FOR EACH STATEMENT EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "edit_log_subjects_no_delete" BEFORE DELETE ON "edit_log_subjects" FOR EACH ROW EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "edit_log_subjects_no_truncate" BEFORE TRUNCATE ON "edit_log_subjects" FOR EACH STATEMENT EXECUTE FUNCTION "edit_log_refuse"();
