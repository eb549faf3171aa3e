-- What the events list draws of each event, kept with its roll-up, so a list page reads one
-- table instead of hydrating every member report of its fifty events.
ALTER TABLE "event_current" ADD COLUMN "list_row" JSONB;

-- Back-fill: every report goes stale once more; the app's first read or write rebuilds the
-- reports in batches and, with them, their events' rows (list_row included).
UPDATE "event_report_current" SET "sources" = NULL;
