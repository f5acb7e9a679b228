import { readFileSync } from 'node:fs';
import * as chrono from 'chrono-node';
import Fuse from 'fuse.js';
import wordListPath from 'word-list';
import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import { MONTH_NAME, monthNumber } from '../time.ts';
import {
  AREAS,
  findArea,
  findPostcodeDistrict,
  findWard,
  normalisePlaceName,
  normalisePostcode,
  WARDS,
} from '../geography/camden.ts';
import type { Slot, Understood } from './types.ts';
import { CONCEPTS, type Concept, KEEP_AS_IS, SOFT_AUDIENCES, STOP_WORDS } from './vocabulary.ts';

/** Longer questions are cut here: nobody types more, and the parser stays fast whatever is pasted in. */
export const MAX_QUESTION_CHARS = 500;

export type ParseOptions = {
  /**
   * Words (normalised) that the catalogue's own listings contain. A word the catalogue or the English word list knows
   * is never "corrected" into another word.
   */
  catalogueWords?: ReadonlySet<string>;
  /** Read streets and venues named after a place word as `venue` (the default); false reads their words as words. */
  venues?: boolean;
};

/**
 * Turns a staff question into what it asks for, deterministically and locally: day and time words (chrono-node, in
 * Europe/London), Camden places and postcodes, audiences, topics, cost, access needs, languages, formats and kinds.
 * Every content word is kept as a search word (`slots`, `terms`), whether or not it also names a concept: a concept
 * adds its synonyms at a lower weight and, for the constraints a question states (a day, a time, a place, free,
 * step-free, "in Bengali", a format or kind), a filter. Pure: the same text, `now` and options give the same answer.
 */
export function parseQuery(text: string, now: Date, options: ParseOptions = {}): Understood {
  const u: Understood = {
    terms: [],
    audiences: [],
    categories: [],
    access: [],
    languages: [],
    formats: [],
    kinds: [],
    slots: [],
  };
  let s = normaliseQueryText(text.slice(0, MAX_QUESTION_CHARS));

  s = takePostcode(s, u);
  s = takeStreetAddresses(s);
  s = takeCost(s, u);
  s = takeAges(s, u);
  s = takeTimes(s, u, now);

  let tokens = s.split(' ').filter(Boolean);
  if (options.venues !== false) tokens = takeVenue(tokens, u);
  tokens = takePlaces(tokens, u, options);
  const pieces = takeConcepts(tokens, u);
  const slots: Slot[] = [];
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      slots.push(piece);
      continue;
    }
    if (STOP_WORDS.has(piece) || /^\d+(\.\d+)?$/.test(piece) || piece.length < 2) continue;
    slots.push({ text: piece });
  }
  u.slots = takeFuzzy(joinCompounds(slots, u, options), u, options);
  u.terms = unique(u.slots.flatMap((x) => x.text.split(' ')).filter((w) => !STOP_WORDS.has(w)));
  // "a step-free place" asks for a step-free venue; wheelchair users need both.
  if (u.access.includes('wheelchair_accessible') && !u.access.includes('step_free')) u.access.unshift('step_free');
  return u;
}

