import type { Database } from '../db/sql.ts';
import {
  selectResultEventCounts,
  selectSearchesByDay,
  selectSearchesByWard,
  selectSearchTotals,
  selectTopNeeds,
  selectTopResults,
} from './insights-queries.ts';

export type SearchTotals = {
  searches: number;
  noResults: number;
  relaxed: number;
  opened: number;
  shared: number;
  booked: number;
};
export type WardRow = { ward: string | null; searches: number; noResults: number; relaxed: number };
export type DayRow = { date: string; searches: number; noResults: number; relaxed: number };
export type NeedRow = {
  dimension: 'category' | 'audience' | 'access' | 'language';
  value: string;
  searches: number;
  noResults: number;
};
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
export async function searchesReport(store: Pick<Database, 'sql'>, from: Date, to: Date): Promise<SearchesReport> {
  const totals = await selectSearchTotals(store.sql, from, to);
  const events = await selectResultEventCounts(store.sql, from, to);
  const eventCount = (kind: string) => n(events.find((e) => e.kind === kind)?.count);

  const byWard = (await selectSearchesByWard(store.sql, from, to)).map((r) => ({
    ward: (r.ward as string | null) ?? null,
    searches: n(r.searches),
    noResults: n(r.no_results),
    relaxed: n(r.relaxed),
  }));

  const byDay = (await selectSearchesByDay(store.sql, from, to)).map((r) => ({
    date: String(r.date),
    searches: n(r.searches),
    noResults: n(r.no_results),
    relaxed: n(r.relaxed),
  }));

  const needs: NeedRow[] = [];
  for (const [dimension, column] of [
    ['category', 'categories'],
    ['audience', 'audiences'],
    ['access', 'access'],
    ['language', 'languages'],
  ] as const) {
    const rows = await selectTopNeeds(store.sql, column, from, to);
    for (const r of rows)
      needs.push({ dimension, value: String(r.value), searches: n(r.searches), noResults: n(r.no_results) });
  }

  const topResults = (await selectTopResults(store.sql, from, to)).map((r) => ({
    entryId: String(r.entry_id),
    title: (r.title as string | null) ?? null,
    opened: n(r.opened),
    shared: n(r.shared),
    booked: n(r.booked),
  }));

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
