-- Hand-written: a venue's postcode district (outward code, "HP27" of "HP27 9SF"), indexed so that a question naming
-- a postcode Camden's geography does not know finds the catalogue's venues there without reading every venue.
CREATE INDEX "location_postcode_outward_idx" ON "location" (upper(split_part("postal_code", ' ', 1)));
