import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Store } from '../db/open-store.ts';
import type { Logger } from '../logger.ts';
import { fetchFeed } from '../catalogue/ingest/fetch-feed.ts';
import { importSource } from '../catalogue/ingest/import-source.ts';
import type { SourceFormat } from '../catalogue/model.ts';
import type { FeedAllowList } from '../catalogue/ingest/feed-address-policy.ts';

/** How often a feed with no setting of its own is fetched. */
export const DEFAULT_REFRESH_MINUTES = 60;
/** The longest a failing feed waits between tries. */
export const MAX_BACKOFF_MINUTES = 24 * 60;

export type RefreshOutcome = {
  source: string;
  outcome: 'updated' | 'not_modified' | 'failed';
  events?: number;
  error?: string;
  nextFetchAt: Date;
};

export type RefreshOptions = {
  timeoutMs?: number;
  horizonDays?: number;
  onlySource?: string;
  force?: boolean;
  /** The server is stopping: no further feed is started, and a download under way is dropped (fetched again next time). */
  signal?: AbortSignal;
  allowPrivateHosts?: FeedAllowList;
};

type SourceRow = {
  id: string;
  name: string;
  format: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
  refresh_minutes: number | null;
  consecutive_failures: number;
};

/** Minutes until the next try after `failures` failures in a row: the interval doubled each time, capped at a day. */
export function backoffMinutes(intervalMinutes: number, failures: number): number {
  if (failures <= 0) return intervalMinutes;
  return Math.min(Math.max(5, intervalMinutes) * 2 ** (failures - 1), MAX_BACKOFF_MINUTES);
}

/**
 * Re-fetches every iCalendar or Open Referral source with a URL whose time has come. Conditional requests (ETag /
 * Last-Modified) make an unchanged feed a 304 that changes nothing; a failure (timeout, HTTP error, a feed that is not
 * what it claims) keeps the last good data, records the error and backs off. Each source is claimed by moving its
 * `next_fetch_at` first, so several instances never fetch the same feed at once.
 */
