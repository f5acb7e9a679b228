/** The filters a question becomes, and the full-text query text of its words, synonyms and wider concepts. */
import { hardAudiences, isKnownWord } from './parse-query.ts';
import { isConstraintSlot } from './read-concepts.ts';
import type { Slot, Understood } from './types.ts';
import { type Concept, conceptByKey, SOFT_AUDIENCES, STOP_WORDS } from './vocabulary.ts';

/** A day of the week without a date looks this far ahead (covers monthly groups). */
const WEEKDAY_HORIZON_DAYS = 35;

/** Audiences that say who the resident is rather than what the group is for ("man", "lady"). */
const SOFT: ReadonlySet<string> = new Set(SOFT_AUDIENCES);

export const TIME_OF_DAY_HOURS = { morning: [0, 12], afternoon: [12, 17], evening: [17, 24] } as const;

/** The filters one database query applies; relaxing the search removes them one at a time. */
export type Filters = {
  /** One tsquery per slot of the question: its words or its synonyms (what finds candidates). */
  groups: string[];
  /** Per slot: its own words (full weight) and its synonyms (lower weight), for ranking. */
  literal: string[];
  synonyms: string[];
  /** The slots the per-slot lists above stand for, in the same order. */
  slots: Slot[];
  /** Per slot: the wider concept searched instead, when nothing is listed for the one asked. */
  broadened: (string | undefined)[];
  trigramTerms: string[];
  wards?: string[];
  kinds: string[];
  audiences: string[];
  excludeOnlyFor?: string;
  free?: boolean;
  maxCost?: number;
  access: string[];
  languages: string[];
  formats: string[];
  time?: { from: Date; to: Date; weekdays?: number[]; hours?: readonly [number, number] };
  /**
   * Venues of the street, building or town named ("at Cheriton Library", "in Christchurch"): their listings are
   * candidates even when no word of the question is in their text.
   */
  venueIds?: string[];
  /**
   * With venues: the question's need without the words of the town or venue named (a tsquery), so that listings
   * there that meet it are candidates however many listings elsewhere share the need.
   */
  needAtVenue?: string;
  /** Listings the question names by initials ("LWKM"): candidates first, and ranked as a title the question is. */
  named?: NamedListing[];
};

/** A listing whose title's or organisation's initials are a word of the question. */
export type NamedListing = { id: string; text: string; field: 'title' | 'organisation' };

export function emptyFilters(): Filters {
  return {
    groups: [],
    literal: [],
    synonyms: [],
    slots: [],
    broadened: [],
    trigramTerms: [],
    kinds: [],
    audiences: [],
    access: [],
    languages: [],
    formats: [],
  };
}

/** tsquery text for one word or phrase: letters and digits only, the words of a phrase all required. */
export function tsWords(words: string): string | undefined {
  const all = wordsOf(words);
  const parts = all.filter((w) => !STOP_WORDS.has(w));
  if (parts.length === 0) {
    if (all.length === 0) return undefined;
    return all.length === 1 ? all[0] : `(${all.join(' & ')})`;
  }
  return parts.length === 1 ? parts[0] : `(${parts.join(' & ')})`;
}

/** A text's words as text search splits them, lower case. */
function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Words that say what kind of thing, not which: a phrase without them ("lunch club" → lunch) keeps its meaning. */
const GENERIC_WORDS: ReadonlySet<string> = new Set(
  (
    'group groups club clubs activity activities session sessions event events service services support thing things ' +
    'resident residents client clients patient patients user users customer tenant tenants person people someone ' +
    'a an the and of for'
  ).split(' '),
);

/** Whether a phrase has words that text search drops and that carry its meaning ("will" in "living will"). */
export function lostWords(text: string): boolean {
  const words = wordsOf(text);
  return words.length > 1 && words.some((w) => STOP_WORDS.has(w) && !GENERIC_WORDS.has(w));
}

export const orOf = (parts: readonly (string | undefined)[]): string =>
  [...new Set(parts.filter((p): p is string => Boolean(p)))].join(' | ');

/** The synonyms of a concept as tsquery text: its phrases, search words and categories, without `exclude`. */
export function conceptQuery(key: string, exclude?: string): string {
  const concept = conceptByKey(key);
  if (!concept) return '';
  const own = exclude ? tsWords(exclude) : undefined;
  return orOf(synonymParts(concept).filter((w) => w !== own));
}

/**
 * A concept's synonyms, one tsquery part each. The curated search words and categories (phrases are for reading
 * questions; many are inflections of these); a concept without search words (OpenActive's) is searched by its labels.
 * A phrase's words stand for the concept together: one that is a single word without its common words ("lost
 * someone" → lost, "looking after" → after, "fun run" → fun) is not a synonym unless the concept names that word.
 * The thesaurus does not change while running, so each concept's parts are worked out once.
 */
function synonymParts(concept: Concept): (string | undefined)[] {
  let parts = SYNONYM_PARTS.get(concept.key);
  if (parts) return parts;
  const words =
    concept.search?.length && !concept.key.startsWith('oa:')
      ? [
          ...concept.search,
          ...(concept.categories ?? []),
          ...concept.phrases.filter((x) => x.includes(' ')).slice(0, 6),
        ]
      : [...concept.phrases, ...(concept.search ?? []), ...(concept.categories ?? [])];
  const single = new Set(
    [...(concept.search ?? []), ...(concept.categories ?? []), ...concept.phrases.filter((x) => !x.includes(' '))].map(
      tsWords,
    ),
  );
  const content = (w: string) => wordsOf(w).filter((x) => !STOP_WORDS.has(x)).length;
  parts = words.filter((w) => !w.includes(' ') || content(w) > 1 || single.has(tsWords(w))).map(tsWords);
  SYNONYM_PARTS.set(concept.key, parts);
  return parts;
}
const SYNONYM_PARTS = new Map<string, (string | undefined)[]>();

