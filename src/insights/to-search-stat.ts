import { z } from 'zod';
import { WARDS } from '../catalogue/geography/camden.ts';
import { ACCESSIBILITY_FEATURES, AUDIENCES } from '../catalogue/model.ts';
import type { Understood } from '../catalogue/search/types.ts';
import { conceptByKey, normalisePhrase } from '../catalogue/search/vocabulary.ts';
import type { SearchObservation } from './ports.ts';

/** A controlled-vocabulary word: lower case letters, spaces and a few signs, never free text of any length. */
const VOCABULARY_WORD = /^[a-z][a-z +&'/-]{0,39}$/;
const WARD_NAMES = new Set(WARDS.map((w) => w.name));
const AUDIENCE_SET = new Set<string>(AUDIENCES);
const ACCESS_SET = new Set<string>(ACCESSIBILITY_FEATURES);
const PLATFORMS = new Set(['slack', 'teams', 'terminal']);

export const SearchStatSchema = z.object({
  hour: z.date(),
  wards: z.array(z.string()).max(20),
  categories: z.array(z.string().regex(VOCABULARY_WORD)).max(12),
  audiences: z.array(z.string()).max(12),
  access: z.array(z.string()).max(12),
  languages: z.array(z.string().regex(VOCABULARY_WORD)).max(12),
  days: z.array(z.number().int().min(1).max(7)).max(7),
  timeOfDay: z.enum(['morning', 'afternoon', 'evening']).nullable(),
  resultCount: z.number().int().min(0),
  relaxed: z.boolean(),
  noResults: z.boolean(),
  platform: z.string().nullable(),
});
export type SearchStat = z.infer<typeof SearchStatSchema>;

/** The start of the hour `at` falls in (hours are whole in Europe/London too, so UTC truncation is exact). */
export function toHourBucket(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
}

const uniqueSorted = <T>(values: Iterable<T>): T[] => [...new Set(values)].sort();

/**
 * Days of the week the question asked for: the weekdays named ("on Tuesdays"), or the days of a short window
 * ("tomorrow", "this weekend"); a longer window ("next week") means any day.
 */
export function askedDays(u: Pick<Understood, 'weekdays' | 'when'>): number[] {
  if (u.weekdays?.length) return uniqueSorted(u.weekdays.filter((d) => Number.isInteger(d) && d >= 1 && d <= 7));
  if (!u.when) return [];
  const from = new Date(u.when.from);
  const to = new Date(u.when.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to.getTime() - from.getTime() > 3 * 86_400_000)
    return [];
  const days = new Set<number>();
  for (let t = from.getTime(); t < to.getTime(); t += 3_600_000) {
    const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'short' }).format(
      new Date(t),
    );
    days.add(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(weekday) + 1);
  }
  return uniqueSorted([...days].filter((d) => d >= 1));
}

/**
 * The needs a question named, as thesaurus concepts: one word each ("lunch club", "zumba", "swimming"), so a
 * concept with several categories counts once. Older parses without concepts give their categories.
 */
export function askedNeeds(u: Pick<Understood, 'topics' | 'categories' | 'unmet'>): string[] {
  const keys = [...(u.topics ?? []), ...(u.unmet ?? [])];
  const needs = keys
    .map((k) => conceptByKey(k))
    .filter((c) => c?.facet === 'topic')
    .map((c) => c!.categories?.[0] ?? normalisePhrase(c!.label));
  const list = needs.length || keys.length ? needs : u.categories;
  return uniqueSorted(list.map((c) => c.toLowerCase().trim()).filter((c) => VOCABULARY_WORD.test(c))).slice(0, 12);
}

/** Relaxations that gave up on what was asked for, not only on when or where. */
const GAVE_UP =
  /^(nothing matches|no .+ is listed|nothing matched)|showing the closest other things|showing results without the words/;

/**
 * Turns what the conversation saw into an anonymous statistic. Only controlled values survive: official ward names,
 * the catalogue's audience and access vocabularies, and short vocabulary words for categories and languages. The
 * question text, the free-text terms, place labels and postcodes are dropped.
 */
export function toSearchStat(event: SearchObservation): SearchStat {
  const u = event.understood;
  const stat: SearchStat = {
    hour: toHourBucket(event.at),
    wards: uniqueSorted((u.place?.wards ?? []).filter((w) => WARD_NAMES.has(w))),
    categories: askedNeeds(u),
    audiences: uniqueSorted(u.audiences.filter((a) => AUDIENCE_SET.has(a))),
    access: uniqueSorted(u.access.filter((a) => ACCESS_SET.has(a))),
    languages: uniqueSorted(u.languages.map((l) => l.toLowerCase().trim()).filter((l) => VOCABULARY_WORD.test(l))),
    days: askedDays(u),
    timeOfDay: u.timeOfDay ?? null,
    resultCount: Math.max(0, Math.trunc(event.total)),
    relaxed: event.relaxed.length > 0,
    // Nothing found for a need counts as no result even when other things were shown in its place.
    noResults: event.total === 0 || (u.unmet?.length ?? 0) > 0 || event.relaxed.some((r) => GAVE_UP.test(r)),
    platform: PLATFORMS.has(event.platform) ? event.platform : null,
  };
  return SearchStatSchema.parse(stat);
}
