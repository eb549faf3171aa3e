-- CreateTable
CREATE TABLE "model_cards" (
    "id" UUID NOT NULL,
    "model" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "config_hash" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "body" JSONB NOT NULL,
    "body_hash" TEXT NOT NULL,
    "token_id" UUID,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_cards_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "model_cards_created_at_idx" ON "model_cards"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "model_cards_model_version_key" ON "model_cards"("model", "version");

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- Append-only: a card, once registered, is what it was (a changed figure is a new version);
-- promotion and rollback are edit-log entries about the model, never edits of a card.
CREATE TRIGGER "model_cards_no_update_delete" BEFORE UPDATE OR DELETE ON "model_cards" FOR EACH ROW EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "model_cards_no_truncate" BEFORE TRUNCATE ON "model_cards" FOR EACH STATEMENT EXECUTE FUNCTION "edit_log_refuse"();
REVOKE ALL ON "model_cards" FROM sentinel_app;
GRANT SELECT, INSERT ON "model_cards" TO sentinel_app;
