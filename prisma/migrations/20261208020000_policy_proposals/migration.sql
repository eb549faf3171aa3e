-- CreateTable
CREATE TABLE "policy_proposals" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "snapshot_id" TEXT NOT NULL,
    "base_snapshot_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'proposed',
    "reason" TEXT NOT NULL,
    "proposed_by" UUID NOT NULL,
    "proposed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "proposed_seq" BIGINT NOT NULL,
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(6),
    "decided_seq" BIGINT,
    "decision_reason" TEXT,

    CONSTRAINT "policy_proposals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "policy_proposals_snapshot_id_idx" ON "policy_proposals"("snapshot_id");

-- AddForeignKey
ALTER TABLE "policy_proposals" ADD CONSTRAINT "policy_proposals_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "policy_snapshots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

ALTER TABLE "policy_proposals" ADD CONSTRAINT "policy_proposals_kind_check" CHECK ("kind" IN ('change', 'rollback'));
ALTER TABLE "policy_proposals" ADD CONSTRAINT "policy_proposals_status_check" CHECK ("status" IN ('proposed', 'approved', 'rejected'));
-- A decision names who and when, and is never the proposer's own (two people, governance spec §4).
ALTER TABLE "policy_proposals" ADD CONSTRAINT "policy_proposals_decided_check"
  CHECK (("status" = 'proposed') = ("decided_by" IS NULL AND "decided_at" IS NULL AND "decided_seq" IS NULL) AND "decided_by" IS DISTINCT FROM "proposed_by");
-- One waiting proposal per snapshot.
CREATE UNIQUE INDEX "policy_proposals_one_waiting_idx" ON "policy_proposals" ("snapshot_id") WHERE "status" = 'proposed';

-- Proposals are decided, never removed: their history is the policy's.
REVOKE DELETE, TRUNCATE ON "policy_proposals" FROM sentinel_app;
