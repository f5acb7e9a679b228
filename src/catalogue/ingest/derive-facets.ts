import { findPostcodeDistrict, findWard, normalisePostcode } from '../geography/camden.ts';
import type { Audience, CatalogueEntryData, LocationInput } from '../model.ts';
import { normaliseQueryText } from '../search/parse-query.ts';
import { STREET_WORDS } from '../search/read-places.ts';
import { CONCEPTS, type Concept } from '../search/vocabulary.ts';

/**
 * Facets from text, for entries a source gave none: categories and audiences read from the title and description
 * with the search vocabulary, and a venue's ward (and approximate coordinates) from its postcode. Given values are
 * never changed; an import that later brings real tags replaces derived ones, since each import writes an entry's
 * facets whole.
 *
 * Conservative by design: a title names what a group is ("Ladies' Knit and Natter"), so its phrases count fully; a
 * description mentions many things in passing, so it gives a category only when it names it twice, and an audience
 * only when it says so plainly ("for over 60s", "women only", "for carers"). Words of a street address never count.
 */

export type DerivedFacets = { categories: string[]; audiences: Audience[] };

type Phrase = { words: string[]; concept: Concept };

/**
 * Phrases that name a topic or a group only in context ("weight loss", "theatre company", "Friends of the park",
 * "looking after yourself", "Mother's Day concert", "senior management"): they give nothing on their own.
 */
const WEAK_PHRASES: ReadonlySet<string> = new Set([
  'active',
  'balance',
  'bills',
  'call',
  'cards',
  'company',
  'died',
  'eat',
  'eating',
  'fall',
  'forms',
  'friends',
  'growing',
  'letters',
  'loss',
  'memory',
  'money',
  'movement',
  'plants',
  'ring',
  'video',
  'virtual',
  'shed',
  'email',
  'benefit',
  'senior',
  'parent',
  'mother',
  'mothers',
  'dad',
  'mum',
  'looking after',
  'looks after',
  'caring',
  'caring for',
  'cares for',
  'lost someone',
]);

/**
 * Audience words that describe a person in passing ("The Man Who Fell to Earth", "Lady Margaret Hall"); only the
 * group forms ("men's", "ladies'", "women only") give an audience.
 */
const PASSING_AUDIENCE_WORDS: ReadonlySet<string> = new Set([
  'man',
  'woman',
  'lady',
  'wife',
  'husband',
  'gentleman',
  'older man',
]);

/**
 * Street addresses, read on the text as written (addresses are capitalised): a house number with up to three words
 * and a street word ("25 Red Lion Square", "5 Garden Walk"), or one or two words before an unambiguous street word
 * ("Lyndhurst Gardens", "Chester Road"). Their words never count as topics.
 */
