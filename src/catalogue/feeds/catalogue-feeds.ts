/**
 * Subscribable feeds served by the bot's HTTP server:
 *   GET /feeds/catalogue.ics      iCalendar, for Outlook / Google / Apple calendar subscriptions
 *   GET /feeds/oruk/services      Open Referral UK 3.0 service list (page, per_page)
 * Both take the filters ward, category, kind, audience and source; both answer conditional requests (ETag,
 * Last-Modified → 304) and say how long they may be cached. Rendered bodies are kept in memory per filter until the
 * catalogue changes or the day turns (the iCalendar EXDATE check depends on "now").
 */
import { createHash } from 'node:crypto';
import type http from 'node:http';
import type { Clock } from '../../clock.ts';
import type { Store } from '../../db/open-store.ts';
import type { RouteHandler } from '../../http-server.ts';
import type { Logger } from '../../logger.ts';
import { toLondonDate } from '../time.ts';
import { renderIcal, type SkippedEntry } from '../export/export-ical.ts';
import { renderOruk } from '../export/export-oruk.ts';
import { type ExportFilter, ExportFilterSchema, readCatalogue } from '../export/read-catalogue.ts';

export const FEED_PATHS = { ical: '/feeds/catalogue.ics', oruk: '/feeds/oruk/services' } as const;

export type FeedDeps = { store: Store; clock: Clock; logger: Logger; horizonDays?: number; maxAgeSeconds?: number };

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

export function createFeedRoutes(deps: FeedDeps): Map<string, RouteHandler> {
  const log = deps.logger.child('feeds');
  const cache = new Map<string, Rendered>();
  const maxAge = deps.maxAgeSeconds ?? 900;

  const serve =
    (kind: 'ical' | 'oruk'): RouteHandler =>
    async (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json' }).end(JSON.stringify({ error: 'method not allowed' }));
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
      const { entries, lastModified } = await readCatalogue(deps.store.sql, query.filter);
      const changed = lastModified ?? new Date(0);
      const stamp = entries.reduce((h, e) => h.update(`${e.id}:${e.updatedAt.getTime()};`), createHash('sha1')).digest('base64url');
      const key = JSON.stringify([kind, query, stamp, toLondonDate(now)]);
      let rendered = cache.get(key);
      if (!rendered) {
        const onSkip = (skipped: SkippedEntry) => log.warn('feed entry left out: it could not be written', { kind, ...skipped });
        const options = { now, onSkip, ...(deps.horizonDays ? { horizonDays: deps.horizonDays } : {}) };
        const body =
          kind === 'ical'
            ? renderIcal(entries, options)
            : JSON.stringify(renderOruk(entries, { ...options, page: query.page, perPage: query.perPage }));
        rendered = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`, lastModified: changed };
        if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
        cache.set(key, rendered);
        log.debug('feed rendered', { kind, entries: entries.length, bytes: body.length });
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