/** Lower case, accents and apostrophes dropped, punctuation (but £, digits, decimals and +) turned into spaces. */
export function normaliseQueryText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2018\u2019`]/g, '')
    .replace(/&/g, ' and ')
    .replace(/\.(?!\d)/g, ' ')
    .replace(/[^a-z0-9£.+ ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether a question has anything a search can use once normalised: letters or digits in the Latin alphabet.
 * (A question written only in another script, only emoji or only punctuation has none.)
 */
export function hasSearchableText(text: string): boolean {
  return /[a-z0-9]/.test(normaliseQueryText(text.slice(0, MAX_QUESTION_CHARS)));
}

// ---------------------------------------------------------------------------------------------------------------------
// Known words

let english: Set<string> | undefined;
/** The English word list (word-list, 274k words), loaded once on first use. */
function englishWords(): Set<string> {
  if (!english) {
    english = new Set(readFileSync(wordListPath, 'utf8').split('\n'));
  }
  return english;
}

/** Words of the thesaurus and of Camden's place names: known, never corrected. */
const VOCABULARY_WORDS: ReadonlySet<string> = new Set(
  [
    ...CONCEPTS.flatMap((c) => [...c.phrases, ...(c.search ?? [])]),
    ...WARDS.flatMap((w) => [w.name, ...w.aliases]),
    ...AREAS.flatMap((a) => [a.name, ...a.aliases]),
  ]
    .flatMap((p) => normaliseQueryText(p).split(' '))
    .filter(Boolean),
);

/** The words of a question that neither the English word list, the thesaurus nor place names know (at most 20). */
export function unknownWords(text: string): string[] {
  const words = normaliseQueryText(text.slice(0, MAX_QUESTION_CHARS)).split(' ');
  const content = (w: string | undefined): w is string => w !== undefined && /^[a-z]+$/.test(w) && !STOP_WORDS.has(w);
  const unknown = words.filter((w) => content(w) && !isKnownWord(w));
  // Two words the catalogue may hold as one ("park run" → "parkrun", "tea room" → "tearoom").
  const joined = words
    .flatMap((w, i) => (content(w) && content(words[i + 1]) ? [w + words[i + 1]] : []))
    .filter((w) => !englishWords().has(w));
  return [...new Set([...unknown, ...joined])].slice(0, 20);
}

/** A word the English word list, the thesaurus, Camden's place names or the catalogue knows. */
export function isKnownWord(word: string, options: ParseOptions = {}): boolean {
  if (word.length <= 2 || /\d/.test(word)) return true;
  if (VOCABULARY_WORDS.has(word) || options.catalogueWords?.has(word) || englishWords().has(word)) return true;
  // Plurals and possessives of known words ("mens", "clubs", "ladies").
  if (word.endsWith('s') && (englishWords().has(word.slice(0, -1)) || VOCABULARY_WORDS.has(word.slice(0, -1))))
    return true;
  return false;
}

// ---------------------------------------------------------------------------------------------------------------------
// Postcodes, cost, ages

function takePostcode(s: string, u: Understood): string {
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
  return s;
}

function takeCost(s: string, u: Understood): string {
  let out = s;
  const max =
    /\b(?:under|less than|below|up to|no more than|max(?:imum)?|cheaper than|not more than)\s*£\s*(\d+(?:\.\d{1,2})?)/.exec(
      out,
    ) ??
    /\b(?:under|less than|below|up to|no more than|max(?:imum)?)\s*(\d+(?:\.\d{1,2})?)\s*(?:pounds|quid)\b/.exec(out) ??
    /£\s*(\d+(?:\.\d{1,2})?)\s*(?:or less|or under|max(?:imum)?|tops)\b/.exec(out);
  if (max) {
    u.maxCost = Number(max[1]);
    out = cut(out, max.index, max[0].length);
  }
  const cheap = /\b(cheap|low cost|inexpensive|affordable|not expensive)\b/.exec(out);
  if (cheap) {
    u.maxCost ??= 5;
    out = cut(out, cheap.index, cheap[0].length);
  }
  const free =
    /(?<!\b(?:step|stair|carer|hands|sugar|gluten|dairy|smoke|alcohol) )\b(free of charge|free|no cost|costs nothing|nothing to pay|no charge|without charge)\b/.exec(
      out,
    );
  if (free) {
    u.free = true;
    out = cut(out, free.index, free[0].length);
  }
  return out;
}

function takeAges(s: string, u: Understood): string {
  const older =
    /\b(?:aged |age |over |over the age of )?([5-9]\d) ?(?:\+|plus|and over|or over|s and over)|\bover ([5-9]\d) ?s?\b|\b([5-9]\d)s\b/.exec(
      s,
    );
  if (older) {
    add(u.audiences, 'older_people');
    return cut(s, older.index, older[0].length);
  }
  // "a 15 year old", "aged 9", "my 3yo": a child or young person; up to 4, a parent with a baby or toddler; "an 82
  // year old", an older person.
  const young = /\b(?:aged |age )?(\d{1,2}) ?(?:years? old|yrs? old|yo|year old)\b|\baged (\d{1,2})\b/.exec(s);
  const age = young ? Number(young[1] ?? young[2]) : undefined;
  if (young && age !== undefined && (age < 19 || age >= 50)) {
    add(u.audiences, age >= 50 ? 'older_people' : age <= 4 ? 'parents_of_young_children' : 'young_people');
    return cut(s, young.index, young[0].length);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------------------------------
// Days and times

const WEEKDAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTH_RE = new RegExp(
  String.raw`\b(?:in|during|throughout|through|(next|this|coming))(?: the month of)? (${MONTH_NAME})\b(?:,? (20\d\d))?(?! ?\d{1,2}(?:st|nd|rd|th)?\b)`,
);

function takeTimes(s: string, u: Understood, now: Date): string {
  const today = DateTime.fromJSDate(now, { zone: ZONE });
  const sod = today.startOf('day');
  let out = s;
  const take = (re: RegExp, fn: (m: RegExpExecArray) => void) => {
    const m = re.exec(out);
    if (!m) return;
    fn(m);
    out = cut(out, m.index, m[0].length);
  };
  const window = (from: DateTime, to: DateTime, label: string) => {
    const start = from < today ? today : from;
    u.when = { from: iso(start), to: iso(to), label };
  };

  take(/(?<!coffee )\b(?:(?:in|during) the )?(mornings?|am)\b/, () => (u.timeOfDay = 'morning'));
  take(/\b(?:(?:in|during) the )?(afternoons?|pm)\b/, () => (u.timeOfDay = 'afternoon'));
  take(/\b(?:(?:in|during) the )?(evenings?|nights?|after work|after 5|after five)\b/, () => (u.timeOfDay = 'evening'));
  take(/\btonight\b/, () => {
    u.timeOfDay = 'evening';
    window(sod, sod.plus({ days: 1 }), 'tonight');
  });
  take(/\b(?:(this|next|coming) )weekend\b/, (m) => {
    const sat = sod.plus({ days: 6 - today.weekday });
    const thisWeekend = today.weekday >= 6 ? sod.minus({ days: today.weekday - 6 }) : sat;
    const from =
      m[1] === 'next' && today.weekday < 6
        ? sat.plus({ weeks: 1 })
        : m[1] === 'next'
          ? thisWeekend.plus({ weeks: 1 })
          : thisWeekend;
    window(from, from.plus({ days: 2 }), m[1] === 'next' ? 'next weekend' : 'this weekend');
  });
  take(/\b(?:(?:at|over|on) the )?weekends?\b/, () => (u.weekdays = [6, 7]));
  take(/\bweekdays?\b/, () => (u.weekdays = [1, 2, 3, 4, 5]));
  take(/\b(this|next|coming) week\b/, (m) => {
    const monday = sod.minus({ days: today.weekday - 1 });
    if (m[1] === 'next') window(monday.plus({ weeks: 1 }), monday.plus({ weeks: 2 }), 'next week');
    else window(sod, monday.plus({ weeks: 1 }), 'this week');
  });
  take(/\b(this|next) month\b/, (m) => {
    const first = sod.startOf('month');
    if (m[1] === 'next') window(first.plus({ months: 1 }), first.plus({ months: 2 }), 'next month');
    else window(sod, first.plus({ months: 1 }), 'this month');
  });
  // "in March", "during December", "throughout January 2027", "next April": a whole month, the next one of that name
  // (the rest of this month when it is this month). A preposition is required: "March", "May", "June" and "Jan"
  // are also words and names.
  take(MONTH_RE, (m) => {
    const month = monthNumber(m[2]!);
    let year = m[3] ? Number(m[3]) : today.year;
    if (!m[3] && (month < today.month || (month === today.month && m[1] === 'next'))) year++;
    const first = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE });
    window(
      first,
      first.plus({ months: 1 }),
      `in ${first.toFormat('LLLL')}${m[3] || year !== today.year ? ` ${year}` : ''}`,
    );
  });
  take(/\btoday\b/, () => window(sod, sod.plus({ days: 1 }), 'today'));
  take(/\btomorrow\b/, () => window(sod.plus({ days: 1 }), sod.plus({ days: 2 }), 'tomorrow'));
  // "on Tuesdays", "every Tuesday", "Tuesdays and Thursdays": days of the week, not one date.
  for (;;) {
    const m =
      /\b(?:on |every |each )?(mon|tues|wednes|thurs|fri|satur|sun)days\b|\b(?:every|each) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/.exec(
        out,
      );
    if (!m) break;
    const day = m[1] ? WEEKDAY_NAMES.findIndex((d) => d.startsWith(m[1]!)) + 1 : WEEKDAY_NAMES.indexOf(m[2]!) + 1;
    u.weekdays = unique([...(u.weekdays ?? []), day]);
    out = cut(out, m.index, m[0].length);
  }

  const results = chrono.en.GB.parse(out, { instant: now, timezone: ZONE }, { forwardDate: true });
  // Remove from the end so earlier indexes stay valid.
  for (const r of [...results].reverse()) {
    const known = r.start;
    const t = r.text.trim();
    if (/^\d+s?$/.test(t)) continue;
    if (known.isCertain('day') && known.isCertain('month')) {
      const day = DateTime.fromObject(
        { year: known.get('year') ?? today.year, month: known.get('month')!, day: known.get('day')! },
        { zone: ZONE },
      );
      window(day, day.plus({ days: 1 }), `on ${day.toFormat('cccc d LLLL')}`);
    } else if (known.isCertain('weekday')) {
      const chronoDay = known.get('weekday') ?? 1;
      const weekday = chronoDay === 0 ? 7 : chronoDay;
      if (/\b(next|this|coming)\b/.test(t)) {
        const day = DateTime.fromJSDate(r.date(), { zone: ZONE }).startOf('day');
        window(day, day.plus({ days: 1 }), `on ${day.toFormat('cccc d LLLL')}`);
      } else {
        u.weekdays = unique([...(u.weekdays ?? []), weekday]);
      }
    } else if (known.isCertain('hour')) {
      const hour = known.get('hour') ?? 12;
      u.timeOfDay ??= hour < 12 ? 'morning' : hour < 17 ? 'afternoon' : 'evening';
    } else {
      continue;
    }
    out = cut(out, r.index, r.text.length);
  }
  return out;
}

function iso(d: DateTime): string {
  return d.toISO({ suppressMilliseconds: true }) ?? d.toJSDate().toISOString();
}

// ---------------------------------------------------------------------------------------------------------------------
// Street addresses

const STREET_WORDS =
  'road|rd|street|st|gardens|gdns|square|sq|lane|ln|close|crescent|cres|place|pl|way|avenue|ave|terrace|grove|mews|court|ct|' +
  'hill|row|walk|yard|parade|drive|dr|estate|buildings|green|rise|vale|villas|park';
const STREET_ADDRESS = new RegExp(String.raw`\b\d{1,4}[a-z]? (?:[a-z]+ ){1,3}?(?:${STREET_WORDS})\b`, 'g');

/** "12 Oakley Gardens", "3a Prince of Wales Road": an address says where, never what. Its words are not topics. */
function takeStreetAddresses(s: string): string {
  return s.replace(STREET_ADDRESS, ' ').replace(/\s+/g, ' ').trim();
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
function takeVenue(tokens: string[], u: Understood): string[] {
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
      if (n === 2 && isKnownWord(words[1]!) && !STREET_WORD_SET.has(words[1]!)) continue;
      // Its name still counts as words: listings name the villages they serve in titles and descriptions.
      u.venue = words.join(' ');
      return tokens;
    }
  }
  return tokens;
}
const TOWN_CUES = new Set(['in', 'at', 'near', 'nr', 'around']);

// ---------------------------------------------------------------------------------------------------------------------
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

function takePlaces(tokens: string[], u: Understood, options: ParseOptions): string[] {
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
/**
 * fuse.js indexes over small vocabularies, one per first letter: a typo rarely hits the first letter, and searching
 * a few dozen words instead of hundreds keeps parsing well under a millisecond.
 */
function byFirstLetter(
  words: readonly string[],
  options: { threshold: number; distance: number },
): (word: string) => string | undefined {
  const groups = new Map<string, string[]>();
  for (const w of words) groups.set(w[0]!, [...(groups.get(w[0]!) ?? []), w]);
  const indexes = new Map(
    [...groups].map(([k, list]) => [k, new Fuse(list, { includeScore: true, ignoreLocation: false, ...options })]),
  );
  return (word) => {
    const best = indexes.get(word[0] ?? '')?.search(word)[0];
    return best && (best.score ?? 1) <= options.threshold ? best.item : undefined;
  };
}

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

// ---------------------------------------------------------------------------------------------------------------------
// Concepts

const phraseIndex = new Map<string, Concept[]>();
for (const concept of CONCEPTS) {
  for (const phrase of concept.phrases) {
    const key = normaliseQueryText(phrase);
    if (!key) continue;
    const list = phraseIndex.get(key) ?? [];
    list.push(concept);
    phraseIndex.set(key, list);
  }
}
const MAX_PHRASE = Math.min(6, Math.max(...[...phraseIndex.keys()].map((k) => k.split(' ').length)));

/** Single-word phrases long enough to be matched with a typo. */
const FUZZY_WORDS = [...phraseIndex.keys()].filter((k) => !k.includes(' ') && k.length >= 5);
const fuzzyWord = byFirstLetter(FUZZY_WORDS, { threshold: 0.3, distance: 10 });
/** Two-word phrases ("dementa cafe", "lunch clb"). */
const FUZZY_PAIRS = [...phraseIndex.keys()].filter((k) => k.split(' ').length === 2 && k.length >= 8);
const fuzzyPair = byFirstLetter(FUZZY_PAIRS, { threshold: 0.25, distance: 10 });

/** A language asked for as a constraint: "in Somali", "Somali speaking", "speaks Somali". */
const LANGUAGE_CUE = /\b(in|speaking|speaks|speak|speaker|speakers|spoken)\b/;

/** What a recognised phrase means; returns whether its words stay search words. */
function apply(concept: Concept, u: Understood, phrase: string): boolean {
  for (const x of concept.categories ?? []) add(u.categories, x);
  for (const x of concept.audiences ?? []) add(u.audiences, x);
  for (const x of concept.access ?? []) add(u.access, x);
  for (const x of concept.formats ?? []) add(u.formats, x);
  for (const x of concept.kinds ?? []) add(u.kinds, x);
  if (concept.facet === 'language') {
    if (LANGUAGE_CUE.test(phrase)) for (const x of concept.languages ?? []) add(u.languages, x);
    else for (const x of concept.languages ?? []) add((u.preferLanguages ??= []), x);
  }
  if (concept.facet === 'topic' || concept.facet === 'audience' || concept.facet === 'language') {
    add((u.topics ??= []), concept.key);
    return true;
  }
  // Access, format and kind words ("step-free", "online", "course") are constraints, not words to find.
  return false;
}

const FILLER = new Set(['a', 'an', 'the', 'and', 'of', 'for', 'with', 'to', 'at', 'on']);

/** Strips the cue words of a language phrase: "in somali" → "somali". */
function contentOf(phrase: string): string {
  return (
    phrase
      .split(' ')
      .filter((w) => !FILLER.has(w) && !LANGUAGE_CUE.test(w))
      .join(' ') || phrase
  );
}

/** "childrens" → "children", "young peoples" → "young people": the last word of a possessive plural, folded. */
function possessive(phrase: string): string {
  return phrase.replace(/(children|people|men|folk)s$/, '$1');
}

function takeConcepts(tokens: string[], u: Understood): (string | Slot)[] {
  const out: (string | Slot)[] = [];
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    for (let n = Math.min(MAX_PHRASE, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n).join(' ');
      if (n === 1 && STOP_WORDS.has(phrase)) continue;
      // A possessive loses its apostrophe ("children's" → "childrens", "young people's"): read it as the word.
      const concepts = phraseIndex.get(phrase) ?? phraseIndex.get(possessive(phrase));
      if (concepts) {
        let keep = false;
        // "Cantonese speaking", "speaks Somali": the cue may sit just outside the phrase.
        const context = [tokens[i - 1] ?? '', phrase, tokens[i + n] ?? ''].join(' ');
        for (const concept of concepts)
          keep = apply(concept, u, concept.facet === 'language' ? context : phrase) || keep;
        if (keep) {
          const main = concepts.find((c) => c.facet === 'topic' || c.facet === 'audience' || c.facet === 'language')!;
          out.push({ text: contentOf(phrase), concept: main.key });
        }
        matched = n;
        break;
      }
    }
    if (matched) i += matched;
    else out.push(tokens[i++]!);
  }
  return out;
}

const COMPOUND_HEADS: ReadonlySet<string> = new Set(['pre', 'day', 'non', 'mid', 'off', 'out']);

/**
 * Compounds written apart or joined: "day centre" also finds "daycentre" and "lunchclub" also finds "lunch club",
 * when the other form is a known word or the two halves are.
 */
function joinCompounds(slots: Slot[], u: Understood, options: ParseOptions): Slot[] {
  const out = slots.map((x) => ({ ...x }));
  for (let i = 0; i < out.length; i++) {
    const a = out[i]!;
    const b = out[i + 1];
    const pair = a.text.split(' ');
    if (pair.length === 2) {
      const joined = pair.join('');
      if (options.catalogueWords?.has(joined) || englishWords().has(joined)) (a.alternatives ??= []).push(joined);
    }
    if (b && !a.concept && !b.concept && !a.text.includes(' ') && !b.text.includes(' ')) {
      const joined = a.text + b.text;
      if (joined.length >= 6 && (options.catalogueWords?.has(joined) || englishWords().has(joined))) {
        (a.alternatives ??= []).push(`${a.text} ${b.text}`, joined);
        a.text = `${a.text} ${b.text}`;
        out.splice(i + 1, 1);
        continue;
      }
    }
    if (!a.concept && !a.text.includes(' ') && a.text.length >= 7) {
      // A compound written as one word ("preschool", "lunchclub"): the two words, the longer split first.
      const known = isKnownWord(a.text, options);
      let best: [string, string] | undefined;
      for (let k = 3; k <= a.text.length - 3; k++) {
        const left = a.text.slice(0, k);
        const right = a.text.slice(k);
        if (FILLER.has(left) || FILLER.has(right) || !englishWords().has(left) || !englishWords().has(right)) continue;
        // The word list has many three-letter oddities ("sta", "tion"): halves of four letters or more, or a prefix
        // that compounds often take.
        if (right.length < 4 || (left.length < 4 && !COMPOUND_HEADS.has(left))) continue;
        if (!best || Math.min(left.length, right.length) > Math.min(best[0].length, best[1].length))
          best = [left, right];
      }
      if (best) {
        const split = best.join(' ');
        const concepts = known ? undefined : phraseIndex.get(split);
        let keep = false;
        for (const c of concepts ?? []) keep = apply(c, u, split) || keep;
        if (keep) out[i] = { text: split, concept: concepts![0]!.key, alternatives: [a.text] };
        else (a.alternatives ??= []).push(split);
      }
    }
  }
  return out;
}

/**
 * Typos: only a word that is not a known word (the English word list, the thesaurus, place names, the catalogue's
 * own words) is corrected, to a thesaurus phrase within a small edit distance: "dementa cafe" → dementia cafe,
 * "befriening" → befriending; "station", "working" and "reducing" stay as they are.
 */
function takeFuzzy(slots: Slot[], u: Understood, options: ParseOptions): Slot[] {
  const out: Slot[] = [];
  for (let i = 0; i < slots.length; ) {
    const one = slots[i]!;
    const next = slots[i + 1];
    const literal = (x: Slot | undefined) => x !== undefined && !x.concept && !x.text.includes(' ');
    if (!literal(one)) {
      out.push(one);
      i += 1;
      continue;
    }
    const unknown = (x: Slot) => !isKnownWord(x.text, options);
    if (next && literal(next) && (unknown(one) || unknown(next))) {
      const two = `${one.text} ${next.text}`;
      const best = two.length >= 8 ? fuzzyPair(two) : undefined;
      if (best && Math.abs(best.length - two.length) <= 2) {
        const concepts = phraseIndex.get(best) ?? [];
        let keep = false;
        for (const concept of concepts) keep = apply(concept, u, best) || keep;
        if (keep) out.push({ text: best, concept: concepts[0]!.key, corrected: two });
        i += 2;
        continue;
      }
    }
    if (one.text.length >= 5 && !KEEP_AS_IS.has(one.text) && unknown(one)) {
      const best = fuzzyWord(one.text);
      if (best && Math.abs(best.length - one.text.length) <= 1) {
        const concepts = phraseIndex.get(best) ?? [];
        let keep = false;
        for (const concept of concepts) keep = apply(concept, u, best) || keep;
        if (keep) out.push({ text: best, concept: concepts[0]!.key, corrected: one.text });
        i += 1;
        continue;
      }
    }
    out.push(one);
    i += 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------

function cut(s: string, index: number, length: number): string {
  return `${s.slice(0, index)} ${s.slice(index + length)}`.replace(/\s+/g, ' ').trim();
}

function add<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}

/** Audiences that filter (the rest only rank). */
export function hardAudiences(u: Understood): string[] {
  const hard = u.audiences.filter((a) => !(SOFT_AUDIENCES as readonly string[]).includes(a));
  // A baby's or toddler's parent is asking about children's activities and childcare too.
  if (hard.includes('parents_of_young_children') && !hard.includes('young_people')) hard.push('young_people');
  return hard;
}
