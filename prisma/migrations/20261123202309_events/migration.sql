-- CreateTable
CREATE TABLE "event_log_rows" (
    "id" BIGSERIAL NOT NULL,
    "log" TEXT NOT NULL,
    "natural_key" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "report_id" TEXT NOT NULL,
    "content_hash" TEXT NOT NULL,
    "row" JSONB NOT NULL,
    "written_at" TIMESTAMPTZ(6) NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "token_id" UUID,

    CONSTRAINT "event_log_rows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "automation_configs" (
    "version" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "automation_configs_pkey" PRIMARY KEY ("version")
);

-- CreateIndex
CREATE INDEX "event_log_rows_report_id_idx" ON "event_log_rows"("report_id");

-- CreateIndex
CREATE INDEX "event_log_rows_log_written_at_idx" ON "event_log_rows"("log", "written_at");

-- CreateIndex
CREATE UNIQUE INDEX "event_log_rows_log_natural_key_version_key" ON "event_log_rows"("log", "natural_key", "version");

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- The machine logs and the automation versions are append-only for everyone (the owner
-- included, by trigger) and the app role holds no UPDATE / DELETE / TRUNCATE on them.
CREATE TRIGGER "event_log_rows_no_update_delete" BEFORE UPDATE OR DELETE ON "event_log_rows" FOR EACH ROW EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "event_log_rows_no_truncate" BEFORE TRUNCATE ON "event_log_rows" FOR EACH STATEMENT EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "automation_configs_no_update_delete" BEFORE UPDATE OR DELETE ON "automation_configs" FOR EACH ROW EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "automation_configs_no_truncate" BEFORE TRUNCATE ON "automation_configs" FOR EACH STATEMENT EXECUTE FUNCTION "edit_log_refuse"();
REVOKE UPDATE, DELETE, TRUNCATE ON "event_log_rows", "automation_configs" FROM sentinel_app;
ALTER TABLE "event_log_rows" ADD CONSTRAINT "event_log_rows_log_check" CHECK ("log" IN ('detected', 'clustered', 'attribution', 'ended', 'cohort'));
-- Cohort membership is looked up by group (an event's reports).
CREATE INDEX "event_log_rows_cohort_group_idx" ON "event_log_rows" (("row"->>'reportGroupId')) WHERE "log" = 'cohort';