const ADDRESS_WITH_NUMBER =
  /\b\d+[A-Za-z]?,? (?!(?:Mile|Miles|Km|Minute|Minutes|Hour|Hours|Week|Weeks|Day|Days|Step|Steps)\b)(?:[A-Z][a-z\u2019']+ ){1,3}(?:Road|Rd|Street|St|Lane|Avenue|Ave|Gardens|Close|Crescent|Terrace|Grove|Mews|Square|Sq|Place|Parade|Drive|Estate|Court|Yard|Walk|Way|Row|Hill|Park)\b/g;
const NAMED_STREET =
  /\b(?:[A-Z][a-z\u2019']+ ){1,2}(?:Road|Street|Lane|Avenue|Gardens|Close|Crescent|Terrace|Grove|Mews|Square|Estate)\b/g;
const POSTCODE_TEXT = /\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b/gi;

/** "for over 60s", "aimed at carers", "women only": a description states who it is for. */
const AUDIENCE_CUES = [
  'for',
  'for local',
  'for all',
  'aimed at',
  'open to',
  'suitable for',
  'designed for',
  'especially for',
  'welcomes',
  'for people with',
  'for those with',
  'for adults with',
];

let phraseIndex: { phrases: Phrase[]; byFirst: Map<string, Phrase[]> } | undefined;

/** Every vocabulary phrase that carries a category or an audience, normalised, longest first. */
function phrases(vocabulary: readonly Concept[] = CONCEPTS): { phrases: Phrase[]; byFirst: Map<string, Phrase[]> } {
  if (vocabulary === CONCEPTS && phraseIndex) return phraseIndex;
  const list: Phrase[] = [];
  const seen = new Set<string>();
  for (const concept of vocabulary) {
    if (!concept.categories?.length && !concept.audiences?.length) continue;
    for (const phrase of concept.phrases) {
      const normalised = normaliseQueryText(phrase);
      // Earlier concepts win a phrase they share, as in the query parser.
      if (!normalised || seen.has(normalised)) continue;
      seen.add(normalised);
      list.push({ words: normalised.split(' '), concept });
    }
  }
  list.sort((a, b) => b.words.length - a.words.length);
  const byFirst = new Map<string, Phrase[]>();
  for (const p of list) byFirst.set(p.words[0]!, [...(byFirst.get(p.words[0]!) ?? []), p]);
  const index = { phrases: list, byFirst };
  if (vocabulary === CONCEPTS) phraseIndex = index;
  return index;
}

type Match = { phrase: Phrase; start: number; end: number };

/** Whole-phrase matches, longest first at each position; matched words are used once. */
function matchPhrases(words: readonly string[], vocabulary?: readonly Concept[]): Match[] {
  const { byFirst } = phrases(vocabulary);
  const out: Match[] = [];
  for (let i = 0; i < words.length; ) {
    const candidates = byFirst.get(words[i]!) ?? [];
    const hit = candidates.find((p) => p.words.every((w, k) => words[i + k] === w));
    if (hit) {
      out.push({ phrase: hit, start: i, end: i + hit.words.length });
      i += hit.words.length;
    } else i++;
  }
  return out;
}

/** Text with street addresses, postcodes and the venue's own address lines taken out, normalised. */
function withoutAddresses(raw: string, location: LocationInput | undefined): string {
  const text = raw.replace(POSTCODE_TEXT, ' ').replace(ADDRESS_WITH_NUMBER, ' ').replace(NAMED_STREET, ' ');
  let normalised = ` ${normaliseQueryText(text)} `;
  for (const part of [location?.address1, location?.address2, location?.city]) {
    const p = part ? normaliseQueryText(part) : '';
    if (p.length >= 4) normalised = normalised.split(` ${p} `).join(' ');
  }
  return normalised.replace(/\s+/g, ' ').trim();
}

/** "Over 60s", "60+", "aged 55 and over" (but not "for 60+ years"). */
const NOT_AGES = '(?! ?(?:years?|yrs|minutes?|mins|miles?|km|metres|people|places|members|pounds))';
const OLDER_AGE = new RegExp(
  `\\b(?:over |aged |age )?(?:[5-9]\\d) ?(?:\\+|plus|and over|or over)${NOT_AGES}|\\bover (?:[5-9]\\d) ?s?\\b${NOT_AGES}`,
);

/**
 * Categories and audiences read from an entry's title and description with the search vocabulary (pure).
 * `vocabulary` defaults to the search's own concepts.
 */
export function deriveFacets(
  input: { title: string; description?: string; location?: LocationInput },
  vocabulary?: readonly Concept[],
): DerivedFacets {
  const title = withoutAddresses(input.title, input.location);
  const description = withoutAddresses(input.description ?? '', input.location);
  const categoryScore = new Map<string, number>();
  const audiences = new Set<Audience>();
  const titleWords = title.split(' ').filter(Boolean);
  const descriptionWords = description.split(' ').filter(Boolean);

  for (const m of matchPhrases(titleWords, vocabulary)) {
    const phrase = m.phrase.words.join(' ');
    const weak = WEAK_PHRASES.has(phrase);
    if (!weak) for (const c of m.phrase.concept.categories ?? []) categoryScore.set(c, (categoryScore.get(c) ?? 0) + 2);
    if (!weak && !PASSING_AUDIENCE_WORDS.has(phrase))
      for (const a of m.phrase.concept.audiences ?? []) audiences.add(a);
  }
  if (OLDER_AGE.test(title)) audiences.add('older_people');

  for (const m of matchPhrases(descriptionWords, vocabulary)) {
    const phrase = m.phrase.words.join(' ');
    if (WEAK_PHRASES.has(phrase)) continue;
    for (const c of m.phrase.concept.categories ?? []) categoryScore.set(c, (categoryScore.get(c) ?? 0) + 1);
    if (
      m.phrase.concept.audiences?.length &&
      !PASSING_AUDIENCE_WORDS.has(phrase) &&
      statedPlainly(descriptionWords, m)
    ) {
      for (const a of m.phrase.concept.audiences) audiences.add(a);
    }
  }
  const plainAge = new RegExp(
    `\\b(?:for|aged|age) (?:people |adults |those |anyone )?(?:aged )?(?:over )?[5-9]\\d ?(?:\\+|plus|s|and over|or over)${NOT_AGES}`,
  ).exec(description);
  if (plainAge) audiences.add('older_people');

  // "Parents and carers" (of children) means parents, not unpaid carers, unless carers are named on their own too.
  const both = `${title} ${description}`;
  const parentsAndCarers = /\bparents?(?: and| or)? carers?\b/g;
  if (parentsAndCarers.test(both) && !/\bcarers?\b/.test(both.replace(parentsAndCarers, ' '))) {
    audiences.delete('carers');
    categoryScore.delete('carers');
  }
  // For men and women alike is for everyone: no audience.
  if (audiences.has('men') && audiences.has('women')) {
    audiences.delete('men');
    audiences.delete('women');
  }
  const categories = [...categoryScore.entries()]
    .filter(([, score]) => score >= 2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([c]) => c);
  return { categories, audiences: [...audiences] };
}

/** An audience phrase in a description counts when a cue comes just before it or "only" just after. */
function statedPlainly(words: readonly string[], m: Match): boolean {
  const before = words.slice(Math.max(0, m.start - 3), m.start).join(' ');
  if (m.phrase.words.at(-1) === 'only' || words[m.end] === 'only') return true;
  return AUDIENCE_CUES.some((cue) => before === cue || before.endsWith(` ${cue}`));
}

export type DerivedLocation = {
  /** The ward, when the postcode places the venue in exactly one. */
  ward?: string;
  /** The wards the postcode's district overlaps. */
  wards: string[];
  /** An approximate point (the centre of the district's Camden part), for distance ranking. */
  centroid?: { lat: number; lon: number };
};

/** A full postcode in a text: the last one, since addresses end with it ("Conway Hall, 25 Red Lion Square, WC1R 4RL"). */
export function findPostcodeIn(text: string): string | undefined {
  const all = [...text.matchAll(POSTCODE_TEXT)];
  for (const m of all.reverse()) {
    const postcode = normalisePostcode(m[0]);
    if (postcode) return postcode;
  }
  return undefined;
}

/**
 * Where a full postcode is in Camden, from its district: the wards the district overlaps, its ward when there is
 * one only, and the centre of its Camden part. A district that is partly in a neighbouring borough gives nothing
 * (the venue may not be in Camden at all). Sectors are not used: no source we hold maps Camden's sectors onto the
 * 2022 wards reliably enough.
 */
export function locateByPostcode(postcode: string): DerivedLocation {
  const full = normalisePostcode(postcode);
  if (!full) return { wards: [] };
  const district = findPostcodeDistrict(full);
  if (!district || district.partlyOutsideCamden) return { wards: [] };
  return {
    wards: [...district.wards],
    centroid: district.centroid,
    ...(district.wards.length === 1 ? { ward: district.wards[0] } : {}),
  };
}

const STREET_END = new RegExp(`\\b(?:${STREET_WORDS})$`, 'i');
/**
 * The town that ends an address given without one ("Range Road, Hythe", "45 Foord Road, Folkestone"): its last part
 * after a comma, one to three words without a number that do not end a street's name. Search finds a town's
 * listings by their venues' town.
 */
export function townOfAddress(location: LocationInput): string | undefined {
  const address = location.address2 || location.address1;
  const parts = (address?.split(',') ?? []).map((p) => p.replace(POSTCODE_TEXT, ' ').trim()).filter(Boolean);
  // A county after the town ("Folkestone, Kent") is not the town.
  while (parts.length > 2 && COUNTIES.has(parts.at(-1)!.toLowerCase())) parts.pop();
  const last = parts.at(-1);
  if (parts.length < 2 || !last) return undefined;
  if (!/^\p{Lu}[\p{L}'’.-]*(?: [\p{L}'’.-]+){0,2}$/u.test(last) || STREET_END.test(last)) return undefined;
  if (COUNTIES.has(last.toLowerCase())) return undefined;
  return last;
}
const COUNTIES = new Set(
  'kent bucks buckinghamshire surrey essex sussex middlesex hertfordshire herts berkshire oxfordshire bedfordshire england uk'.split(
    ' ',
  ),
);

/**
 * The location with its postcode written the standard way ("CT203BN" → "CT20 3BN"), or found in its address, and its
 * ward and approximate point when missing (pure).
 */
export function deriveLocation(input: LocationInput): LocationInput {
  if (input.locationType !== 'physical') return input;
  const town = input.city ? undefined : townOfAddress(input);
  const location = town ? { ...input, city: town } : input;
  const postcode =
    (location.postalCode ? normalisePostcode(location.postalCode) : undefined) ??
    findPostcodeIn([location.address1, location.address2, location.city, location.name].filter(Boolean).join(', '));
  if (!postcode) return location;
  const out: LocationInput = { ...location };
  // A postcode given that is not shaped like one is kept as given.
  if (!out.postalCode || normalisePostcode(out.postalCode)) out.postalCode = postcode;
  const given = out.ward ? findWard(out.ward) : undefined;
  if (given) return out;
  const found = locateByPostcode(postcode);
  if (found.ward) out.ward = found.ward;
  if (found.centroid && (out.latitude === undefined || out.longitude === undefined)) {
    out.latitude = found.centroid.lat;
    out.longitude = found.centroid.lon;
  }
  return out;
}

/**
 * An entry with its missing facets derived: categories only when it has none, audiences likewise, the venue's
 * postcode, ward and approximate point when missing. Everything a source gave is kept as it is.
 */
export function withDerivedFacets<T extends CatalogueEntryData>(entry: T): T {
  const needsCategories = entry.categories.length === 0;
  const needsAudiences = entry.audiences.length === 0;
  let out = entry;
  if (needsCategories || needsAudiences) {
    const derived = deriveFacets(entry);
    if ((needsCategories && derived.categories.length) || (needsAudiences && derived.audiences.length)) {
      out = {
        ...out,
        ...(needsCategories && derived.categories.length ? { categories: derived.categories } : {}),
        ...(needsAudiences && derived.audiences.length ? { audiences: derived.audiences } : {}),
      };
    }
  }
  if (out.location) {
    const location = deriveLocation(out.location);
    if (location !== out.location) out = { ...out, location };
  }
  return out;
}
