import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import type { Store } from '../../db/open-store.ts';
import { isUuid } from '../../db/ids.ts';
import type { Sql } from '../../db/sql.ts';
import { distanceKm, findWard, WARDS } from '../geography/camden.ts';
import { toLondonIso } from '../time.ts';
import { accessLabel, audienceLabel, describeDays, describePlace, describeTimeOfDay, listWords } from './describe-query.ts';
import { hardAudiences, hasSearchableText, isKnownWord, MAX_QUESTION_CHARS, normaliseQueryText, parseQuery, unknownWords } from './parse-query.ts';
import type { CatalogueSearch, SearchRequest, SearchResponse, SearchResult, Slot, Understood, Why } from './types.ts';
import { conceptByKey, SOFT_AUDIENCES, STOP_WORDS } from './vocabulary.ts';
import { LAST_CONFIRMED_SQL } from '../verify/verify-queries.ts';

/** What a listing marked by catalogue/trust (reported closed, feed failing) loses in ranking. */
export const TRUST_MARK_PENALTY = 1.5;

/** How many candidates the database hands over for re-ranking. */
const CANDIDATES = 120;
/** How many matching rows each branch of the candidate query looks at before ranking them: all parts, any part. */
const POOL_ALL = 200;
const POOL_ANY = 150;
const POOL_TRIGRAM = 100;
/** A day of the week without a date looks this far ahead (covers monthly groups). */
const WEEKDAY_HORIZON_DAYS = 35;
/** "Nearby wards": ward centroids within this distance of the place asked for. */
const NEARBY_KM = 2.5;

const TIME_OF_DAY_HOURS = { morning: [0, 12], afternoon: [12, 17], evening: [17, 24] } as const;

/** The filters one database query applies; relaxing the search removes them one at a time. */
type Filters = {
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
};

type CandidateRow = {
  id: string;
  kind: string;
  name: string;
  description: string;
  url: string | null;
  status: string;
  alert: string | null;
  categories: string[] | null;
  audiences: string[] | null;
  languages: string[] | null;
  attending_types: string[] | null;
  is_free: boolean | null;
  cost_amount: number | null;
  fees_description: string | null;
  application_process: string | null;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  assured: string | null;
  schedule_text: string | null;
  org_name: string | null;
  org_phone: string | null;
  org_email: string | null;
  venue: string | null;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  postal_code: string | null;
  ward: string | null;
  latitude: number | null;
  longitude: number | null;
  accessibility: string[] | null;
  accessibility_note: string | null;
  location_url: string | null;
  is_demo: boolean;
  text_rank: number;
  trigram: number;
  group_hits: boolean[] | null;
  title_hits: boolean[] | null;
  category_hits?: boolean[] | null;
  lit_title?: boolean[] | null;
  lit_category?: boolean[] | null;
  lit_description?: boolean[] | null;
  lit_organisation?: boolean[] | null;
  syn_title?: boolean[] | null;
  syn_category?: boolean[] | null;
  syn_description?: boolean[] | null;
  next_start: Date | string | null;
  has_occurrences: boolean;
  fits_time?: boolean | null;
  local?: boolean;
  trust_mark?: string | null;
};

/**
 * Search over the catalogue database: the full-text (`search_vector`, GIN) and trigram (`pg_trgm` on names) indexes
 * find candidates, SQL applies what was understood as filters, and the few hundred candidates are re-ranked here by
 * text match, filter matches, distance from the place asked about, how soon the next session is and how recently the
 * listing was confirmed. When nothing matches, the least important filter is relaxed and the answer says which.
 */
