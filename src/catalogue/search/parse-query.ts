import * as chrono from 'chrono-node';
import Fuse from 'fuse.js';
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
import type { Understood } from './types.ts';
import { CONCEPTS, type Concept, KEEP_AS_IS, SOFT_AUDIENCES, STOP_WORDS } from './vocabulary.ts';

/**
 * Turns a staff question into what it asks for, deterministically and locally: day and time words (chrono-node, in
 * Europe/London), Camden places and postcodes, audiences, topics, cost, access needs, languages, formats and kinds.
 * Words left over become full-text `terms`. Pure: the same text and `now` always give the same answer.
 */
export function parseQuery(text: string, now: Date): Understood {
  const u: Understood = { terms: [], audiences: [], categories: [], access: [], languages: [], formats: [], kinds: [] };
  let s = normaliseQueryText(text);

  s = takePostcode(s, u);
  s = takeCost(s, u);
  s = takeAges(s, u);
  s = takeTimes(s, u, now);

  let tokens = s.split(' ').filter(Boolean);
  tokens = takePlaces(tokens, u);
  tokens = takeConcepts(tokens, u);
  tokens = tokens.filter((t) => !STOP_WORDS.has(t) && !/^\d+(\.\d+)?$/.test(t) && t.length > 1);
  tokens = takeFuzzy(tokens, u);
  u.terms = unique(tokens);
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
    /\b(?:under|less than|below|up to|no more than|max(?:imum)?|cheaper than|not more than)\s*£\s*(\d+(?:\.\d{1,2})?)/.exec(out) ??
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
  const free = /(?<!\b(?:step|stair|carer|hands|sugar|gluten|dairy|smoke|alcohol) )\b(free of charge|free|no cost|costs nothing|nothing to pay|no charge|without charge)\b/.exec(out);
  if (free) {
    u.free = true;
    out = cut(out, free.index, free[0].length);
  }
  return out;
}

function takeAges(s: string, u: Understood): string {
  const older = /\b(?:aged |age |over |over the age of )?([5-9]\d) ?(?:\+|plus|and over|or over|s and over)|\bover ([5-9]\d) ?s?\b|\b([5-9]\d)s\b/.exec(s);
  if (older) {
    add(u.audiences, 'older_people');
    return cut(s, older.index, older[0].length);
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
    const from = m[1] === 'next' && today.weekday < 6 ? sat.plus({ weeks: 1 }) : m[1] === 'next' ? thisWeekend.plus({ weeks: 1 }) : thisWeekend;
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
    window(first, first.plus({ months: 1 }), `in ${first.toFormat('LLLL')}${m[3] || year !== today.year ? ` ${year}` : ''}`);
  });
  take(/\btoday\b/, () => window(sod, sod.plus({ days: 1 }), 'today'));
  take(/\btomorrow\b/, () => window(sod.plus({ days: 1 }), sod.plus({ days: 2 }), 'tomorrow'));
  // "on Tuesdays", "every Tuesday", "Tuesdays and Thursdays": days of the week, not one date.
  for (;;) {
    const m = /\b(?:on |every |each )?(mon|tues|wednes|thurs|fri|satur|sun)days\b|\b(?:every|each) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/.exec(out);
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
// Places

type PlaceMatch = { label: string; wards: string[]; lat: number; lon: number };

function placeFor(phrase: string): PlaceMatch | undefined {
  const area = findArea(phrase);
  if (area) return { label: area.name, wards: [...area.wards], lat: area.centroid.lat, lon: area.centroid.lon };
  const ward = findWard(phrase);
  if (ward) return { label: ward.name, wards: [ward.name], lat: ward.centroid.lat, lon: ward.centroid.lon };
  return undefined;
}

function takePlaces(tokens: string[], u: Understood): string[] {
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
    }
    if (matched) i += matched;
    else out.push(tokens[i++]!);
  }
  return out;
}

const PLACE_NAMES: string[] = unique([
  ...WARDS.flatMap((w) => [w.name, ...w.aliases]),
  ...AREAS.flatMap((a) => [a.name, ...a.aliases]),
].map(normalisePlaceName));
/**
 * fuse.js indexes over small vocabularies, one per first letter: a typo rarely hits the first letter, and searching
 * a few dozen words instead of hundreds keeps parsing well under a millisecond.
 */
