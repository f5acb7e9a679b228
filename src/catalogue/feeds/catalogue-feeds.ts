/**
 * Subscribable feeds served by the bot's HTTP server:
 *   GET /feeds/catalogue.ics      iCalendar, for Outlook / Google / Apple calendar subscriptions
 *   GET /feeds/oruk/services      Open Referral UK 3.0 service list (page, per_page)
 * Both take the filters ward, category, kind, audience and source; both answer conditional requests (ETag,
 * Last-Modified → 304) and say how long they may be cached. Rendered bodies are kept in memory per filter until the
 * catalogue changes or the day turns (the iCalendar EXDATE check depends on "now").
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import type { Clock } from '../../clock.ts';
import type { Store } from '../../db/open-store.ts';
import type { RouteHandler } from '../../http-server.ts';
import type { Logger } from '../../logger.ts';
import { toLondonDate } from '../time.ts';
import { renderIcal, type SkippedEntry } from '../export/export-ical.ts';
import { renderOruk } from '../export/export-oruk.ts';
import { catalogueStamp, type ExportFilter, ExportFilterSchema, readCatalogue } from '../export/read-catalogue.ts';

export const FEED_PATHS = { ical: '/feeds/catalogue.ics', oruk: '/feeds/oruk/services' } as const;

export type FeedDeps = {
  store: Store;
  clock: Clock;
  logger: Logger;
  horizonDays?: number;
  maxAgeSeconds?: number;
  /** FEEDS_TOKEN: when set, every request must carry it (`?token=` for calendar apps, or `Authorization: Bearer`). */
  token?: string | null;
  /** Requests one client may make per minute (a burst of this many, refilled over the minute). Default 60. */
  perClientPerMinute?: number;
};

type Rendered = { body: string; etag: string; lastModified: Date };

const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 500;
const CACHE_LIMIT = 100;

class BadRequest extends Error {}

function parseQuery(req: http.IncomingMessage, withPaging: boolean): { filter: ExportFilter; page: number; perPage: number } {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const raw: Record<string, string> = {};
  for (const key of ['source', 'ward', 'category', 'kind', 'audience']) {
    const v = url.searchParams.get(key);
    if (v !== null && v.trim()) raw[key] = v;
  }
  const parsed = ExportFilterSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadRequest(`${issue?.path.join('.') ?? 'query'}: ${issue?.message ?? 'invalid'}`);
  }
  const int = (name: string, fallback: number, max: number) => {
    const v = url.searchParams.get(name);
    if (v === null || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new BadRequest(`${name} must be a whole number from 1 to ${max}`);
    return n;
  };
  return {
    filter: parsed.data,
    page: withPaging ? int('page', 1, 1_000_000) : 1,
    perPage: withPaging ? int('per_page', DEFAULT_PER_PAGE, MAX_PER_PAGE) : DEFAULT_PER_PAGE,
  };
}

