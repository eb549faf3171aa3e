-- CreateTable
CREATE TABLE "model_promotions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "model" TEXT NOT NULL,
    "card_id" UUID NOT NULL,
    "from_card_id" UUID,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "reason" TEXT NOT NULL,
    "gauntlet_override" TEXT,
    "proposed_by" UUID NOT NULL,
    "proposed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "proposed_seq" BIGINT NOT NULL,
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(6),
    "decided_seq" BIGINT,
    "decision_reason" TEXT,

    CONSTRAINT "model_promotions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "model_promotions_model_proposed_at_idx" ON "model_promotions"("model", "proposed_at");

-- AddForeignKey
ALTER TABLE "model_promotions" ADD CONSTRAINT "model_promotions_card_id_fkey" FOREIGN KEY ("card_id") REFERENCES "model_cards"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "model_promotions" ADD CONSTRAINT "model_promotions_from_card_id_fkey" FOREIGN KEY ("from_card_id") REFERENCES "model_cards"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

ALTER TABLE "model_promotions" ADD CONSTRAINT "model_promotions_kind_check" CHECK ("kind" IN ('promote', 'rollback'));
ALTER TABLE "model_promotions" ADD CONSTRAINT "model_promotions_status_check" CHECK ("status" IN ('proposed', 'approved', 'rejected'));
-- A decision names who and when, and is never the proposer's own (two people).
ALTER TABLE "model_promotions" ADD CONSTRAINT "model_promotions_decided_check"
  CHECK (("status" = 'proposed') = ("decided_by" IS NULL AND "decided_at" IS NULL AND "decided_seq" IS NULL) AND "decided_by" IS DISTINCT FROM "proposed_by");
-- One waiting proposal per model: two would race for the same champion.
CREATE UNIQUE INDEX "model_promotions_one_waiting_idx" ON "model_promotions" ("model") WHERE "status" = 'proposed';

-- Proposals are decided, never removed: their history is the model's lineage.
REVOKE DELETE, TRUNCATE ON "model_promotions" FROM sentinel_app;

-- The edit-log actions about a model (lib/ledger/actions.ts), subject id = the model's name.
INSERT INTO "ledger_actions" ("subject_type", "action", "permission", "system_rule") VALUES
  ('model', 'propose_promotion', 'models:promote', NULL), ('model', 'propose_rollback', 'models:promote', NULL),
  ('model', 'approve', 'models:promote', NULL), ('model', 'reject', 'models:promote', NULL);
