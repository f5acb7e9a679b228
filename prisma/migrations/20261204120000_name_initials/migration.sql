-- Hand-written: staff name organisations and services by their initials ("LWKM" for Live Well Kent & Medway, "VAC"
-- for Voluntary Action Camden, "ABiC" for Ageing Better in Camden). A name's initials, lower case: every word's
-- first letter or digit, with the short joining words ("and", "of", "in"…) and "&" left out, or kept
-- (`with_small_words`). Indexed for service titles and organisation names, so that search finds a listing by its
-- initials through an index; and services by their organisation, for the organisation's listings.
CREATE FUNCTION name_initials(name text, with_small_words boolean) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN lower(regexp_replace(
    CASE WHEN with_small_words THEN regexp_replace(name, '[^[:alnum:]]+', ' ', 'g')
         ELSE regexp_replace(regexp_replace(name, '[^[:alnum:]]+', ' ', 'g'), '\m(and|of|the|for|in|on|at|a|an|to|with)\M', ' ', 'gi')
    END,
    '\s*([[:alnum:]])[[:alnum:]]*\s*', '\1', 'g'));

CREATE INDEX "service_name_initials_idx" ON "service" (name_initials("name", false));
CREATE INDEX "service_name_initials_all_idx" ON "service" (name_initials("name", true));
CREATE INDEX "organization_name_initials_idx" ON "organization" (name_initials("name", false));
CREATE INDEX "organization_name_initials_all_idx" ON "organization" (name_initials("name", true));
CREATE INDEX "service_organization_id_idx" ON "service" ("organization_id");