export async function refreshDueFeeds(store: Store, now: Date, logger: Logger, options: RefreshOptions = {}): Promise<RefreshOutcome[]> {
  const log = logger.child('refresh');
  const { rows } = await store.sql.query<SourceRow>(
    `SELECT id, name, format, url, etag, last_modified, refresh_minutes, consecutive_failures FROM source
     WHERE url IS NOT NULL AND format IN ('ical', 'hsds') AND is_demo = false
       AND ($2::boolean OR next_fetch_at IS NULL OR next_fetch_at <= $1) AND ($3::text IS NULL OR name = $3)
     ORDER BY coalesce(next_fetch_at, created_at)`,
    [now, options.force === true, options.onlySource ?? null],
  );
  const outcomes: RefreshOutcome[] = [];
  for (const source of rows) {
    if (options.signal?.aborted) break;
    const interval = source.refresh_minutes ?? DEFAULT_REFRESH_MINUTES;
    // Claim: whoever moves next_fetch_at on first fetches it (a lease of the timeout plus a margin).
    const lease = new Date(now.getTime() + (options.timeoutMs ?? 30_000) + 5 * 60_000);
    const claimed = await store.sql.query(
      `UPDATE source SET next_fetch_at = $3 WHERE id = $1 AND ($2::boolean OR next_fetch_at IS NULL OR next_fetch_at <= $4) RETURNING id`,
      [source.id, options.force === true, lease, now],
    );
    if (claimed.rows.length === 0) continue;
    const outcome = await refreshOne(store, source, interval, now, log, options);
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}

async function refreshOne(store: Store, source: SourceRow, interval: number, now: Date, log: Logger, options: RefreshOptions): Promise<RefreshOutcome | null> {
  try {
    const fetched = await fetchFeed(source.url, {
      etag: source.etag,
      lastModified: source.last_modified,
      timeoutMs: options.timeoutMs ?? 30_000,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.allowPrivateHosts ? { allowPrivateHosts: options.allowPrivateHosts } : {}),
    });
    const next = new Date(now.getTime() + interval * 60_000);
    if (fetched === 'not-modified') {
      await store.sql.query(
        `UPDATE source SET last_fetch_at = $2, last_fetch_outcome = 'not_modified', last_success_at = $2, consecutive_failures = 0,
           next_fetch_at = $3 WHERE id = $1`,
        [source.id, now, next],
      );
      log.info('feed not modified', { source: source.name });
      return { source: source.name, outcome: 'not_modified', nextFetchAt: next };
    }
    // The importer reads files or URLs; hand it what was just fetched so the feed is downloaded once.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'signpost-refresh-'));
    try {
      const file = path.join(dir, source.format === 'ical' ? 'feed.ics' : 'feed.json');
      await fs.writeFile(file, fetched.text);
      await importSource(store, { input: file, source: source.name, format: source.format as SourceFormat, now, ...(options.horizonDays ? { horizonDays: options.horizonDays } : {}) }, log);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    const count = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM occurrence o JOIN service s ON s.id = o.service_id
       WHERE s.source_id = $1 AND s.removed_at IS NULL AND o.status = 'scheduled' AND o.start >= $2`,
      [source.id, now],
    );
    const events = count.rows[0]?.n ?? 0;
    await store.sql.query(
      `UPDATE source SET last_fetch_at = $2, last_fetch_outcome = 'updated', last_success_at = $2, consecutive_failures = 0,
         last_error = NULL, next_fetch_at = $3, etag = $4, last_modified = $5, last_event_count = $6 WHERE id = $1`,
      [source.id, now, next, fetched.etag, fetched.lastModified, events],
    );
    return { source: source.name, outcome: 'updated', events, nextFetchAt: next };
  } catch (error) {
    if (options.signal?.aborted) {
      // Not the feed's fault: due again at the next start, nothing recorded against it.
      await store.sql.query(`UPDATE source SET next_fetch_at = $2 WHERE id = $1`, [source.id, now]);
      return null;
    }
    const message = error instanceof Error ? error.message : String(error);
    const failures = source.consecutive_failures + 1;
    const next = new Date(now.getTime() + backoffMinutes(interval, failures) * 60_000);
    await store.sql.query(
      `UPDATE source SET last_fetch_at = $2, last_fetch_outcome = 'failed', last_error = $3, last_error_at = $2,
         consecutive_failures = $4, next_fetch_at = $5 WHERE id = $1`,
      [source.id, now, message.slice(0, 500), failures, next],
    );
    log.warn('feed refresh failed; the last good data is kept', { source: source.name, failures, error: message });
    return { source: source.name, outcome: 'failed', error: message, nextFetchAt: next };
  }
}

export type SourceHealth = {
  name: string;
  format: string;
  url: string | null;
  lastSuccess: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  failures: number;
  events: number;
  nextFetch: Date | null;
  refreshMinutes: number | null;
};

/** Every source with its health: what `sources` prints and coordinators see in chat. */
export async function sourceHealth(store: Store, now: Date): Promise<SourceHealth[]> {
  const { rows } = await store.sql.query<{
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
  }>(
    `SELECT src.name, src.format, src.url, src.last_success_at, src.last_error, src.last_error_at, src.consecutive_failures,
            src.next_fetch_at, src.refresh_minutes,
            (SELECT count(*)::int FROM occurrence o JOIN service s ON s.id = o.service_id
              WHERE s.source_id = src.id AND s.removed_at IS NULL AND o.status = 'scheduled' AND o.start >= $1) AS events
     FROM source src ORDER BY src.name`,
    [now],
  );
  return rows.map((r) => ({
    name: r.name,
    format: r.format,
    url: r.url,
    lastSuccess: r.last_success_at,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
    failures: r.consecutive_failures,
    events: r.events,
    nextFetch: r.url && (r.format === 'ical' || r.format === 'hsds') ? (r.next_fetch_at ?? now) : null,
    refreshMinutes: r.refresh_minutes,
  }));
}
