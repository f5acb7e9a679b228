import { isUuid } from '../../db/ids.ts';
import type { Sql } from '../../db/sql.ts';

/** A feed that has failed for longer than this is marked on its listings. */
export const FEED_FAILING_DAYS = 7;

/** SQL (`src` is the source, `$now` a timestamptz parameter): its feed has failed for more than FEED_FAILING_DAYS. */
const feedFailingSql = (now: string) => `(src.url IS NOT NULL AND src.last_fetch_outcome = 'failed'
  AND coalesce(src.last_success_at, src.created_at) < ${now}::timestamptz - interval '${FEED_FAILING_DAYS} days')`;

const openClosedSql = `EXISTS (SELECT 1 FROM entry_flag f WHERE f.entry_id = s.id AND f.kind = 'closed' AND f.status = 'open')`;

export type TrustRow = {
  id: string;
  format: string;
  is_demo: boolean;
  source: string;
  url: string | null;
  assured: string | null;
  confirmed: string | null;
  refreshed: string | null;
  failing: boolean;
  closed_reports: number;
  wrong_reports: number;
};

/** The facts behind each listing's trust line, by id (`ids`: uuids only). */
export async function selectTrustRows(sql: Sql, ids: string[], now: Date): Promise<TrustRow[]> {
  const { rows } = await sql.query<TrustRow>(
    `SELECT s.id::text AS id, src.format, src.is_demo, src.name AS source, src.url,
       to_char(s.assured_date, 'YYYY-MM-DD') AS assured,
       to_char((s.confirmed_at AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD') AS confirmed,
       CASE WHEN src.url IS NOT NULL THEN to_char((src.last_success_at AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD') END AS refreshed,
       ${feedFailingSql('$2')} AS failing,
       (SELECT count(*)::int FROM entry_flag f WHERE f.entry_id = s.id AND f.status = 'open' AND f.kind = 'closed') AS closed_reports,
       (SELECT count(*)::int FROM entry_flag f WHERE f.entry_id = s.id AND f.status = 'open' AND f.kind = 'wrong_details') AS wrong_reports
     FROM service s JOIN source src ON src.id = s.source_id
     WHERE s.id = ANY($1::uuid[])`,
    [ids, now],
  );
  return rows;
}

/**
 * Brings `service.trust_mark` (what search ranking reads) up to date: `reported_closed` while a "has closed" report
 * is open, else `feed_failing` while the listing's feed has failed for more than FEED_FAILING_DAYS days. Only rows
 * whose mark changes are written. `ids` limits it to some listings (after a report); without it, every listing (after
 * feed refreshes). Returns how many marks changed.
 */
export async function refreshTrustMarks(sql: Sql, now: Date, ids?: readonly string[]): Promise<number> {
  const only = ids ? [...new Set(ids.filter(isUuid))] : null;
  if (only && only.length === 0) return 0;
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE service t SET trust_mark = m.mark
     FROM (
       SELECT s.id, CASE WHEN ${openClosedSql} THEN 'reported_closed' WHEN ${feedFailingSql('$1')} THEN 'feed_failing' END AS mark
       FROM service s JOIN source src ON src.id = s.source_id
       WHERE ($2::uuid[] IS NULL OR s.id = ANY($2::uuid[]))
     ) m
     WHERE t.id = m.id AND t.trust_mark IS DISTINCT FROM m.mark
     RETURNING t.id`,
    [now, only],
  );
  return rows.length;
}
