import type { Database } from '../../db/sql.ts';
import type { Clock } from '../../clock.ts';
import type { RouteHandler } from '../../http-server.ts';
import type { Logger } from '../../logger.ts';
import type { CatalogueSearch } from '../search/types.ts';
import { findListingState } from './listing-state.ts';
import { LISTING_PATH_PREFIX, listingPageUrl } from './listing-url.ts';
import { LISTING_PAGE_CSP, renderGonePage, renderListingPage, renderNotFoundPage } from './render-listing-page.ts';

export type ListingRoutesDeps = {
  store: Database;
  search: CatalogueSearch;
  clock: Clock;
  logger: Logger;
  /** PUBLIC_URL (`Config.publicUrl`): the page prints its own address. */
  publicUrl: string;
};

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': LISTING_PAGE_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Public listing pages, `GET /l/<id>`: one listing as server-rendered HTML for a resident (no scripts, no cookies,
 * nothing fetched from elsewhere). A closed or removed listing answers 410 with a short page saying so; an id that
 * never was a listing answers 404.
 */
export function createListingRoutes(deps: ListingRoutesDeps): [string, RouteHandler][] {
  const log = deps.logger.child('listing-pages');

  const handler: RouteHandler = async (req, res) => {
    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { ...HEADERS, ...extra }).end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, 'Listing pages can only be read (GET).', {
        allow: 'GET, HEAD',
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      });
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const raw = path.startsWith(LISTING_PATH_PREFIX) ? path.slice(LISTING_PATH_PREFIX.length) : '';
    let id: string;
    try {
      id = decodeURIComponent(raw).trim().toLowerCase();
    } catch {
      id = '';
    }
    const now = deps.clock.now();
    const state = await findListingState(deps.store, id);
    if (!state) return send(404, renderNotFoundPage(), { 'cache-control': 'no-store' });

    const context = { now, pageUrl: listingPageUrl(deps.publicUrl, id) };
    if (state.state !== 'listed')
      return send(410, renderGonePage(state, context), { 'cache-control': 'public, max-age=300' });
    const result = await deps.search.getResult(id, now);
    if (!result) {
      // Closed or removed between the two reads: say it has gone rather than guess.
      log.info('listing went between reads', { id });
      const again = await findListingState(deps.store, id);
      if (again && again.state !== 'listed')
        return send(410, renderGonePage(again, context), { 'cache-control': 'no-store' });
      return send(404, renderNotFoundPage(), { 'cache-control': 'no-store' });
    }
    return send(200, renderListingPage(result, state.coordinates, context), { 'cache-control': 'public, max-age=300' });
  };

  return [
    [LISTING_PATH_PREFIX, handler],
    [LISTING_PATH_PREFIX.replace(/\/$/, ''), handler],
  ];
}
