import type { Rejection } from '../model.ts';
import { isWebUrl } from '../web-url.ts';

type WithUrls = {
  url?: string | undefined;
  organisation?: { url?: string | undefined } | undefined;
  location?: { url?: string | undefined } | undefined;
};

/** "javascript:alert(1)" → "javascript:…", enough to recognise in a report without repeating the payload. */
export function describeDroppedUrl(url: string): string {
  const scheme = /^\s*([a-z][a-z0-9+.-]{0,20}):/i.exec(url)?.[1];
  return scheme ? `"${scheme.toLowerCase()}:…"` : `"${url.trim().slice(0, 40)}${url.trim().length > 40 ? '…' : ''}"`;
}

/**
 * Keeps only http and https addresses on an entry, its organisation and its location; any other (`javascript:`,
 * `data:`, `file:`, or not an address at all) is dropped with a note under `rejected`, and the entry kept.
 */
export function keepWebUrls(entry: WithUrls, ref: string, notes: Rejection[]): void {
  const check = (holder: { url?: string | undefined } | undefined, what: string) => {
    if (!holder || holder.url === undefined || isWebUrl(holder.url)) return;
    notes.push({
      ref,
      reason: `kept, but its ${what} ${describeDroppedUrl(holder.url)} was dropped: only http and https web addresses are kept`,
    });
    delete holder.url;
  };
  check(entry, 'web address');
  check(entry.organisation, "organisation's web address");
  check(entry.location, "location's web address");
}
