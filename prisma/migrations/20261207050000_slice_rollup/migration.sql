-- CreateTable
CREATE TABLE "slice_record_facts" (
    "record_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "flags" TEXT[],
    "home_planet" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "cabin_deck" TEXT NOT NULL,
    "audit" BOOLEAN NOT NULL,
    "decision" BOOLEAN NOT NULL,
    "bucket" SMALLINT NOT NULL,
    "p10_micro" BIGINT NOT NULL,
    "p50_micro" BIGINT NOT NULL,
    "p90_micro" BIGINT NOT NULL,
    "decided" BOOLEAN NOT NULL,
    "overridden" BOOLEAN NOT NULL,
    "truth" BOOLEAN,
    "disputed" BOOLEAN NOT NULL,
    "fragile" BOOLEAN NOT NULL,

    CONSTRAINT "slice_record_facts_pkey" PRIMARY KEY ("record_id")
);

-- CreateTable
CREATE TABLE "slice_rollup" (
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "bucket" SMALLINT NOT NULL,
    "records" INTEGER NOT NULL DEFAULT 0,
    "audit" INTEGER NOT NULL DEFAULT 0,
    "decided" INTEGER NOT NULL DEFAULT 0,
    "overrides" INTEGER NOT NULL DEFAULT 0,
    "labelled" INTEGER NOT NULL DEFAULT 0,
    "positives" INTEGER NOT NULL DEFAULT 0,
    "false_pos" INTEGER NOT NULL DEFAULT 0,
    "false_neg" INTEGER NOT NULL DEFAULT 0,
    "disputed" INTEGER NOT NULL DEFAULT 0,
    "p10_micro" BIGINT NOT NULL DEFAULT 0,
    "p50_micro" BIGINT NOT NULL DEFAULT 0,
    "p90_micro" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "slice_rollup_pkey" PRIMARY KEY ("dimension","key","day","bucket")
);

