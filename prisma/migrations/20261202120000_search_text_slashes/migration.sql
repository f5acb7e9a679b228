-- Hand-written: a slash between words is read as a space when listings are indexed. PostgreSQL's text-search parser
-- reads "clubs/choir" or "painting/drawing" as one file-path token, so taxonomies that join terms with slashes (211's
-- "glee clubs/choir groups", "food stamps/snap", "aids/hiv/std prevention supplies") hid those words from search.
CREATE OR REPLACE FUNCTION signpost_join(text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT translate(coalesce(array_to_string($1, ' '), ''), '/', ' ') $$;

DROP INDEX IF EXISTS "service_search_vector_idx";
ALTER TABLE "service" DROP COLUMN IF EXISTS "search_vector";
ALTER TABLE "service" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('signpost'::regconfig, translate(coalesce("name", ''), '/', ' ')), 'A') ||
  setweight(to_tsvector('signpost'::regconfig, signpost_join("categories")), 'B') ||
  setweight(to_tsvector('simple'::regconfig, signpost_join("audiences") || ' ' || signpost_join(array_remove("languages", 'english'))), 'B') ||
  setweight(to_tsvector('signpost'::regconfig, translate(coalesce("provided_by", ''), '/', ' ')), 'C') ||
  setweight(to_tsvector('signpost'::regconfig, translate(left(coalesce("description", ''), 20000), '/', ' ')), 'D')
) STORED;
CREATE INDEX "service_search_vector_idx" ON "service" USING GIN ("search_vector");
