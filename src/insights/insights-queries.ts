import type { Sql } from '../db/sql.ts';
import { LAST_CONFIRMED_SQL } from '../catalogue/verify/verify-queries.ts';
import type { SearchStat } from './to-search-stat.ts';

/** The SQL of the anonymous insights: search statistics, result events, kept questions and the reports over them. */

/** Counts come back from PostgreSQL as bigint, so as strings on some drivers. */
type Count = string | number;

export async function insertSearchStat(sql: Sql, s: SearchStat): Promise<void> {
  await sql.query(
    `INSERT INTO search_stat (hour, wards, categories, audiences, access, languages, days, time_of_day, result_count, relaxed, no_results, platform)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      s.hour,
      s.wards,
      s.categories,
      s.audiences,
      s.access,
      s.languages,
      s.days,
      s.timeOfDay,
      s.resultCount,
      s.relaxed,
      s.noResults,
      s.platform,
    ],
  );
}

export async function insertRedactedQuestion(
  sql: Sql,
  q: { hour: Date; text: string; noResults: boolean; relaxed: boolean; expiresAt: Date },
): Promise<void> {
  await sql.query(
    `INSERT INTO redacted_question (hour, text, no_results, relaxed, expires_at) VALUES ($1, $2, $3, $4, $5)`,
    [q.hour, q.text, q.noResults, q.relaxed, q.expiresAt],
  );
}

export async function insertResultEvent(sql: Sql, entryId: string, kind: string, hour: Date): Promise<void> {
  await sql.query(`INSERT INTO result_event (entry_id, kind, hour) VALUES ($1, $2, $3)`, [entryId, kind, hour]);
}

/** Deletes kept questions expired at `now` or asked before `askedBefore`; every one when `all`. Returns how many. */
export async function deleteRedactedQuestions(sql: Sql, now: Date, askedBefore: Date, all: boolean): Promise<number> {
  const { rows } = await sql.query<{ id: string }>(
    all
      ? `DELETE FROM redacted_question WHERE $1::timestamptz IS NOT NULL OR $2::timestamptz IS NOT NULL RETURNING id`
      : `DELETE FROM redacted_question WHERE expires_at <= $1 OR hour < $2 RETURNING id`,
    [now, askedBefore],
  );
  return rows.length;
}

export async function deleteSearchStatsBefore(sql: Sql, before: Date): Promise<number> {
  return (await sql.query(`DELETE FROM search_stat WHERE hour < $1 RETURNING id`, [before])).rows.length;
}

export async function deleteResultEventsBefore(sql: Sql, before: Date): Promise<number> {
  return (await sql.query(`DELETE FROM result_event WHERE hour < $1 RETURNING id`, [before])).rows.length;
}

export type SearchCountsRow = { searches: Count; no_results: Count; relaxed: Count };

/** Searches, searches with nothing found and searches relaxed, in `[from, to)`. */
export async function selectSearchTotals(sql: Sql, from: Date, to: Date): Promise<SearchCountsRow | undefined> {
  const { rows } = await sql.query<SearchCountsRow>(
    `SELECT count(*) AS searches, count(*) FILTER (WHERE no_results) AS no_results, count(*) FILTER (WHERE relaxed) AS relaxed
     FROM search_stat WHERE hour >= $1 AND hour < $2`,
    [from, to],
  );
  return rows[0];
}

/** Result events in `[from, to)` counted by kind. */
export async function selectResultEventCounts(
  sql: Sql,
  from: Date,
  to: Date,
): Promise<{ kind: string; count: Count }[]> {
  const { rows } = await sql.query<{ kind: string; count: Count }>(
    `SELECT kind, count(*) AS count FROM result_event WHERE hour >= $1 AND hour < $2 GROUP BY kind`,
    [from, to],
  );
  return rows;
}

/** Searches by ward asked for (null: none named), most first. */
export async function selectSearchesByWard(
  sql: Sql,
  from: Date,
  to: Date,
): Promise<(SearchCountsRow & { ward: string | null })[]> {
  const { rows } = await sql.query<SearchCountsRow & { ward: string | null }>(
    `SELECT w.ward, count(*) AS searches, count(*) FILTER (WHERE s.no_results) AS no_results, count(*) FILTER (WHERE s.relaxed) AS relaxed
     FROM search_stat s
     CROSS JOIN LATERAL unnest(CASE WHEN coalesce(cardinality(s.wards), 0) = 0 THEN ARRAY[NULL]::text[] ELSE s.wards END) AS w(ward)
     WHERE s.hour >= $1 AND s.hour < $2
     GROUP BY w.ward ORDER BY searches DESC, w.ward NULLS LAST`,
    [from, to],
  );
  return rows;
}

/** Searches by London date. */
export async function selectSearchesByDay(
  sql: Sql,
  from: Date,
  to: Date,
): Promise<(SearchCountsRow & { date: string })[]> {
  const { rows } = await sql.query<SearchCountsRow & { date: string }>(
    `SELECT to_char(hour AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS date, count(*) AS searches,
            count(*) FILTER (WHERE no_results) AS no_results, count(*) FILTER (WHERE relaxed) AS relaxed
     FROM search_stat WHERE hour >= $1 AND hour < $2 GROUP BY 1 ORDER BY 1`,
    [from, to],
  );
  return rows;
}

export type NeedColumn = 'categories' | 'audiences' | 'access' | 'languages';

/** The 15 values most asked for in one array column of the statistics. */
export async function selectTopNeeds(
  sql: Sql,
  column: NeedColumn,
  from: Date,
  to: Date,
): Promise<{ value: string; searches: Count; no_results: Count }[]> {
  const { rows } = await sql.query<{ value: string; searches: Count; no_results: Count }>(
    `SELECT v.value, count(*) AS searches, count(*) FILTER (WHERE s.no_results) AS no_results
     FROM search_stat s CROSS JOIN LATERAL unnest(s.${column}) AS v(value)
     WHERE s.hour >= $1 AND s.hour < $2 GROUP BY v.value ORDER BY searches DESC, v.value LIMIT 15`,
    [from, to],
  );
  return rows;
}

export type TopResultRow = { entry_id: string; title: string | null; opened: Count; shared: Count; booked: Count };

/** The 20 listings with most result events, with each kind counted. */
export async function selectTopResults(sql: Sql, from: Date, to: Date): Promise<TopResultRow[]> {
  const { rows } = await sql.query<TopResultRow>(
    `SELECT e.entry_id, s.name AS title,
            count(*) FILTER (WHERE e.kind = 'opened') AS opened, count(*) FILTER (WHERE e.kind = 'shared') AS shared,
            count(*) FILTER (WHERE e.kind = 'booked') AS booked
     FROM result_event e LEFT JOIN service s ON s.id = e.entry_id
     WHERE e.hour >= $1 AND e.hour < $2
     GROUP BY e.entry_id, s.name ORDER BY count(*) DESC, s.name LIMIT 20`,
    [from, to],
  );
  return rows;
}

export type GapQueryRow = {
  ward: string | null;
  audience: string | null;
  category: string | null;
  day: number | null;
  time_of_day: string | null;
  searches: Count;
  no_results: Count;
  relaxed: Count;
};

/** `$n` as an array that yields one NULL row when empty, so a search that named no ward still counts once. */
const orAny = (column: string, type: 'text' | 'int') =>
  `CASE WHEN coalesce(cardinality(${column}), 0) = 0 THEN ARRAY[NULL]::${type}[] ELSE ${column} END`;

/** Searches in `[from, to)` by ward, audience, category, day and time of day asked for, unmet demand first. */
export async function selectGaps(
  sql: Sql,
  options: { from: Date; to: Date; includeMet?: boolean; limit?: number },
): Promise<GapQueryRow[]> {
  const { rows } = await sql.query<GapQueryRow>(
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
  return rows;
}

export type StaleEntryRow = {
  id: string;
  name: string;
  kind: string;
  organisation: string | null;
  source: string;
  ward: string | null;
  assured: string | null;
  is_demo: boolean;
};

/** Listings still shown whose last confirmation (YYYY-MM-DD, `assured`) is before `before` or never was. */
export async function selectStaleEntries(sql: Sql, before: string): Promise<StaleEntryRow[]> {
  const { rows } = await sql.query<StaleEntryRow>(
    `SELECT s.id, s.name, s.kind, o.name AS organisation, src.name AS source, l.ward, to_char(${LAST_CONFIRMED_SQL}, 'YYYY-MM-DD') AS assured, src.is_demo
     FROM service s JOIN source src ON src.id = s.source_id
     LEFT JOIN organization o ON o.id = s.organization_id
     LEFT JOIN location l ON l.id = s.location_id
     WHERE s.removed_at IS NULL AND s.status <> 'closed' AND (${LAST_CONFIRMED_SQL} IS NULL OR ${LAST_CONFIRMED_SQL} < $1::date)
     ORDER BY ${LAST_CONFIRMED_SQL} NULLS FIRST, s.name`,
    [before],
  );
  return rows;
}

export type FailingFeedRow = {
  name: string;
  format: string;
  url: string | null;
  last_error: string;
  last_error_at: Date | string | null;
  last_success_at: Date | string | null;
};

/** Sources whose last fetch failed (an error newer than the last success), latest error first. */
export async function selectFailingFeeds(sql: Sql): Promise<FailingFeedRow[]> {
  const { rows } = await sql.query<FailingFeedRow>(
    `SELECT name, format, url, last_error, last_error_at, last_success_at FROM source
     WHERE last_error IS NOT NULL AND (last_success_at IS NULL OR last_error_at IS NULL OR last_error_at >= last_success_at)
     ORDER BY last_error_at DESC NULLS LAST, name`,
  );
  return rows;
}
