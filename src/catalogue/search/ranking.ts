/** Ranking of candidates: pure arithmetic over what the candidate query returned and what was understood. */
import { distanceKm } from '../geography/camden.ts';
import { type Filters, lostWords, type NamedListing, slotsOf } from './filters.ts';
import { hardAudiences, normaliseQueryText } from './parse-query.ts';
import { phraseIndex } from './read-concepts.ts';
import type { CandidateRow, VenuePoint } from './search-queries.ts';
import type { Slot, Understood, Why } from './types.ts';
import { conceptByKey, narrowerCategories, SOFT_AUDIENCES, STOP_WORDS } from './vocabulary.ts';

/** What a listing marked by catalogue/trust (reported closed, feed failing) loses in ranking. */
export const TRUST_MARK_PENALTY = 1.5;

export type Ranked = { row: CandidateRow; score: number; distanceKm: number | null; why?: Why };

/**
 * How much one slot's match counts, by field: its own words, then its synonyms. The word itself in a listing's
 * categories counts more than a synonym in its title ("choir" in "glee clubs/choir groups" before MUSIC SCHOOL).
 */
const WEIGHT = {
  litTitle: 3,
  litCategory: 2,
  litOrganisation: 1.5,
  litDescription: 1,
  synTitle: 1.8,
  synCategory: 1.2,
  synDescription: 0.6,
};

/**
 * Audiences a listing can be for that a general question about a resident should not get first: groups for people
 * with learning disabilities, parents and babies, young people, one gender, carers, LGBTQ+ people, one community.
 */
const SPECIFIC_AUDIENCES = [
  'learning_disabilities',
  'parents_of_young_children',
  'young_people',
  'women',
  'men',
  'lgbtq',
  'carers',
  'ethnic_minorities',
];

/** What a listing for an audience not asked about loses: more than a title that has every word asked for gains. */
const OTHER_AUDIENCE = 4;

const PLACEHOLDER_TITLE =
  /^\s*(?:empty slot|private event|private booking|untitled event|busy|reserved|room booking|tbc|tba)\b|#_[A-Z]/i;

/**
 * What a slot weighs in the text score: what the resident needs counts fully; who the resident is (an audience, a
 * language only named) counts less, so "singing for an older lady" is about singing first.
 */
function slotWeight(slot: Slot | undefined, town: ReadonlySet<string>, located: boolean): number {
  // A town or village named ("foodbank folkestone", "in Hythe") says where, not what: its name in a title counts less
  // than the need's words, and where the catalogue's venues place it, being there is what counts (services named
  // after the town they are in, "KEY WEST", are not for that more what was asked).
  if (slot && isTownSlot(slot, town)) return located ? TOWN_WORD_LOCATED : 0.3;
  const concept = slot?.concept ? conceptByKey(slot.concept) : undefined;
  if (!concept) return 1;
  // A constraint's words (an access need, a format, a kind) say how, not what: its filter does the work.
  if (concept.facet === 'access' || concept.facet === 'format' || concept.facet === 'kind') return 0.3;
  if (concept.facet === 'audience') return concept.audiences?.some((a) => SOFT.has(a)) ? 0.25 : 0.4;
  if (concept.facet === 'language') return 0.6;
  return 1;
}
const SOFT: ReadonlySet<string> = new Set(SOFT_AUDIENCES);

