-- Hand-written: "in the evening", "on Tuesdays" are asked in London time. Indexing the local hour and weekday of
-- each session lets a search find the few sessions that fit instead of probing every matching entry's sessions.
CREATE INDEX "occurrence_local_hour_idx" ON "occurrence" ((extract(hour FROM ("start" AT TIME ZONE 'Europe/London'))), "start");
CREATE INDEX "occurrence_local_isodow_idx" ON "occurrence" ((extract(isodow FROM ("start" AT TIME ZONE 'Europe/London'))), "start");
