-- CreateTable
CREATE TABLE "event_report_facts" (
    "report_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "detected_at" TIMESTAMPTZ(6) NOT NULL,
    "detection_seconds" INTEGER NOT NULL,
    "clustering_seconds" INTEGER,
    "attribution_seconds" INTEGER,
    "detection_bucket" SMALLINT NOT NULL,
    "clustering_bucket" SMALLINT NOT NULL,
    "attribution_bucket" SMALLINT NOT NULL,

    CONSTRAINT "event_report_facts_pkey" PRIMARY KEY ("report_id")
);

-- CreateTable
CREATE TABLE "event_stage_rollup" (
    "day" DATE NOT NULL,
    "stage" TEXT NOT NULL,
    "bucket" SMALLINT NOT NULL,
    "reports" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "event_stage_rollup_pkey" PRIMARY KEY ("day","stage","bucket")
);

-- CreateTable
CREATE TABLE "event_report_dirty" (
    "id" BIGSERIAL NOT NULL,
    "report_id" TEXT NOT NULL,

    CONSTRAINT "event_report_dirty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_attribution_rollup" (
    "day" DATE NOT NULL,
    "category" TEXT NOT NULL,
    "proposals" INTEGER NOT NULL DEFAULT 0,
    "confident" INTEGER NOT NULL DEFAULT 0,
    "confidence_micro" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "event_attribution_rollup_pkey" PRIMARY KEY ("day","category")
);

-- CreateTable
CREATE TABLE "event_ingest_rollup" (
    "day" DATE NOT NULL,
    "log" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "received" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "event_ingest_rollup_pkey" PRIMARY KEY ("day","log")
);

-- CreateTable
CREATE TABLE "event_log_latest" (
    "log" TEXT NOT NULL,
    "written_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "event_log_latest_pkey" PRIMARY KEY ("log")
);

-- CreateIndex
CREATE INDEX "event_report_facts_day_idx" ON "event_report_facts"("day");

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- A latency's histogram bucket: the first fixed edge it does not exceed (edges in seconds,
-- the same as LATENCY_EDGES_SECONDS in lib/governance/event-pipeline.ts: 1 min, 5 min,
-- 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 24 h, 72 h), 10 past the last; -1 when the stage has
-- not happened. The SLOs (30 min, 4 h) are edges, so "within SLO" is exact.
CREATE FUNCTION "event_latency_bucket"(seconds integer) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN seconds IS NULL THEN -1
              ELSE (SELECT count(*) FROM unnest(ARRAY[60, 300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200]) AS e WHERE e < seconds) END::smallint
$$;

-- Whole seconds from `a` to `b`, never negative (an upstream clock may run a little
-- ahead); null when either is missing (greatest() would otherwise read a null as 0).
CREATE FUNCTION "event_latency_seconds"(a timestamptz, b timestamptz) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(greatest(0, floor(extract(epoch FROM b - a))), 2147483647)::integer END
$$;

-- What the pipeline's stage figures count per report, from the machine log (spec §9):
-- a report counts once it has a detected row, on the UTC day its first detected row was
-- recorded; detection latency is that row's recorded − written; clustering and attribution
-- latency run from the earliest detected writtenAt to the earliest row that succeeded (a
-- cluster id; a confidence — the failure outputs are null). This view defines
-- `event_report_facts`.
CREATE VIEW "event_report_source" AS
SELECT d."report_id",
       (d."first_recorded" AT TIME ZONE 'UTC')::date AS "day",
       d."detected_at",
       d."detection_seconds",
       "event_latency_seconds"(d."detected_at", s."clustered_at") AS "clustering_seconds",
       "event_latency_seconds"(d."detected_at", s."attributed_at") AS "attribution_seconds",
       "event_latency_bucket"(d."detection_seconds") AS "detection_bucket",
       "event_latency_bucket"("event_latency_seconds"(d."detected_at", s."clustered_at")) AS "clustering_bucket",
       "event_latency_bucket"("event_latency_seconds"(d."detected_at", s."attributed_at")) AS "attribution_bucket"
