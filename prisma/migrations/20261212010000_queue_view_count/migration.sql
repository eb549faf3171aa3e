-- The audit queue's "N in view" count (exact up to 10,000): every filter of an open view
-- is a column of this index, so the count reads the index alone (with the visibility map)
-- instead of visiting up to 10,001 rows of the table. At 1,000,000 results the filtered
-- count fell from about 150 ms (a bitmap over the flag's rows, then the heap) to about
-- 8 ms. Clustered views range-scan the key; the others scan it in order until the cap.
-- Hand-written: the schema comparison cannot express a partial index with INCLUDE.
CREATE INDEX "queue_view_count_idx" ON "gating_results" ("cluster_id")
  INCLUDE ("flags", "reason_codes", "batch_id", "scorer_version", "fragile", "confidence", "fragility_score")
  WHERE "current" AND "route" = 'audit' AND "review_seq" IS NULL;
