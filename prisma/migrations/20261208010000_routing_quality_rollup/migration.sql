-- Bring the slice facts up to date before their row type changes: after this, every
-- record's facts equal its source, so the backfill below can fill the new columns in place.
SELECT "slice_rollup_drain"();

-- `slice_facts` casts its rows to the facts' row type: rebuilt below with the new columns.
DROP VIEW "slice_facts";

-- AlterTable
ALTER TABLE "slice_record_facts" ADD COLUMN     "reason_codes" TEXT[],
ADD COLUMN     "truth_from" TEXT;

-- CreateTable
CREATE TABLE "routing_quality_rollup" (
    "day" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "audit" BOOLEAN NOT NULL,
    "error" BOOLEAN NOT NULL,
    "records" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "routing_quality_rollup_pkey" PRIMARY KEY ("day","kind","key","audit","error")
);

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- The per-record facts gain what routing quality (gating spec §11) counts besides the
-- slices: the current result's reason codes and where the record's truth comes from
-- (docs/labels.md: label feedback when there is any, else the final decision).
CREATE OR REPLACE VIEW "slice_record_source" AS
SELECT r."record_id",
       (r."created_at" AT TIME ZONE 'UTC')::date AS "day",
       r."flags",
       "slice_context_key"(i.ctx->'HomePlanet') AS "home_planet",
       "slice_context_key"(i.ctx->'Destination') AS "destination",
       "slice_cabin_deck"(i.ctx->'Cabin') AS "cabin_deck",
       r."route" = 'audit' AS "audit",
       r."decision",
       least(floor(r."p50" * 10), 9)::smallint AS "bucket",
       round(r."p10" * 1000000)::bigint AS "p10_micro",
       round(r."p50" * 1000000)::bigint AS "p50_micro",
       round(r."p90" * 1000000)::bigint AS "p90_micro",
       r."review_seq" IS NOT NULL AS "decided",
       coalesce(r."review_action" = 'override', false) AS "overridden",
       CASE WHEN fb.n > 0 THEN CASE WHEN fb.all_true = fb.any_true THEN fb.all_true END
            ELSE coalesce(am.label, r."review_label") END AS "truth",
       coalesce(fb.n > 0 AND fb.all_true <> fb.any_true, false) AS "disputed",
       r."fragile",
       r."reason_codes",
       CASE WHEN fb.n > 0 THEN 'feedback' WHEN coalesce(am.label, r."review_label") IS NOT NULL THEN 'decision' END AS "truth_from"
FROM "gating_results" r
CROSS JOIN LATERAL (SELECT r."input"::jsonb->'context' AS ctx) i
LEFT JOIN LATERAL (
  SELECT count(*) AS n, bool_and(l."label") AS all_true, bool_or(l."label") AS any_true
  FROM "record_labels" l WHERE l."record_id" = r."record_id"
) fb ON true
LEFT JOIN LATERAL (
  SELECT (e."c"::jsonb->'after'->>'label')::boolean AS label
  FROM "edit_log" e
  WHERE r."review_seq" IS NOT NULL AND e."subject_type" = 'record' AND e."subject_id" = r."record_id" AND e."action" = 'amend' AND e."seq" > r."review_seq"
  ORDER BY e."seq" DESC LIMIT 1
) am ON true
WHERE r."current";

CREATE VIEW "slice_facts" AS
SELECT x.* FROM "slice_record_source" s CROSS JOIN LATERAL "slice_fact_rows"(ROW(s.*)::"slice_record_facts") x;

-- Backfill the new columns (the facts equal their source after the drain above).
UPDATE "slice_record_facts" f SET "reason_codes" = s."reason_codes", "truth_from" = s."truth_from"
FROM "slice_record_source" s WHERE s."record_id" = f."record_id";

