import type { Database } from '../../db/sql.ts';
import { isUuid } from '../../db/ids.ts';
import { oneEditWords, type ParseOptions, parseQuery, typoReadings, unknownWords } from './parse-query.ts';
import { namesTownOnly } from './read-places.ts';
import { findRanked, inputNotes } from './relaxation.ts';
import { withUpcoming } from './results.ts';
import {
  listingsByInitials,
  placeOfVenues,
  postcodePoints,
  resultRow,
  venuePoints,
  withDetails,
  wordsInCatalogue,
} from './search-queries.ts';
import type { CatalogueSearch, SearchRequest, SearchResponse, SearchResult } from './types.ts';

export { TRUST_MARK_PENALTY } from './ranking.ts';

/**
 * Search over the catalogue database: the full-text (`search_vector`, GIN) and trigram (`pg_trgm` on names) indexes
 * find candidates, SQL applies what was understood as filters, and the few hundred candidates are re-ranked here by
 * text match, filter matches, distance from the place asked about, how soon the next session is and how recently the
 * listing was confirmed. When nothing matches, the least important filter is relaxed and the answer says which.
 */
async function venuesFor(sql: Database['sql'], venue: string) {
  const inCity = await venuePoints(sql, venue, 'city');
  if (namesTownOnly(venue)) return inCity;
  if (!inCity.length) return venuePoints(sql, venue);
  // A town the catalogue has: its venues, and those whose name or address has its name and no town is given for
  // ("378 Cheriton Road", "Cheriton Library"); not a road named after it in another town ("Sandgate Road, Folkestone").
  const seen = new Set(inCity.map((v) => v.id));
  return [...inCity, ...(await venuePoints(sql, venue, 'townless')).filter((v) => !seen.has(v.id))];
}

export function createDatabaseSearch(store: Database): CatalogueSearch {
  return {
    async search(request: SearchRequest): Promise<SearchResponse> {
      // No transaction around the whole search: on the embedded store one would keep the database to itself while
      // this thread works between statements (parsing, ranking), and every other question, ack and write would wait
      // for it. Probes that need their own planner settings carry them (indexOnly in search-queries.ts).
      const sql = store.sql;
      const unknown = unknownWords(request.text);
      // One probe for the unknown words and the English words one edit from each: a misspelt word is read as one a
      // listing holds.
      const readings = unknown.flatMap((w) => [w, ...oneEditWords(w)]);
      const catalogueWords = unknown.length ? await wordsInCatalogue(sql, [...new Set(readings)]) : undefined;
      const corrections = catalogueWords ? typoReadings(unknown, catalogueWords) : undefined;
      const known: ParseOptions = {
        ...(catalogueWords ? { catalogueWords } : {}),
        ...(corrections?.size ? { corrections } : {}),
      };
      let understood = parseQuery(request.text, request.now, known);
      // A postcode Camden's geography does not know: listings at the catalogue's venues with it first; where there
      // are none, it is a word. A full Camden postcode ("NW5 2SP") is its ward and point, and the listings at it first.
      const camdenPostcode =
        !understood.postcodeElsewhere && understood.place?.postcode?.includes(' ')
          ? understood.place.postcode
          : undefined;
      const atPostcode = understood.postcodeElsewhere
        ? await postcodePoints(sql, understood.postcodeElsewhere)
        : camdenPostcode
          ? // By their ids only: a venue placed at its district's centre is not "at" every other venue placed there.
            (await postcodePoints(sql, camdenPostcode)).map((v) => ({ ...v, lat: null, lon: null }))
          : [];
      if (understood.postcodeElsewhere && !atPostcode.length) {
        known.postcodes = false;
        understood = parseQuery(request.text, request.now, known);
      }
      const centre = atPostcode.find((v) => v.lat !== null && v.lon !== null);
      const postcodePlace =
        understood.postcodeElsewhere && atPostcode.length
          ? {
              label: understood.postcodeElsewhere!,
              wards: [...new Set(atPostcode.map((v) => v.ward).filter((w): w is string => Boolean(w)))],
              postcode: understood.postcodeElsewhere!,
              ...(centre ? { latitude: centre.lat!, longitude: centre.lon! } : {}),
            }
          : undefined;
      if (postcodePlace) understood.place = postcodePlace;
      // A street or venue named: where the catalogue has it, listings there first; where not, its words are words.
      // A town's name ("miami beach", "hythe") is its venues by their city, where the catalogue has it as a city.
      const venue = understood.venue ? await venuesFor(sql, understood.venue) : [];
      venue.push(...atPostcode);
      if (understood.venue && venue.length === atPostcode.length) {
        known.venues = false;
        understood = parseQuery(request.text, request.now, known);
        if (postcodePlace) understood.place = postcodePlace;
      } else if (understood.venue) {
        understood.place = placeOfVenues(understood.venue, venue, understood.place?.wards);
      }
      // A word no dictionary knows, or one typed in capitals ("VAC"), that is the initials of a listing's title or
      // organisation ("LWKM") names it; a word the thesaurus reads ("SEND", "ESOL") is read as it.
      const initials = (understood.slots ?? [])
        .filter((x) => !x.concept && !x.corrected && /^[a-z]{3,6}$/.test(x.text))
        .map((x) => x.text)
        .filter((w) => unknown.includes(w) || new RegExp(`\\b${w.toUpperCase()}\\b`).test(request.text));
      const named = initials.length ? await listingsByInitials(sql, initials) : [];
      if (named.length) {
        const names = new Set(named.map((n) => n.text));
        understood.terms = understood.terms.filter((t) => !names.has(t));
        if (understood.slots) understood.slots = understood.slots.filter((x) => !names.has(x.text));
      }
      const limit = Math.max(1, Math.min(request.limit ?? 5, 50));
      const offset = Math.max(0, request.offset ?? 0);
      const { ranked, relaxed, unmet } = await findRanked(sql, understood, request.now, venue, named);
      if (unmet.length) understood.unmet = unmet;
      relaxed.unshift(...inputNotes(request.text, understood, named.length > 0));
      const page = await withDetails(sql, ranked.slice(offset, offset + limit), request.now, understood);
      const results = await withUpcoming(sql, page, request.now, understood);
      return { understood, relaxed, results, total: ranked.length };
    },
    async getResult(id: string, now: Date): Promise<SearchResult | undefined> {
      if (!isUuid(id)) return undefined;
      const row = await resultRow(store.sql, id, now);
      if (!row) return undefined;
      const [result] = await withUpcoming(store.sql, [{ row, score: 0, distanceKm: null }], now, undefined);
      return result;
    },
  };
}
