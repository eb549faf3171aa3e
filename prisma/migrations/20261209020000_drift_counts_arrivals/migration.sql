-- Drift compares what arrives with the reference data: a result version that a release or
-- a policy activation wrote (cause_seq set) gates a record already counted when it arrived,
-- so it is not counted again. Rows written before cause_seq existed have none and stay
-- counted, in the view and in the rollup alike.
CREATE OR REPLACE VIEW "drift_facts" AS
SELECT (r."created_at" AT TIME ZONE 'UTC')::date AS "day", b."variable", b."bin"
FROM "gating_results" r CROSS JOIN LATERAL "drift_result_bins"(r."input", r."p_model") b
WHERE r."cause_seq" IS NULL;

CREATE OR REPLACE FUNCTION "drift_rollup_results"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO "drift_rollup" ("day", "variable", "bin", "n")
  SELECT (r."created_at" AT TIME ZONE 'UTC')::date, b."variable", b."bin", count(*)
  FROM "new_results" r CROSS JOIN LATERAL "drift_result_bins"(r."input", r."p_model") b
  WHERE r."cause_seq" IS NULL
  GROUP BY 1, 2, 3
  ON CONFLICT ("day", "variable", "bin") DO UPDATE SET "n" = "drift_rollup"."n" + EXCLUDED."n";
  RETURN NULL;
END $$;

-- Versions re-gated since cause_seq arrived (before this migration) leave the rollup.
WITH regated AS (
  SELECT (r."created_at" AT TIME ZONE 'UTC')::date AS "day", b."variable", b."bin", count(*) AS n
  FROM "gating_results" r CROSS JOIN LATERAL "drift_result_bins"(r."input", r."p_model") b
  WHERE r."cause_seq" IS NOT NULL
  GROUP BY 1, 2, 3
)
UPDATE "drift_rollup" d SET "n" = d."n" - g.n FROM regated g WHERE d."day" = g."day" AND d."variable" = g."variable" AND d."bin" = g."bin";
DELETE FROM "drift_rollup" WHERE "n" = 0;
