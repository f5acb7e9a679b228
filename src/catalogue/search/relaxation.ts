/**
 * What to do when a question finds nothing as asked: words nothing contains are dropped or widened to their broader
 * concepts, then filters are relaxed one at a time, least important first, and the answer says which.
 */
import type { Sql } from '../../db/sql.ts';
import { distanceKm, WARDS } from '../geography/camden.ts';
import {
  accessLabel,
  audienceLabel,
  describeDays,
  describePlace,
  describeTimeOfDay,
  listWords,
} from './describe-query.ts';
import {
  broaderLabel,
  broaderOf,
  conceptQuery,
  emptyFilters,
  type Filters,
  orOf,
  slotsOf,
  textGroups,
  toFilters,
  trigramFor,
  type NamedListing,
} from './filters.ts';
import { hasSearchableText, MAX_QUESTION_CHARS } from './parse-query.ts';
import { isConstraintSlot } from './read-concepts.ts';
import { isTownSlot, rank, type Ranked } from './ranking.ts';
import {
  CANDIDATES,
  type CandidateRow,
  candidates,
  placeOfVenues,
  slotsFound,
  type VenuePoint,
  venuePoints,
} from './search-queries.ts';
import type { Understood } from './types.ts';

/** "Nearby wards": ward centroids within this distance of the place asked for. */
const NEARBY_KM = 2.5;

export async function findRanked(
  sql: Sql,
  u: Understood,
  now: Date,
  venue: readonly VenuePoint[] = [],
  named: readonly NamedListing[] = [],
): Promise<{ ranked: Ranked[]; relaxed: string[]; unmet: string[] }> {
  const filters = toFilters(u, now);
  if (named.length) filters.named = [...named];
  const venues = [...venue];
  if (venue.length) {
    filters.venueIds = venue.map((v) => v.id);
    const town = new Set(u.venue?.split(' ') ?? []);
    const need = filters.groups.filter(
      (_, i) => !isConstraintSlot(filters.slots[i]) && !(filters.slots[i] && isTownSlot(filters.slots[i]!, town)),
    );
    if (need.length && need.length < filters.groups.length) filters.needAtVenue = need.map((g) => `(${g})`).join(' | ');
  }
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
    let keep: number[] = [];
    const missing: string[] = [];
    const silent: number[] = [];
    let changed = false;
    // The name of a town or venue found among the catalogue's venues matches there, if in no listing's text.
    const town = new Set(venue.length ? (u.venue?.split(' ') ?? []) : []);
    for (let i = 0; i < filters.groups.length; i++) {
      if (found[i] !== false || (slots[i] && isTownSlot(slots[i]!, town))) {
        keep.push(i);
        continue;
      }
      const slot = slots[i];
      if (!slot) continue;
      changed = true;
      // A constraint's words found in no text: the constraint itself still filters; nothing to say or count.
      if (isConstraintSlot(slot)) {
        silent.push(i);
        continue;
      }
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
    // Words in no listing that name one of the catalogue's venues ("the lazy shack", "marigold centre", "rendezvous
    // street"): the place asked for, its listings first.
    // Every word of the question, found or not, in order ("marigold centre", whose "centre" is in many listings): a
    // need worded past the thesaurus ("support after a leg amputated") is never read as a venue with one of its words.
    let named: Awaited<ReturnType<typeof venueNamed>>;
    if (missing.length && !venues.length && !u.place) {
      const words = keep.filter((i) => !isConstraintSlot(slots[i]));
      const all = slots.filter((slot, i) => slot && (words.includes(i) || missing.includes(slot.text)));
      named = await venueNamed(
        sql,
        all.map((slot) => slot!.text),
      );
      if (named) keep = keep.filter((i) => !words.includes(i));
    }
    if (named) {
      venues.push(...named.points);
      filters.venueIds = venues.map((v) => v.id);
      u.venue = named.venue;
      u.place = named.place;
    }
    if (missing.length || silent.length || named) {
      const pick = <T>(list: T[]) => keep.map((i) => list[i]!);
      filters.groups = pick(filters.groups);
      filters.literal = pick(filters.literal);
      filters.synonyms = pick(filters.synonyms);
      filters.broadened = pick(filters.broadened);
      filters.slots = pick(filters.slots);
      filters.trigramTerms = filters.trigramTerms.filter((t) => !missing.includes(t));
    }
    if (missing.length && !named) {
      const words = missing.map((w) => `"${w}"`).join(', ');
      notes.push(
        filters.groups.length
          ? `nothing matches ${words}`
          : `nothing matches ${words}; showing other things${suffix(view)}`,
      );
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
  relaxed.unshift(...new Set(notes));
  if (rows.length === 0) {
    // Last resort for a non-empty catalogue: what is on soonest near the place asked about.
    relaxed.push('nothing matched; showing what is coming up');
    rows = await candidates(sql, emptyFilters(), now, CANDIDATES, prefer);
  }
  return { ranked: rank(rows, u, filters, now, venues), relaxed, unmet: view.unmet ?? [] };
}

/**
 * The catalogue's venues whose name or address has these words (found in no listing's text), in order, as the place
 * asked for; undefined when none has them, or the words are too short to name one.
 */
async function venueNamed(
  sql: Sql,
  words: string[],
): Promise<{ points: VenuePoint[]; venue: string; place: NonNullable<Understood['place']> } | undefined> {
  const venue = words.join(' ');
  if (!/^[a-z0-9' ]+$/.test(venue) || venue.replace(/[^a-z]/g, '').length < 4) return undefined;
  const points = await venuePoints(sql, venue);
  if (!points.length) return undefined;
  return { points, venue, place: placeOfVenues(venue, points) };
}

/**
 * What to say about a question the parser could use little of: one in another script, one with nothing to search
 * for (only filler, emoji or punctuation), one cut at its length limit. The answer still shows what is coming up.
 */
export function inputNotes(text: string, u: Understood, named = false): string[] {
  const notes: string[] = [];
  if (text.length > MAX_QUESTION_CHARS)
    notes.push(`only the first ${MAX_QUESTION_CHARS} characters of the question were read`);
  const asked =
    named ||
    slotsOf(u).length ||
    u.place ||
    u.when ||
    u.weekdays?.length ||
    u.timeOfDay ||
    u.audiences.length ||
    u.kinds.length ||
    u.access.length ||
    u.languages.length ||
    u.formats.length ||
    u.free ||
    u.maxCost !== undefined;
  if (asked) return notes;
  const otherScript = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u.test(
    text.slice(0, MAX_QUESTION_CHARS),
  );
  if (otherScript && !hasSearchableText(text)) {
    notes.push(
      'questions can only be read in English so far, so this shows what is coming up; try a few English words, e.g. "lunch club in Bengali"',
    );
  } else {
    notes.push(
      'there were no words to search for, so this shows what is coming up; try e.g. "free lunch club near Kentish Town on Tuesdays"',
    );
  }
  return notes;
}

/** Whether a candidate matched part `i` of the question, by its words or its synonyms, in any field. */
function slotHit(r: CandidateRow, f: Filters, i: number): boolean {
  return (
    [
      r.lit_title,
      r.lit_category,
      r.lit_description,
      r.lit_organisation,
      r.syn_title,
      r.syn_category,
      r.syn_description,
    ].some((a) => Boolean(a?.[i])) ||
    (trigramFor(f, i) !== null && Number(r.trigram) > 0)
  );
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
