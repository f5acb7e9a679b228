import { z } from 'zod';
import {
  ACCESSIBILITY_FEATURES,
  ATTENDING_TYPES,
  AUDIENCES,
  ENTRY_KINDS,
  type AccessibilityFeature,
  type AttendingType,
  type Audience,
  type EntryKind,
} from '../model.ts';
import frontline from './thesaurus/frontline.json' with { type: 'json' };
import openactive from './thesaurus/openactive.json' with { type: 'json' };
import services from './thesaurus/services.json' with { type: 'json' };

/**
 * The thesaurus search, digests' filters, import facets and the unmet-needs statistics share, loaded from data:
 * `thesaurus/frontline.json` (what frontline staff type: "lunch club", "LD", "over 60s", "step-free", "Bengali
 * speaking", and what it means for the catalogue), `thesaurus/services.json` (needs in everyday words, with the
 * wording directories file them under) and `thesaurus/openactive.json` (the OpenActive Activity List, CC-BY-4.0: UK
 * physical activities with their broader activities).
 *
 * Phrases are matched on normalised text (lower case, accents and apostrophes dropped, hyphens as spaces), longest
 * phrase first. The words of a matched phrase still count as words; the concept's other phrases and `search` words
 * are searched as synonyms with a lower weight, and its broader concepts are offered when nothing matches.
 */
export type Facet = 'topic' | 'audience' | 'access' | 'language' | 'format' | 'kind';

export type Concept = {
  /** Stable name, for tests, logs and statistics ("lunch-club", "oa:zumba"). */
  key: string;
  facet: Facet;
  /** How to name it to a person, plural where it is a kind of group: "lunch clubs", "dance classes". */
  label: string;
  phrases: readonly string[];
  categories?: readonly string[];
  audiences?: readonly Audience[];
  /**
   * Who a question about this need asks for, though it names no one (cervical screening: women; a cot: parents of
   * young children): listings for them are not ranked down as another audience's. Ranking only: never a filter,
   * never a facet read from a listing's text.
   */
  asks?: readonly Audience[];
  access?: readonly AccessibilityFeature[];
  languages?: readonly string[];
  formats?: readonly AttendingType[];
  kinds?: readonly EntryKind[];
  /** Words (or "a b" phrases) to look for in the full-text index when this concept is asked for. */
  search?: readonly string[];
  /** Wider concepts, by key. */
  broader?: readonly string[];
};

const ConceptSchema = z.object({
  key: z.string().min(1),
  facet: z.enum(['topic', 'audience', 'access', 'language', 'format', 'kind']),
  label: z.string().min(1),
  phrases: z.array(z.string().min(1)).min(1),
  search: z.array(z.string().min(1)).optional(),
  broader: z.array(z.string().min(1)).optional(),
  categories: z.array(z.string().min(1)).optional(),
  audiences: z.array(z.enum(AUDIENCES)).optional(),
  asks: z.array(z.enum(AUDIENCES)).optional(),
  access: z.array(z.enum(ACCESSIBILITY_FEATURES)).optional(),
  languages: z.array(z.string().min(1)).optional(),
  formats: z.array(z.enum(ATTENDING_TYPES)).optional(),
  kinds: z.array(z.enum(ENTRY_KINDS)).optional(),
});
const FrontlineSchema = z.object({ about: z.string(), concepts: z.array(ConceptSchema) });
const OpenActiveSchema = z.object({
  about: z.string(),
  concepts: z.array(
    z.object({ key: z.string(), label: z.string(), terms: z.array(z.string()), broader: z.array(z.string()) }),
  ),
});

/**
 * OpenActive labels that are everyday words or brand names before they are activities ("Acting", "Bounce", "House",
 * "Spa"): kept as the concept's search words, but never recognised as a topic in a question.
 */
const OPENACTIVE_NOT_IN_QUESTIONS = new Set(
  (
    'acting aerial air bounce burn commercial contemporary eton extend fabs fierce freestyle funk hacking house jazz latin ' +
    'locking modern nova pool popping rabble racing rebound schooling snatch suspension swing tap urban spa running otago ' +
    'psi synergy sprint lyrical carnival extend insanity fame medau nia tre kfa vipr rpm racketball waterworks treadmill ' +
    'barre step circuit circuits core abs strength tone toning balance stretch flexibility walking singing gardening yoga ' +
    'dance swimming meditation gym pilates aerobics'
  ).split(/\s+/),
);

