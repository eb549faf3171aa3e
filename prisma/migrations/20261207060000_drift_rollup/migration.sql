-- CreateTable
CREATE TABLE "drift_rollup" (
    "day" DATE NOT NULL,
    "variable" TEXT NOT NULL,
    "bin" SMALLINT NOT NULL,
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "drift_rollup_pkey" PRIMARY KEY ("day","variable","bin")
);

-- CreateTable
CREATE TABLE "drift_reference" (
    "policy_id" TEXT NOT NULL,
    "variable" TEXT NOT NULL,
    "bin" SMALLINT NOT NULL,
    "n" INTEGER NOT NULL,

    CONSTRAINT "drift_reference_pkey" PRIMARY KEY ("policy_id","variable","bin")
);

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- The bins (lib/governance/drift.ts has the same, and a test holds them equal): pModel in
-- twenty bins of 0.05 (1–20); a spend missing (0), exactly zero (1), in (0, 1] (2), then
-- half-decades (1, 3.16], (3.16, 10], … up to above 10^4.5 (12).
CREATE FUNCTION "drift_bin_probability"(p double precision) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p IS NULL THEN 0 ELSE 1 + least(greatest(floor(p * 20), 0), 19) END::smallint
$$;
CREATE FUNCTION "drift_bin_spend"(v double precision) RETURNS smallint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN 0 WHEN v <= 0 THEN 1 ELSE 2 + least(greatest(ceil(2 * log(v)), 0), 10) END::smallint
$$;

-- One gating result's bins, one row per variable: its pModel and its spends as received.
-- The input is parsed once per result (the OFFSET keeps the planner from repeating the
-- parse for each spend) and as json, which is cheaper than jsonb for a whole record.
CREATE FUNCTION "drift_result_bins"(input text, p_model double precision) RETURNS TABLE ("variable" text, "bin" smallint) LANGUAGE sql IMMUTABLE AS $$
  SELECT * FROM unnest(
    ARRAY['pModel', 'RoomService', 'FoodCourt', 'ShoppingMall', 'Spa', 'VRDeck'],
    (SELECT ARRAY["drift_bin_probability"(p_model),
                  "drift_bin_spend"((s->>'RoomService')::double precision), "drift_bin_spend"((s->>'FoodCourt')::double precision),
                  "drift_bin_spend"((s->>'ShoppingMall')::double precision), "drift_bin_spend"((s->>'Spa')::double precision),
                  "drift_bin_spend"((s->>'VRDeck')::double precision)]
     FROM (SELECT (input::json->'spend')::jsonb AS s OFFSET 0) i))
$$;

-- What drift counts, from the base tables: every gating result (each version, on the UTC
-- day it was gated) in one bin per variable. This view is the rollup's definition: the
-- statement trigger adds each ingest's rows, the backfill adds all of them, and a test
-- compares the rollup with a GROUP BY over it.
CREATE VIEW "drift_facts" AS
SELECT (r."created_at" AT TIME ZONE 'UTC')::date AS "day", b."variable", b."bin"
FROM "gating_results" r CROSS JOIN LATERAL "drift_result_bins"(r."input", r."p_model") b;

-- One aggregated upsert per INSERT statement, in the ingest's transaction.
CREATE FUNCTION "drift_rollup_results"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO "drift_rollup" ("day", "variable", "bin", "n")
  SELECT (r."created_at" AT TIME ZONE 'UTC')::date, b."variable", b."bin", count(*)
  FROM "new_results" r CROSS JOIN LATERAL "drift_result_bins"(r."input", r."p_model") b
  GROUP BY 1, 2, 3
  ON CONFLICT ("day", "variable", "bin") DO UPDATE SET "n" = "drift_rollup"."n" + EXCLUDED."n";
  RETURN NULL;
END $$;
CREATE TRIGGER "gating_results_drift_rollup" AFTER INSERT ON "gating_results"
  REFERENCING NEW TABLE AS "new_results" FOR EACH STATEMENT EXECUTE FUNCTION "drift_rollup_results"();

INSERT INTO "drift_rollup" ("day", "variable", "bin", "n")
SELECT "day", "variable", "bin", count(*) FROM "drift_facts" GROUP BY 1, 2, 3;

-- The rollup is read-only for the app (only the trigger writes it); a policy's reference
-- bins are written once, never changed.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "drift_rollup" FROM sentinel_app;
REVOKE UPDATE, DELETE, TRUNCATE ON "drift_reference" FROM sentinel_app;
GRANT SELECT ON "drift_rollup", "drift_facts" TO sentinel_app;
GRANT SELECT, INSERT ON "drift_reference" TO sentinel_app;
REVOKE ALL ON FUNCTION "drift_rollup_results"() FROM PUBLIC;
