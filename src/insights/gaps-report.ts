import type { Store } from '../db/open-store.ts';

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

/** `$n` as an array that yields one NULL row when empty, so a search that named no ward still counts once. */
const orAny = (column: string, type: 'text' | 'int') =>
  `CASE WHEN coalesce(cardinality(${column}), 0) = 0 THEN ARRAY[NULL]::${type}[] ELSE ${column} END`;

/**
 * Unmet needs: searches in `[from, to)` by ward, audience, category, day and time of day asked for, ranked by unmet
 * demand (nothing found, then filters relaxed, then searches). A search that named two categories counts once in
 * each; one that named an area counts in each ward the area covers.
 */
export async function gapsReport(store: Store, options: GapsOptions): Promise<GapRow[]> {
  const { rows } = await store.sql.query<{
    ward: string | null;
    audience: string | null;
    category: string | null;
    day: number | null;
    time_of_day: string | null;
    searches: string | number;
    no_results: string | number;
    relaxed: string | number;
  }>(
    `SELECT w.ward, a.audience, c.category, d.day, s.time_of_day,
            count(*) AS searches,
            count(*) FILTER (WHERE s.no_results) AS no_results,
            count(*) FILTER (WHERE s.relaxed) AS relaxed
     FROM search_stat s
     CROSS JOIN LATERAL unnest(${orAny('s.wards', 'text')}) AS w(ward)
     CROSS JOIN LATERAL unnest(${orAny('s.audiences', 'text')}) AS a(audience)
     CROSS JOIN LATERAL unnest(${orAny('s.categories', 'text')}) AS c(category)
     CROSS JOIN LATERAL unnest(${orAny('s.days', 'int')}) AS d(day)
     WHERE s.hour >= $1 AND s.hour < $2
     GROUP BY w.ward, a.audience, c.category, d.day, s.time_of_day
     ${options.includeMet ? '' : 'HAVING count(*) FILTER (WHERE s.no_results OR s.relaxed) > 0'}
     ORDER BY no_results DESC, relaxed DESC, searches DESC, w.ward NULLS LAST, a.audience NULLS LAST, c.category NULLS LAST,
              d.day NULLS LAST, s.time_of_day NULLS LAST
     ${options.limit ? `LIMIT ${Math.max(1, Math.trunc(options.limit))}` : ''}`,
    [options.from, options.to],
  );
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