function byFirstLetter(words: readonly string[], options: { threshold: number; distance: number }): (word: string) => string | undefined {
  const groups = new Map<string, string[]>();
  for (const w of words) groups.set(w[0]!, [...(groups.get(w[0]!) ?? []), w]);
  const indexes = new Map([...groups].map(([k, list]) => [k, new Fuse(list, { includeScore: true, ignoreLocation: false, ...options })]));
  return (word) => {
    const best = indexes.get(word[0] ?? '')?.search(word)[0];
    return best && (best.score ?? 1) <= options.threshold ? best.item : undefined;
  };
}

const fuzzyPlace = byFirstLetter(PLACE_NAMES, { threshold: 0.25, distance: 20 });

// ---------------------------------------------------------------------------------------------------------------------
// Concepts

const phraseIndex = new Map<string, Concept[]>();
for (const concept of CONCEPTS) {
  for (const phrase of concept.phrases) {
    const key = normaliseQueryText(phrase);
    const list = phraseIndex.get(key) ?? [];
    list.push(concept);
    phraseIndex.set(key, list);
  }
}
const MAX_PHRASE = Math.max(...[...phraseIndex.keys()].map((k) => k.split(' ').length));

/** Single-word phrases long enough to be matched with a typo. */
const FUZZY_WORDS = [...phraseIndex.keys()].filter((k) => !k.includes(' ') && k.length >= 5);
const fuzzyWord = byFirstLetter(FUZZY_WORDS, { threshold: 0.3, distance: 10 });
/** Two-word phrases ("dementa cafe", "lunch clb"). */
const FUZZY_PAIRS = [...phraseIndex.keys()].filter((k) => k.split(' ').length === 2 && k.length >= 8);
const fuzzyPair = byFirstLetter(FUZZY_PAIRS, { threshold: 0.25, distance: 10 });

function apply(concept: Concept, u: Understood): void {
  if (concept.search?.length) add((u.topics ??= []), concept.key);
  for (const x of concept.categories ?? []) add(u.categories, x);
  for (const x of concept.audiences ?? []) add(u.audiences, x);
  for (const x of concept.access ?? []) add(u.access, x);
  for (const x of concept.languages ?? []) add(u.languages, x);
  for (const x of concept.formats ?? []) add(u.formats, x);
  for (const x of concept.kinds ?? []) add(u.kinds, x);
}

function takeConcepts(tokens: string[], u: Understood): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    for (let n = Math.min(MAX_PHRASE, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n).join(' ');
      const concepts = phraseIndex.get(phrase);
      if (concepts) {
        for (const concept of concepts) apply(concept, u);
        if (n > 1 && concepts.some((c) => c.search?.length)) add((u.phrases ??= []), phrase);
        matched = n;
        break;
      }
    }
    if (matched) i += matched;
    else out.push(tokens[i++]!);
  }
  return out;
}

/** Typos: a place name, then a two-word phrase, then a single word, each within a small edit distance. */
function takeFuzzy(tokens: string[], u: Understood): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const one = tokens[i]!;
    const two = i + 1 < tokens.length ? `${one} ${tokens[i + 1]}` : undefined;
    if (!u.place) {
      const candidates = [two, one].filter((x): x is string => x !== undefined && x.length >= 6);
      let hit = false;
      for (const phrase of candidates) {
        const best = fuzzyPlace(phrase);
        if (best && Math.abs(best.length - phrase.length) <= 2) {
          const place = placeFor(best);
          if (place) {
            u.place = { label: place.label, wards: place.wards, latitude: place.lat, longitude: place.lon };
            i += phrase === two ? 2 : 1;
            hit = true;
            break;
          }
        }
      }
      if (hit) continue;
    }
    if (two && two.length >= 8) {
      const best = fuzzyPair(two);
      if (best && Math.abs(best.length - two.length) <= 2) {
        for (const concept of phraseIndex.get(best) ?? []) apply(concept, u);
        i += 2;
        continue;
      }
    }
    if (one.length >= 5 && !KEEP_AS_IS.has(one)) {
      const best = fuzzyWord(one);
      if (best && Math.abs(best.length - one.length) <= 1) {
        for (const concept of phraseIndex.get(best) ?? []) apply(concept, u);
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
  return u.audiences.filter((a) => !(SOFT_AUDIENCES as readonly string[]).includes(a));
}
