-- AlterTable
ALTER TABLE "ledger_checkpoints" ADD COLUMN     "root_hash" TEXT;

-- CreateTable
CREATE TABLE "ledger_identity" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "log_id" UUID NOT NULL DEFAULT gen_random_uuid(),

    CONSTRAINT "ledger_identity_pkey" PRIMARY KEY ("id")
);

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- A tree head's root is 64 lowercase hex, like every hash of the log. Rows signed before
-- tree heads keep a null root and their older signed message (never rewritten).
ALTER TABLE "ledger_checkpoints" ADD CONSTRAINT "ledger_checkpoints_root_hash_hex" CHECK ("root_hash" IS NULL OR "root_hash" ~ '^[0-9a-f]{64}$');

-- The log's identity: one row, written here once and never changed. It names the witness
-- file outside the database (lib/data/witness.ts). A UUID stored with the data is dumped
-- and restored with the log, so a restored log still meets its own witness file; the
-- server's system identifier would change on restore (and a recreated database of the same
-- name would meet a stale file). A fresh database gets a fresh identity.
ALTER TABLE "ledger_identity" ADD CONSTRAINT "ledger_identity_one_row" CHECK ("id" = 1);
INSERT INTO "ledger_identity" ("id") VALUES (1);
CREATE TRIGGER "ledger_identity_no_update_delete" BEFORE UPDATE OR DELETE ON "ledger_identity" FOR EACH ROW EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "ledger_identity_no_truncate" BEFORE TRUNCATE ON "ledger_identity" FOR EACH STATEMENT EXECUTE FUNCTION "edit_log_refuse"();
REVOKE ALL ON "ledger_identity" FROM sentinel_app;
GRANT SELECT ON "ledger_identity" TO sentinel_app;
