import { isUuid } from '../../db/ids.ts';
import type { Sql } from '../../db/sql.ts';
import { selectTrustRows } from './trust-queries.ts';

export { FEED_FAILING_DAYS, refreshTrustMarks } from './trust-queries.ts';

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

export const TRUST_MARKS = ['reported_closed', 'feed_failing'] as const;
export type TrustMark = (typeof TRUST_MARKS)[number];

const originOf = (format: string, isDemo: boolean): TrustOrigin => {
  if (isDemo || format === 'demo') return 'demo';
  if (format === 'hsds') return 'directory';
  if (format === 'csv') return 'coordinator_sheet';
  if (format === 'manual') return 'coordinator';
  return 'feed';
};

/** The trust of each listing by id (ids not in the catalogue are left out). */
export async function selectTrust(sql: Sql, ids: readonly string[], now: Date): Promise<Map<string, Trust>> {
  const wanted = [...new Set(ids.filter(isUuid))];
  if (wanted.length === 0) return new Map();
  const rows = await selectTrustRows(sql, wanted, now);
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
