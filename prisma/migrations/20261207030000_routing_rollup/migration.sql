-- CreateTable
CREATE TABLE "routing_rollup" (
    "day" DATE NOT NULL,
    "policy_id" TEXT NOT NULL,
    "results" INTEGER NOT NULL DEFAULT 0,
    "audit" INTEGER NOT NULL DEFAULT 0,
    "fragile" INTEGER NOT NULL DEFAULT 0,
    "caps" INTEGER NOT NULL DEFAULT 0,
    "single" INTEGER NOT NULL DEFAULT 0,
    "single_auto" INTEGER NOT NULL DEFAULT 0,
    "single_fragile" INTEGER NOT NULL DEFAULT 0,
    "single_fragile_auto" INTEGER NOT NULL DEFAULT 0,
    "canary" INTEGER NOT NULL DEFAULT 0,
    "canary_auto" INTEGER NOT NULL DEFAULT 0,
    "batches" INTEGER NOT NULL DEFAULT 0,
    "held_batches" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "routing_rollup_pkey" PRIMARY KEY ("day","policy_id")
);

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- What routing health counts, from the base tables: one row per gating result (every
-- version, on the UTC day it was gated, under the policy that gated it; n == 1 means a
-- batch of one record) and one row per ingested batch (held at ingest or not). This view
-- is the rollup's definition: the statement triggers below add each ingest's rows, the
-- backfill adds all of them, and the tests compare the rollup with a GROUP BY over it.
CREATE VIEW "routing_facts" AS
SELECT (r."created_at" AT TIME ZONE 'UTC')::date AS "day", r."policy_id",
       1 AS "results", (r."route" = 'audit')::integer AS "audit", r."fragile"::integer AS "fragile",
       ('CAPS_TRIGGERED' = ANY (r."flags"))::integer AS "caps",
       (b."size" = 1)::integer AS "single", (b."size" = 1 AND r."route" = 'auto')::integer AS "single_auto",
       (b."size" = 1 AND r."fragile")::integer AS "single_fragile", (b."size" = 1 AND r."fragile" AND r."route" = 'auto')::integer AS "single_fragile_auto",
       ('CANARY' = ANY (r."reason_codes"))::integer AS "canary", ('CANARY' = ANY (r."reason_codes") AND r."route" = 'auto')::integer AS "canary_auto",
       0 AS "batches", 0 AS "held_batches"
FROM "gating_results" r JOIN "ingest_batches" b ON b."id" = r."batch_id"
UNION ALL
SELECT (b."created_at" AT TIME ZONE 'UTC')::date, b."policy_id", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, b."held"::integer
FROM "ingest_batches" b;

-- One aggregated upsert per INSERT statement (an ingest writes its results in one), in the
-- ingest's transaction: the figures move with the rows they count, or not at all.
CREATE FUNCTION "routing_rollup_results"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO "routing_rollup" ("day", "policy_id", "results", "audit", "fragile", "caps", "single", "single_auto", "single_fragile", "single_fragile_auto", "canary", "canary_auto")
  SELECT (r."created_at" AT TIME ZONE 'UTC')::date, r."policy_id", count(*),
         count(*) FILTER (WHERE r."route" = 'audit'), count(*) FILTER (WHERE r."fragile"),
         count(*) FILTER (WHERE 'CAPS_TRIGGERED' = ANY (r."flags")),
         count(*) FILTER (WHERE b."size" = 1), count(*) FILTER (WHERE b."size" = 1 AND r."route" = 'auto'),
         count(*) FILTER (WHERE b."size" = 1 AND r."fragile"), count(*) FILTER (WHERE b."size" = 1 AND r."fragile" AND r."route" = 'auto'),
         count(*) FILTER (WHERE 'CANARY' = ANY (r."reason_codes")), count(*) FILTER (WHERE 'CANARY' = ANY (r."reason_codes") AND r."route" = 'auto')
  FROM "new_results" r JOIN "ingest_batches" b ON b."id" = r."batch_id"
  GROUP BY 1, 2
  ON CONFLICT ("day", "policy_id") DO UPDATE SET
    "results" = "routing_rollup"."results" + EXCLUDED."results",
    "audit" = "routing_rollup"."audit" + EXCLUDED."audit",
    "fragile" = "routing_rollup"."fragile" + EXCLUDED."fragile",
    "caps" = "routing_rollup"."caps" + EXCLUDED."caps",
    "single" = "routing_rollup"."single" + EXCLUDED."single",
    "single_auto" = "routing_rollup"."single_auto" + EXCLUDED."single_auto",
    "single_fragile" = "routing_rollup"."single_fragile" + EXCLUDED."single_fragile",
    "single_fragile_auto" = "routing_rollup"."single_fragile_auto" + EXCLUDED."single_fragile_auto",
    "canary" = "routing_rollup"."canary" + EXCLUDED."canary",
    "canary_auto" = "routing_rollup"."canary_auto" + EXCLUDED."canary_auto";
  RETURN NULL;
END $$;
CREATE TRIGGER "gating_results_routing_rollup" AFTER INSERT ON "gating_results"
  REFERENCING NEW TABLE AS "new_results" FOR EACH STATEMENT EXECUTE FUNCTION "routing_rollup_results"();

CREATE FUNCTION "routing_rollup_batches"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO "routing_rollup" ("day", "policy_id", "batches", "held_batches")
  SELECT (b."created_at" AT TIME ZONE 'UTC')::date, b."policy_id", count(*), count(*) FILTER (WHERE b."held")
  FROM "new_batches" b GROUP BY 1, 2
  ON CONFLICT ("day", "policy_id") DO UPDATE SET
    "batches" = "routing_rollup"."batches" + EXCLUDED."batches",
    "held_batches" = "routing_rollup"."held_batches" + EXCLUDED."held_batches";
  RETURN NULL;
END $$;
CREATE TRIGGER "ingest_batches_routing_rollup" AFTER INSERT ON "ingest_batches"
  REFERENCING NEW TABLE AS "new_batches" FOR EACH STATEMENT EXECUTE FUNCTION "routing_rollup_batches"();

INSERT INTO "routing_rollup" ("day", "policy_id", "results", "audit", "fragile", "caps", "single", "single_auto", "single_fragile", "single_fragile_auto", "canary", "canary_auto", "batches", "held_batches")
SELECT "day", "policy_id", sum("results"), sum("audit"), sum("fragile"), sum("caps"), sum("single"), sum("single_auto"), sum("single_fragile"), sum("single_fragile_auto"), sum("canary"), sum("canary_auto"), sum("batches"), sum("held_batches")
FROM "routing_facts" GROUP BY 1, 2;

-- Read-only for the app: only the triggers write it.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "routing_rollup" FROM sentinel_app;
GRANT SELECT ON "routing_rollup", "routing_facts" TO sentinel_app;
REVOKE ALL ON FUNCTION "routing_rollup_results"(), "routing_rollup_batches"() FROM PUBLIC;
