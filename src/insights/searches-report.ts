import type { Store } from '../db/open-store.ts';

export type SearchTotals = { searches: number; noResults: number; relaxed: number; opened: number; shared: number; booked: number };
export type WardRow = { ward: string | null; searches: number; noResults: number; relaxed: number };
export type DayRow = { date: string; searches: number; noResults: number; relaxed: number };
export type NeedRow = { dimension: 'category' | 'audience' | 'access' | 'language'; value: string; searches: number; noResults: number };
export type ResultRow = { entryId: string; title: string | null; opened: number; shared: number; booked: number };

export type SearchesReport = {
  from: string;
  to: string;
  totals: SearchTotals;
  byWard: WardRow[];
  byDay: DayRow[];
  needs: NeedRow[];
  topResults: ResultRow[];
};

const n = (v: unknown) => Number(v ?? 0);

/** Searches and what became of their results over `[from, to)`: totals, by ward, by day (London dates), by need. */
export async function searchesReport(store: Store, from: Date, to: Date): Promise<SearchesReport> {
  const range = [from, to];
  const totals = (
    await store.sql.query<Record<string, unknown>>(
      `SELECT count(*) AS searches, count(*) FILTER (WHERE no_results) AS no_results, count(*) FILTER (WHERE relaxed) AS relaxed
       FROM search_stat WHERE hour >= $1 AND hour < $2`,
      range,
    )
  ).rows[0];
  const events = (
    await store.sql.query<{ kind: string; count: unknown }>(
      `SELECT kind, count(*) AS count FROM result_event WHERE hour >= $1 AND hour < $2 GROUP BY kind`,
      range,
    )
  ).rows;
  const eventCount = (kind: string) => n(events.find((e) => e.kind === kind)?.count);

  const byWard = (
    await store.sql.query<Record<string, unknown>>(
      `SELECT w.ward, count(*) AS searches, count(*) FILTER (WHERE s.no_results) AS no_results, count(*) FILTER (WHERE s.relaxed) AS relaxed
       FROM search_stat s
       CROSS JOIN LATERAL unnest(CASE WHEN coalesce(cardinality(s.wards), 0) = 0 THEN ARRAY[NULL]::text[] ELSE s.wards END) AS w(ward)
       WHERE s.hour >= $1 AND s.hour < $2
       GROUP BY w.ward ORDER BY searches DESC, w.ward NULLS LAST`,
      range,
    )
  ).rows.map((r) => ({ ward: (r.ward as string | null) ?? null, searches: n(r.searches), noResults: n(r.no_results), relaxed: n(r.relaxed) }));

  const byDay = (
    await store.sql.query<Record<string, unknown>>(
      `SELECT to_char(hour AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS date, count(*) AS searches,
              count(*) FILTER (WHERE no_results) AS no_results, count(*) FILTER (WHERE relaxed) AS relaxed
       FROM search_stat WHERE hour >= $1 AND hour < $2 GROUP BY 1 ORDER BY 1`,
      range,
    )
  ).rows.map((r) => ({ date: String(r.date), searches: n(r.searches), noResults: n(r.no_results), relaxed: n(r.relaxed) }));

  const needs: NeedRow[] = [];
  for (const [dimension, column] of [
    ['category', 'categories'],
    ['audience', 'audiences'],
    ['access', 'access'],
    ['language', 'languages'],
  ] as const) {
    const { rows } = await store.sql.query<Record<string, unknown>>(
      `SELECT v.value, count(*) AS searches, count(*) FILTER (WHERE s.no_results) AS no_results
       FROM search_stat s CROSS JOIN LATERAL unnest(s.${column}) AS v(value)
       WHERE s.hour >= $1 AND s.hour < $2 GROUP BY v.value ORDER BY searches DESC, v.value LIMIT 15`,
      range,
    );
    for (const r of rows) needs.push({ dimension, value: String(r.value), searches: n(r.searches), noResults: n(r.no_results) });
  }

  const topResults = (
    await store.sql.query<Record<string, unknown>>(
      `SELECT e.entry_id, s.name AS title,
              count(*) FILTER (WHERE e.kind = 'opened') AS opened, count(*) FILTER (WHERE e.kind = 'shared') AS shared,
              count(*) FILTER (WHERE e.kind = 'booked') AS booked
       FROM result_event e LEFT JOIN service s ON s.id = e.entry_id
       WHERE e.hour >= $1 AND e.hour < $2
       GROUP BY e.entry_id, s.name ORDER BY count(*) DESC, s.name LIMIT 20`,
      range,
    )
  ).rows.map((r) => ({ entryId: String(r.entry_id), title: (r.title as string | null) ?? null, opened: n(r.opened), shared: n(r.shared), booked: n(r.booked) }));

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    totals: {
      searches: n(totals?.searches),
      noResults: n(totals?.no_results),
      relaxed: n(totals?.relaxed),
      opened: eventCount('opened'),
      shared: eventCount('shared'),
      booked: eventCount('booked'),
    },
    byWard,
    byDay,
    needs,
    topResults,
  };
}