/**
 * "dance fitness and exercise classes": the nearest wider activity and the first of our own concepts above it, so
 * the alternatives are named the way staff would name them.
 */
export function broaderLabel(broader: readonly string[]): string {
  const first = conceptByKey(broader[0]!)!;
  const own = broader.map((k) => conceptByKey(k)!).find((c) => !c.key.startsWith('oa:'));
  const nearest = first.key.startsWith('oa:') ? first.label.toLowerCase() : first.label;
  if (!own || own === first) return nearest;
  const noun = own.label.split(' ').pop()!;
  // "dance fitness" + "exercise classes" → "dance fitness and exercise classes"
  return `${nearest} and ${own.label}`.replace(new RegExp(`^(.*) ${noun} and (.*) ${noun}$`), `$1 and $2 ${noun}`);
}

/** Wider concepts, two levels up, for "no zumba is listed; these are other dance fitness classes". */
export function broaderOf(key: string): string[] {
  const out: string[] = [];
  let level = [...(conceptByKey(key)?.broader ?? [])];
  // Up the hierarchy to the first of our own concepts (OpenActive's top activities sit under exercise).
  for (let depth = 0; depth < 4 && level.length; depth++) {
    for (const k of level) if (k !== key && conceptByKey(k) && !out.includes(k)) out.push(k);
    if (level.some((k) => !k.startsWith('oa:'))) break;
    level = level.flatMap((k) => conceptByKey(k)?.broader ?? []);
  }
  return out;
}

/**
 * One tsquery per slot of the question (its own words, or its concept's synonyms), and the two halves apart for
 * ranking: a listing with the words themselves ranks above one with only a synonym.
 */
export function textGroups(u: Understood): {
  groups: string[];
  literal: string[];
  synonyms: string[];
  slots: Slot[];
  trigramTerms: string[];
} {
  const groups: string[] = [];
  const slots: Slot[] = [];
  const literal: string[] = [];
  const synonyms: string[] = [];
  const trigramTerms: string[] = [];
  for (const slot of slotsOf(u)) {
    // Other spellings of a compound are phrases: "pre-school" is indexed as its parts side by side. A constraint's
    // words count one by one ("Wheelchair Basketball" for "a wheelchair user").
    const lit = orOf([
      isConstraintSlot(slot) ? tsWords(slot.text)?.replace(/ & /g, ' | ') : tsWords(slot.text),
      ...(slot.alternatives ?? []).map((a) => tsWords(a)?.replace(/ & /g, ' <-> ')),
    ]);
    if (!lit) continue;
    // "man", "husband", "lady": who the resident is, looked for as written, never through "men" in Men's Shed.
    // A constraint's words ("wheelchair", "online") are looked for as written only: the constraint is its filter.
    const soft =
      isConstraintSlot(slot) ||
      (slot.concept ? conceptByKey(slot.concept)?.audiences?.some((a) => SOFT.has(a)) : false);
    const syn = slot.concept && !soft ? conceptQuery(slot.concept, slot.text) : '';
    slots.push(slot);
    literal.push(lit);
    synonyms.push(syn || lit);
    groups.push(syn ? `${lit} | ${syn}` : lit);
    // Titles close to a word, for typos in names: only for a word that is not itself a known word ("station" is
    // never "Session").
    if (!slot.concept && !slot.text.includes(' ') && slot.text.length >= 4 && !isKnownWord(slot.text))
      trigramTerms.push(slot.text);
  }
  return { groups, literal, synonyms, slots, trigramTerms };
}

/** The question's slots (an older parse without them: its leftover words, one slot each). */
export function slotsOf(u: Understood): Slot[] {
  return u.slots ?? u.terms.map((text) => ({ text }));
}

export function toFilters(u: Understood, now: Date): Filters {
  const { groups, literal, synonyms, slots, trigramTerms } = textGroups(u);
  const f: Filters = {
    groups,
    literal,
    synonyms,
    slots,
    broadened: [],
    trigramTerms,
    kinds: [...u.kinds],
    audiences: hardAudiences(u),
    access: [...u.access],
    languages: [...u.languages],
    formats: [...u.formats],
  };
  if (u.audiences.includes('men') && !u.audiences.includes('women')) f.excludeOnlyFor = 'women';
  if (u.audiences.includes('women') && !u.audiences.includes('men')) f.excludeOnlyFor = 'men';
  if (u.free) f.free = true;
  if (u.maxCost !== undefined) f.maxCost = u.maxCost;
  if (u.place) f.wards = [...u.place.wards];
  if (u.when || u.weekdays?.length || u.timeOfDay) {
    const from = u.when ? new Date(u.when.from) : now;
    const to = u.when ? new Date(u.when.to) : new Date(now.getTime() + WEEKDAY_HORIZON_DAYS * 86_400_000);
    f.time = {
      from: from < now ? now : from,
      to,
      ...(u.weekdays?.length ? { weekdays: u.weekdays } : {}),
      ...(u.timeOfDay ? { hours: TIME_OF_DAY_HOURS[u.timeOfDay] } : {}),
    };
  }
  return f;
}

/** The trigram word of slot `i`, when its literal is one word that no concept knows. */
export function trigramFor(f: Filters, i: number): string | null {
  const lit = f.literal[i];
  return lit && f.trigramTerms.includes(lit) ? lit : null;
}
