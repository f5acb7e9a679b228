-- Hand-written: rows written while a GIN index exists go to its pending list, which every scan of the index reads in
-- full until it is merged. A server's autovacuum merges it; the embedded store has no autovacuum, so it grew to the
-- 4 MB default limit (a search's language, audience or word lookup took 2 ms instead of 0.2 ms at 5,000 entries).
-- The limit is set to its smallest (64 kB), so the writer merges it soon, and what is pending now is merged. Imports
-- on the embedded store also merge it when they finish (mergePendingIndexEntries in src/db/bulk-load.ts).
ALTER INDEX "service_search_vector_idx" SET (gin_pending_list_limit = 64);
ALTER INDEX "service_name_trgm_idx" SET (gin_pending_list_limit = 64);
ALTER INDEX "service_languages_idx" SET (gin_pending_list_limit = 64);
ALTER INDEX "service_audiences_idx" SET (gin_pending_list_limit = 64);
ALTER INDEX "service_attending_types_idx" SET (gin_pending_list_limit = 64);
ALTER INDEX "service_session_slots_idx" SET (gin_pending_list_limit = 64);
ALTER INDEX "location_name_trgm_idx" SET (gin_pending_list_limit = 64);
ALTER INDEX "location_accessibility_idx" SET (gin_pending_list_limit = 64);
ALTER INDEX "organization_name_trgm_idx" SET (gin_pending_list_limit = 64);
SELECT gin_clean_pending_list(i.indexrelid)
FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
WHERE a.amname = 'gin' AND i.indrelid IN ('service'::regclass, 'location'::regclass, 'organization'::regclass);
