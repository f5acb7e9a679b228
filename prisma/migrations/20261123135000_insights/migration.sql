
-- CreateTable
CREATE TABLE "search_stat" (
    "id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "wards" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "audiences" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "access" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "languages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "days" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "time_of_day" TEXT,
    "result_count" INTEGER NOT NULL,
    "relaxed" BOOLEAN NOT NULL DEFAULT false,
    "no_results" BOOLEAN NOT NULL DEFAULT false,
    "platform" TEXT,

    CONSTRAINT "search_stat_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "result_event" (
    "id" UUID NOT NULL,
    "entry_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "result_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "redacted_question" (
    "id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "text" TEXT NOT NULL,
    "no_results" BOOLEAN NOT NULL DEFAULT false,
    "relaxed" BOOLEAN NOT NULL DEFAULT false,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "redacted_question_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "entry_flag" (
    "id" UUID NOT NULL,
    "entry_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "note" TEXT,
    "reporter_platform" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "notified_at" TIMESTAMPTZ(3),

    CONSTRAINT "entry_flag_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "search_stat_hour_idx" ON "search_stat"("hour");

-- CreateIndex
CREATE INDEX "result_event_hour_idx" ON "result_event"("hour");

-- CreateIndex
CREATE INDEX "result_event_entry_id_idx" ON "result_event"("entry_id");

-- CreateIndex
CREATE INDEX "redacted_question_expires_at_idx" ON "redacted_question"("expires_at");

-- CreateIndex
CREATE INDEX "entry_flag_status_created_at_idx" ON "entry_flag"("status", "created_at");

-- CreateIndex
CREATE INDEX "entry_flag_entry_id_idx" ON "entry_flag"("entry_id");


-- Hand-written: database-side ids (rows are inserted with plain SQL).
ALTER TABLE "search_stat" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();
ALTER TABLE "result_event" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();
ALTER TABLE "redacted_question" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();
ALTER TABLE "entry_flag" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();