const clean = (label: string) => label.replace(/[®™]/g, '').replace(/\//g, ' ').replace(/\s+/g, ' ').trim();

/** The frontline thesaurus, then `services.json`'s needs (bills, benefits, housing, health, justice…) in the same shape. */
function loadFrontline(): Concept[] {
  return [...FrontlineSchema.parse(frontline).concepts, ...FrontlineSchema.parse(services).concepts].map(
    (c) => ({ ...c }) as Concept,
  );
}

/** OpenActive concepts not already covered by a frontline phrase; top-level activities sit under exercise. */
function loadOpenActive(front: readonly Concept[]): Concept[] {
  const known = new Set(front.flatMap((c) => c.phrases.map(normalisePhrase)));
  const list = OpenActiveSchema.parse(openactive).concepts;
  const out: Concept[] = [];
  for (const c of list) {
    const terms = [...new Set(c.terms.map(clean).map(normalisePhrase))].filter(Boolean);
    const phrases = terms.filter(
      (t) => !known.has(t) && (t.includes(' ') ? true : !OPENACTIVE_NOT_IN_QUESTIONS.has(t) && t.length > 3),
    );
    out.push({
      key: c.key,
      facet: 'topic',
      label: clean(c.label),
      phrases: phrases.length ? phrases : [],
      categories: [normalisePhrase(clean(c.label))],
      search: terms,
      broader: c.broader.length ? c.broader : ['exercise'],
    });
  }
  return out;
}

/** Lower case, accents and apostrophes dropped, anything but letters and digits a space. */
export function normalisePhrase(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2018\u2019`]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9+ ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const FRONTLINE = loadFrontline();
const byFacet = (facet: Facet) => FRONTLINE.filter((c) => c.facet === facet);

/** Topics: kinds of activity and help, frontline first, then OpenActive's activities. */
export const TOPICS: readonly Concept[] = [...byFacet('topic'), ...loadOpenActive(FRONTLINE)];
/** Who a resident is: audiences, most of them a filter (see `SOFT_AUDIENCES`). */
export const AUDIENCE_WORDS: readonly Concept[] = byFacet('audience');
/**
 * Audiences that describe the resident rather than a need: they boost matching groups but never exclude mixed ones
 * (a lonely man is welcome at most lunch clubs). A group only for the other gender is still left out.
 */
export const SOFT_AUDIENCES: readonly Audience[] = ['men', 'women'];
export const ACCESS_WORDS: readonly Concept[] = byFacet('access');
/** Languages, by the names staff type; the values are the catalogue's lower-case language names. */
export const LANGUAGE_WORDS: readonly Concept[] = byFacet('language');
export const FORMAT_WORDS: readonly Concept[] = byFacet('format');
export const KIND_WORDS: readonly Concept[] = byFacet('kind');

/** Every concept, in the order ties are broken (earlier wins for the same phrase). */
export const CONCEPTS: readonly Concept[] = [
  ...KIND_WORDS,
  ...ACCESS_WORDS,
  ...LANGUAGE_WORDS,
  ...AUDIENCE_WORDS,
  ...TOPICS,
  ...FORMAT_WORDS,
];

const CONCEPT_BY_KEY = new Map(CONCEPTS.map((c) => [c.key, c]));
export function conceptByKey(key: string): Concept | undefined {
  return CONCEPT_BY_KEY.get(key);
}

/**
 * The categories of a topic's narrower concepts, three levels down ("exercise" → walking, pilates, walking football):
 * a listing filed under a narrower kind is a kind of what was asked. Worked out once per concept.
 */
export function narrowerCategories(key: string): ReadonlySet<string> {
  let found = NARROWER_CATEGORIES.get(key);
  if (found) return found;
  const out = new Set<string>();
  let level = new Set([key]);
  const seen = new Set([key]);
  for (let depth = 0; depth < 3 && level.size; depth++) {
    const next = new Set<string>();
    for (const c of TOPICS)
      if (!seen.has(c.key) && c.broader?.some((b) => level.has(b))) {
        seen.add(c.key);
        next.add(c.key);
        for (const cat of c.categories ?? []) out.add(cat);
      }
    level = next;
  }
  for (const cat of conceptByKey(key)?.categories ?? []) out.delete(cat);
  found = out;
  NARROWER_CATEGORIES.set(key, found);
  return found;
}
const NARROWER_CATEGORIES = new Map<string, ReadonlySet<string>>();

/** Words that carry no meaning for search: filler in staff questions. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but for of to in on at by with from into onto near nearby around close closest nearest local locally ' +
    'something anything someone somebody anyone anybody thing things stuff place places somewhere where what whats which who whos ' +
    'whose when how is are was were be been being am do does did has have had having can could would should will shall may might must ' +
    'i me my we us our you your he him his she her they them their it its this that these those there here ' +
    'resident residents client clients patient patients service user users customer tenant tenants person people ' +
    'looking look find finding want wants wanted need needs needed needing like likes would love please help helping get getting go going ' +
    'any some all more much many very really quite just also only other another else ' +
    'good nice great suitable available happening on offer offered options option ideas idea suggestions ' +
    'group groups club clubs activity activities session sessions event events thing service services support ' +
    'camden london borough area areas ward wards nr approx about up out over under than ' +
    'speaking speaks speak speaker spoken language languages recently currently feeling feels ' +
    's t d ll re ve m o so if as not no yes ok okay thanks thank hi hello hey is'
  ).split(/\s+/),
);

/**
 * The rest of the English stop words the text-search configuration drops: no listing can match them, so a word left
 * over after the concepts are read is not a part of the question ("wig after chemotherapy"). Inside a thesaurus phrase
 * they still count as its words ("after school club").
 */
export const UNINDEXED_WORDS: ReadonlySet<string> = new Set(
  (
    'after before again against below between both during each few further most nor own same such then too until ' +
    'while why because off once through above down doing ours ourselves yours yourself yourselves himself herself ' +
    'itself themselves theirs whom myself hers don now'
  ).split(' '),
);

/** Words staff use that are not filler but should never be fuzzily corrected into a concept. */
export const KEEP_AS_IS: ReadonlySet<string> = new Set([
  'health',
  'centre',
  'center',
  'community',
  'weekly',
  'monthly',
]);
