-- CreateTable
CREATE TABLE "booking" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "occurrence_id" UUID NOT NULL,
    "platform" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "display_name" TEXT,
    "email" TEXT,
    "status" TEXT NOT NULL,
    "waitlisted_at" TIMESTAMPTZ(3),
    "offered_at" TIMESTAMPTZ(3),
    "offer_expires_at" TIMESTAMPTZ(3),
    "confirmed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "late_cancellation" BOOLEAN NOT NULL DEFAULT false,
    "attended" BOOLEAN,
    "attendance_marked_at" TIMESTAMPTZ(3),
    "reminder_sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "booking_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "booking_occurrence_id_status_idx" ON "booking"("occurrence_id", "status");

-- CreateIndex
CREATE INDEX "booking_platform_user_id_idx" ON "booking"("platform", "user_id");

-- AddForeignKey
ALTER TABLE "booking" ADD CONSTRAINT "booking_occurrence_id_fkey" FOREIGN KEY ("occurrence_id") REFERENCES "occurrence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Hand-written: database-side ids, and at most one live booking per person per session (a double click is one
-- booking, also across several server instances).
ALTER TABLE "booking" ALTER COLUMN "id" SET DEFAULT gen_random_uuid();
CREATE UNIQUE INDEX "booking_one_live_per_person" ON "booking" ("occurrence_id", "platform", "user_id")
  WHERE "status" IN ('confirmed', 'waitlisted', 'offered');
