-- Hand-written: one text-search configuration for listings and questions alike. `signpost` is English stemming with
-- accents folded first (café = cafe, crème = creme), so whatever is done to a listing's text at index time is done
-- to the question at query time. English, the language of nearly every listing, is not indexed as a word of its
-- languages ("English conversation" should not find every listing held in English).
CREATE EXTENSION IF NOT EXISTS unaccent;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'signpost') THEN
    CREATE TEXT SEARCH CONFIGURATION signpost (COPY = english);
    ALTER TEXT SEARCH CONFIGURATION signpost
      ALTER MAPPING FOR hword, hword_part, word, asciihword, asciiword, hword_asciipart WITH unaccent, english_stem;
  END IF;
END
$$;

DROP INDEX IF EXISTS "service_search_vector_idx";
ALTER TABLE "service" DROP COLUMN IF EXISTS "search_vector";
ALTER TABLE "service" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('signpost'::regconfig, coalesce("name", '')), 'A') ||
  setweight(to_tsvector('signpost'::regconfig, signpost_join("categories")), 'B') ||
  setweight(to_tsvector('simple'::regconfig, signpost_join("audiences") || ' ' || signpost_join(array_remove("languages", 'english'))), 'B') ||
  setweight(to_tsvector('signpost'::regconfig, coalesce("provided_by", '')), 'C') ||
  setweight(to_tsvector('signpost'::regconfig, left(coalesce("description", ''), 20000)), 'D')
) STORED;
CREATE INDEX "service_search_vector_idx" ON "service" USING GIN ("search_vector");
