-- CreateTable
CREATE TABLE "override_rollup" (
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "week" DATE NOT NULL,
    "decisions" INTEGER NOT NULL DEFAULT 0,
    "overrides" INTEGER NOT NULL DEFAULT 0,
    "amendments" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "override_rollup_pkey" PRIMARY KEY ("dimension","key","week")
);

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- What the override register counts, one row per fact, from the base tables: every human
-- decision (a confirm or override entry of a record; each decides one result version,
-- whose scorer, policy, cluster and gating reasons it is counted under) and every
-- amendment (counted under the lead who amended). The week is the ISO week (Monday, UTC)
-- of the entry's effective time. This view is the rollup's definition: the trigger below
-- adds the facts of each new entry, the backfill adds all of them, and the tests compare
-- the rollup with a GROUP BY over this view.
CREATE VIEW "override_facts" AS
WITH decided AS (
  SELECT e."seq", e."action", e."c"::jsonb AS c, r."scorer_version", r."policy_id", r."cluster_id", r."reason_codes"
  FROM "edit_log" e
  JOIN "gating_results" r ON r."record_id" = e."subject_id" AND r."version" = (e."c"::jsonb->'before'->>'resultVersion')::integer
  WHERE e."subject_type" = 'record' AND e."action" IN ('confirm', 'override')
)
SELECT d."seq", k."dimension", k."key",
       date_trunc('week', (d.c->>'effectiveAt')::timestamptz AT TIME ZONE 'UTC')::date AS "week",
       1 AS "decisions", (d."action" = 'override')::integer AS "overrides", 0 AS "amendments"
FROM decided d
CROSS JOIN LATERAL (
  VALUES ('all', ''), ('analyst', d.c->'actor'->>'id'), ('scorer', d."scorer_version"), ('policy', d."policy_id"), ('cluster', d."cluster_id")
  UNION ALL SELECT 'gating_reason', code FROM unnest(d."reason_codes") AS code
  UNION ALL SELECT 'override_reason', d.c->>'reasonCode' WHERE d."action" = 'override' AND d.c->>'reasonCode' IS NOT NULL
) AS k("dimension", "key")
UNION ALL
SELECT a."seq", k."dimension", k."key",
       date_trunc('week', (a."c"::jsonb->>'effectiveAt')::timestamptz AT TIME ZONE 'UTC')::date,
       0, 0, 1
FROM "edit_log" a
CROSS JOIN LATERAL (VALUES ('all', ''), ('analyst', a."c"::jsonb->'actor'->>'id')) AS k("dimension", "key")
WHERE a."subject_type" = 'record' AND a."action" = 'amend';

-- The rollup moves in the transaction of the entry it counts (edit_log_append's, as its
-- owner): a decision and its count commit together or not at all.
CREATE FUNCTION "override_rollup_add"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO "override_rollup" ("dimension", "key", "week", "decisions", "overrides", "amendments")
  SELECT f."dimension", f."key", f."week", sum(f."decisions"), sum(f."overrides"), sum(f."amendments")
  FROM "override_facts" f WHERE f."seq" = NEW."seq"
  GROUP BY f."dimension", f."key", f."week"
  ON CONFLICT ("dimension", "key", "week") DO UPDATE SET
    "decisions" = "override_rollup"."decisions" + EXCLUDED."decisions",
    "overrides" = "override_rollup"."overrides" + EXCLUDED."overrides",
    "amendments" = "override_rollup"."amendments" + EXCLUDED."amendments";
  RETURN NULL;
END $$;
CREATE TRIGGER "edit_log_override_rollup" AFTER INSERT ON "edit_log" FOR EACH ROW
  WHEN (NEW."subject_type" = 'record' AND NEW."action" IN ('confirm', 'override', 'amend'))
  EXECUTE FUNCTION "override_rollup_add"();

INSERT INTO "override_rollup" ("dimension", "key", "week", "decisions", "overrides", "amendments")
SELECT "dimension", "key", "week", sum("decisions"), sum("overrides"), sum("amendments") FROM "override_facts" GROUP BY 1, 2, 3;

-- Read-only for the app: only the trigger writes it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "override_rollup" FROM sentinel_app;
GRANT SELECT ON "override_rollup", "override_facts" TO sentinel_app;
REVOKE ALL ON FUNCTION "override_rollup_add"() FROM PUBLIC;
