import { z } from 'zod';
import type { EntryKind } from '../catalogue/model.ts';
import { EntryKindSchema } from '../catalogue/model.ts';
import type { DigestWindow } from './digest-schedule.ts';

/** What a subscription asks for; empty lists mean "any". Stored as JSON on the subscription. */
export const DigestFiltersSchema = z.object({
  wards: z.array(z.string()).default([]),
  categories: z.array(z.string()).default([]),
  audiences: z.array(z.string()).default([]),
  kinds: z.array(EntryKindSchema).default([]),
});
export type DigestFilters = z.infer<typeof DigestFiltersSchema>;

export const DIGEST_MODES = ['new', 'highlights', 'both'] as const;
export const DigestModeSchema = z.enum(DIGEST_MODES);
export type DigestMode = z.infer<typeof DigestModeSchema>;

/** One catalogue entry as the digest needs it, with its occurrences inside the highlights window. */
export type DigestCandidate = {
  id: string;
  kind: EntryKind;
  title: string;
  organisation: string | null;
  venue: string | null;
  ward: string | null;
  categories: string[];
  audiences: string[];
  cost: string | null;
  url: string | null;
  createdAt: Date;
  isDemo: boolean;
  /** Start times (ms) of scheduled occurrences, ascending. */
  starts: number[];
};

export type DigestItem = {
  candidate: DigestCandidate;
  /** The next start inside the highlights window, or null (new standing service). */
  nextStart: Date | null;
  /** How many times it runs in the window. */
  sessions: number;
};

export type DigestSelection = { fresh: DigestItem[]; highlights: DigestItem[]; total: number };

/** The most a digest lists per section: the rest is "N more" with a link to search. */
export const DIGEST_SECTION_LIMIT = 8;

const norm = (s: string) => s.trim().toLowerCase();

/** A prepared filter: lower-cased sets, built once per subscription. */
export type PreparedFilters = { wards: Set<string>; categories: Set<string>; audiences: Set<string>; kinds: Set<string> };

export function prepareFilters(filters: DigestFilters): PreparedFilters {
  return {
    wards: new Set(filters.wards.map(norm)),
    categories: new Set(filters.categories.map(norm)),
    audiences: new Set(filters.audiences.map((a) => norm(a).replace(/[\s-]+/g, '_'))),
    kinds: new Set(filters.kinds),
  };
}

function anyOf(wanted: Set<string>, values: string[]): boolean {
  if (wanted.size === 0) return true;
  for (const v of values) if (wanted.has(norm(v))) return true;
  return false;
}

export function matchesFilters(c: DigestCandidate, f: PreparedFilters): boolean {
  if (f.kinds.size && !f.kinds.has(c.kind)) return false;
  if (f.wards.size && !(c.ward && f.wards.has(norm(c.ward)))) return false;
  if (!anyOf(f.categories, c.categories)) return false;
  // An entry for everyone fits any audience filter.
  if (f.audiences.size && !c.audiences.includes('everyone') && !anyOf(f.audiences, c.audiences)) return false;
  return true;
}

/** First index in ascending `starts` at or after `t`. */
function lowerBound(starts: number[], t: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (starts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Picks a subscription's digest from the candidates, purely: "new" is entries added in [newSince, newUntil) (soonest
 * first); "highlights" is entries running in the highlights window that were not already listed as new, those with
 * the soonest sessions first. Each list is cut to DIGEST_SECTION_LIMIT; `total` counts everything that matched.
 */
export function selectDigestItems(
  candidates: readonly DigestCandidate[],
  filters: PreparedFilters,
  mode: DigestMode,
  window: DigestWindow,
  limit = DIGEST_SECTION_LIMIT,
): DigestSelection {
  const since = window.newSince.getTime();
  const until = window.newUntil.getTime();
  const from = window.highlightsFrom.getTime();
  const to = window.highlightsTo.getTime();
  const fresh: DigestItem[] = [];
  const highlights: DigestItem[] = [];
  for (const c of candidates) {
    if (!matchesFilters(c, filters)) continue;
    const i = lowerBound(c.starts, from);
    const j = lowerBound(c.starts, to);
    const next = i < j ? new Date(c.starts[i]!) : null;
    const item: DigestItem = { candidate: c, nextStart: next, sessions: j - i };
    const created = c.createdAt.getTime();
    const isNew = created >= since && created < until;
    if (mode !== 'highlights' && isNew) fresh.push(item);
    else if (mode !== 'new' && next) highlights.push(item);
  }
  const bySoonest = (a: DigestItem, b: DigestItem) =>
    (a.nextStart?.getTime() ?? Number.MAX_SAFE_INTEGER) - (b.nextStart?.getTime() ?? Number.MAX_SAFE_INTEGER) ||
    a.candidate.title.localeCompare(b.candidate.title);
  fresh.sort(bySoonest);
  // Highlights: things that run once or a few times (events) before weekly regulars, then soonest.
  highlights.sort((a, b) => Number(a.sessions > 2) - Number(b.sessions > 2) || bySoonest(a, b));
  return { fresh: fresh.slice(0, limit), highlights: highlights.slice(0, limit), total: fresh.length + highlights.length };
}
