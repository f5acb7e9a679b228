import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import type { RouteHandler } from '../../http-server.ts';
import type { Logger } from '../../logger.ts';
import type { CatalogueSearch } from '../search/types.ts';
import { leafletFileName, renderLeaflet } from './leaflet-pdf.ts';
import { loadListings } from './load-listings.ts';
import type { LeafletStore } from './shortlist-store.ts';

export const LEAFLET_PATH_PREFIX = '/leaflets/';
export const DEFAULT_LEAFLET_LINK_DAYS = 7;

export type LeafletLink = { id: string; url: string; expiresAt: Date };

/** Short-lived signed links to leaflets, for platforms that take links rather than files (Teams). */
export type LeafletLinks = {
  create(entry: { entryIds: string[]; largePrint: boolean; now: Date }): Promise<LeafletLink>;
  /** Whether `expires` and `signature` are the ones this server gave `id`, and the link has not expired. */
  verify(id: string, expires: string | null, signature: string | null, now: Date): boolean;
};

export type LeafletLinkSettings = {
  /** LEAFLET_LINK_SECRET; null: a random one for this process, so links stop working when the server restarts. */
  secret: string | null;
  /** LEAFLET_LINK_DAYS: how long a link works. */
  days: number;
  publicUrl: string;
};

export function createLeafletLinks(leaflets: LeafletStore, settings: LeafletLinkSettings): LeafletLinks {
  const key = settings.secret ?? randomBytes(32).toString('hex');
  const sign = (id: string, expires: string) =>
    createHmac('sha256', key).update(`leaflet:${id}:${expires}`).digest('base64url');
  return {
    async create({ entryIds, largePrint, now }) {
      const expiresAt = new Date(now.getTime() + settings.days * 24 * 60 * 60 * 1000);
      const { id } = await leaflets.create({ entryIds, largePrint, now, expiresAt });
      const expires = String(Math.floor(expiresAt.getTime() / 1000));
      const url = `${settings.publicUrl.replace(/\/+$/, '')}${LEAFLET_PATH_PREFIX}${id}.pdf?expires=${expires}&signature=${sign(id, expires)}`;
      return { id, url, expiresAt };
    },
    verify(id, expires, signature, now) {
      if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return false;
      const expected = Buffer.from(sign(id, expires));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
      return Number(expires) * 1000 > now.getTime();
    },
  };
}

/**
 * `GET /leaflets/<id>.pdf?expires=…&signature=…`: a leaflet, made again from the catalogue, for as long as its link
 * works. A link that is forged, altered or expired answers 403 (and says how to get a new one); nothing is logged
 * but the outcome.
 */
export function createLeafletRoute(deps: {
  links: LeafletLinks;
  leaflets: LeafletStore;
  search: CatalogueSearch;
  clock: Clock;
  logger: Logger;
  publicUrl: string;
}): RouteHandler {
  const log = deps.logger.child('leaflets');
  return async (req, res) => {
    const plain = (status: number, body: string): void => {
      res
        .writeHead(status, {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        })
        .end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'Leaflets can only be read (GET).');
    const url = new URL(req.url ?? '/', 'http://leaflet.invalid');
    const match = /^\/leaflets\/([0-9a-f-]{36})\.pdf$/i.exec(url.pathname);
    if (!match) return plain(404, 'No such leaflet.');
    const id = match[1]!.toLowerCase();
    const now = deps.clock.now();
    if (!deps.links.verify(id, url.searchParams.get('expires'), url.searchParams.get('signature'), now)) {
      log.info('leaflet link refused');
      return plain(403, 'This leaflet link has expired or is not valid. Ask for the leaflet again in Signpost.');
    }
    const record = await deps.leaflets.get(id, now);
    if (!record) return plain(410, 'This leaflet is no longer available. Ask for the leaflet again in Signpost.');
    const { listings } = await loadListings(deps.search, record.entryIds, { now, publicUrl: deps.publicUrl });
    if (listings.length === 0) return plain(410, 'The listings on this leaflet are no longer running.');
    const print = record.largePrint ? 'large' : 'normal';
    const leaflet = await renderLeaflet(listings, { print, now });
    res
      .writeHead(200, {
        'content-type': 'application/pdf',
        'content-disposition': `inline; filename="${leafletFileName(print)}"`,
        'content-length': String(leaflet.pdf.length),
        'cache-control': 'private, no-store',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      })
      .end(req.method === 'HEAD' ? undefined : leaflet.pdf);
  };
}