-- The routing-quality rows one record's facts count in. A disputed record counts only as
-- disputed; a record without a truth counts nowhere. For a labelled record (error: the
-- machine's label differs from the truth): 'all', each reason, its reason 'alone' when it
-- has one only, each flag, and its model-confidence bucket — max(p50, 1 − p50) in steps
-- of 0.002 from 0.5, 250 buckets — for the uncertainty baseline and the risk–coverage
-- curve. SET keeps it from being inlined (see slice_fact_rows).
CREATE FUNCTION "routing_quality_fact_rows"(f "slice_record_facts")
RETURNS TABLE ("day" date, "kind" text, "key" text, "audit" boolean, "error" boolean, "records" integer)
LANGUAGE sql IMMUTABLE SET search_path FROM CURRENT AS $$
  SELECT f."day", 'truth', 'disputed', false, false, 1 WHERE f."disputed"
  UNION ALL
  SELECT f."day", k.kind, k.key, f."audit", f."decision" <> f."truth", 1
  FROM (VALUES ('truth', f."truth_from"), ('all', ''),
               ('confidence', least(floor((greatest(f."p50_micro", 1000000 - f."p50_micro") - 500000) / 2000), 249)::text))
         AS k(kind, key)
  WHERE f."truth" IS NOT NULL
  UNION ALL
  SELECT f."day", 'reason', code, f."audit", f."decision" <> f."truth", 1 FROM unnest(f."reason_codes") AS code WHERE f."truth" IS NOT NULL
  UNION ALL
  SELECT f."day", 'alone', f."reason_codes"[1], f."audit", f."decision" <> f."truth", 1 WHERE f."truth" IS NOT NULL AND cardinality(f."reason_codes") = 1
  UNION ALL
  SELECT f."day", 'flag', code, f."audit", f."decision" <> f."truth", 1 FROM unnest(f."flags") AS code WHERE f."truth" IS NOT NULL
$$;

-- The rollup's definition over the base tables: the tests compare `routing_quality_rollup`
-- with a GROUP BY over this view.
CREATE VIEW "routing_quality_facts" AS
SELECT x.* FROM "slice_record_source" s CROSS JOIN LATERAL "routing_quality_fact_rows"(ROW(s.*)::"slice_record_facts") x;

CREATE FUNCTION "routing_quality_rollup_apply"(rows "slice_record_facts"[], sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "routing_quality_rollup" ("day", "kind", "key", "audit", "error", "records")
  SELECT x."day", x."kind", x."key", x."audit", x."error", sign * sum(x."records")
  FROM unnest(rows) AS f CROSS JOIN LATERAL "routing_quality_fact_rows"(f) x
  GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT ("day", "kind", "key", "audit", "error") DO UPDATE SET "records" = "routing_quality_rollup"."records" + EXCLUDED."records";
END $$;

-- The slices' drain moves both rollups by the same facts' difference, in one transaction.
CREATE OR REPLACE FUNCTION "slice_rollup_drain"() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  ids text[];
  old_rows "slice_record_facts"[];
  new_rows "slice_record_facts"[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('slice_rollup_drain'));
  WITH d AS (DELETE FROM "slice_dirty" RETURNING "record_id") SELECT array_agg(DISTINCT d."record_id") INTO ids FROM d;
  IF ids IS NULL THEN RETURN 0; END IF;
  WITH o AS (DELETE FROM "slice_record_facts" WHERE "record_id" = ANY (ids) RETURNING *) SELECT array_agg(ROW(o.*)::"slice_record_facts") INTO old_rows FROM o;
  WITH n AS (INSERT INTO "slice_record_facts" SELECT * FROM "slice_record_source" WHERE "record_id" = ANY (ids) RETURNING *) SELECT array_agg(ROW(n.*)::"slice_record_facts") INTO new_rows FROM n;
  IF old_rows IS NOT NULL THEN
    PERFORM "slice_rollup_apply"(old_rows, -1);
    PERFORM "routing_quality_rollup_apply"(old_rows, -1);
  END IF;
  IF new_rows IS NOT NULL THEN
    PERFORM "slice_rollup_apply"(new_rows, 1);
    PERFORM "routing_quality_rollup_apply"(new_rows, 1);
  END IF;
  RETURN cardinality(ids);
END $$;

-- Backfill: the rollup of every record's facts.
SELECT "routing_quality_rollup_apply"(array_agg(f), 1) FROM "slice_record_facts" f;

-- Read-only for the app: only the drain writes it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "routing_quality_rollup" FROM sentinel_app;
GRANT SELECT ON "routing_quality_rollup", "routing_quality_facts", "slice_facts" TO sentinel_app;
REVOKE ALL ON FUNCTION "routing_quality_rollup_apply"("slice_record_facts"[], integer) FROM PUBLIC;
