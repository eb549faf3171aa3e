-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- One request, one entry. An action that carries a request id (every analyst and lead
-- action: decisions, amendments, notes, event actions, batch releases, bulk confirms) is
-- written once per subject, however often it is replayed (double submit, a retry after a
-- lost answer, sixteen tabs at once). The id lives inside the hashed content `c`, so no
-- column is added and no existing row changes.

-- The append function refuses a request id the subject's log already holds, with SQLSTATE
-- SR208 ("already reported"); the app then answers with the first entry. The check runs
-- after the head lock, which serializes every append: a concurrent replay waits for the
-- first to commit, and its next statement (a fresh snapshot, READ COMMITTED) sees that
-- entry. Everything else is as in …_decision_versions. CREATE OR REPLACE keeps the grants;
-- the security attributes are restated.
CREATE OR REPLACE FUNCTION "edit_log_append"(p_c text, p_expected_version integer, p_expected_decision_version integer)
RETURNS TABLE ("seq" bigint, "hash" text, "recorded_at" text, "subject_version" integer, "decision_version" integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_entry jsonb;
  v_head_seq bigint;
  v_head_hash text;
  v_version integer;
  v_decision integer;
  v_bump integer;
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
  v_bump := CASE WHEN v_entry->>'subjectType' = 'record' AND v_entry->>'action' IN ('confirm', 'override', 'amend', 'claim', 'takeover') THEN 1 ELSE 0 END;

  SELECT h."seq", h."hash" INTO v_head_seq, v_head_hash FROM "edit_log_head" h WHERE h."id" = 1 FOR UPDATE;
  SELECT s."version", s."decision_version" INTO v_version, v_decision FROM "edit_log_subjects" s
    WHERE s."subject_type" = v_entry->>'subjectType' AND s."subject_id" = v_entry->>'subjectId' FOR UPDATE;
  v_version := COALESCE(v_version, 0);
  v_decision := COALESCE(v_decision, 0);
  -- Checked before the versions: a replay would also look stale, and must be told apart.
  IF v_entry->>'requestId' IS NOT NULL AND EXISTS (
    SELECT 1 FROM "edit_log" e
    WHERE e."subject_type" = v_entry->>'subjectType' AND e."subject_id" = v_entry->>'subjectId' AND (e."c"::jsonb)->>'requestId' = v_entry->>'requestId'
  ) THEN
    RAISE EXCEPTION 'request % was already recorded for % %', v_entry->>'requestId', v_entry->>'subjectType', v_entry->>'subjectId'
      USING ERRCODE = 'SR208';
  END IF;
  IF p_expected_version IS NOT NULL AND p_expected_version <> v_version THEN
    RAISE EXCEPTION 'stale version: % % is at version %, not %', v_entry->>'subjectType', v_entry->>'subjectId', v_version, p_expected_version
      USING ERRCODE = 'SR409';
  END IF;
  IF p_expected_decision_version IS NOT NULL AND p_expected_decision_version <> v_decision THEN
    RAISE EXCEPTION 'stale version: % % is at decision version %, not %', v_entry->>'subjectType', v_entry->>'subjectId', v_decision, p_expected_decision_version
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
  INSERT INTO "edit_log_subjects" ("subject_type", "subject_id", "version", "decision_version") VALUES (v_entry->>'subjectType', v_entry->>'subjectId', 1, v_bump)
    ON CONFLICT ("subject_type", "subject_id") DO UPDATE
    SET "version" = "edit_log_subjects"."version" + 1, "decision_version" = "edit_log_subjects"."decision_version" + v_bump;

  RETURN QUERY SELECT v_head_seq + 1, v_hash, v_text, v_version + 1, v_decision + v_bump;
END $$;
ALTER FUNCTION "edit_log_append"(text, integer, integer) SECURITY DEFINER SET search_path FROM CURRENT;


-- The backstop in the table itself: (subject, request id) is unique for entries with an id.
-- A database written before this migration may already hold replays twice (that was the
-- bug), and the log is immutable, so they stay: the index covers the entries after the
-- last such duplicate (all of them when there is none, the usual case), which makes it
-- build on any database. Older duplicates are still caught by the function's check above,
-- which reads the whole subject. An expression on `c` because the id is part of the hash.
DO $$
DECLARE
  v_from bigint;
BEGIN
  SELECT COALESCE(max(d."seq"), 0) INTO v_from FROM (
    SELECT e."seq", count(*) OVER (PARTITION BY e."subject_type", e."subject_id", (e."c"::jsonb)->>'requestId') AS n
    FROM "edit_log" e WHERE (e."c"::jsonb)->>'requestId' IS NOT NULL
  ) d WHERE d.n > 1;
  EXECUTE format(
    'CREATE UNIQUE INDEX "edit_log_request_once_idx" ON "edit_log" ("subject_type", "subject_id", (("c"::jsonb)->>''requestId'')) '
    'WHERE (("c"::jsonb)->>''requestId'') IS NOT NULL AND "seq" > %s', v_from);
END $$;
