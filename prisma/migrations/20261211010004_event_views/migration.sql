-- CreateTable
CREATE TABLE "event_report_current" (
    "report_id" TEXT NOT NULL,
    "event_id" TEXT,
    "sources" JSONB,
    "store_id" TEXT,
    "retailer" TEXT,
    "city" TEXT,
    "sku" TEXT,
    "cluster_id" TEXT,
    "window_start" TIMESTAMPTZ(6),
    "degraded_after" TIMESTAMPTZ(6),
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_report_current_pkey" PRIMARY KEY ("report_id")
);

-- CreateTable
CREATE TABLE "event_current" (
    "event_id" TEXT NOT NULL,
    "report_group_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "priority" TEXT NOT NULL,
    "priority_rank" SMALLINT NOT NULL,
    "confidence" DOUBLE PRECISION,
    "cause_category" TEXT NOT NULL,
    "cause_label" TEXT,
    "machine_cause_label" TEXT,
    "window_start" TIMESTAMPTZ(6) NOT NULL,
    "report_count" INTEGER NOT NULL,
    "uplift_sum" DOUBLE PRECISION,
    "degraded_after" TIMESTAMPTZ(6),
    "decided_by_id" TEXT,
    "search_text" TEXT NOT NULL DEFAULT '',
    "retailers" TEXT NOT NULL DEFAULT '',
    "stores" TEXT NOT NULL DEFAULT '',
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_current_pkey" PRIMARY KEY ("event_id")
);

-- CreateIndex
CREATE INDEX "event_report_current_event_id_idx" ON "event_report_current"("event_id");

-- CreateIndex
CREATE INDEX "event_current_priority_rank_window_start_event_id_idx" ON "event_current"("priority_rank", "window_start", "event_id");

-- CreateIndex
CREATE INDEX "event_current_window_start_event_id_idx" ON "event_current"("window_start", "event_id");

-- CreateIndex
CREATE INDEX "event_current_status_priority_rank_window_start_event_id_idx" ON "event_current"("status", "priority_rank", "window_start", "event_id");

-- Back-fill: every report already ingested starts stale (sources null); the app's
-- refreshStaleEventViews (lib/data/events/current.ts) hydrates them with the pure core,
-- in batches, before the first read of the current tables.
INSERT INTO "event_report_current" ("report_id") SELECT DISTINCT "report_id" FROM "event_log_rows";
CREATE INDEX "event_report_current_stale_idx" ON "event_report_current" ("report_id") WHERE "sources" IS NULL;

-- CreateIndex
CREATE INDEX "event_current_decided_by_id_idx" ON "event_current"("decided_by_id");
