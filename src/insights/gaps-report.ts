import type { Database } from '../db/sql.ts';
import { selectGaps } from './insights-queries.ts';

export const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** One combination of what was asked for; `null` means the question did not say (any ward, any day…). */
export type GapRow = {
  ward: string | null;
  audience: string | null;
  category: string | null;
  day: string | null;
  timeOfDay: string | null;
  searches: number;
  noResults: number;
  relaxed: number;
};

export type GapsOptions = {
  from: Date;
  to: Date;
  /** Include combinations where every search found what it asked for (default: unmet needs only). */
  includeMet?: boolean;
  limit?: number;
};

/**
 * Unmet needs: searches in `[from, to)` by ward, audience, category, day and time of day asked for, ranked by unmet
 * demand (nothing found, then filters relaxed, then searches). A search that named two categories counts once in
 * each; one that named an area counts in each ward the area covers.
 */
export async function gapsReport(store: Pick<Database, 'sql'>, options: GapsOptions): Promise<GapRow[]> {
  const rows = await selectGaps(store.sql, options);
  return rows.map((r) => ({
    ward: r.ward,
    audience: r.audience,
    category: r.category,
    day: r.day ? (DAY_NAMES[r.day - 1] ?? null) : null,
    timeOfDay: r.time_of_day,
    searches: Number(r.searches),
    noResults: Number(r.no_results),
    relaxed: Number(r.relaxed),
  }));
}
