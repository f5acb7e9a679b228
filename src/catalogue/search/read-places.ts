/** Where a question asks about: postcodes, street addresses, streets and venues, Camden places. */
import {
  AREAS,
  findArea,
  findPostcodeDistrict,
  findWard,
  normalisePlaceName,
  normalisePostcode,
  WARDS,
} from '../geography/camden.ts';
import { byFirstLetter, cut, insideEnglishWord, isKnownWord, type ParseOptions, unique } from './query-text.ts';
import { phraseIndex } from './read-concepts.ts';
import type { Understood } from './types.ts';
import { STOP_WORDS } from './vocabulary.ts';

// ---------------------------------------------------------------------------------------------------------------------
// Postcodes

/**
 * A full postcode or a Camden outward code ("NW5"): `place`; returns the text without it. A postcode Camden's
 * geography does not know ("CT20 1SQ", and with `postcodes` an outward code such as "HP27") is `postcodeElsewhere`,
 * looked up among the catalogue's venues.
 */
export function takePostcode(s: string, u: Understood, options: ParseOptions = {}): string {
  const full = /\b([a-z]{1,2}\d[a-z\d]?) ?(\d[a-z]{2})\b/.exec(s);
  if (full) {
    const postcode = normalisePostcode(full[0]);
    const district = postcode ? findPostcodeDistrict(postcode) : undefined;
    if (postcode && district) {
      u.place = {
        label: postcode,
        wards: [...district.wards],
        postcode,
        latitude: district.centroid.lat,
        longitude: district.centroid.lon,
      };
    } else if (postcode && options.postcodes !== false) {
      u.postcodeElsewhere = postcode;
    }
    return cut(s, full.index, full[0].length);
  }
  const outward = /\b(nw\d{1,2}|n\d{1,2}c?|wc[12][a-z]?|w1[a-z]|ec1[a-z]?)\b/.exec(s);
  if (outward) {
    const district = findPostcodeDistrict(outward[1]!);
    if (district) {
      u.place = {
        label: district.district,
        wards: [...district.wards],
        postcode: district.district,
        latitude: district.centroid.lat,
        longitude: district.centroid.lon,
      };
      return cut(s, outward.index, outward[0].length);
    }
  }
  if (options.postcodes === false) return s;
  // An outward code elsewhere ("HP27", "CT20"): one or two letters, then digits (a word like "u3a" is looked up too, and
  // stays a word when no venue has it).
  const elsewhere = /\b([a-z]{1,2}\d{1,2}[a-z]?)\b/.exec(s);
  if (elsewhere) {
    u.postcodeElsewhere = elsewhere[1]!.toUpperCase();
    return cut(s, elsewhere.index, elsewhere[0].length);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------------------------
// Street addresses

/** Words that end a street's name. */
export const STREET_WORDS =
  'road|rd|street|st|gardens|gdns|square|sq|lane|ln|close|crescent|cres|place|pl|way|avenue|ave|terrace|grove|mews|court|ct|' +
  'hill|row|walk|yard|parade|drive|dr|estate|buildings|green|rise|vale|villas|park';
/** Words after a number that make it an amount, not a house number: "8 mile walk", "2 hour walk", "30 minute walk". */
const UNITS =
  'miles?|mi|km|k|kilometres?|kilometers?|metres?|meters?|m|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?|' +
  'times?|people|persons?|steps|laps?|step';
const STREET_ADDRESS = new RegExp(
  String.raw`\b\d{1,4}[a-z]? (?!(?:${UNITS}) )(?:[a-z]+ ){1,3}?(?:${STREET_WORDS})\b`,
  'g',
);

/**
 * "12 Oakley Gardens", "3a Prince of Wales Road": an address says where, never what. Its words are not topics; with
 * `u`, the first one's street is the venue asked about ("378 cheriton road" → listings on Cheriton Road), looked up
 * among the catalogue's venues like a street named after a place word.
 */
export function takeStreetAddresses(s: string, u?: Understood): string {
  return s
    .replace(STREET_ADDRESS, (address) => {
      if (u && !u.venue) u.venue = address.replace(/^\d{1,4}[a-z]? /, '');
      return ' ';
    })
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------------------------------
// Streets and venues

/** Words that end the name of a building people meet in. */
const VENUE_WORDS = new Set([
  'library',
  'centre',
  'center',
  'hall',
  'church',
  'chapel',
  'school',
  'college',
  'surgery',
  'museum',
]);
const STREET_WORD_SET = new Set(STREET_WORDS.split('|'));
/** Words after which a street or venue name may follow. */
const VENUE_CUES = new Set(['on', 'at', 'in', 'near', 'nr', 'by', 'off', 'opposite', 'outside']);

/**
 * "on Fortess Road", "at Holborn Library", "near Agar Grove": one to three name words and a street or building word
 * after a place word. A Camden place ("in Camden Square") or a thesaurus phrase ("at a community centre", "on a
 * health walk") is not one: places and topics are read as before.
 */
export function takeVenue(tokens: string[], u: Understood): string[] {
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!VENUE_CUES.has(tokens[i]!)) continue;
    for (let end = Math.min(tokens.length - 1, i + 4); end >= i + 2; end--) {
      const last = tokens[end]!;
      if (!STREET_WORD_SET.has(last) && !VENUE_WORDS.has(last)) continue;
      const words = tokens.slice(i + 1, end + 1);
      const names = words.slice(0, -1);
      if (names.some((w) => STOP_WORDS.has(w) || /^\d/.test(w))) continue;
      const phrase = words.join(' ');
      // A place that is also a street ("Agar Grove") is both: the street where the catalogue has it, else the place.
      if (
        (placeFor(phrase) && !STREET_WORD_SET.has(last)) ||
        phraseIndex.has(phrase) ||
        phraseIndex.has(names.join(' '))
      )
        continue;
      u.venue = phrase;
      // "Holborn Library", "Agar Grove": the place in its name, too, for when the catalogue lists no venue by it.
      for (let n = words.length; n >= 1 && !u.place; n--) {
        const place = placeFor(words.slice(0, n).join(' '));
        if (place) u.place = { label: place.label, wards: place.wards, latitude: place.lat, longitude: place.lon };
      }
      return [...tokens.slice(0, i), ...tokens.slice(end + 1)];
    }
  }
  // "in Lyminge", "at Longwick": a name after a place word that no word list, thesaurus or Camden place knows is a
  // town, village or venue elsewhere, looked up among the catalogue's venues like a street.
  for (let i = 0; i < tokens.length - 1; i++) {
    if (!TOWN_CUES.has(tokens[i]!)) continue;
    for (const n of [2, 1]) {
      const words = tokens.slice(i + 1, i + 1 + n);
      if (words.length < n || words.some((w) => STOP_WORDS.has(w) || !/^[a-z]+$/.test(w) || phraseIndex.has(w)))
        continue;
      // A misspelt Camden place ("near Hampstaed") is read as the place, below.
      if (!words.some((w) => !isKnownWord(w)) || placeFor(words.join(' ')) || fuzzyPlace(words.join(' '))) continue;
      if (n === 2 && isKnownWord(words[1]!) && !STREET_WORD_SET.has(words[1]!) && !TOWN_WORDS.has(words[1]!)) continue;
      // Its name still counts as words: listings name the villages they serve in titles and descriptions.
      u.venue = words.join(' ');
      return tokens;
    }
  }
  // "food bank in Key West", "swimming pool in High Wycombe": everyday words ending the question after a place word
  // may name a town; they are looked up as the city of the catalogue's venues (see `namesTownOnly`).
  for (let i = tokens.length - 2; i >= 0 && i >= tokens.length - 4; i--) {
    if (!TOWN_CUES.has(tokens[i]!)) continue;
    const words = tokens.slice(i + 1);
    if (words.some((w) => STOP_WORDS.has(w) || !/^[a-z]+$/.test(w) || w.length < 3 || phraseIndex.has(w))) continue;
    if (placeFor(words.join(' ')) || phraseIndex.has(words.join(' ')) || VENUE_WORDS.has(words.at(-1)!)) continue;
    if (STREET_WORD_SET.has(words.at(-1)!)) continue;
    u.venue = words.join(' ');
    return tokens;
  }
  // "foodbank folkestone", "longwick": a bare name that no word list, thesaurus or Camden place knows may still be a
  // town or village where the catalogue has venues. It is looked up like one (and read as a word only, when no venue
  // has it); it always still counts as a word.
  for (const w of tokens) {
    if (w.length < 4 || !/^[a-z]+$/.test(w) || STOP_WORDS.has(w) || phraseIndex.has(w) || isKnownWord(w)) continue;
    if (placeFor(w) || fuzzyPlace(w) || insideEnglishWord(w)) continue;
    u.venue = w;
    return tokens;
  }
  return tokens;
}
const TOWN_CUES = new Set(['in', 'at', 'near', 'nr', 'around']);
/** Everyday words that end a town's name ("Miami Beach", "Coral Springs", "Hythe Bay"). */
const TOWN_WORDS = new Set([
  'beach',
  'springs',
  'lakes',
  'heights',
  'village',
  'bay',
  'key',
  'island',
  'gables',
  'town',
  'city',
  'end',
  'common',
  'wood',
  'heath',
  'bridge',
  'cross',
]);

// Places

type PlaceMatch = { label: string; wards: string[]; lat: number; lon: number };

function placeFor(phrase: string): PlaceMatch | undefined {
  const area = findArea(phrase);
  if (area) return { label: area.name, wards: [...area.wards], lat: area.centroid.lat, lon: area.centroid.lon };
  const ward = findWard(phrase);
  if (ward) return { label: ward.name, wards: [ward.name], lat: ward.centroid.lat, lon: ward.centroid.lon };
  return undefined;
}

/** Words that say a place follows: only after one of them is a misspelt place name corrected. */
const PLACE_CUES = new Set([
  'near',
  'nr',
  'in',
  'around',
  'round',
  'by',
  'at',
  'from',
  'to',
  'close',
  'nearby',
  'towards',
  'off',
]);

export function takePlaces(tokens: string[], u: Understood, options: ParseOptions): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    if (!u.place) {
      for (let n = Math.min(4, tokens.length - i); n >= 1; n--) {
        const phrase = tokens.slice(i, i + n).join(' ');
        if (n === 1 && (STOP_WORDS.has(phrase) || phrase.length < 3)) continue;
        const place = placeFor(phrase);
        if (place) {
          u.place = { label: place.label, wards: place.wards, latitude: place.lat, longitude: place.lon };
          matched = n;
          break;
        }
      }
      // A misspelt place ("near Kentish Twon"): after a place cue, or a two-word name with one word exact; and only
      // when a word is not a known word, so "reducing" never becomes Frognal.
      const cue = i > 0 && PLACE_CUES.has(tokens[i - 1]!);
      if (!matched) {
        for (const n of [2, 1]) {
          if (i + n > tokens.length) continue;
          const words = tokens.slice(i, i + n);
          const phrase = words.join(' ');
          if (phrase.length < 5 || words.every((w) => isKnownWord(w, options))) continue;
          if (!cue && !(n === 2 && words.some((w) => PLACE_WORDS.has(w)))) continue;
          const best = fuzzyPlace(phrase);
          if (!best || Math.abs(best.length - phrase.length) > 2) continue;
          const place = placeFor(best);
          if (place) {
            u.place = { label: place.label, wards: place.wards, latitude: place.lat, longitude: place.lon };
            matched = n;
            break;
          }
        }
      }
    }
    if (matched) i += matched;
    else out.push(tokens[i++]!);
  }
  return out;
}