FROM (
  SELECT r."report_id", min(r."written_at") AS "detected_at", min(r."recorded_at") AS "first_recorded",
         min("event_latency_seconds"(r."written_at", r."recorded_at")) FILTER (WHERE r."version" = 1) AS "detection_seconds"
  FROM "event_log_rows" r WHERE r."log" = 'detected' GROUP BY r."report_id"
) d
LEFT JOIN LATERAL (
  SELECT min(x."written_at") FILTER (WHERE x."log" = 'clustered' AND x."row"->>'clusterId' IS NOT NULL) AS "clustered_at",
         min(x."written_at") FILTER (WHERE x."log" = 'attribution' AND x."row"->'confidence_1' <> 'null'::jsonb) AS "attributed_at"
  FROM "event_log_rows" x WHERE x."report_id" = d."report_id" AND x."log" IN ('clustered', 'attribution')
) s ON true;

-- The stage rows one report counts in.
CREATE FUNCTION "event_stage_fact_rows"(f "event_report_facts")
RETURNS TABLE ("day" date, "stage" text, "bucket" smallint, "reports" integer)
LANGUAGE sql IMMUTABLE SET search_path FROM CURRENT AS $$
  SELECT f."day", k.stage, k.bucket, 1
  FROM (VALUES ('detection', f."detection_bucket"), ('clustering', f."clustering_bucket"), ('attribution', f."attribution_bucket")) AS k(stage, bucket)
$$;

-- The stage rollup's definition over the base tables: the tests compare
-- `event_stage_rollup` with a GROUP BY over this view.
CREATE VIEW "event_stage_facts" AS
SELECT x.* FROM "event_report_source" s CROSS JOIN LATERAL "event_stage_fact_rows"(ROW(s.*)::"event_report_facts") x;

CREATE FUNCTION "event_stage_rollup_apply"(rows "event_report_facts"[], sign integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "event_stage_rollup" ("day", "stage", "bucket", "reports")
  SELECT x."day", x."stage", x."bucket", sign * sum(x."reports")
  FROM unnest(rows) AS f CROSS JOIN LATERAL "event_stage_fact_rows"(f) x
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("day", "stage", "bucket") DO UPDATE SET "reports" = "event_stage_rollup"."reports" + EXCLUDED."reports";
END $$;

-- The incremental job (as slice_rollup_drain): replace the facts of every report with a
-- new log row since the last drain and move the rollup by the difference, in one
-- transaction, one drain at a time. Returns how many reports it refreshed.
CREATE FUNCTION "event_report_rollup_drain"() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  ids text[];
  old_rows "event_report_facts"[];
  new_rows "event_report_facts"[];
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('event_report_rollup_drain'));
  WITH d AS (DELETE FROM "event_report_dirty" RETURNING "report_id") SELECT array_agg(DISTINCT d."report_id") INTO ids FROM d;
  IF ids IS NULL THEN RETURN 0; END IF;
  WITH o AS (DELETE FROM "event_report_facts" WHERE "report_id" = ANY (ids) RETURNING *) SELECT array_agg(ROW(o.*)::"event_report_facts") INTO old_rows FROM o;
  WITH n AS (INSERT INTO "event_report_facts" SELECT * FROM "event_report_source" WHERE "report_id" = ANY (ids) RETURNING *) SELECT array_agg(ROW(n.*)::"event_report_facts") INTO new_rows FROM n;
  IF old_rows IS NOT NULL THEN PERFORM "event_stage_rollup_apply"(old_rows, -1); END IF;
  IF new_rows IS NOT NULL THEN PERFORM "event_stage_rollup_apply"(new_rows, 1); END IF;
  RETURN cardinality(ids);
END $$;

-- Attribution drift: every proposal (each run and refresh) on the UTC day it was recorded,
-- by its cause_1 category, with confidence_1 in millionths when it has one.
CREATE VIEW "event_attribution_facts" AS
SELECT (r."recorded_at" AT TIME ZONE 'UTC')::date AS "day", coalesce(r."row"->'cause_1'->>'category', 'unknown') AS "category",
       1 AS "proposals", (r."row"->'confidence_1' <> 'null'::jsonb)::integer AS "confident",
       CASE WHEN r."row"->'confidence_1' <> 'null'::jsonb THEN round((r."row"->>'confidence_1')::numeric * 1000000)::bigint ELSE 0 END AS "confidence_micro"
FROM "event_log_rows" r WHERE r."log" = 'attribution';

-- The ingest error rate: every request, its rows received and rejected, per UTC day and log.
CREATE VIEW "event_ingest_facts" AS
SELECT (i."created_at" AT TIME ZONE 'UTC')::date AS "day", i."log", 1 AS "requests", i."received", i."rejected" FROM "event_log_ingests" i;