function notModified(req: http.IncomingMessage, rendered: Rendered): boolean {
  const inm = req.headers['if-none-match'];
  if (inm) return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === rendered.etag || t.trim() === '*');
  const ims = req.headers['if-modified-since'];
  if (ims) {
    const since = Date.parse(ims);
    return Number.isFinite(since) && Math.floor(rendered.lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

function tokenGiven(req: http.IncomingMessage, expected: string): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const auth = req.headers.authorization;
  const given = url.searchParams.get('token') ?? (auth?.startsWith('Bearer ') ? auth.slice(7).trim() : '');
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A token bucket per client address: `perMinute` requests at once, refilled evenly over a minute. */
function createRateLimit(perMinute: number, now: () => number): (client: string) => number | undefined {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (client) => {
    const t = now();
    const bucket = buckets.get(client) ?? { tokens: perMinute, at: t };
    bucket.tokens = Math.min(perMinute, bucket.tokens + ((t - bucket.at) / 60_000) * perMinute);
    bucket.at = t;
    buckets.set(client, bucket);
    if (buckets.size > 10_000) buckets.delete(buckets.keys().next().value!);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.ceil(((1 - bucket.tokens) / perMinute) * 60);
  };
}

export function createFeedRoutes(deps: FeedDeps): Map<string, RouteHandler> {
  const log = deps.logger.child('feeds');
  const cache = new Map<string, Rendered>();
  /** Renders under way: concurrent requests for the same feed share one. */
  const rendering = new Map<string, Promise<Rendered>>();
  const maxAge = deps.maxAgeSeconds ?? 900;
  const limited = createRateLimit(deps.perClientPerMinute ?? 60, () => deps.clock.now().getTime());

  const serve =
    (kind: 'ical' | 'oruk'): RouteHandler =>
    async (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'method not allowed' }));
        return;
      }
      if (deps.token && !tokenGiven(req, deps.token)) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' }).end(JSON.stringify({ error: 'this feed needs its token (?token=…)' }));
        return;
      }
      const retryAfter = limited(req.socket.remoteAddress ?? 'unknown');
      if (retryAfter !== undefined) {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) }).end(JSON.stringify({ error: 'too many requests: try again shortly' }));
        return;
      }
      let query: ReturnType<typeof parseQuery>;
      try {
        query = parseQuery(req, kind === 'oruk');
      } catch (error) {
        if (!(error instanceof BadRequest)) throw error;
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error.message }));
        return;
      }
      const now = deps.clock.now();
      // A repeat request costs one aggregate query: the feed is rendered again only when its entries changed.
      const { stamp, count, lastModified } = await catalogueStamp(deps.store.sql, query.filter);
      const key = JSON.stringify([kind, query, stamp, toLondonDate(now)]);
      let rendered = cache.get(key);
      if (!rendered) {
        let pending = rendering.get(key);
        if (!pending) {
          pending = (async () => {
            // A page past the end shows the last one, as before.
            const lastPage = Math.max(1, Math.ceil(count / query.perPage));
            const page = Math.min(query.page, lastPage);
            const { entries } =
              kind === 'ical'
                ? await readCatalogue(deps.store.sql, query.filter)
                : await readCatalogue(deps.store.sql, query.filter, { offset: (page - 1) * query.perPage, limit: query.perPage });
            const onSkip = (skipped: SkippedEntry) => log.warn('feed entry left out: it could not be written', { kind, ...skipped });
            const options = { now, onSkip, ...(deps.horizonDays ? { horizonDays: deps.horizonDays } : {}) };
            const body =
              kind === 'ical'
                ? renderIcal(entries, options)
                : JSON.stringify(renderOruk(entries, { ...options, page, perPage: query.perPage, total: count }));
            const done = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`, lastModified: lastModified ?? new Date(0) };
            if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
            cache.set(key, done);
            log.debug('feed rendered', { kind, entries: entries.length, bytes: body.length });
            return done;
          })().finally(() => rendering.delete(key));
          rendering.set(key, pending);
        }
        rendered = await pending;
      }
      const headers: http.OutgoingHttpHeaders = {
        etag: rendered.etag,
        'last-modified': rendered.lastModified.toUTCString(),
        'cache-control': `public, max-age=${maxAge}`,
        vary: 'accept-encoding',
        'access-control-allow-origin': '*',
      };
      if (notModified(req, rendered)) {
        res.writeHead(304, headers).end();
        return;
      }
      res.writeHead(200, {
        ...headers,
        'content-type': kind === 'ical' ? 'text/calendar; charset=utf-8' : 'application/json; charset=utf-8',
        ...(kind === 'ical' ? { 'content-disposition': 'inline; filename="camden-catalogue.ics"' } : {}),
        'content-length': Buffer.byteLength(rendered.body),
      });
      res.end(req.method === 'HEAD' ? undefined : rendered.body);
    };

  return new Map([
    [FEED_PATHS.ical, serve('ical')],
    [FEED_PATHS.oruk, serve('oruk')],
  ]);
}
