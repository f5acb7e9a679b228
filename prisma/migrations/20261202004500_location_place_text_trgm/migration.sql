-- Streets and venues named in a question ("on Fortess Road", "at Holborn Library") are looked up in venues' names
-- and addresses, apostrophes aside: a trigram index over that text keeps the lookup to index pages at any size.
CREATE INDEX "location_place_text_trgm_idx" ON "location" USING GIN (
  (translate(coalesce("name", '') || ' ' || coalesce("address_1", '') || ' ' || coalesce("address_2", '') || ' ' || coalesce("city", ''), '''’', '')) gin_trgm_ops
);