const FEMALE_WORDS = new Set([
  'mum',
  'mums',
  'mother',
  'mothers',
  'mom',
  'moms',
  'mummy',
  'woman',
  'women',
  'womens',
  'lady',
  'ladies',
  'girl',
  'girls',
  'daughter',
  'grandma',
  'grandmother',
  'nan',
  'nana',
  'granny',
  'wife',
  'widow',
  'sister',
  'aunt',
  'female',
  'she',
  'her',
]);
const MALE_WORDS = new Set([
  'dad',
  'dads',
  'father',
  'fathers',
  'daddy',
  'man',
  'men',
  'mens',
  'gentleman',
  'gentlemen',
  'boy',
  'boys',
  'son',
  'grandad',
  'grandfather',
  'grandpa',
  'husband',
  'widower',
  'brother',
  'uncle',
  'bloke',
  'blokes',
  'male',
  'he',
  'him',
  'his',
]);
/** Titles of groups for one sex only. */
const FEMALE_TITLE = /\b(?:mums?|mothers?|women'?s?|ladies|girls?|brownies|girlguiding|female)\b/i;
const MALE_TITLE = /\b(?:dads?|fathers?|men'?s?|boys?|male|blokes)\b/i;

/** The sex of the people the question describes, when its words name only one ("a mum with a newborn"). */
function questionSex(u: Understood): 'f' | 'm' | undefined {
  const words = new Set([...u.terms, ...slotsOf(u).flatMap((x) => x.text.split(' '))]);
  const f = [...words].some((w) => FEMALE_WORDS.has(w));
  const m = [...words].some((w) => MALE_WORDS.has(w));
  return f === m ? undefined : f ? 'f' : 'm';
}

/** Whether a title names a group for one sex only ("Who let the dads out", "Ladies' Knit and Natter"). */
function titleSex(name: string): 'f' | 'm' | undefined {
  const f = FEMALE_TITLE.test(name);
  const m = MALE_TITLE.test(name);
  return f === m ? undefined : f ? 'f' : 'm';
}

/** A part of the question that is (part of) the name of the town or venue asked about ("miami beach", "hythe"). */
export function isTownSlot(slot: Slot, town: ReadonlySet<string>): boolean {
  return !slot.concept && slot.text.split(' ').every((w) => town.has(w));
}
/** How much a synonym covers a part of the question, in a title or category and in a description. */
const COVER_SYNONYM = 0.7;
const COVER_SYNONYM_TEXT = 0.4;
/** A town word's weight where venues place the town. */
const TOWN_WORD_LOCATED = 0.1;

/** A literal match of a phrase that lost words: less than a synonym, which is a whole phrase. */
const PARTIAL_WEIGHT = { litTitle: 1.2, litCategory: 0.8, litOrganisation: 0.4, litDescription: 0.4 };

/** Title words for comparing with the question: normalised, stop words out, plurals folded. */
function titleWords(text: string): string[] {
  return normaliseQueryText(text)
    .split(' ')
    .filter((w) => w && !STOP_WORDS.has(w) && !/^\d+$/.test(w))
    .map(foldPlural);
}

function foldPlural(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/** exact: the title is the question's words; all: every word of the question is in the title. */
function titleMatch(name: string, slots: readonly Slot[]): 'exact' | 'all' | undefined {
  const q = [...new Set(slots.flatMap((x) => titleWords(x.text)))];
  if (!q.length) return undefined;
  const t = new Set(titleWords(name));
  if (!q.every((w) => t.has(w))) return undefined;
  return t.size === q.length ? 'exact' : 'all';
}

/** What being named by its initials adds: what a title that is the question's words does. */
const NAMED_BY_INITIALS = 5;

/** What a time word of the question found in a title adds: about a title word's worth. */
const NAME_TIME_WORD = 2;

/** How far from a venue asked about a listing may be and still be at it (the same building, a geocoding apart). */
const AT_VENUE_KM = 0.05;
/** What being at that street or venue adds: more than a listing for another audience loses. */
const AT_VENUE = 5;
/**
 * What being in a town or village asked about adds (a name no word list knows, kept as a word: "foodbank
 * folkestone", "in Hythe"): every venue there matches, so it ranks them first among those that fit the need, without
 * outweighing the need itself.
 */
const IN_TOWN = 2;

export function rank(
  rows: CandidateRow[],
  u: Understood,
  f: Filters,
  now: Date,
  venue: readonly VenuePoint[] = [],
): Ranked[] {
  const venueAt = venue.filter((v): v is VenuePoint & { lat: number; lon: number } => v.lat !== null && v.lon !== null);
  const venueIds = new Set(venue.map((v) => v.id));
  const maxRank = Math.max(1e-9, ...rows.map((r) => r.text_rank));
  const centre =
    u.place?.latitude !== undefined && u.place.longitude !== undefined
      ? { lat: u.place.latitude, lon: u.place.longitude }
      : undefined;
  const timeAsked = Boolean(u.when || u.weekdays?.length || u.timeOfDay);
  const slots = f.literal.length;
  const partial = f.slots.map((x) => Boolean(x.concept) && lostWords(x.text));
  // The words of a town read as a venue (kept as words: listings name the villages they serve).
  const town: ReadonlySet<string> = new Set(u.venue?.split(' ') ?? []);
  // A title has "all" the words asked for only of the slots whose words text search keeps; the town's count only for
  // a listing that meets the need too: a branch named after its town ("KEY LARGO", a library) is what "library in
  // Key Largo" asks for, a service called "HIALEAH" with nothing on rent is not what "help with rent in Hialeah" is.
  const titleSlots = f.slots.filter((_, i) => !partial[i]);
  const titleSlotsNoTown = titleSlots.filter((x) => !isTownSlot(x, town));
  const asked = new Set([...u.audiences, ...hardAudiences(u)]);
  // Naming a community or its language ("Caribbean lunch club", "Chinese community group") asks for its groups.
  if (u.languages.length || u.preferLanguages?.length) asked.add('ethnic_minorities');
  const timeWords = (u.timeWords ?? []).map(foldPlural);
  const inTown = f.slots.some((x) => isTownSlot(x, town));
  // Who a group is for, named inside a phrase ("SEND parent support", "baby clothes"): asked for, though no filter.
  // (A slot that is itself an audience, "my mum", says who the resident is: its words are not asked separately.)
  for (const slot of f.slots.filter((x) => conceptByKey(x.concept ?? '')?.facet !== 'audience'))
    for (const w of slot.text.split(' '))
      for (const c of phraseIndex.get(w) ?? [])
        if (c.facet === 'audience') for (const a of c.audiences ?? []) asked.add(a);
  // A need that is some audience's own ("colposcopy", "a cot for the baby") asks for their listings.
  for (const slot of f.slots) for (const a of conceptByKey(slot.concept ?? '')?.asks ?? []) asked.add(a);
  const namedById = new Map<string, NamedListing[]>();
  for (const n of f.named ?? []) namedById.set(n.id, [...(namedById.get(n.id) ?? []), n]);
  const askedSex = questionSex(u);
  const askedDeaf = (u.topics ?? []).includes('deaf') || u.languages.includes('bsl');
  // Filed under a narrower kind of the concept asked ("exercise": a walking football group) counts as a synonym in
  // its categories.
  const narrowerBySlot = f.slots.map((slot) => (slot.concept ? narrowerCategories(slot.concept) : undefined));
  const ranked = rows.map((row) => {
    let score = 0;
    const why: Why = { words: [], concepts: [], wider: [], title: null, corrected: [], distanceKm: null };
    const cats = row.categories ?? [];
    if (slots) {
      let sum = 0;
      let hit = 0;
      let total = 0;
      const asSlots = f.slots;
      let needHit = false;
      for (let i = 0; i < slots; i++) {
        const weight = slotWeight(asSlots[i], town, venue.length > 0);
        total += weight;
        const at = (a: boolean[] | null | undefined) => Boolean(a?.[i]);
        const slot = asSlots[i];
        const narrower = narrowerBySlot[i];
        const synCategory = at(row.syn_category) || Boolean(narrower?.size && cats.some((c) => narrower.has(c)));
        const field = at(row.lit_title)
          ? 'title'
          : at(row.lit_category)
            ? 'category'
            : at(row.lit_organisation)
              ? 'organisation'
              : at(row.lit_description)
                ? 'description'
                : undefined;
        if (slot && field && f.literal[i]) why.words.push({ text: slot.text, field });
        else if (slot?.concept && (at(row.syn_title) || synCategory || at(row.syn_description))) {
          const wider = f.broadened[i];
          if (wider) why.wider.push(wider);
          else why.concepts.push(slot.concept);
        }
        if (slot?.corrected && (field || at(row.syn_title) || synCategory || at(row.syn_description)))
          why.corrected.push({ typed: slot.corrected, read: slot.text });
        // A thesaurus phrase whose own words are partly common words ("living will", "on their own") is found by
        // what is left of it ("living") no more surely than by a synonym.
        const lit = partial[i] ? PARTIAL_WEIGHT : WEIGHT;
        const best = Math.max(
          at(row.lit_title) ? lit.litTitle : 0,
          at(row.lit_category) ? lit.litCategory : 0,
          at(row.lit_organisation) ? lit.litOrganisation : 0,
          at(row.lit_description) ? lit.litDescription : 0,
          at(row.syn_title) ? WEIGHT.synTitle : 0,
          synCategory ? WEIGHT.synCategory : 0,
          at(row.syn_description) ? WEIGHT.synDescription : 0,
        );
        sum += weight * best;
        if (best > 0 && slot && !isTownSlot(slot, town)) needHit = true;
        // Covering a part of the question: its own words fully, a synonym in a title or category nearly, one in a
        // description less ("get" in a housing clinic's text does not cover "transport" as a car service does).
        const literal = Boolean(field);
        const cover =
          literal && !partial[i]
            ? 1
            : at(row.syn_title) || synCategory
              ? COVER_SYNONYM
              : at(row.syn_description) || literal
                ? COVER_SYNONYM_TEXT
                : 0;
        hit += weight * cover;
      }
      if (total > 0) score += (2 * sum) / total + (3 * hit) / total;
      score += 0.5 * (row.text_rank / maxRank);
      const title = titleMatch(row.name, needHit ? titleSlots : titleSlotsNoTown);
      why.title = title ?? null;
      if (title === 'exact') score += 5;
      else if (title === 'all')
        score +=
          2 +
          2 * Math.min(1, f.slots.flatMap((x) => titleWords(x.text)).length / Math.max(1, titleWords(row.name).length));
    }
    // Named by its initials ("LWKM"): as a title that is the question.
    for (const n of namedById.get(row.id) ?? []) {
      score += NAMED_BY_INITIALS;
      why.words.push({ text: n.text, field: n.field });
    }
    // A day or time word that is also a word of the title ("mudeford quay weekend" → Quay Weekend).
    if (timeWords.length && titleWords(row.name).some((w) => timeWords.includes(w))) score += NAME_TIME_WORD;
    score += Number(row.trigram) || 0;
    score += 0.3 * u.categories.filter((c) => cats.includes(c)).length;
    const audiences = row.audiences ?? [];
    for (const a of u.audiences) if (audiences.includes(a)) score += 0.8;
    for (const l of u.languages) if ((row.languages ?? []).includes(l)) score += 0.3;
    for (const l of u.preferLanguages ?? []) if ((row.languages ?? []).includes(l)) score += 0.8;
    // Audience fit: a listing for a specific audience ranks below general ones unless the question asks for it.
    // Untagged listings have audiences and categories read from their titles at import (derive-facets.ts).
    // A group for people and their carers (a memory café) is for the person too: only carers-only groups count as
    // specific.
    const specific = audiences.filter(
      (a) => SPECIFIC_AUDIENCES.includes(a) && !asked.has(a) && !(a === 'carers' && audiences.length > 1),
    );
    if (!audiences.includes('everyone') && specific.length) score -= OTHER_AUDIENCE;
    // A group whose title says it is for the other sex than the one the question describes ("Who let the dads out"
    // for a mum with a newborn, Brownies for a 7 year old son): as a listing for another audience.
    if (askedSex) {
      const sex = titleSex(row.name);
      if (sex && sex !== askedSex) score -= OTHER_AUDIENCE;
    }
    const deafGroup =
      cats.includes('deaf') || ((row.languages ?? []).includes('bsl') && !(row.languages ?? []).includes('english'));
    if (!askedDeaf && deafGroup) score -= 2;
    let km: number | null = null;
    if (row.latitude !== null && row.longitude !== null) {
      const here = { lat: Number(row.latitude), lon: Number(row.longitude) };
      if (centre) km = distanceKm(centre, here);
    }
    // At the street or venue asked about: first among those that match the rest of the question, whoever they are for.
    const atVenue = inTown ? IN_TOWN : AT_VENUE;
    if (row.location_id && venueIds.has(row.location_id)) score += atVenue;
    else if (venueAt.length && row.latitude !== null && row.longitude !== null) {
      const here = { lat: Number(row.latitude), lon: Number(row.longitude) };
      if (venueAt.some((v) => distanceKm(v, here) <= AT_VENUE_KM)) score += atVenue;
    }
    if (centre) {
      if (km !== null) score += 1.5 * Math.max(0, 1 - km / 3);
      else score += 0.4;
      if (u.place && row.ward && u.place.wards.includes(row.ward)) score += 0.3;
    }
    if (row.next_start) {
      const days = (new Date(row.next_start).getTime() - now.getTime()) / 86_400_000;
      score += 0.5 * Math.max(0, 1 - days / 28);
    } else if (timeAsked) {
      score -= 0.7;
    }
    if (row.assured) {
      const age = (now.getTime() - Date.parse(row.assured)) / 86_400_000;
      score += age <= 365 ? 0.3 : 0;
    }
    // What was asked for but relaxed away still counts when an entry happens to fit it.
    if (row.fits_time === true) score += 1;
    if (u.access.length && u.access.every((a) => (row.accessibility ?? []).includes(a))) score += 0.5;
    if (u.free && row.is_free) score += 0.5;
    else if (
      u.maxCost !== undefined &&
      (row.is_free || (row.cost_amount !== null && Number(row.cost_amount) <= u.maxCost))
    )
      // Known to fit the price asked: ahead of entries whose price is not known (which the filter keeps).
      score += 1;
    if (row.status === 'temporarily_closed') score -= 2.5;
    // Reported closed, or its feed failing for over a week (catalogue/trust): shown marked, and a little lower.
    if (row.trust_mark) score -= TRUST_MARK_PENALTY;
    // Calendar placeholders ("Empty slot (auto created)", "Private Event", unfilled "#_" templates) come last.
    if (PLACEHOLDER_TITLE.test(row.name)) score -= 6;
    if (!f.kinds.length && !u.kinds.length) {
      if (row.kind === 'training') score -= 2;
      if (row.kind === 'resource') score -= 0.4;
    }
    if (u.formats.length && (row.attending_types ?? []).some((t) => u.formats.includes(t))) score += 0.3;
    const distance = km === null ? null : Math.round(km * 100) / 100;
    why.distanceKm = distance;
    return { row, score: Math.round(score * 1000) / 1000, distanceKm: distance, why };
  });
  ranked.sort((a, b) => b.score - a.score || a.row.name.localeCompare(b.row.name) || a.row.id.localeCompare(b.row.id));
  // A calendar's placeholders ("Empty slot", "Private Event") are nothing to signpost anyone to: left out, unless
  // they are all there is.
  const real = ranked.filter((r) => !PLACEHOLDER_TITLE.test(r.row.name));
  return real.length ? real : ranked;
}
