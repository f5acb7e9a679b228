/** Where one listing's public page lives on the bot's server: `/l/<id>`. */
export const LISTING_PATH_PREFIX = '/l/';

/**
 * The full address of a listing's page, from the server's public address (`PUBLIC_URL`, `Config.publicUrl`), for
 * anything that links to a listing: chat replies, cards, text messages, printed leaflets.
 */
export function listingPageUrl(publicUrl: string, id: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${LISTING_PATH_PREFIX}${encodeURIComponent(id)}`;
}