-- CreateTable
CREATE TABLE "slice_dirty" (
    "id" BIGSERIAL NOT NULL,
    "record_id" TEXT NOT NULL,

    CONSTRAINT "slice_dirty_pkey" PRIMARY KEY ("id")
);

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- A context value as a slice key: missing (null, absent, blank) reads as '∅', as in the
-- cluster ids (lib/gating/context-values.ts).
CREATE FUNCTION "slice_context_key"(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(nullif(btrim(v #>> '{}'), ''), '∅')
$$;

-- CabinDeck from `Cabin` = deck/num/side (lib/gating/glm-features.ts): '∅' when Cabin is
-- missing or not of that form.
CREATE FUNCTION "slice_cabin_deck"(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(v) = 'string' AND array_length(string_to_array(v #>> '{}', '/'), 1) = 3
              THEN coalesce(nullif(split_part(v #>> '{}', '/', 1), ''), '∅') ELSE '∅' END
$$;

-- What slice KPIs count per record, from the base tables: the current gating result (its
-- day, flags, context, route, machine label and interval), its first human decision, and
-- the record's truth (docs/labels.md): label feedback when its sources agree (disputed
-- when they do not), else the final decision — the latest amendment, else the first
-- decision — else none. This view is the definition of `slice_record_facts`.
CREATE VIEW "slice_record_source" AS
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
       r."fragile"
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

-- The slice rows one record's facts count in: every record in 'all', its HomePlanet,
-- Destination and CabinDeck, fragile or not, and each of its flags; each with the figures it adds (the
-- interval sums only for labelled records: calibration coverage is about those). The SET
-- keeps it from being inlined: PostgreSQL 15 fails to plan the inlined form over
-- `unnest(rows)` ("variable not found in subplan target list").
CREATE FUNCTION "slice_fact_rows"(f "slice_record_facts")
RETURNS TABLE ("dimension" text, "key" text, "day" date, "bucket" smallint, "records" integer, "audit" integer, "decided" integer, "overrides" integer,
               "labelled" integer, "positives" integer, "false_pos" integer, "false_neg" integer, "disputed" integer,
               "p10_micro" bigint, "p50_micro" bigint, "p90_micro" bigint)
LANGUAGE sql IMMUTABLE SET search_path FROM CURRENT AS $$
  SELECT k.dimension, k.key, f."day", f."bucket", 1, f."audit"::integer, f."decided"::integer, f."overridden"::integer,
         (f."truth" IS NOT NULL)::integer, coalesce(f."truth", false)::integer,
         coalesce(f."decision" AND NOT f."truth", false)::integer, coalesce(NOT f."decision" AND f."truth", false)::integer, f."disputed"::integer,
         CASE WHEN f."truth" IS NULL THEN 0 ELSE f."p10_micro" END, CASE WHEN f."truth" IS NULL THEN 0 ELSE f."p50_micro" END, CASE WHEN f."truth" IS NULL THEN 0 ELSE f."p90_micro" END
  FROM (VALUES ('all', ''), ('home_planet', f."home_planet"), ('destination', f."destination"), ('cabin_deck', f."cabin_deck"),
               ('fragility', CASE WHEN f."fragile" THEN 'fragile' ELSE 'not fragile' END)
        UNION ALL SELECT 'flag', code FROM unnest(f."flags") AS code) AS k(dimension, key)
$$;

-- The rollup's definition over the base tables: the tests compare `slice_rollup` with a
-- GROUP BY over this view.
CREATE VIEW "slice_facts" AS
SELECT x.* FROM "slice_record_source" s CROSS JOIN LATERAL "slice_fact_rows"(ROW(s.*)::"slice_record_facts") x;

CREATE FUNCTION "slice_rollup_apply"(rows "slice_record_facts"[], sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "slice_rollup" ("dimension", "key", "day", "bucket", "records", "audit", "decided", "overrides", "labelled", "positives", "false_pos", "false_neg", "disputed", "p10_micro", "p50_micro", "p90_micro")
  SELECT x."dimension", x."key", x."day", x."bucket", sign * sum(x."records"), sign * sum(x."audit"), sign * sum(x."decided"), sign * sum(x."overrides"),
         sign * sum(x."labelled"), sign * sum(x."positives"), sign * sum(x."false_pos"), sign * sum(x."false_neg"), sign * sum(x."disputed"),
         sign * sum(x."p10_micro"), sign * sum(x."p50_micro"), sign * sum(x."p90_micro")
  FROM unnest(rows) AS f CROSS JOIN LATERAL "slice_fact_rows"(f) x
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("dimension", "key", "day", "bucket") DO UPDATE SET
    "records" = "slice_rollup"."records" + EXCLUDED."records",
    "audit" = "slice_rollup"."audit" + EXCLUDED."audit",
    "decided" = "slice_rollup"."decided" + EXCLUDED."decided",
    "overrides" = "slice_rollup"."overrides" + EXCLUDED."overrides",
    "labelled" = "slice_rollup"."labelled" + EXCLUDED."labelled",
    "positives" = "slice_rollup"."positives" + EXCLUDED."positives",
    "false_pos" = "slice_rollup"."false_pos" + EXCLUDED."false_pos",
    "false_neg" = "slice_rollup"."false_neg" + EXCLUDED."false_neg",
    "disputed" = "slice_rollup"."disputed" + EXCLUDED."disputed",
    "p10_micro" = "slice_rollup"."p10_micro" + EXCLUDED."p10_micro",
    "p50_micro" = "slice_rollup"."p50_micro" + EXCLUDED."p50_micro",
    "p90_micro" = "slice_rollup"."p90_micro" + EXCLUDED."p90_micro";
END $$;

-- The incremental job: replace the facts of every record changed since the last drain and
-- move the rollup by the difference, in one transaction. Drains run one at a time (an
-- advisory lock); a change committed during a drain leaves its own dirty row for the
-- next one, so nothing is missed and a record counted twice is only replaced again.
-- Returns how many records it refreshed.
CREATE FUNCTION "slice_rollup_drain"() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
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
  IF old_rows IS NOT NULL THEN PERFORM "slice_rollup_apply"(old_rows, -1); END IF;
  IF new_rows IS NOT NULL THEN PERFORM "slice_rollup_apply"(new_rows, 1); END IF;
  RETURN cardinality(ids);
END $$;

-- What marks a record changed: a new gating result, a decision or amendment, a label.
-- One insert per statement, in the writer's transaction; nothing else on the hot paths.
CREATE FUNCTION "slice_dirty_results"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO "slice_dirty" ("record_id") SELECT "record_id" FROM "changed_rows";
  RETURN NULL;
END $$;
CREATE FUNCTION "slice_dirty_entries"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO "slice_dirty" ("record_id")
  SELECT "subject_id" FROM "changed_rows" WHERE "subject_type" = 'record' AND "action" IN ('confirm', 'override', 'amend');
  RETURN NULL;
END $$;
CREATE TRIGGER "gating_results_slice_dirty" AFTER INSERT ON "gating_results"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "slice_dirty_results"();
CREATE TRIGGER "record_labels_slice_dirty" AFTER INSERT ON "record_labels"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "slice_dirty_results"();
CREATE TRIGGER "edit_log_slice_dirty" AFTER INSERT ON "edit_log"
  REFERENCING NEW TABLE AS "changed_rows" FOR EACH STATEMENT EXECUTE FUNCTION "slice_dirty_entries"();

-- Backfill: every record with a current result.
INSERT INTO "slice_dirty" ("record_id") SELECT "record_id" FROM "gating_results" WHERE "current";
SELECT "slice_rollup_drain"();

-- Read-only for the app: only the drain and the triggers write these.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "slice_rollup", "slice_record_facts", "slice_dirty" FROM sentinel_app;
GRANT SELECT ON "slice_rollup", "slice_record_facts", "slice_record_source", "slice_facts" TO sentinel_app;
REVOKE ALL ON FUNCTION "slice_rollup_drain"(), "slice_dirty_results"(), "slice_dirty_entries"(), "slice_rollup_apply"("slice_record_facts"[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "slice_rollup_drain"() TO sentinel_app;
