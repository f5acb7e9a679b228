import { type ListingEssentials } from './listing-essentials.ts';
import { measureSms, MULTIPART_SEGMENT_SEPTETS, toGsm7 } from './gsm7.ts';

/** At most three segments: 3 × 153 septets (a single SMS would hold 160, but a list rarely fits in one). */
export const MAX_SMS_SEGMENTS = 3;
export const MAX_SMS_SEPTETS = MAX_SMS_SEGMENTS * MULTIPART_SEGMENT_SEPTETS;

const OPENING = 'From Signpost:';

export type SmsText = {
  /** GSM-7 only, at most MAX_SMS_SEPTETS septets. */
  text: string;
  segments: number;
  /** Septets (an extension character such as € counts twice). */
  characters: number;
  /** The listings in the text, in the list's order. */
  included: ListingEssentials[];
  /** Those that did not fit, from the first that did not on. */
  omitted: ListingEssentials[];
};

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 3).trimEnd()}...`);

/** One listing: name, day and time, place, phone and its page, one to a line. */
export function smsBlock(listing: ListingEssentials): string {
  const contact = listing.phone ?? listing.email;
  return [
    cut(toGsm7(listing.title), 60),
    listing.paused ? 'Closed for now: call first' : null,
    listing.when ? cut(toGsm7(listing.when), 60) : null,
    listing.place ? cut(toGsm7(listing.place), 70) : null,
    contact ? cut(toGsm7(contact), 40) : null,
    toGsm7(listing.pageUrl),
  ]
    .filter((l): l is string => !!l)
    .join('\n');
}

/**
 * The list as one text message for a resident's phone: GSM-7 only and at most three segments. Listings are kept in
 * order while they fit; the first that does not, and everything after it, are left out (and named in `omitted`).
 */
export function buildSmsText(listings: ListingEssentials[]): SmsText {
  let text = OPENING;
  const included: ListingEssentials[] = [];
  let index = 0;
  for (; index < listings.length; index++) {
    const next = `${text}\n\n${smsBlock(listings[index]!)}`;
    const measure = measureSms(next);
    if (measure.characters > MAX_SMS_SEPTETS || measure.segments > MAX_SMS_SEGMENTS) break;
    text = next;
    included.push(listings[index]!);
  }
  const measure = measureSms(text);
  return { text, ...measure, included, omitted: listings.slice(index) };
}
