-- AlterTable
ALTER TABLE "source" ADD COLUMN     "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "last_event_count" INTEGER,
ADD COLUMN     "last_fetch_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_fetch_outcome" TEXT,
ADD COLUMN     "next_fetch_at" TIMESTAMPTZ(3),
ADD COLUMN     "refresh_minutes" INTEGER;

-- CreateTable
CREATE TABLE "digest_subscription" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "platform" TEXT NOT NULL,
    "channel_ref" TEXT NOT NULL,
    "workspace" TEXT,
    "schedule" TEXT NOT NULL,
    "when_text" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'Europe/London',
    "filters" JSONB NOT NULL DEFAULT '{}',
    "mode" TEXT NOT NULL DEFAULT 'both',
    "created_by" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_run_at" TIMESTAMPTZ(3),
    "last_period" TEXT,
    "last_sent_at" TIMESTAMPTZ(3),
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_error_at" TIMESTAMPTZ(3),

    CONSTRAINT "digest_subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "digest_run" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "subscription_id" UUID NOT NULL,
    "period_key" TEXT NOT NULL,
    "scheduled_for" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "late" BOOLEAN NOT NULL DEFAULT false,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "items" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "digest_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_item" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "dedupe_key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_ref" TEXT NOT NULL,
    "workspace" TEXT NOT NULL DEFAULT '',
    "reply" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "digest_run_id" UUID,

    CONSTRAINT "delivery_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_lane" (
    "key" TEXT NOT NULL,
    "owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "paused_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_lane_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "digest_subscription_active_idx" ON "digest_subscription"("active");

-- CreateIndex
CREATE INDEX "digest_run_status_idx" ON "digest_run"("status");

-- CreateIndex
CREATE UNIQUE INDEX "digest_run_subscription_id_period_key_key" ON "digest_run"("subscription_id", "period_key");

-- CreateIndex
CREATE UNIQUE INDEX "delivery_item_dedupe_key_key" ON "delivery_item"("dedupe_key");

-- CreateIndex
CREATE INDEX "delivery_item_status_next_attempt_at_idx" ON "delivery_item"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "delivery_item_platform_workspace_status_idx" ON "delivery_item"("platform", "workspace", "status");

-- AddForeignKey
ALTER TABLE "digest_run" ADD CONSTRAINT "digest_run_subscription_id_fkey" FOREIGN KEY ("subscription_id") REFERENCES "digest_subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery_item" ADD CONSTRAINT "delivery_item_digest_run_id_fkey" FOREIGN KEY ("digest_run_id") REFERENCES "digest_run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

