/**
 * HTML escaping for the listing pages. Every value from the catalogue is untrusted text (feeds, directories and
 * coordinator sheets): it is escaped for element content and for quoted attribute values alike, and only http and
 * https addresses ever become links.
 */

const HTML_SPECIALS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an element or a double- or single-quoted attribute value. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_SPECIALS[c] ?? c);
}

/**
 * The address as a link target when it is an absolute http or https URL with a host, normalised by the URL parser
 * (so no control characters or spaces survive); undefined for anything else (`javascript:`, `data:`, relative paths).
 */
export function toSafeHref(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return undefined;
  return url.href;
}
