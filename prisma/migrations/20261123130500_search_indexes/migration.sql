-- Search: find an entry's next occurrences without scanning them all, and filter venues by access features and
-- services by language, audience and format through GIN indexes on their arrays.
CREATE INDEX IF NOT EXISTS "occurrence_service_id_start_idx" ON "occurrence" ("service_id", "start");
CREATE INDEX IF NOT EXISTS "service_location_id_idx" ON "service" ("location_id");
CREATE INDEX IF NOT EXISTS "location_accessibility_idx" ON "location" USING GIN ("accessibility");
CREATE INDEX IF NOT EXISTS "service_languages_idx" ON "service" USING GIN ("languages");
CREATE INDEX IF NOT EXISTS "service_audiences_idx" ON "service" USING GIN ("audiences");
CREATE INDEX IF NOT EXISTS "service_attending_types_idx" ON "service" USING GIN ("attending_types");
