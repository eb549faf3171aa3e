-- CreateTable
CREATE TABLE "record_labels" (
    "id" BIGSERIAL NOT NULL,
    "record_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "label" BOOLEAN NOT NULL,
    "observed_at" TIMESTAMPTZ(6) NOT NULL,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "token_id" UUID,

    CONSTRAINT "record_labels_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "record_labels_received_at_idx" ON "record_labels"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "record_labels_record_id_source_key" ON "record_labels"("record_id", "source");

-- AddForeignKey
ALTER TABLE "record_labels" ADD CONSTRAINT "record_labels_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "scored_records"("record_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- Label feedback is append-only: a label once received is never changed or removed (a
-- contradicting one from the same source is refused by the app with a 409). The trigger
-- binds the owner too; the app's role loses the rights as well.
CREATE FUNCTION "record_labels_refuse"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'record_labels is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER "record_labels_no_update_delete" BEFORE UPDATE OR DELETE ON "record_labels" FOR EACH ROW EXECUTE FUNCTION "record_labels_refuse"();
CREATE TRIGGER "record_labels_no_truncate" BEFORE TRUNCATE ON "record_labels" FOR EACH STATEMENT EXECUTE FUNCTION "record_labels_refuse"();
REVOKE UPDATE, DELETE, TRUNCATE ON "record_labels" FROM sentinel_app;

-- A label is a closed fact: a non-empty source of at most 64 characters.
ALTER TABLE "record_labels" ADD CONSTRAINT "record_labels_source_check" CHECK ("source" ~ '^[A-Za-z0-9_.:-]{1,64}$');
