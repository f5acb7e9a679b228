import type { Database } from '../../db/sql.ts';
/**
 * Subscribable feeds served by the bot's HTTP server:
 *   GET /feeds/catalogue.ics      iCalendar, for Outlook / Google / Apple calendar subscriptions
 *   GET /feeds/oruk/services      Open Referral UK 3.0 service list (page, per_page)
 * Both take the filters ward, category, kind, audience and source; both answer conditional requests (ETag,
 * Last-Modified → 304) and say how long they may be cached.
 *
 * What a feed holds depends only on its filter, the matching entries' ids and last changes (one aggregate query, see
 * catalogueStamp) and the London date (the iCalendar EXDATE check depends on "now"), so its ETag is worked out from
 * those before anything is rendered: a conditional repeat costs that one query. A feed that has to be made is read
 * from the database a page at a time, written to the response as it is made and gzipped once on the way; the gzipped
 * body is kept in memory per filter until the catalogue changes or the day turns. Requests arriving while a feed is
 * being made join that render: they get what has been made so far, then the rest as it comes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import zlib from 'node:zlib';
import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import type { Clock } from '../../clock.ts';
import type { RouteHandler } from '../../http-server.ts';
import type { Logger } from '../../logger.ts';
import { toLondonDate } from '../time.ts';
import { type SkippedEntry, streamIcal } from '../export/export-ical.ts';
import { renderOruk } from '../export/export-oruk.ts';
import {
  catalogueStamp,
  type ExportFilter,
  ExportFilterSchema,
  readCatalogue,
  readIcalPages,
} from '../export/read-catalogue.ts';

export const FEED_PATHS = { ical: '/feeds/catalogue.ics', oruk: '/feeds/oruk/services' } as const;

export type FeedDeps = {
  store: Database;
  clock: Clock;
  logger: Logger;
  horizonDays?: number;
  maxAgeSeconds?: number;
  /** FEEDS_TOKEN: when set, every request must carry it (`?token=` for calendar apps, or `Authorization: Bearer`). */
  token?: string | null;
  /** Requests one client may make per minute (a burst of this many, refilled over the minute). Default 60. */
  perClientPerMinute?: number;
  /** Entries read from the database at a time while a feed is made (default 1,000). */
  pageSize?: number;
  /** How long the aggregate query that says whether a feed changed is reused (default 2 s): a burst costs one. */
  stampReuseMs?: number;
};

/** A feed made and gzipped once. */
type Cached = { gz: Buffer; bytes: number };

/** A feed being made: the gzipped bytes so far, and the requests waiting for the rest. */
type Render = {
  chunks: Buffer[];
  listeners: Set<(chunk: Buffer | null, error?: unknown) => void>;
  done: Promise<Cached>;
};

const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 500;
const CACHE_LIMIT = 100;
/** Gzipped bytes kept in all; the oldest feeds are forgotten beyond this. */
const CACHE_BYTES = 64 * 1024 * 1024;
/** Entries read from the database at a time while a feed is made. */
const PAGE_SIZE = 1000;
/** Changes whenever what a feed holds for the same entries changes, so old validators stop matching. */
const RENDER_VERSION = 'feeds-2';

class BadRequest extends Error {}

function parseQuery(
  req: http.IncomingMessage,
  withPaging: boolean,
): { filter: ExportFilter; page: number; perPage: number } {
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
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new BadRequest(`${name} must be a whole number from 1 to ${max}`);
    return n;
  };
  return {
    filter: parsed.data,
    page: withPaging ? int('page', 1, 1_000_000) : 1,
    perPage: withPaging ? int('per_page', DEFAULT_PER_PAGE, MAX_PER_PAGE) : DEFAULT_PER_PAGE,
  };
}

