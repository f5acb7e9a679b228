-- AlterTable
ALTER TABLE "service" ADD COLUMN     "has_sessions" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "sessions_until" TIMESTAMPTZ(3);


-- Hand-written: fill the new columns for what is already stored.
UPDATE "service" s SET
  "has_sessions" = EXISTS (SELECT 1 FROM "occurrence" o WHERE o."service_id" = s."id"),
  "sessions_until" = (SELECT max(o."end") FROM "occurrence" o WHERE o."service_id" = s."id" AND o."status" <> 'cancelled');
