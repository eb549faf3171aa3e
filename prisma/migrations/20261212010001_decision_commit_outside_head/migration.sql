-- A decision's transaction holds the chain head's row lock until it commits, and a commit
-- waited for the WAL's sync to disk: every decision's fsync ran inside the one serialised
-- section, one after another (sampled under B4's load: the backends wait on the head's row,
-- its holder on WALSync). record_decide now commits without waiting for the flush
-- (synchronous_commit off for its own transaction only), so the next decision takes the head
-- as soon as the commit is recorded. Durability before acknowledgement is kept by the data
-- layer: after the decision it runs one synchronous commit of its own (lib/data/ledger.ts
-- awaitDurable), which returns only when the WAL is flushed past its commit record, hence
-- past the decision's, and concurrent waits share one flush (group commit). A crash before
-- that flush loses the decision and every later entry together (the WAL is one sequence),
-- so the chain stays whole, and no analyst was told it was recorded. A signed tree head is
-- stored and witnessed only after a synchronous commit, so never over an entry not on disk.
-- Everything else is as in 20261205120750_decision_versions.
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

  -- The commit does not wait for the WAL flush, so the chain head's lock is released as soon
  -- as the commit is recorded instead of after the disk's sync. The caller acknowledges only
  -- after a synchronous commit of its own, later in the WAL (lib/data/ledger.ts awaitDurable).
  PERFORM set_config('synchronous_commit', 'off', true);
  SELECT * INTO v_appended FROM "edit_log_append"(p_c, NULL::integer, p_expected_version);
  UPDATE "gating_results" SET "review_seq" = v_appended."seq", "review_label" = v_after, "review_action" = v_action,
    "reviewed_by" = v_actor, "reviewed_at" = v_appended."recorded_at"::timestamptz
    WHERE "id" = v_result."id";
  RETURN QUERY SELECT v_appended."seq", v_appended."hash", v_appended."recorded_at", v_appended."subject_version";
END $$;

