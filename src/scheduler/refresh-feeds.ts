import type { Database } from '../db/sql.ts';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { fetchFeed } from '../catalogue/ingest/fetch-feed.ts';
import { importSource } from '../catalogue/ingest/import-source.ts';
import type { SourceFormat } from '../catalogue/model.ts';
import type { FeedAllowList } from '../catalogue/ingest/feed-address-policy.ts';
import {
  claimSource,
  countUpcomingOccurrences,
  recordFetchFailure,
  recordNotModified,
  recordUpdated,
  type RefreshSourceRow,
  releaseSource,
  selectDueSources,
  selectSourceHealth,
} from './feed-refresh-queries.ts';

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

type SourceRow = RefreshSourceRow;

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
export async function refreshDueFeeds(
  store: Database,
  now: Date,
  logger: Logger,
  options: RefreshOptions = {},
): Promise<RefreshOutcome[]> {
  const log = logger.child('refresh');
  const rows = await selectDueSources(store.sql, now, {
    force: options.force === true,
    onlySource: options.onlySource ?? null,
  });
  const outcomes: RefreshOutcome[] = [];
  for (const source of rows) {
    if (options.signal?.aborted) break;
    const interval = source.refresh_minutes ?? DEFAULT_REFRESH_MINUTES;
    // Claim: whoever moves next_fetch_at on first fetches it (a lease of the timeout plus a margin).
    const lease = new Date(now.getTime() + (options.timeoutMs ?? 30_000) + 5 * 60_000);
    if (!(await claimSource(store.sql, source.id, options.force === true, lease, now))) continue;
    const outcome = await refreshOne(store, source, interval, now, log, options);
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}

async function refreshOne(
  store: Database,
  source: SourceRow,
  interval: number,
  now: Date,
  log: Logger,
  options: RefreshOptions,
): Promise<RefreshOutcome | null> {
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
      await recordNotModified(store.sql, source.id, now, next);
      log.info('feed not modified', { source: source.name });
      return { source: source.name, outcome: 'not_modified', nextFetchAt: next };
    }
    // The importer reads files or URLs; hand it what was just fetched so the feed is downloaded once.
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'signpost-refresh-'));
    try {
      const file = path.join(dir, source.format === 'ical' ? 'feed.ics' : 'feed.json');
      await fs.writeFile(file, fetched.text);
      await importSource(
        store,
        {
          input: file,
          source: source.name,
          format: source.format as SourceFormat,
          now,
          ...(options.horizonDays ? { horizonDays: options.horizonDays } : {}),
        },
        log,
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    const events = await countUpcomingOccurrences(store.sql, source.id, now);
    await recordUpdated(store.sql, source.id, now, {
      next,
      etag: fetched.etag,
      lastModified: fetched.lastModified,
      events,
    });
    return { source: source.name, outcome: 'updated', events, nextFetchAt: next };
  } catch (error) {
    if (options.signal?.aborted) {
      // Not the feed's fault: due again at the next start, nothing recorded against it.
      await releaseSource(store.sql, source.id, now);
      return null;
    }
    const message = error instanceof Error ? error.message : String(error);
    const failures = source.consecutive_failures + 1;
    const next = new Date(now.getTime() + backoffMinutes(interval, failures) * 60_000);
    await recordFetchFailure(store.sql, source.id, now, { error: message.slice(0, 500), failures, next });
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
export async function sourceHealth(store: Pick<Database, 'sql'>, now: Date): Promise<SourceHealth[]> {
  const rows = await selectSourceHealth(store.sql, now);
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
