-- Hand-written (expression indexes are invisible to the schema comparison; see docs/migrations.md).

-- Ctrl+K finds records and reports by a prefix of their id, in any case:
-- `lower(id) LIKE lower(prefix) || '%'` needs the pattern operator class (the primary key's
-- btree follows the database's collation, which LIKE cannot use), and walking the index in
-- `~<~` order gives the first matches without sorting every one.
CREATE INDEX "scored_records_record_id_prefix_idx" ON "scored_records" (lower("record_id") text_pattern_ops);
CREATE INDEX "event_log_rows_report_id_prefix_idx" ON "event_log_rows" (lower("report_id") text_pattern_ops);
