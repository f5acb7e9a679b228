-- AlterTable
ALTER TABLE "service" ADD COLUMN     "session_slots" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

-- Hand-written: the London weekday and hour of each entry's sessions that are not cancelled (isodow * 24 + hour,
-- distinct), kept by the importer beside has_sessions, so that "on Friday evenings" is an indexed condition on the
-- entry before any of its sessions is read. Search still checks the sessions of the entries it passes.
UPDATE "service" s SET "session_slots" = ARRAY(
  SELECT DISTINCT (extract(isodow FROM (o."start" AT TIME ZONE 'Europe/London')) * 24
    + extract(hour FROM (o."start" AT TIME ZONE 'Europe/London')))::int
  FROM "occurrence" o WHERE o."service_id" = s."id" AND o."status" <> 'cancelled' ORDER BY 1)
WHERE s."has_sessions";
CREATE INDEX "service_session_slots_idx" ON "service" USING GIN ("session_slots");