export function createDatabaseSearch(store: Store): CatalogueSearch {
  return {
    async search(request: SearchRequest): Promise<SearchResponse> {
      {
        const sql = store.sql;
        const unknown = unknownWords(request.text);
        const catalogueWords = unknown.length ? await wordsInCatalogue(sql, unknown) : undefined;
        const understood = parseQuery(request.text, request.now, catalogueWords ? { catalogueWords } : {});
        const limit = Math.max(1, Math.min(request.limit ?? 5, 50));
        const offset = Math.max(0, request.offset ?? 0);
        const { ranked, relaxed, unmet } = await findRanked(sql, understood, request.now);
        if (unmet.length) understood.unmet = unmet;
        relaxed.unshift(...inputNotes(request.text, understood));
        const page = await withDetails(sql, ranked.slice(offset, offset + limit), request.now);
        const results = await withUpcoming(sql, page, request.now, understood);
        return { understood, relaxed, results, total: ranked.length };
      }
    },
    async getResult(id: string, now: Date): Promise<SearchResult | undefined> {
      if (!isUuid(id)) return undefined;
      const { rows } = await store.sql.query<CandidateRow>(
        `${selectDetails('$2', '0::float8 AS text_rank, 0::float8 AS trigram')}
         FROM service s ${JOINS}
         WHERE s.id = $1 AND s.removed_at IS NULL AND s.status <> 'closed'`,
        [id, now],
      );
      const row = rows[0];
      if (!row) return undefined;
      const [result] = await withUpcoming(store.sql, [{ row, score: 0, distanceKm: null }], now, undefined);
      return result;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Relaxation

type Ranked = { row: CandidateRow; score: number; distanceKm: number | null; why?: Why };

async function findRanked(sql: Sql, u: Understood, now: Date): Promise<{ ranked: Ranked[]; relaxed: string[]; unmet: string[] }> {
  const filters = toFilters(u, now);
  const relaxed: string[] = [];
  const view: Understood = structuredClone(u);
  const hasText = filters.groups.length > 0 || filters.trigramTerms.length > 0;

  // Words that match nothing anywhere: no filter can make them match. A concept nothing is listed for is offered
  // through its broader concepts, and said so ("no zumba is listed; these are other dance fitness classes"). Checked
  // with one index probe per part, and only for the parts no candidate matched (or when nothing fits at all).
  const notes: string[] = [];
  const dropMissing = async (only?: ReadonlySet<number>): Promise<boolean> => {
    if (!hasText || !filters.groups.length) return false;
    const slots = filters.slots;
    const found = await slotsFound(sql, filters, only);
    const keep: number[] = [];
    const missing: string[] = [];
    let changed = false;
    for (let i = 0; i < filters.groups.length; i++) {
      if (found[i] !== false) {
        keep.push(i);
        continue;
      }
      const slot = slots[i];
      if (!slot) continue;
      changed = true;
      if (slot.concept) add((view.unmet ??= []), slot.concept);
      const broader = slot.concept ? broaderOf(slot.concept) : [];
      const query = orOf(broader.map((k) => conceptQuery(k)));
      if (broader.length && query) {
        filters.groups[i] = query;
        filters.literal[i] = '';
        filters.synonyms[i] = query;
        filters.broadened[i] = broader[0]!;
        notes.push(`no ${slot.text} is listed; these are other ${broaderLabel(broader)}`);
        keep.push(i);
      } else {
        missing.push(slot.text);
      }
    }
    if (missing.length) {
      const pick = <T>(list: T[]) => keep.map((i) => list[i]!);
      filters.groups = pick(filters.groups);
      filters.literal = pick(filters.literal);
      filters.synonyms = pick(filters.synonyms);
      filters.broadened = pick(filters.broadened);
      filters.slots = pick(filters.slots);
      filters.trigramTerms = filters.trigramTerms.filter((t) => !missing.includes(t));
      const words = missing.map((w) => `"${w}"`).join(', ');
      notes.push(filters.groups.length ? `nothing matches ${words}` : `nothing matches ${words}; showing other things${suffix(view)}`);
    }
    return changed;
  };

  const prefer = filters.time;
  /**
   * Whether anything fits, by a light existence probe: with a place or a day asked for, a venue in that place with a
   * session on that day (phone and online services, and standing ones without dates, don't count as finding it).
   */
  const fits = async (f: Filters) => (await candidates(sql, f, now, 1, undefined, true)).length > 0;
  const steps = relaxationSteps(u);
  // Without a place or a day, the full query itself says whether anything fits: one round trip when it does.
  let rows: CandidateRow[] | undefined;
  let ok = false;
  const firstTry = async () => {
    if (filters.wards?.length || filters.time) {
      rows = undefined;
      ok = await fits(filters);
    } else {
      rows = await candidates(sql, filters, now, CANDIDATES, prefer);
      ok = rows.length > 0;
    }
  };
  await firstTry();
  // Nothing fits: first drop the words nothing contains, before any filter is relaxed for them.
  if (!ok && (await dropMissing())) await firstTry();
  const relaxedBefore = relaxed.length;
  // First look for the single least important filter whose removal finds something; failing that, drop filters in
  // order of importance until something turns up.
  for (let round = 0; !ok && round < 2; round++) {
    for (const step of steps) {
      if (step.dropsText) continue;
      const trialFilters = structuredClone(filters);
      const change = step.apply(trialFilters, structuredClone(view));
      if (!change || !(await fits(trialFilters))) continue;
      relaxed.push(`nothing ${summary(view) || 'matching'}; ${change}`);
      step.apply(filters, view);
      ok = true;
      break;
    }
    if (ok) break;
    for (const step of steps) {
      const before = summary(view);
      const change = step.apply(filters, view);
      if (!change) continue;
      relaxed.push(`nothing ${before || 'matching'}; ${change}`);
      break;
    }
    ok = await fits(filters);
  }
  for (const step of steps) {
    if (ok) break;
    const before = summary(view);
    const change = step.apply(filters, view);
    if (!change) continue;
    relaxed.push(`nothing ${before || 'matching'}; ${change}`);
    ok = await fits(filters);
  }
  if (!rows || relaxed.length > relaxedBefore) rows = await candidates(sql, filters, now, CANDIDATES, prefer);
  // Parts of the question no candidate matched: are they anywhere in the catalogue?
  const uncovered = new Set(filters.slots.map((_, i) => i).filter((i) => !rows!.some((r) => slotHit(r, filters, i))));
  if (uncovered.size && (await dropMissing(uncovered))) rows = await candidates(sql, filters, now, CANDIDATES, prefer);
  relaxed.unshift(...notes);
  if (rows.length === 0) {
    // Last resort for a non-empty catalogue: what is on soonest near the place asked about.
    relaxed.push('nothing matched; showing what is coming up');
    rows = await candidates(sql, emptyFilters(), now, CANDIDATES, prefer);
  }
  return { ranked: rank(rows, u, filters, now), relaxed, unmet: view.unmet ?? [] };
}

/**
 * What to say about a question the parser could use little of: one in another script, one with nothing to search
 * for (only filler, emoji or punctuation), one cut at its length limit. The answer still shows what is coming up.
 */
function inputNotes(text: string, u: Understood): string[] {
  const notes: string[] = [];
  if (text.length > MAX_QUESTION_CHARS) notes.push(`only the first ${MAX_QUESTION_CHARS} characters of the question were read`);
  const asked = slotsOf(u).length || u.place || u.when || u.weekdays?.length || u.timeOfDay || u.audiences.length ||
    u.kinds.length || u.access.length || u.languages.length || u.formats.length || u.free || u.maxCost !== undefined;
  if (asked) return notes;
  const otherScript = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u.test(text.slice(0, MAX_QUESTION_CHARS));
  if (otherScript && !hasSearchableText(text)) {
    notes.push('questions can only be read in English so far, so this shows what is coming up; try a few English words, e.g. "lunch club in Bengali"');
  } else {
    notes.push('there were no words to search for, so this shows what is coming up; try e.g. "free lunch club near Kentish Town on Tuesdays"');
  }
  return notes;
}

/** Which of these words (letters only) some listing contains: such a word is never corrected into another. */
async function wordsInCatalogue(sql: Sql, words: string[]): Promise<Set<string>> {
  const { rows } = await sql.query<{ w: string }>(
    `SELECT t.w FROM unnest($1::text[]) AS t(w)
     WHERE EXISTS (SELECT 1 FROM service s WHERE s.search_vector @@ to_tsquery('signpost', t.w) AND s.removed_at IS NULL)`,
    [words],
  );
  return new Set(rows.map((r) => r.w));
}

/**
 * Per slot: whether anything in the catalogue has its words or synonyms (or, for a word no concept knows, a title
 * close to it). One index probe each: a word nothing contains answers from the index, never a scan.
 */
async function slotsFound(sql: Sql, f: Filters, only?: ReadonlySet<number>): Promise<boolean[]> {
  if (!f.groups.length) return [];
  if (only) {
    const indices = [...only].filter((i) => i < f.groups.length);
    const sub = await slotsFound(sql, { ...f, groups: indices.map((i) => f.groups[i]!), literal: indices.map((i) => f.literal[i]!) });
    return f.groups.map((_, i) => (only.has(i) ? sub[indices.indexOf(i)]! : true));
  }
  const { rows } = await sql.query<{ n: number | string; found: boolean }>(
    `SELECT t.n, (
        EXISTS (SELECT 1 FROM service s WHERE s.search_vector @@ to_tsquery('signpost', t.g)
                  AND s.removed_at IS NULL AND s.status <> 'closed')
        OR (t.w IS NOT NULL AND EXISTS (SELECT 1 FROM service s WHERE t.w <% s.name AND s.removed_at IS NULL AND s.status <> 'closed'))
      ) AS found
     FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(g, w, n) ORDER BY t.n`,
    [f.groups, f.groups.map((_, i) => trigramFor(f, i))],
  );
  return rows.map((r) => r.found);
}

/** Whether a candidate matched part `i` of the question, by its words or its synonyms, in any field. */
function slotHit(r: CandidateRow, f: Filters, i: number): boolean {
  return [r.lit_title, r.lit_category, r.lit_description, r.lit_organisation, r.syn_title, r.syn_category, r.syn_description].some((a) => Boolean(a?.[i])) ||
    (trigramFor(f, i) !== null && Number(r.trigram) > 0);
}

/** The trigram word of slot `i`, when its literal is one word that no concept knows. */
function trigramFor(f: Filters, i: number): string | null {
  const lit = f.literal[i];
  return lit && f.trigramTerms.includes(lit) ? lit : null;
}

function add<T>(list: T[], value: T): void {
  if (!list.includes(value)) list.push(value);
}

/** One relaxation; steps that drop the words asked for are never taken just because they find something. */
type Step = { dropsText?: boolean; apply(f: Filters, view: Understood): string | undefined };

function relaxationSteps(u: Understood): Step[] {
  const place = u.place;
  return [
    {
      apply(f, v) {
        if (!f.time?.hours) return undefined;
        delete f.time.hours;
        delete v.timeOfDay;
        return `showing any time of day${suffix(v)}`;
      },
    },
    {
      apply(f, v) {
        if (!f.time) return undefined;
        delete f.time;
        delete v.when;
        delete v.weekdays;
        return `showing any day${suffix(v)}`;
      },
    },
    {
      apply(f, v) {
        if (!f.wards || !place || place.latitude === undefined || place.longitude === undefined) return undefined;
        const centre = { lat: place.latitude, lon: place.longitude };
        const nearby = WARDS.filter((w) => distanceKm(centre, w.centroid) <= NEARBY_KM).map((w) => w.name);
        const wider = [...new Set([...f.wards, ...nearby])];
        if (wider.length === f.wards.length) return undefined;
        f.wards = wider;
        v.place = { ...place, label: `or near ${place.label}`, wards: wider };
        return `showing${describeDaysOnly(v)} in nearby wards`;
      },
    },
    {
      apply(f, v) {
        if (!f.wards) return undefined;
        delete f.wards;
        delete v.place;
        return `showing${describeDaysOnly(v)} anywhere in Camden, nearest first`;
      },
    },
    {
      apply(f, v) {
        if (!f.access.length) return undefined;
        const what = listWords(f.access.map(accessLabel));
        f.access = [];
        v.access = [];
        return `showing places that may not be ${what} (check with the organiser)`;
      },
    },
    {
      apply(f, v) {
        if (!f.free && f.maxCost === undefined) return undefined;
        delete f.free;
        delete f.maxCost;
        delete v.free;
        delete v.maxCost;
        return 'showing things that may cost something';
      },
    },
    {
      apply(f, v) {
        if (!f.formats.length) return undefined;
        f.formats = [];
        v.formats = [];
        return 'showing other ways of taking part';
      },
    },
    {
      apply(f, v) {
        if (!f.languages.length) return undefined;
        f.languages = [];
        v.languages = [];
        return 'showing groups in other languages';
      },
    },
    {
      apply(f, v) {
        if (!f.audiences.length && !f.excludeOnlyFor) return undefined;
        f.audiences = [];
        delete f.excludeOnlyFor;
        v.audiences = [];
        return 'showing groups for everyone';
      },
    },
    {
      apply(f, v) {
        if (!f.kinds.length) return undefined;
        f.kinds = [];
        v.kinds = [];
        return 'showing activities, training and resources';
      },
    },
    {
      dropsText: true,
      apply(f, v) {
        const plain = slotsOf(v).filter((x) => !x.concept);
        if (!plain.length || !f.trigramTerms.length) return undefined;
        const words = plain.map((x) => x.text).join(' ');
        const keep = textGroups({ ...v, terms: [], slots: slotsOf(v).filter((x) => x.concept) });
        f.groups = keep.groups;
        f.literal = keep.literal;
        f.synonyms = keep.synonyms;
        f.slots = keep.slots;
        f.broadened = [];
        f.trigramTerms = [];
        v.terms = [];
        v.slots = slotsOf(v).filter((x) => x.concept);
        return `showing results without the words "${words}"`;
      },
    },
    {
      dropsText: true,
      apply(f, v) {
        if (!f.groups.length && !f.trigramTerms.length) return undefined;
        f.groups = [];
        f.literal = [];
        f.synonyms = [];
        f.slots = [];
        f.broadened = [];
        f.trigramTerms = [];
        v.terms = [];
        v.slots = [];
        v.categories = [];
        v.topics = [];
        return 'showing the closest other things';
      },
    },
  ];
}

function describeDaysOnly(v: Understood): string {
  const d = [describeDays(v), describeTimeOfDay(v)].filter(Boolean).join(' ');
  return d ? ` ${d}` : '';
}

/** " in Kilburn on Tuesdays", used after "showing …". */
function suffix(v: Understood): string {
  const parts = [describePlace(v), describeDays(v), describeTimeOfDay(v)].filter(Boolean);
  return parts.length ? ` ${parts.join(' ')}` : '';
}

/** The constraints in force, in plain words: "on Tuesdays in Kilburn, step-free". */
function summary(v: Understood): string {
  const parts = [describeDays(v), describeTimeOfDay(v), describePlace(v)].filter(Boolean);
  const extra: string[] = [];
  if (v.access.length) extra.push(listWords(v.access.map(accessLabel)));
  if (v.free) extra.push('free');
  else if (v.maxCost !== undefined) extra.push(`under £${v.maxCost}`);
  if (v.languages.length) extra.push(`in ${v.languages[0]}`);
  if (v.audiences.length) extra.push(`for ${listWords(v.audiences.map(audienceLabel))}`);
  return [parts.join(' '), ...extra].filter(Boolean).join(', ');
}

// ---------------------------------------------------------------------------------------------------------------------
// Filters and the candidate query

function emptyFilters(): Filters {
  return { groups: [], literal: [], synonyms: [], slots: [], broadened: [], trigramTerms: [], kinds: [], audiences: [], access: [], languages: [], formats: [] };
}

/** tsquery text for one word or phrase: letters and digits only, the words of a phrase all required. */
function tsWords(words: string): string | undefined {
  const parts = words
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w && !STOP_WORDS.has(w));
  if (parts.length === 0) {
    const all = words.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
    if (all.length === 0) return undefined;
    return all.length === 1 ? all[0] : `(${all.join(' & ')})`;
  }
  return parts.length === 1 ? parts[0] : `(${parts.join(' & ')})`;
}

const orOf = (parts: readonly (string | undefined)[]): string => [...new Set(parts.filter((p): p is string => Boolean(p)))].join(' | ');

/** The synonyms of a concept as tsquery text: its phrases, search words and categories, without `exclude`. */
function conceptQuery(key: string, exclude?: string): string {
  const concept = conceptByKey(key);
  if (!concept) return '';
  // The curated search words and categories (phrases are for reading questions; many are inflections of these).
  // A concept without search words (OpenActive's) is searched by its labels.
  const words = concept.search?.length && !concept.key.startsWith('oa:')
    ? [...concept.search, ...(concept.categories ?? []), ...concept.phrases.filter((x) => x.includes(' ')).slice(0, 6)]
    : [...concept.phrases, ...(concept.search ?? []), ...(concept.categories ?? [])];
  const own = exclude ? tsWords(exclude) : undefined;
  return orOf(words.map(tsWords).filter((w) => w !== own));
}

/**
 * "dance fitness and exercise classes": the nearest wider activity and the first of our own concepts above it, so
 * the alternatives are named the way staff would name them.
 */
function broaderLabel(broader: readonly string[]): string {
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
export function textGroups(u: Understood): { groups: string[]; literal: string[]; synonyms: string[]; slots: Slot[]; trigramTerms: string[] } {
  const groups: string[] = [];
  const slots: Slot[] = [];
  const literal: string[] = [];
  const synonyms: string[] = [];
  const trigramTerms: string[] = [];
  for (const slot of slotsOf(u)) {
    // Other spellings of a compound are phrases: "pre-school" is indexed as its parts side by side.
    const lit = orOf([tsWords(slot.text), ...(slot.alternatives ?? []).map((a) => tsWords(a)?.replace(/ & /g, ' <-> '))]);
    if (!lit) continue;
    // "man", "husband", "lady": who the resident is, looked for as written, never through "men" in Men's Shed.
    const soft = slot.concept ? conceptByKey(slot.concept)?.audiences?.some((a) => SOFT.has(a)) : false;
    const syn = slot.concept && !soft ? conceptQuery(slot.concept, slot.text) : '';
    slots.push(slot);
    literal.push(lit);
    synonyms.push(syn || lit);
    groups.push(syn ? `${lit} | ${syn}` : lit);
    // Titles close to a word, for typos in names: only for a word that is not itself a known word ("station" is
    // never "Session").
    if (!slot.concept && !slot.text.includes(' ') && slot.text.length >= 4 && !isKnownWord(slot.text)) trigramTerms.push(slot.text);
  }
  return { groups, literal, synonyms, slots, trigramTerms };
}

/** The question's slots (an older parse without them: its leftover words, one slot each). */
export function slotsOf(u: Understood): Slot[] {
  return u.slots ?? u.terms.map((text) => ({ text }));
}

function toFilters(u: Understood, now: Date): Filters {
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

const selectDetails = (nowRef: string, rankSql: string) => `
  SELECT s.id, s.kind, s.name, s.description, s.url, s.status, s.alert, s.categories, s.audiences, s.languages,
    s.attending_types, s.is_free, s.cost_amount::float8 AS cost_amount, s.fees_description, s.application_process,
    s.contact_name, s.contact_email, s.contact_phone, to_char(${LAST_CONFIRMED_SQL}, 'YYYY-MM-DD') AS assured,
    s.schedule->>'description' AS schedule_text,
    o.name AS org_name, o.phone AS org_phone, o.email AS org_email,
    l.name AS venue, l.address_1, l.address_2, l.city, l.postal_code, l.ward, l.latitude, l.longitude, l.accessibility,
    l.accessibility_note, l.url AS location_url, src.is_demo,
    ${rankSql},
    (SELECT min(oc.start) FROM occurrence oc
      WHERE oc.service_id = s.id AND oc.status <> 'cancelled' AND oc."end" > ${nowRef}) AS next_start,
    (SELECT 1 FROM occurrence oc WHERE oc.service_id = s.id LIMIT 1) IS NOT NULL AS has_occurrences`;

/** What ranking needs of a candidate; the rest of the details are read for the page shown only. */
const selectRanking = (nowRef: string, rankSql: string) => `
  SELECT s.id, s.kind, s.name, ''::text AS description, s.status, s.categories, s.audiences, s.languages,
    s.attending_types, s.is_free, s.cost_amount::float8 AS cost_amount, to_char(s.assured_date, 'YYYY-MM-DD') AS assured,
    s.trust_mark, l.ward, l.latitude, l.longitude, l.accessibility,
    ${rankSql},
    (SELECT min(oc.start) FROM occurrence oc
      WHERE oc.service_id = s.id AND oc.status <> 'cancelled' AND oc."end" > ${nowRef}) AS next_start`;

/** The full details of the ranked rows on the page shown, merged into them. */
async function withDetails(sql: Sql, page: Ranked[], now: Date): Promise<Ranked[]> {
  if (page.length === 0) return page;
  const { rows } = await sql.query<CandidateRow>(
    `${selectDetails('$2', '0::float8 AS text_rank, 0::float8 AS trigram')}
     FROM service s ${JOINS}
     WHERE s.id = ANY($1::uuid[])`,
    [page.map((r) => r.row.id), now],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return page.map((r) => {
    const full = byId.get(r.row.id);
    return full ? { ...r, row: { ...full, text_rank: r.row.text_rank, trigram: r.row.trigram } } : r;
  });
}

// LATERAL lookups by primary key (OFFSET 0 keeps the planner from turning them back into hash joins over whole
// tables): a few hundred index probes whatever the size of the catalogue.
const JOINS = `
  LEFT JOIN LATERAL (SELECT * FROM location WHERE location.id = s.location_id OFFSET 0) l ON true
  LEFT JOIN LATERAL (SELECT * FROM organization WHERE organization.id = s.organization_id OFFSET 0) o ON true
  JOIN LATERAL (SELECT is_demo, url, last_success_at FROM source WHERE source.id = s.source_id OFFSET 0) src ON true`;

/** The database query: indexes find the candidates, SQL filters them, and the best `limit` come back with details. */
async function candidates(
  sql: Sql,
  f: Filters,
  now: Date,
  limit: number,
  prefer?: Filters['time'],
  strict = false,
): Promise<CandidateRow[]> {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const nowRef = p(now);
  const where: string[] = ['s.removed_at IS NULL', "s.status <> 'closed'"];
  const tsquery = f.groups.length ? f.groups.map((g) => `(${g})`).join(' | ') : null;
  const tsRef = tsquery ? p(tsquery) : undefined;
  let trigramExpr = '0::float8';
  // The words find candidates through two indexes, each in its own branch so that each can use its index (an OR of
  // the two would make the planner scan the table): full text, and trigrams on titles for unknown words.
  let textFts: string | undefined;
  let textTrigram: string | undefined;
  let allQuery: string | undefined;
  if (tsRef || f.trigramTerms.length) {
    if (tsRef) textFts = `s.search_vector @@ to_tsquery('signpost', ${tsRef})`;
    const near: string[] = [];
    const sims: string[] = [];
    for (const term of f.trigramTerms) {
      const ref = p(term);
      near.push(`${ref} <% s.name`);
      sims.push(`word_similarity(${ref}, s.name)`);
    }
    if (near.length) textTrigram = `(${near.join(' OR ')})`;
    if (sims.length) trigramExpr = sims.length === 1 ? sims[0]! : `GREATEST(${sims.join(', ')})`;
    if (f.groups.length > 1) allQuery = f.groups.map((g) => `(${g})`).join(' & ');
  }
  const textAny = textFts || textTrigram ? [textFts, textTrigram].filter(Boolean).join(' OR ') : undefined;
  // Phone and online services reach every ward and need no step-free venue, so they pass those filters; `strict`
  // (and the `local` column) ask for a venue that fits.
  const inPerson = `'in_person' = ANY(s.attending_types)`;
  const local: string[] = [];
  // Venue conditions are written as a (hashed) lookup on the service row, so they are checked before the costlier
  // session probes below rather than after the location join.
  if (f.wards?.length) {
    const wardsRef = p(f.wards);
    local.push(`l.ward = ANY(${wardsRef}::text[])`);
    const cond = `s.location_id IN (SELECT id FROM location WHERE ward = ANY(${wardsRef}::text[]))`;
    // An entry whose ward is unknown is never hidden by a place: it ranks after those known to be near.
    const unknown = `(s.location_id IS NULL OR s.location_id IN (SELECT id FROM location WHERE ward IS NULL))`;
    where.push(strict ? cond : `(${cond} OR NOT ${inPerson} OR ${unknown})`);
  }
  if (f.access.length) {
    where.push(`(s.location_id IN (SELECT id FROM location WHERE accessibility @> ${p(f.access)}::text[]) OR NOT ${inPerson})`);
  }
  if (f.kinds.length) where.push(`s.kind = ANY(${p(f.kinds)}::text[])`);
  if (f.audiences.length) {
    where.push(
      `(s.audiences && ${p(f.audiences)}::text[] OR 'everyone' = ANY(s.audiences) OR cardinality(s.audiences) = 0)`,
    );
  }
  if (f.excludeOnlyFor) {
    const other = p(f.excludeOnlyFor);
    where.push(`NOT (${other} = ANY(s.audiences) AND cardinality(s.audiences) <= 2 AND NOT 'everyone' = ANY(s.audiences) AND
      NOT (CASE WHEN ${other} = 'women' THEN 'men' ELSE 'women' END) = ANY(s.audiences))`);
  }
  if (f.free) where.push('s.is_free = true');
  else if (f.maxCost !== undefined) where.push(`(s.is_free = true OR s.cost_amount <= ${p(f.maxCost)})`);
  if (f.languages.length) where.push(`s.languages && ${p(f.languages)}::text[]`);
  if (f.formats.length) where.push(`s.attending_types && ${p(f.formats)}::text[]`);
  // Entries whose dated sessions are all over are finished; standing services without sessions stay. The importer
  // keeps `has_sessions` and `sessions_until` (the end of the last session still on), so this needs no probe.
  const noSessions = `NOT s.has_sessions`;
  const live = `(${noSessions} OR s.sessions_until > ${nowRef})`;
  const hasText = Boolean(tsRef || f.trigramTerms.length);
  const timeCondition = (t: NonNullable<Filters['time']>) => {
    const cond = [`oc.status <> 'cancelled'`, `oc.start >= ${p(t.from)}`, `oc.start < ${p(t.to)}`];
    const local = `(oc.start AT TIME ZONE 'Europe/London')`;
    if (t.weekdays?.length) cond.push(`extract(isodow FROM ${local}) = ANY(${p(t.weekdays)}::numeric[])`);
    if (t.hours) {
      cond.push(`extract(hour FROM ${local}) >= ${p(t.hours[0])}`);
      cond.push(`extract(hour FROM ${local}) < ${p(t.hours[1])}`);
    }
    return cond.join(' AND ');
  };
  if (f.time) {
    const cond = timeCondition(f.time);
    const probe = `(SELECT 1 FROM occurrence oc WHERE oc.service_id = s.id AND ${cond} LIMIT 1) IS NOT NULL`;
    // With words or a place to match, those bound the candidates and each probes its own sessions (the branch stops
    // after its pool is full); with only a time, the sessions in the window bound them.
    // A strict existence probe asks the indexed local hour and weekday of sessions first: when nothing fits it
    // answers from a few index pages instead of probing every matching entry.
    const inSet = `s.id IN (SELECT oc.service_id FROM occurrence oc WHERE ${cond})`;
    const inWindow = strict && limit === 1 ? inSet : hasText || f.wards?.length ? probe : inSet;
    // Standing services without dated sessions (befriending, phone lines) are there any day, but only dated
    // sessions in the window count as having found something on the day asked for.
    where.push(strict ? inWindow : `(${noSessions} OR ${inWindow})`);
    local.push(probe);
  } else {
    where.push(live);
  }
  if (strict && limit === 1) {
    // A relaxation probe: does anything fit at all? No ranking, no details, stop at the first row.
    const probe = (text: string | undefined) => `(SELECT s.id FROM service s LEFT JOIN location l ON l.id = s.location_id
       WHERE ${[...where, ...(text ? [text] : []), ...(f.time ? [live] : [])].join('\n AND ')} LIMIT 1)`;
    const parts = textFts || textTrigram ? [textFts, textTrigram].filter((t): t is string => Boolean(t)).map(probe) : [probe(undefined)];
    const { rows } = await sql.query<CandidateRow>(`SELECT id FROM (${parts.join(' UNION ALL ')}) x LIMIT 1`, params);
    return rows;
  }
  const literalQuery = f.literal.some(Boolean) ? f.literal.filter(Boolean).map((g) => `(${g})`).join(' | ') : null;
  const rankExpr = tsRef
    ? `ts_rank('{0.1, 0.2, 0.4, 1.0}', s.search_vector, to_tsquery('signpost', ${tsRef}))` +
      (literalQuery ? ` + (s.search_vector @@ to_tsquery('signpost', ${p(literalQuery)}))::int` : '')
    : '0::float8';
  const textAll = allQuery ? `s.search_vector @@ to_tsquery('signpost', ${p(allQuery)})` : undefined;
  // Per slot and field, as weight-restricted queries ("lunch:A" matches titles only): no per-row vector copies.
  const weighted = (list: string[], w: string) => list.map((g) => g.replace(/[a-z0-9]+/g, (word) => `${word}:${w}`));
  const queryArrays = {
    la: weighted(f.literal, 'A'),
    lb: weighted(f.literal, 'B'),
    lcd: weighted(f.literal, 'CD'),
    sa: weighted(f.synonyms, 'A'),
    sb: weighted(f.synonyms, 'B'),
    scd: weighted(f.synonyms, 'CD'),
    l: f.literal,
  };
  const arrayRefs = Object.fromEntries(Object.entries(queryArrays).map(([k, v]) => [k, p(v)]));
  // After relaxing the day or time, entries that still fit what was asked rank first.
  const fitsTime = prefer
    ? `(SELECT 1 FROM occurrence oc WHERE oc.service_id = s.id AND ${timeCondition(prefer)} LIMIT 1) IS NOT NULL`
    : 'NULL::boolean';
  // Each branch stops after POOL matching rows, so a broad word ("social") costs the same in a catalogue of 5k or
  // 200k; entries matching every part of the question come first through their own branch.
  const branch = (text: string | undefined, pool: number) => `(SELECT s.id, ${rankExpr} AS text_rank, ${trigramExpr} AS trigram, s.assured_date
       FROM service s LEFT JOIN location l ON l.id = s.location_id
       WHERE ${[...where, ...(text ? [text] : [])].join('\n AND ')}
       LIMIT ${pool})`;
  const branches: string[] = [];
  if (textAll) branches.push(branch(textAll, POOL_ALL));
  if (textFts) branches.push(branch(textFts, POOL_ANY));
  if (textTrigram) branches.push(branch(textTrigram, POOL_TRIGRAM));
  if (branches.length === 0) branches.push(branch(undefined, limit));
  const order = hasText ? 'max(m.text_rank) + max(m.trigram) DESC, m.id' : 'max(m.assured_date) DESC NULLS LAST, m.id';
  const { rows } = await sql.query<CandidateRow>(
    `WITH q AS MATERIALIZED (
       SELECT ${Object.entries(arrayRefs)
         .map(([k, ref]) => `(SELECT coalesce(array_agg(to_tsquery('signpost', g) ORDER BY n), ARRAY[]::tsquery[])
            FROM unnest(${ref}::text[]) WITH ORDINALITY AS t(g, n)) AS ${k}`)
         .join(',\n')}
     ),
     m AS (${branches.join(' UNION ALL ')}),
     c AS (
       SELECT m.id, max(m.text_rank) AS text_rank, max(m.trigram) AS trigram FROM m GROUP BY m.id
       ORDER BY ${order}
       LIMIT ${Math.floor(limit)}
     )
     ${selectRanking(
       nowRef,
       `c.text_rank, c.trigram,
        ARRAY(SELECT s.search_vector @@ x FROM unnest(q.la) WITH ORDINALITY AS t(x, n) ORDER BY n) AS lit_title,
        ARRAY(SELECT s.search_vector @@ x FROM unnest(q.lb) WITH ORDINALITY AS t(x, n) ORDER BY n) AS lit_category,
        ARRAY(SELECT s.search_vector @@ x FROM unnest(q.lcd) WITH ORDINALITY AS t(x, n) ORDER BY n) AS lit_description,
        ARRAY(SELECT tv.org @@ x FROM unnest(q.l) WITH ORDINALITY AS t(x, n) ORDER BY n) AS lit_organisation,
        ARRAY(SELECT s.search_vector @@ x FROM unnest(q.sa) WITH ORDINALITY AS t(x, n) ORDER BY n) AS syn_title,
        ARRAY(SELECT s.search_vector @@ x FROM unnest(q.sb) WITH ORDINALITY AS t(x, n) ORDER BY n) AS syn_category,
        ARRAY(SELECT s.search_vector @@ x FROM unnest(q.scd) WITH ORDINALITY AS t(x, n) ORDER BY n) AS syn_description,
        ${fitsTime} AS fits_time,
        ${local.length ? `coalesce(${local.join(' AND ')}, false)` : 'true'} AS local`,
     )}
     FROM c JOIN LATERAL (SELECT * FROM service WHERE service.id = c.id OFFSET 0) s ON true
     LEFT JOIN LATERAL (SELECT ward, latitude, longitude, accessibility FROM location WHERE location.id = s.location_id OFFSET 0) l ON true
     LEFT JOIN LATERAL (SELECT name FROM organization WHERE organization.id = s.organization_id OFFSET 0) o ON true
     CROSS JOIN q
     CROSS JOIN LATERAL (SELECT to_tsvector('signpost', coalesce(o.name, '')) AS org) tv`,
    params,
  );
  return rows;
}

// ---------------------------------------------------------------------------------------------------------------------
// Ranking

/** How much one slot's match counts, by field: its own words, then its synonyms. */
const WEIGHT = { litTitle: 3, litCategory: 1.5, litOrganisation: 1.5, litDescription: 1, synTitle: 1.8, synCategory: 1.2, synDescription: 0.6 };

/**
 * Audiences a listing can be for that a general question about a resident should not get first: groups for people
 * with learning disabilities, parents and babies, young people, one gender, carers, LGBTQ+ people, one community.
 */
const SPECIFIC_AUDIENCES = ['learning_disabilities', 'parents_of_young_children', 'young_people', 'women', 'men', 'lgbtq', 'carers', 'ethnic_minorities'];

const PLACEHOLDER_TITLE = /^\s*(?:empty slot|private event|private booking|untitled event|busy|reserved|room booking|tbc|tba)\b|#_[A-Z]/i;

/**
 * What a slot weighs in the text score: what the resident needs counts fully; who the resident is (an audience, a
 * language only named) counts less, so "singing for an older lady" is about singing first.
 */
function slotWeight(slot: Slot | undefined): number {
  const concept = slot?.concept ? conceptByKey(slot.concept) : undefined;
  if (!concept) return 1;
  if (concept.facet === 'audience') return concept.audiences?.some((a) => SOFT.has(a)) ? 0.25 : 0.4;
  if (concept.facet === 'language') return 0.6;
  return 1;
}
const SOFT: ReadonlySet<string> = new Set(SOFT_AUDIENCES);

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

function rank(rows: CandidateRow[], u: Understood, f: Filters, now: Date): Ranked[] {
  const maxRank = Math.max(1e-9, ...rows.map((r) => r.text_rank));
  const centre =
    u.place?.latitude !== undefined && u.place.longitude !== undefined
      ? { lat: u.place.latitude, lon: u.place.longitude }
      : undefined;
  const timeAsked = Boolean(u.when || u.weekdays?.length || u.timeOfDay);
  const slots = f.literal.length;
  const asked = new Set(u.audiences);
  const askedDeaf = (u.topics ?? []).includes('deaf') || u.languages.includes('bsl');
  const ranked = rows.map((row) => {
    let score = 0;
    const why: Why = { words: [], concepts: [], wider: [], title: null, corrected: [], distanceKm: null };
    if (slots) {
      let sum = 0;
      let hit = 0;
      let total = 0;
      const asSlots = f.slots;
      for (let i = 0; i < slots; i++) {
        const weight = slotWeight(asSlots[i]);
        total += weight;
        const at = (a: boolean[] | null | undefined) => Boolean(a?.[i]);
        const slot = asSlots[i];
        const field = at(row.lit_title) ? 'title' : at(row.lit_category) ? 'category' : at(row.lit_organisation) ? 'organisation' : at(row.lit_description) ? 'description' : undefined;
        if (slot && field && f.literal[i]) why.words.push({ text: slot.text, field });
        else if (slot?.concept && (at(row.syn_title) || at(row.syn_category) || at(row.syn_description))) {
          const wider = f.broadened[i];
          if (wider) why.wider.push(wider);
          else why.concepts.push(slot.concept);
        }
        if (slot?.corrected && (field || at(row.syn_title) || at(row.syn_category) || at(row.syn_description))) why.corrected.push({ typed: slot.corrected, read: slot.text });
        const best = Math.max(
          at(row.lit_title) ? WEIGHT.litTitle : 0,
          at(row.lit_category) ? WEIGHT.litCategory : 0,
          at(row.lit_organisation) ? WEIGHT.litOrganisation : 0,
          at(row.lit_description) ? WEIGHT.litDescription : 0,
          at(row.syn_title) ? WEIGHT.synTitle : 0,
          at(row.syn_category) ? WEIGHT.synCategory : 0,
          at(row.syn_description) ? WEIGHT.synDescription : 0,
        );
        sum += weight * best;
        if (best > 0) hit += weight;
      }
      score += (2 * sum) / total + (3 * hit) / total + 0.5 * (row.text_rank / maxRank);
      const title = titleMatch(row.name, f.slots);
      why.title = title ?? null;
      if (title === 'exact') score += 5;
      else if (title === 'all') score += 2 + 2 * Math.min(1, f.slots.flatMap((x) => titleWords(x.text)).length / Math.max(1, titleWords(row.name).length));
    }
    score += Number(row.trigram) || 0;
    const cats = row.categories ?? [];
    score += 0.3 * u.categories.filter((c) => cats.includes(c)).length;
    const audiences = row.audiences ?? [];
    for (const a of u.audiences) if (audiences.includes(a)) score += 0.8;
    for (const l of u.languages) if ((row.languages ?? []).includes(l)) score += 0.3;
    for (const l of u.preferLanguages ?? []) if ((row.languages ?? []).includes(l)) score += 0.8;
    // Audience fit: a listing for a specific audience ranks below general ones unless the question asks for it.
    // Untagged listings have audiences and categories read from their titles at import (derive-facets.ts).
    if (!audiences.includes('everyone') && audiences.some((a) => SPECIFIC_AUDIENCES.includes(a) && !asked.has(a))) score -= 2;
    const deafGroup = cats.includes('deaf') || ((row.languages ?? []).includes('bsl') && !(row.languages ?? []).includes('english'));
    if (!askedDeaf && deafGroup) score -= 2;
    let km: number | null = null;
    if (row.latitude !== null && row.longitude !== null) {
      const here = { lat: Number(row.latitude), lon: Number(row.longitude) };
      if (centre) km = distanceKm(centre, here);
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
    else if (u.maxCost !== undefined && (row.is_free || (row.cost_amount !== null && Number(row.cost_amount) <= u.maxCost))) score += 0.5;
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
  return ranked;
}

// ---------------------------------------------------------------------------------------------------------------------
// Results

type OccurrenceRow = { service_id: string; start: Date | string; end: Date | string; all_day: boolean; fits: boolean };

async function withUpcoming(sql: Sql, page: Ranked[], now: Date, u: Understood | undefined): Promise<SearchResult[]> {
  if (page.length === 0) return [];
  const ids = page.map((r) => r.row.id);
  const params: unknown[] = [ids, now];
  let fits = 'true';
  if (u && (u.when || u.weekdays?.length || u.timeOfDay)) {
    const local = `(o.start AT TIME ZONE 'Europe/London')`;
    const cond: string[] = [];
    if (u.when) {
      params.push(new Date(u.when.from), new Date(u.when.to));
      cond.push(`o.start >= $${params.length - 1} AND o.start < $${params.length}`);
    }
    if (u.weekdays?.length) {
      params.push(u.weekdays);
      cond.push(`extract(isodow FROM ${local}) = ANY($${params.length}::numeric[])`);
    }
    if (u.timeOfDay) {
      const [h0, h1] = TIME_OF_DAY_HOURS[u.timeOfDay];
      cond.push(`extract(hour FROM ${local}) >= ${h0} AND extract(hour FROM ${local}) < ${h1}`);
    }
    fits = cond.join(' AND ');
  }
  const { rows } = await sql.query<OccurrenceRow>(
    `SELECT service_id, start, "end", all_day, fits FROM (
       SELECT o.service_id, o.start, o."end", o.all_day, (${fits}) AS fits,
         row_number() OVER (PARTITION BY o.service_id ORDER BY (${fits}) DESC, o.start) AS n
       FROM occurrence o
       WHERE o.service_id = ANY($1::uuid[]) AND o.status <> 'cancelled' AND o."end" > $2
     ) x WHERE n <= 3 ORDER BY service_id, fits DESC, start`,
    params,
  );
  const byService = new Map<string, OccurrenceRow[]>();
  for (const r of rows) byService.set(r.service_id, [...(byService.get(r.service_id) ?? []), r]);
  return page.map(({ row, score, distanceKm, why }) => {
    const occ = (byService.get(row.id) ?? []).map((o) => toSlot(o));
    const result = toResult(row, occ, score, distanceKm);
    return why ? { ...result, why } : result;
  });
}

function toSlot(o: OccurrenceRow): { start: string; end: string; allDay: boolean } {
  const start = new Date(o.start);
  const end = new Date(o.end);
  if (o.all_day) {
    const d = (x: Date) => DateTime.fromJSDate(x, { zone: ZONE }).toISODate() ?? x.toISOString().slice(0, 10);
    return { start: d(start), end: d(end), allDay: true };
  }
  return { start: toLondonIso(start), end: toLondonIso(end), allDay: false };
}

function costText(row: CandidateRow): string | null {
  if (row.fees_description) return row.fees_description;
  if (row.is_free) return 'Free';
  if (row.cost_amount !== null && row.cost_amount !== undefined) {
    const amount = Number(row.cost_amount);
    return amount === 0 ? 'Pay what you can' : `£${amount.toFixed(2).replace(/\.00$/, '')}`;
  }
  return null;
}

function toResult(
  row: CandidateRow,
  upcoming: { start: string; end: string; allDay: boolean }[],
  score: number,
  distance: number | null,
): SearchResult {
  const contact: SearchResult['contact'] = {};
  if (row.contact_name) contact.name = row.contact_name;
  const email = row.contact_email ?? row.org_email;
  const phone = row.contact_phone ?? row.org_phone;
  if (email) contact.email = email;
  if (phone) contact.phone = phone;
  const address = [row.address_1, row.address_2, row.city, row.postal_code].filter(Boolean).join(', ');
  const ward = row.ward && findWard(row.ward) ? findWard(row.ward)!.name : row.ward;
  return {
    id: row.id,
    kind: row.kind as SearchResult['kind'],
    title: row.name,
    description: row.description,
    organisation: row.org_name,
    next: upcoming[0] ?? null,
    upcoming,
    scheduleText: row.schedule_text,
    venue: row.venue,
    address: address || null,
    ward: ward ?? null,
    postcode: row.postal_code,
    distanceKm: distance,
    cost: costText(row),
    access: row.accessibility ?? [],
    accessNote: row.accessibility_note,
    howToJoin: row.application_process,
    attendingTypes: row.attending_types ?? [],
    audiences: row.audiences ?? [],
    languages: row.languages ?? [],
    contact,
    url: row.url ?? row.location_url,
    lastConfirmed: row.assured,
    status: row.status,
    alert: row.alert,
    isDemo: row.is_demo,
    score,
  };
}
