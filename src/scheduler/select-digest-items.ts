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
export type PreparedFilters = {
  wards: Set<string>;
  categories: Set<string>;
  audiences: Set<string>;
  kinds: Set<string>;
};

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

type PreparedItem = DigestItem & {
  isNew: boolean;
  ward: string;
  categories: string[];
  audiences: string[];
  forEveryone: boolean;
};

type Lists = { fresh: PreparedItem[]; highlights: PreparedItem[] };

/**
 * Candidates prepared once per window and shared by every subscription on it: lower-cased fields, each entry's next
 * session, the "new" and "highlights" lists already in digest order, and the same lists per ward. A thousand channel
 * digests then cost a filtered scan each, with no sorting or allocation per entry.
 */
export type PreparedCatalogue = { all: Lists; byWard: Map<string, Lists> };

export function prepareCandidates(candidates: readonly DigestCandidate[], window: DigestWindow): PreparedCatalogue {
  const since = window.newSince.getTime();
  const until = window.newUntil.getTime();
  const from = window.highlightsFrom.getTime();
  const to = window.highlightsTo.getTime();
  const all: Lists = { fresh: [], highlights: [] };
  for (const c of candidates) {
    const i = lowerBound(c.starts, from);
    const j = lowerBound(c.starts, to);
    const created = c.createdAt.getTime();
    const item: PreparedItem = {
      candidate: c,
      nextStart: i < j ? new Date(c.starts[i]!) : null,
      sessions: j - i,
      isNew: created >= since && created < until,
      ward: c.ward ? norm(c.ward) : '',
      categories: c.categories.map(norm),
      audiences: c.audiences.map(norm),
      forEveryone: c.audiences.includes('everyone'),
    };
    if (item.isNew) all.fresh.push(item);
    if (item.nextStart) all.highlights.push(item);
  }
  const bySoonest = (a: DigestItem, b: DigestItem) =>
    (a.nextStart?.getTime() ?? Number.MAX_SAFE_INTEGER) - (b.nextStart?.getTime() ?? Number.MAX_SAFE_INTEGER) ||
    a.candidate.title.localeCompare(b.candidate.title);
  all.fresh.sort(bySoonest);
  // Highlights: things that run once or a few times (events) before weekly regulars, then soonest.
  all.highlights.sort((a, b) => Number(a.sessions > 2) - Number(b.sessions > 2) || bySoonest(a, b));
  const byWard = new Map<string, Lists>();
  for (const key of ['fresh', 'highlights'] as const) {
    for (const item of all[key]) {
      let lists = byWard.get(item.ward);
      if (!lists) byWard.set(item.ward, (lists = { fresh: [], highlights: [] }));
      lists[key].push(item);
    }
  }
  return { all, byWard };
}

function matchesPrepared(item: PreparedItem, f: PreparedFilters): boolean {
  if (f.kinds.size && !f.kinds.has(item.candidate.kind)) return false;
  if (f.wards.size && !f.wards.has(item.ward)) return false;
  if (f.categories.size && !item.categories.some((c) => f.categories.has(c))) return false;
  // An entry for everyone fits any audience filter.
  if (f.audiences.size && !item.forEveryone && !item.audiences.some((a) => f.audiences.has(a))) return false;
  return true;
}

/** Merges per-ward lists back into one ordered list (few wards per subscription, so a sort of the union is cheap). */
function listsFor(catalogue: PreparedCatalogue, f: PreparedFilters, key: keyof Lists): PreparedItem[] {
  if (f.wards.size === 0) return catalogue.all[key];
  const parts = [...f.wards].map((w) => catalogue.byWard.get(w)?.[key] ?? []);
  if (parts.length === 1) return parts[0]!;
  const order = new Map(catalogue.all[key].map((item, i) => [item, i]));
  return parts.flat().sort((a, b) => order.get(a)! - order.get(b)!);
}

/**
 * Picks a subscription's digest, purely: "new" is entries added in [newSince, newUntil) (soonest first);
 * "highlights" is entries running in the highlights window that were not already listed as new, one-off events
 * before weekly regulars, then soonest. Each list is cut to DIGEST_SECTION_LIMIT; `total` counts everything matched.
 */
export function selectFromPrepared(
  catalogue: PreparedCatalogue,
  filters: PreparedFilters,
  mode: DigestMode,
  limit = DIGEST_SECTION_LIMIT,
): DigestSelection {
  const fresh: DigestItem[] = [];
  const highlights: DigestItem[] = [];
  let total = 0;
  if (mode !== 'highlights') {
    for (const item of listsFor(catalogue, filters, 'fresh')) {
      if (!matchesPrepared(item, filters)) continue;
      total += 1;
      if (fresh.length < limit) fresh.push(item);
    }
  }
  if (mode !== 'new') {
    for (const item of listsFor(catalogue, filters, 'highlights')) {
      if (mode === 'both' && item.isNew) continue;
      if (!matchesPrepared(item, filters)) continue;
      total += 1;
      if (highlights.length < limit) highlights.push(item);
    }
  }
  const plain = (i: DigestItem): DigestItem => ({
    candidate: i.candidate,
    nextStart: i.nextStart,
    sessions: i.sessions,
  });
  return { fresh: fresh.map(plain), highlights: highlights.map(plain), total };
}

export function selectDigestItems(
  candidates: readonly DigestCandidate[],
  filters: PreparedFilters,
  mode: DigestMode,
  window: DigestWindow,
  limit = DIGEST_SECTION_LIMIT,
): DigestSelection {
  return selectFromPrepared(prepareCandidates(candidates, window), filters, mode, limit);
}
