-- CreateTable
CREATE TABLE "event_log_ingests" (
    "id" BIGSERIAL NOT NULL,
    "log" TEXT NOT NULL,
    "token_id" UUID,
    "received" INTEGER NOT NULL,
    "accepted" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "event_log_ingests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "event_log_ingests_created_at_idx" ON "event_log_ingests"("created_at");
