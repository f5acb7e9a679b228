-- Hand-written: venues written after the trigram index on their names and addresses was built went to its pending
-- list, which every venue lookup reads in full (the embedded store has no autovacuum to merge it): 0.1 s a lookup at
-- 5,000 venues, and the planner, costing those pages, read the whole table instead. Venues are written rarely and
-- looked up on many questions, so they go straight into the index, and what is pending now is merged.
ALTER INDEX "location_place_text_trgm_idx" SET (fastupdate = off);
SELECT gin_clean_pending_list('location_place_text_trgm_idx');
