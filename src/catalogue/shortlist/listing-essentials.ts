import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import { HOW_TO_JOIN_WORDS } from '../labels.ts';
import { listingPageUrl } from '../pages/listing-url.ts';
import type { SearchResult } from '../search/types.ts';

/** What a resident needs of one listing, in plain words: for a text message and a printed leaflet. */
export type ListingEssentials = {
  id: string;
  title: string;
  /** The next session ("Tue 1 Dec, 10:30am to 12 noon"), the schedule for standing services, or null. */
  when: string | null;
  /** The schedule in the source's words ("Tuesdays 12:00–14:00"), when it gives one beside the next date. */
  schedule: string | null;
  /** Venue and postcode (or address), "Online" or "By phone". */
  place: string | null;
  /** Street address in full, for the leaflet. */
  address: string | null;
  phone: string | null;
  email: string | null;
  cost: string | null;
  howToJoin: string | null;
  /** The listing's page on this server. */
  pageUrl: string;
  /** Closed for now: say so before anyone travels. */
  paused: boolean;
  /** An invented listing of the demo catalogue, never to be sent to anyone. */
  isDemo?: boolean;
};

type Span = { start: string; end: string; allDay: boolean };

/** "10am", "10:30am", "12 noon". */
function clockTime(d: DateTime): string {
  if (d.hour === 12 && d.minute === 0) return '12 noon';
  if (d.hour === 0 && d.minute === 0) return '12 midnight';
  const hour = d.hour % 12 === 0 ? 12 : d.hour % 12;
  return `${hour}${d.minute ? `:${String(d.minute).padStart(2, '0')}` : ''}${d.hour < 12 ? 'am' : 'pm'}`;
}

/** "Tue 1 Dec, 10:30am to 12 noon"; the year when it is not this year's; all-day sessions are dates. */
export function shortSpan(span: Span, now: Date): string {
  const london = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(ZONE).setLocale('en-GB');
  const start = london(span.start);
  const end = london(span.end);
  const thisYear = DateTime.fromJSDate(now, { zone: ZONE }).year;
  const day = (d: DateTime) => d.toFormat(d.year === thisYear ? 'ccc d LLL' : 'ccc d LLL yyyy');
  if (span.allDay) {
    const last = end.minus({ days: 1 });
    return last <= start || last.toISODate() === start.toISODate()
      ? `${day(start)}, all day`
      : `${day(start)} to ${day(last)}`;
  }
  if (start.toISODate() !== end.toISODate())
    return `${day(start)}, ${clockTime(start)} to ${day(end)}, ${clockTime(end)}`;
  return `${day(start)}, ${clockTime(start)} to ${clockTime(end)}`;
}

const clean = (s: string | null | undefined) => {
  const t = (s ?? '').replace(/\s+/g, ' ').trim();
  return t ? t : null;
};

function distinct(parts: (string | null)[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    const t = clean(p);
    if (t && !out.some((o) => o.toLowerCase().includes(t.toLowerCase()))) out.push(t);
  }
  return out;
}

export function listingEssentials(result: SearchResult, publicUrl: string, now: Date): ListingEssentials {
  const online = result.attendingTypes.includes('online');
  const phoneOnly = result.attendingTypes.length > 0 && result.attendingTypes.every((t) => t === 'phone');
  const venueAndPostcode = distinct([result.venue ?? result.address, result.postcode]);
  const place = phoneOnly
    ? 'By phone'
    : venueAndPostcode.length
      ? venueAndPostcode.join(', ')
      : online
        ? 'Online'
        : null;
  const schedule = clean(result.scheduleText);
  return {
    id: result.id,
    title: clean(result.title) ?? 'Untitled listing',
    when: result.next ? shortSpan(result.next, now) : schedule,
    schedule: result.next ? schedule : null,
    place,
    address: phoneOnly ? null : distinct([result.venue, result.address, result.postcode]).join(', ') || null,
    phone: clean(result.contact.phone),
    email: clean(result.contact.email),
    cost: clean(result.cost),
    howToJoin: result.howToJoin ? (HOW_TO_JOIN_WORDS[result.howToJoin] ?? result.howToJoin.replace(/_/g, ' ')) : null,
    pageUrl: listingPageUrl(publicUrl, result.id),
    paused: result.status === 'temporarily_closed',
    isDemo: result.isDemo,
  };
}
