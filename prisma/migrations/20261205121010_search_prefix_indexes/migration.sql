-- CreateIndex
CREATE INDEX "event_log_rows_report_id_prefix_idx" ON "event_log_rows"("report_id" text_pattern_ops);

-- CreateIndex
CREATE INDEX "scored_records_record_id_prefix_idx" ON "scored_records"("record_id" text_pattern_ops);
