-- Hand-written: search no longer reads the sessions' London hour and weekday through an index. Each entry's
-- session_slots (GIN-indexed) picks the entries with a session at the day and time asked for, and their sessions are
-- then read by (service_id, start). What the two expression indexes still gave was their statistics: how many
-- sessions fall on a Friday or in the morning, without which the planner guesses a handful and scans a whole date
-- range of sessions instead. Extended statistics on the same expressions keep those estimates (ANALYZE fills them, as
-- it filled the indexes' own), at no cost to each session written: an import no longer builds or updates two
-- indexes that convert every session's start to London time.
DROP INDEX IF EXISTS "occurrence_local_hour_idx";
DROP INDEX IF EXISTS "occurrence_local_isodow_idx";
CREATE STATISTICS IF NOT EXISTS "occurrence_local_time_stats"
  ON (extract(isodow FROM ("start" AT TIME ZONE 'Europe/London'))), (extract(hour FROM ("start" AT TIME ZONE 'Europe/London')))
  FROM "occurrence";
