import { isUuid } from '../../db/ids.ts';
import type { Sql } from '../../db/sql.ts';

/** Where a listing comes from, as staff should read it. */
export type TrustOrigin = 'feed' | 'directory' | 'coordinator_sheet' | 'coordinator' | 'demo';

/**
 * How sure we are of one listing: where it comes from, when it was last confirmed and by what, and what staff have
 * reported about it. `marked` is set when its feed has failed for more than `FEED_FAILING_DAYS` days or a "has closed"
 * report is open: the listing is then shown with a warning and ranks a little lower.
 */
export type Trust = {
  origin: TrustOrigin;
  /** The source's name (untrusted text: a feed's or directory's own name). */
  source: string;
  /** YYYY-MM-DD (London), or null when never confirmed. */
  lastConfirmed: string | null;
  /** What gave the last confirmation: the directory's or sheet's `assured_date`, a coordinator, or the feed's last good refresh. */
  confirmedBy: 'assured_date' | 'coordinator' | 'feed_refresh' | null;
  /** YYYY-MM-DD of the feed's last good refresh when it has failed since for more than FEED_FAILING_DAYS days. */
  feedFailingSince: string | null;
  feedFailing: boolean;
  openReports: { closed: number; wrongDetails: number };
  marked: boolean;
};

/** A feed that has failed for longer than this is marked on its listings. */
export const FEED_FAILING_DAYS = 7;

export const TRUST_MARKS = ['reported_closed', 'feed_failing'] as const;
export type TrustMark = (typeof TRUST_MARKS)[number];

const originOf = (format: string, isDemo: boolean): TrustOrigin => {
  if (isDemo || format === 'demo') return 'demo';
  if (format === 'hsds') return 'directory';
  if (format === 'csv') return 'coordinator_sheet';
  if (format === 'manual') return 'coordinator';
  return 'feed';
};

/** SQL (`src` is the source, `$now` a timestamptz parameter): its feed has failed for more than FEED_FAILING_DAYS. */
const feedFailingSql = (now: string) => `(src.url IS NOT NULL AND src.last_fetch_outcome = 'failed'
  AND coalesce(src.last_success_at, src.created_at) < ${now}::timestamptz - interval '${FEED_FAILING_DAYS} days')`;

const openClosedSql = `EXISTS (SELECT 1 FROM entry_flag f WHERE f.entry_id = s.id AND f.kind = 'closed' AND f.status = 'open')`;

type Row = {
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

/** The trust of each listing by id (ids not in the catalogue are left out). */
export async function selectTrust(sql: Sql, ids: readonly string[], now: Date): Promise<Map<string, Trust>> {
  const wanted = [...new Set(ids.filter(isUuid))];
  if (wanted.length === 0) return new Map();
  const { rows } = await sql.query<Row>(
    `SELECT s.id::text AS id, src.format, src.is_demo, src.name AS source, src.url,
       to_char(s.assured_date, 'YYYY-MM-DD') AS assured,
       to_char((s.confirmed_at AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD') AS confirmed,
       CASE WHEN src.url IS NOT NULL THEN to_char((src.last_success_at AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD') END AS refreshed,
       ${feedFailingSql('$2')} AS failing,
       (SELECT count(*)::int FROM entry_flag f WHERE f.entry_id = s.id AND f.status = 'open' AND f.kind = 'closed') AS closed_reports,
       (SELECT count(*)::int FROM entry_flag f WHERE f.entry_id = s.id AND f.status = 'open' AND f.kind = 'wrong_details') AS wrong_reports
     FROM service s JOIN source src ON src.id = s.source_id
     WHERE s.id = ANY($1::uuid[])`,
    [wanted, now],
  );
  const out = new Map<string, Trust>();
  for (const r of rows) {
    // The latest of the three dates, and what gave it (a coordinator's check wins a tie: it is the strongest).
    const candidates: [string | null, Trust['confirmedBy']][] = [
      [r.confirmed, 'coordinator'],
      [r.assured, 'assured_date'],
      [r.refreshed, 'feed_refresh'],
    ];
    let best: [string | null, Trust['confirmedBy']] = [null, null];
    for (const c of candidates) if (c[0] && (!best[0] || c[0] > best[0])) best = c;
    const openReports = { closed: r.closed_reports, wrongDetails: r.wrong_reports };
    out.set(r.id, {
      origin: originOf(r.format, r.is_demo),
      source: r.source,
      lastConfirmed: best[0],
      confirmedBy: best[1],
      feedFailing: r.failing,
      feedFailingSince: r.failing ? r.refreshed : null,
      openReports,
      marked: r.failing || openReports.closed > 0,
    });
  }
  return out;
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
