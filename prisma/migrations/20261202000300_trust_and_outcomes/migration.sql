-- AlterTable
ALTER TABLE "service" ADD COLUMN     "trust_mark" TEXT;

-- CreateTable
CREATE TABLE "pending_follow_up" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "entry_id" UUID NOT NULL,
    "via" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "user_ref" TEXT,
    "channel_ref" TEXT,
    "workspace" TEXT,
    "share_month" DATE NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    "outcome" TEXT,

    CONSTRAINT "pending_follow_up_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow_up_opt_out" (
    "platform" TEXT NOT NULL,
    "user_ref" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "follow_up_opt_out_pkey" PRIMARY KEY ("platform","user_ref")
);

-- CreateTable
CREATE TABLE "outcome_count" (
    "entry_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "shared" INTEGER NOT NULL DEFAULT 0,
    "went" INTEGER NOT NULL DEFAULT 0,
    "didnt_go" INTEGER NOT NULL DEFAULT 0,
    "unsuitable" INTEGER NOT NULL DEFAULT 0,
    "reasons" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "outcome_count_pkey" PRIMARY KEY ("entry_id","month")
);

-- CreateTable
CREATE TABLE "closed_answer_tally" (
    "entry_id" UUID NOT NULL,
    "answers" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "closed_answer_tally_pkey" PRIMARY KEY ("entry_id")
);

-- CreateIndex
CREATE INDEX "pending_follow_up_due_at_idx" ON "pending_follow_up"("due_at");

-- CreateIndex
CREATE INDEX "pending_follow_up_expires_at_idx" ON "pending_follow_up"("expires_at");

-- CreateIndex
CREATE INDEX "outcome_count_month_idx" ON "outcome_count"("month");
