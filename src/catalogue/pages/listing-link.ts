import { isUuid } from '../../db/ids.ts';
import { LISTING_PATH_PREFIX } from './listing-url.ts';

/**
 * The listing a link points at, when it is one of this server's listing pages (`PUBLIC_URL/l/<id>`, http or https,
 * any query or fragment); undefined for any other link. Used by the link previews in Slack and Teams, which are
 * sent every link of the domain they registered.
 */
export function listingIdFromUrl(publicUrl: string, link: string): string | undefined {
  let base: URL;
  let url: URL;
  try {
    base = new URL(publicUrl);
    url = new URL(link);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.host.toLowerCase() !== base.host.toLowerCase()) return undefined;
  const prefix = `${base.pathname.replace(/\/+$/, '')}${LISTING_PATH_PREFIX}`;
  if (!url.pathname.startsWith(prefix)) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(url.pathname.slice(prefix.length).replace(/\/+$/, '')).trim().toLowerCase();
  } catch {
    return undefined;
  }
  return isUuid(id) ? id : undefined;
}

/** The host link previews are registered for (Slack's `unfurl_domains`, Teams' `messageHandlers` domains). */
export function listingDomain(publicUrl: string): string {
  return new URL(publicUrl).hostname.toLowerCase();
}
