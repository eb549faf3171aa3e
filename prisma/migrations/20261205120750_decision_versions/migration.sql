-- AlterTable
ALTER TABLE "edit_log_subjects" ADD COLUMN     "decision_version" INTEGER NOT NULL DEFAULT 0;

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- A record has two versions: `version` counts every entry (notes included), and
-- `decision_version` counts only the entries that change who decides or what was decided —
-- confirm, override, amend, and claim / takeover (a decision made on a page that did not
-- know someone else holds the record, or took it over, must be refused just like one made
-- on a page that did not know the record was decided). A colleague's note moves only
-- `version`, so it never makes a decision stale. Existing records are counted once here.
UPDATE "edit_log_subjects" s SET "decision_version" = d.n
FROM (
  SELECT "subject_id", count(*)::integer AS n FROM "edit_log"
  WHERE "subject_type" = 'record' AND "action" IN ('confirm', 'override', 'amend', 'claim', 'takeover')
  GROUP BY "subject_id"
) d
WHERE s."subject_type" = 'record' AND s."subject_id" = d."subject_id";

-- The append function with both checks: `p_expected_version` against every entry (events,
-- batches), `p_expected_decision_version` against decision-changing entries (records). Same
-- chain, head lock and hash as before; it also returns the subject's new decision version.
CREATE FUNCTION "edit_log_append"(p_c text, p_expected_version integer, p_expected_decision_version integer)
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
REVOKE ALL ON FUNCTION "edit_log_append"(text, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "edit_log_append"(text, integer, integer) TO sentinel_app;

-- The two-argument form (events, batches, notes) is now the three-argument one without the
-- decision check. CREATE OR REPLACE keeps its grants; its security attributes are restated.
CREATE OR REPLACE FUNCTION "edit_log_append"(p_c text, p_expected_version integer)
RETURNS TABLE ("seq" bigint, "hash" text, "recorded_at" text, "subject_version" integer)
LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT a."seq", a."hash", a."recorded_at", a."subject_version" FROM "edit_log_append"(p_c, p_expected_version, NULL::integer) a;
$$;

-- A record decision now checks the decision version (p_expected_version: what the analyst's
-- page showed), and refuses while someone else holds a live claim: they take it over first
-- (a `takeover` entry), so who decided over whose claim is always on the record. Everything
-- else is as before: one round trip, the result marked decided once.
CREATE OR REPLACE FUNCTION "record_decide"(p_c text, p_expected_version integer, p_result_version integer)
RETURNS TABLE ("seq" bigint, "hash" text, "recorded_at" text, "subject_version" integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_entry jsonb;
  v_result record;
  v_action text;
  v_before boolean;
  v_after boolean;
  v_actor uuid;
  v_claim jsonb;
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
  -- The latest claim or takeover (the row lock above serializes deciders of this record).
  SELECT e."c"::jsonb INTO v_claim FROM "edit_log" e
    WHERE e."subject_type" = 'record' AND e."subject_id" = v_entry->>'subjectId' AND e."action" IN ('claim', 'takeover')
    ORDER BY e."seq" DESC LIMIT 1;
  IF v_claim IS NOT NULL AND v_claim->'actor'->>'id' IS DISTINCT FROM v_actor::text AND (v_claim->'after'->>'until')::timestamptz > clock_timestamp() THEN
    RAISE EXCEPTION 'record % is held by someone else until % UTC: take it over first', v_entry->>'subjectId',
      to_char((v_claim->'after'->>'until')::timestamptz AT TIME ZONE 'UTC', 'HH24:MI') USING ERRCODE = 'SR409';
  END IF;

  SELECT * INTO v_appended FROM "edit_log_append"(p_c, NULL::integer, p_expected_version);
  UPDATE "gating_results" SET "review_seq" = v_appended."seq", "review_label" = v_after, "review_action" = v_action,
    "reviewed_by" = v_actor, "reviewed_at" = v_appended."recorded_at"::timestamptz
    WHERE "id" = v_result."id";
  RETURN QUERY SELECT v_appended."seq", v_appended."hash", v_appended."recorded_at", v_appended."subject_version";
END $$;

-- The other records of a passenger group (the record id before its last `_`), for the
-- record page: a prefix LIKE on the current results.
CREATE INDEX "gating_results_current_record_prefix_idx" ON "gating_results" ("record_id" text_pattern_ops) WHERE "current";
