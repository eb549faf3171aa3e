-- CreateTable
CREATE TABLE "alerts" (
    "id" BIGSERIAL NOT NULL,
    "rule" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "raised_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledged_seq" BIGINT,
    "acknowledged_by" UUID,
    "acknowledged_at" TIMESTAMPTZ(6),

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "alerts_rule_key_key" ON "alerts"("rule", "key");

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).
-- Acknowledged once: the acknowledgement (its edit-log entry, who, when) is set from null
-- and never changed; an alert is never removed.
CREATE FUNCTION "alerts_acknowledged_once"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'alerts are kept: DELETE is refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD."acknowledged_seq" IS NOT NULL AND (NEW."acknowledged_seq" IS DISTINCT FROM OLD."acknowledged_seq" OR NEW."acknowledged_by" IS DISTINCT FROM OLD."acknowledged_by" OR NEW."acknowledged_at" IS DISTINCT FROM OLD."acknowledged_at") THEN
    RAISE EXCEPTION 'alert % was already acknowledged (edit-log entry %)', OLD."id", OLD."acknowledged_seq" USING ERRCODE = 'SR409';
  END IF;
  IF NEW."rule" IS DISTINCT FROM OLD."rule" OR NEW."key" IS DISTINCT FROM OLD."key" OR NEW."raised_at" IS DISTINCT FROM OLD."raised_at" THEN
    RAISE EXCEPTION 'an alert''s rule, key and raising time do not change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "alerts_guard" BEFORE UPDATE OR DELETE ON "alerts" FOR EACH ROW EXECUTE FUNCTION "alerts_acknowledged_once"();
REVOKE DELETE, TRUNCATE ON "alerts" FROM sentinel_app;