-- One statement trigger on the machine log, in the ingest's transaction: mark the
-- statement's reports for the stage drain, add its attribution rows to the drift rollup and
-- move each log's newest writtenAt.
CREATE FUNCTION "event_log_rows_governance"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO "event_report_dirty" ("report_id") SELECT DISTINCT "report_id" FROM "new_rows";
  INSERT INTO "event_attribution_rollup" ("day", "category", "proposals", "confident", "confidence_micro")
  SELECT (r."recorded_at" AT TIME ZONE 'UTC')::date, coalesce(r."row"->'cause_1'->>'category', 'unknown'), count(*),
         count(*) FILTER (WHERE r."row"->'confidence_1' <> 'null'::jsonb),
         coalesce(sum(round((r."row"->>'confidence_1')::numeric * 1000000)) FILTER (WHERE r."row"->'confidence_1' <> 'null'::jsonb), 0)
  FROM "new_rows" r WHERE r."log" = 'attribution' GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT ("day", "category") DO UPDATE SET
    "proposals" = "event_attribution_rollup"."proposals" + EXCLUDED."proposals",
    "confident" = "event_attribution_rollup"."confident" + EXCLUDED."confident",
    "confidence_micro" = "event_attribution_rollup"."confidence_micro" + EXCLUDED."confidence_micro";
  INSERT INTO "event_log_latest" ("log", "written_at")
  SELECT r."log", max(r."written_at") FROM "new_rows" r GROUP BY 1 ORDER BY 1
  ON CONFLICT ("log") DO UPDATE SET "written_at" = greatest("event_log_latest"."written_at", EXCLUDED."written_at");
  RETURN NULL;
END $$;
CREATE TRIGGER "event_log_rows_governance" AFTER INSERT ON "event_log_rows"
  REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "event_log_rows_governance"();

CREATE FUNCTION "event_ingest_rollup_add"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO "event_ingest_rollup" ("day", "log", "requests", "received", "rejected")
  SELECT (i."created_at" AT TIME ZONE 'UTC')::date, i."log", count(*), sum(i."received"), sum(i."rejected")
  FROM "new_ingests" i GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT ("day", "log") DO UPDATE SET
    "requests" = "event_ingest_rollup"."requests" + EXCLUDED."requests",
    "received" = "event_ingest_rollup"."received" + EXCLUDED."received",
    "rejected" = "event_ingest_rollup"."rejected" + EXCLUDED."rejected";
  RETURN NULL;
END $$;
CREATE TRIGGER "event_log_ingests_governance" AFTER INSERT ON "event_log_ingests"
  REFERENCING NEW TABLE AS "new_ingests" FOR EACH STATEMENT EXECUTE FUNCTION "event_ingest_rollup_add"();

-- Backfill from what is already stored.
INSERT INTO "event_report_dirty" ("report_id") SELECT DISTINCT "report_id" FROM "event_log_rows" WHERE "log" = 'detected';
SELECT "event_report_rollup_drain"();
INSERT INTO "event_attribution_rollup" ("day", "category", "proposals", "confident", "confidence_micro")
SELECT "day", "category", sum("proposals"), sum("confident"), sum("confidence_micro") FROM "event_attribution_facts" GROUP BY 1, 2;
INSERT INTO "event_ingest_rollup" ("day", "log", "requests", "received", "rejected")
SELECT "day", "log", sum("requests"), sum("received"), sum("rejected") FROM "event_ingest_facts" GROUP BY 1, 2;
INSERT INTO "event_log_latest" ("log", "written_at") SELECT "log", max("written_at") FROM "event_log_rows" GROUP BY 1;

-- Read-only for the app: only the drain and the triggers write these.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "event_report_facts", "event_stage_rollup", "event_report_dirty", "event_attribution_rollup", "event_ingest_rollup", "event_log_latest" FROM sentinel_app;
GRANT SELECT ON "event_report_facts", "event_stage_rollup", "event_attribution_rollup", "event_ingest_rollup", "event_log_latest",
  "event_report_source", "event_stage_facts", "event_attribution_facts", "event_ingest_facts" TO sentinel_app;
REVOKE ALL ON FUNCTION "event_report_rollup_drain"(), "event_log_rows_governance"(), "event_ingest_rollup_add"(), "event_stage_rollup_apply"("event_report_facts"[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "event_report_rollup_drain"() TO sentinel_app;
