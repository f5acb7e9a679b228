import type { Sql } from '../db/sql.ts';

/** The SQL of feed refreshes and feed health: a source's fetch state (see refresh-feeds.ts). */

/** A source with a URL as a refresh reads it. */
export type RefreshSourceRow = {
  id: string;
  name: string;
  format: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  refresh_minutes: number | null;
  consecutive_failures: number;
};

export type SourceHealthRow = {
  name: string;
  format: string;
  url: string | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  consecutive_failures: number;
  events: number;
  next_fetch_at: Date | null;
  refresh_minutes: number | null;
};

/** iCalendar and Open Referral sources with a URL (never demo ones) due at `now`, or all of them with `force`. */
export async function selectDueSources(
  sql: Sql,
  now: Date,
  filter: { force: boolean; onlySource: string | null },
): Promise<RefreshSourceRow[]> {
  const { rows } = await sql.query<RefreshSourceRow>(
    `SELECT id, name, format, url, etag, last_modified, refresh_minutes, consecutive_failures FROM source
     WHERE url IS NOT NULL AND format IN ('ical', 'hsds') AND is_demo = false
       AND ($2::boolean OR next_fetch_at IS NULL OR next_fetch_at <= $1) AND ($3::text IS NULL OR name = $3)
     ORDER BY coalesce(next_fetch_at, created_at)`,
    [now, filter.force, filter.onlySource],
  );
  return rows;
}

/** Claims a source by moving its `next_fetch_at` to `leaseUntil`, if it is still due; false when another got it. */
export async function claimSource(
  sql: Sql,
  sourceId: string,
  force: boolean,
  leaseUntil: Date,
  now: Date,
): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE source SET next_fetch_at = $3 WHERE id = $1 AND ($2::boolean OR next_fetch_at IS NULL OR next_fetch_at <= $4) RETURNING id`,
    [sourceId, force, leaseUntil, now],
  );
  return rows.length > 0;
}

export async function recordNotModified(sql: Sql, sourceId: string, now: Date, next: Date): Promise<void> {
  await sql.query(
    `UPDATE source SET last_fetch_at = $2, last_fetch_outcome = 'not_modified', last_success_at = $2, consecutive_failures = 0,
       next_fetch_at = $3 WHERE id = $1`,
    [sourceId, now, next],
  );
}

/** Scheduled occurrences from `now` on of the source's listings still in it. */
export async function countUpcomingOccurrences(sql: Sql, sourceId: string, now: Date): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM occurrence o JOIN service s ON s.id = o.service_id
     WHERE s.source_id = $1 AND s.removed_at IS NULL AND o.status = 'scheduled' AND o.start >= $2`,
    [sourceId, now],
  );
  return rows[0]?.n ?? 0;
}

export async function recordUpdated(
  sql: Sql,
  sourceId: string,
  now: Date,
  update: { next: Date; etag: string | null; lastModified: string | null; events: number },
): Promise<void> {
  await sql.query(
    `UPDATE source SET last_fetch_at = $2, last_fetch_outcome = 'updated', last_success_at = $2, consecutive_failures = 0,
       last_error = NULL, next_fetch_at = $3, etag = $4, last_modified = $5, last_event_count = $6 WHERE id = $1`,
    [sourceId, now, update.next, update.etag, update.lastModified, update.events],
  );
}

/** Gives a claimed source back, due at `at`, with nothing recorded against it. */
export async function releaseSource(sql: Sql, sourceId: string, at: Date): Promise<void> {
  await sql.query(`UPDATE source SET next_fetch_at = $2 WHERE id = $1`, [sourceId, at]);
}

export async function recordFetchFailure(
  sql: Sql,
  sourceId: string,
  now: Date,
  failure: { error: string; failures: number; next: Date },
): Promise<void> {
  await sql.query(
    `UPDATE source SET last_fetch_at = $2, last_fetch_outcome = 'failed', last_error = $3, last_error_at = $2,
       consecutive_failures = $4, next_fetch_at = $5 WHERE id = $1`,
    [sourceId, now, failure.error, failure.failures, failure.next],
  );
}

/** Every source with its fetch state and its upcoming occurrences counted, by name. */
export async function selectSourceHealth(sql: Sql, now: Date): Promise<SourceHealthRow[]> {
  const { rows } = await sql.query<SourceHealthRow>(
    `SELECT src.name, src.format, src.url, src.last_success_at, src.last_error, src.last_error_at, src.consecutive_failures,
            src.next_fetch_at, src.refresh_minutes,
            (SELECT count(*)::int FROM occurrence o JOIN service s ON s.id = o.service_id
              WHERE s.source_id = src.id AND s.removed_at IS NULL AND o.status = 'scheduled' AND o.start >= $1) AS events
     FROM source src ORDER BY src.name`,
    [now],
  );
  return rows;
}

/** Sets how often the named source is fetched, due at once; false when there is no such source. */
export async function setRefreshMinutes(sql: Sql, sourceName: string, minutes: number): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE source SET refresh_minutes = $2, next_fetch_at = NULL WHERE name = $1 RETURNING id`,
    [sourceName, minutes],
  );
  return rows.length > 0;
}