const PLACE_NAMES: string[] = unique(
  [...WARDS.flatMap((w) => [w.name, ...w.aliases]), ...AREAS.flatMap((a) => [a.name, ...a.aliases])].map(
    normalisePlaceName,
  ),
);

const fuzzyPlace = byFirstLetter(PLACE_NAMES, { threshold: 0.25, distance: 20 });
/** Words of place names that are not everyday words ("kentish", "belsize", "gospel"…). */
const PLACE_WORDS: ReadonlySet<string> = new Set(
  PLACE_NAMES.flatMap((n) => n.split(' ')).filter(
    (w) =>
      w.length >= 4 &&
      !STOP_WORDS.has(w) &&
      ![
        'town',
        'park',
        'road',
        'west',
        'east',
        'north',
        'south',
        'square',
        'hill',
        'green',
        'cross',
        'street',
        'heath',
        'village',
      ].includes(w),
  ),
);

/**
 * Whether a venue read from a question is only a town's name in everyday words ("key west", "high wycombe"): it
 * counts only as the city of a venue, never as words of a venue's name or address ("in the park").
 */
export function namesTownOnly(venue: string): boolean {
  const words = venue.split(' ');
  const last = words.at(-1)!;
  return !STREET_WORD_SET.has(last) && !VENUE_WORDS.has(last) && words.every((w) => isKnownWord(w));
}