function notModified(req: http.IncomingMessage, etag: string, lastModified: Date): boolean {
  const inm = req.headers['if-none-match'];
  if (inm) return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
  const ims = req.headers['if-modified-since'];
  if (ims) {
    const since = Date.parse(ims);
    return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

/** Whether the client takes gzip (`Accept-Encoding: gzip`, not with q=0). */
function acceptsGzip(req: http.IncomingMessage): boolean {
  const header = String(req.headers['accept-encoding'] ?? '');
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
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
  const cache = new Map<string, Cached>();
  let cachedBytes = 0;
  /** Renders under way: concurrent requests for the same feed share one. */
  const rendering = new Map<string, Render>();
  const maxAge = deps.maxAgeSeconds ?? 900;
  const limited = createRateLimit(deps.perClientPerMinute ?? 60, () => deps.clock.now().getTime());

  /** The last stamp per filter, reused for a moment; requests arriving together share one query. */
  const stamps = new Map<string, { at: number; value: ReturnType<typeof catalogueStamp> }>();
  const stampReuseMs = deps.stampReuseMs ?? 2_000;
  const stampOf = (filter: ExportFilter): ReturnType<typeof catalogueStamp> => {
    const key = JSON.stringify(filter);
    const t = performance.now();
    const known = stamps.get(key);
    if (known && t - known.at < stampReuseMs) return known.value;
    const value = catalogueStamp(deps.store.sql, filter);
    value.catch(() => stamps.delete(key));
    if (stamps.size >= CACHE_LIMIT) stamps.delete(stamps.keys().next().value!);
    stamps.set(key, { at: t, value });
    return value;
  };

  const remember = (key: string, done: Cached) => {
    while (cache.size && (cache.size >= CACHE_LIMIT || cachedBytes + done.gz.length > CACHE_BYTES)) {
      const oldest = cache.keys().next().value!;
      cachedBytes -= cache.get(oldest)!.gz.length;
      cache.delete(oldest);
    }
    if (done.gz.length > CACHE_BYTES) return;
    cache.set(key, done);
    cachedBytes += done.gz.length;
  };

  /** Makes one feed: its text, piece by piece, through one gzip stream whose output goes to every listener. */
  const startRender = (key: string, kind: 'ical' | 'oruk', pieces: () => AsyncIterable<string>): Render => {
    const render: Render = {
      chunks: [],
      listeners: new Set(),
      done: Promise.resolve({ gz: Buffer.alloc(0), bytes: 0 }),
    };
    const emit = (chunk: Buffer | null, error?: unknown) => {
      for (const listener of render.listeners) listener(chunk, error);
    };
    render.done = (async () => {
      const gzip = zlib.createGzip({ level: 6 });
      gzip.on('data', (chunk: Buffer) => {
        render.chunks.push(chunk);
        emit(chunk);
      });
      const ended = new Promise<void>((resolve, reject) => {
        gzip.once('end', resolve);
        gzip.once('error', reject);
      });
      let bytes = 0;
      const started = performance.now();
      try {
        for await (const piece of pieces()) {
          bytes += Buffer.byteLength(piece);
          // Flushed at each page, so a subscriber receives the feed as it is made.
          await new Promise<void>((resolve, reject) =>
            gzip.write(piece, (error) => (error ? reject(error) : resolve())),
          );
          await new Promise<void>((resolve) => gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
        }
        gzip.end();
        await ended;
      } catch (error) {
        gzip.destroy();
        emit(null, error);
        throw error;
      }
      const gz = Buffer.concat(render.chunks);
      const done = { gz, bytes };
      remember(key, done);
      log.debug('feed rendered', { kind, bytes, gzipped: gz.length, ms: Math.round(performance.now() - started) });
      emit(null);
      return done;
    })().finally(() => rendering.delete(key));
    // A failed render is logged here; the requests that joined it are cut off (see send).
    render.done.catch((error: unknown) => log.error('feed could not be made', { kind, error }));
    rendering.set(key, render);
    return render;
  };

  /** Writes a feed, made or being made, to one response: gzipped as it is, or unzipped for a client without gzip. */
  const send = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    headers: http.OutgoingHttpHeaders,
    source: Cached | Render,
  ) => {
    const gzip = acceptsGzip(req);
    if ('gz' in source) {
      if (gzip) {
        res
          .writeHead(200, { ...headers, 'content-encoding': 'gzip', 'content-length': source.gz.length })
          .end(source.gz);
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': source.bytes });
      const gunzip = zlib.createGunzip();
      gunzip.on('error', () => res.destroy());
      gunzip.pipe(res);
      gunzip.end(source.gz);
      return;
    }
    res.writeHead(200, gzip ? { ...headers, 'content-encoding': 'gzip' } : headers);
    const out: NodeJS.WritableStream = gzip ? res : zlib.createGunzip();
    if (!gzip) {
      const gunzip = out as zlib.Gunzip;
      gunzip.on('error', () => res.destroy());
      gunzip.pipe(res);
    }
    for (const chunk of source.chunks) out.write(chunk);
    const listener = (chunk: Buffer | null, error?: unknown) => {
      if (error) {
        // Never a feed that looks whole but is not: the transfer is cut, and the calendar app tries again later.
        source.listeners.delete(listener);
        res.destroy();
        return;
      }
      if (chunk) out.write(chunk);
      else {
        source.listeners.delete(listener);
        out.end();
      }
    };
    source.listeners.add(listener);
    res.once('close', () => source.listeners.delete(listener));
  };

  const serve =
    (kind: 'ical' | 'oruk'): RouteHandler =>
    async (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res
          .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'method not allowed' }));
        return;
      }
      if (deps.token && !tokenGiven(req, deps.token)) {
        res
          .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' })
          .end(JSON.stringify({ error: 'this feed needs its token (?token=…)' }));
        return;
      }
      const retryAfter = limited(req.socket.remoteAddress ?? 'unknown');
      if (retryAfter !== undefined) {
        res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) })
          .end(JSON.stringify({ error: 'too many requests: try again shortly' }));
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
      // A repeat request costs one aggregate query (shared by a burst): the feed is made again only when its entries
      // changed.
      const { stamp, count, lastModified: changed } = await stampOf(query.filter);
      // A page past the end shows the last one, as before.
      const page = Math.min(query.page, Math.max(1, Math.ceil(count / query.perPage)));
      // The feed is also made again when the London day turns, so that is a change too.
      const dayStart = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day').toJSDate();
      const lastModified = changed && changed > dayStart ? changed : dayStart;
      const key = JSON.stringify([
        RENDER_VERSION,
        kind,
        query.filter,
        page,
        query.perPage,
        stamp,
        lastModified.getTime(),
        toLondonDate(now),
      ]);
      const etag = `"${createHash('sha256').update(key).digest('base64url').slice(0, 32)}"`;
      const headers: http.OutgoingHttpHeaders = {
        etag,
        'last-modified': lastModified.toUTCString(),
        'cache-control': `public, max-age=${maxAge}`,
        vary: 'accept-encoding',
        'access-control-allow-origin': '*',
        'content-type': kind === 'ical' ? 'text/calendar; charset=utf-8' : 'application/json; charset=utf-8',
        ...(kind === 'ical' ? { 'content-disposition': 'inline; filename="camden-catalogue.ics"' } : {}),
      };
      if (notModified(req, etag, lastModified)) {
        const { 'content-type': _type, 'content-disposition': _disposition, ...validators } = headers;
        res.writeHead(304, validators).end();
        return;
      }
      if (req.method === 'HEAD') {
        res.writeHead(200, headers).end();
        return;
      }
      const cached = cache.get(key);
      if (cached) {
        send(req, res, headers, cached);
        return;
      }
      const onSkip = (skipped: SkippedEntry) =>
        log.warn('feed entry left out: it could not be written', { kind, ...skipped });
      const options = { now, onSkip, ...(deps.horizonDays ? { horizonDays: deps.horizonDays } : {}) };
      const render =
        rendering.get(key) ??
        startRender(key, kind, () =>
          kind === 'ical'
            ? streamIcal(readIcalPages(deps.store.sql, query.filter, deps.pageSize ?? PAGE_SIZE), options)
            : (async function* () {
                // One ORUK page is at most MAX_PER_PAGE entries: read and written as one piece.
                const { entries } = await readCatalogue(deps.store.sql, query.filter, {
                  offset: (page - 1) * query.perPage,
                  limit: query.perPage,
                });
                yield JSON.stringify(renderOruk(entries, { ...options, page, perPage: query.perPage, total: count }));
              })(),
        );
      send(req, res, headers, render);
    };

  return new Map([
    [FEED_PATHS.ical, serve('ical')],
    [FEED_PATHS.oruk, serve('oruk')],
  ]);
}
