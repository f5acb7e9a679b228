import type { Database } from '../../db/sql.ts';
import type { Clock } from '../../clock.ts';
import { isUuid } from '../../db/ids.ts';
import type { RouteHandler } from '../../http-server.ts';
import { selectInvite } from './booking-queries.ts';
import { escapeText, LONDON_VTIMEZONE, londonDateTime, toIcsText, utcStamp } from '../ical/write-ical.ts';

export type InviteInput = {
  bookingId: string;
  title: string;
  start: Date;
  end: Date;
  venue: string | null;
  address: string | null;
  onlineUrl: string | null;
  description: string;
  organiser: string | null;
  cancelled?: boolean;
  /** Bumped on each change so calendar apps replace the old copy. */
  sequence?: number;
  now: Date;
};

/**
 * A calendar invite for a confirmed place (`.ics`, Europe/London with its VTIMEZONE). The UID is the booking's, so a
 * cancellation (`cancelled: true`) replaces the same event in the booker's calendar.
 */
export function buildBookingInvite(input: InviteInput): string {
  const location = [input.venue, input.address].filter(Boolean).join(', ') || (input.onlineUrl ? 'Online' : '');
  const description = [
    input.description,
    input.onlineUrl ? `Join online: ${input.onlineUrl}` : '',
    input.organiser ? `Run by ${input.organiser}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return toIcsText([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Camden Signpost//Training bookings//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${input.cancelled ? 'CANCEL' : 'PUBLISH'}`,
    ...LONDON_VTIMEZONE,
    'BEGIN:VEVENT',
    `UID:booking-${input.bookingId}@signpost.camden`,
    utcStamp('DTSTAMP', input.now),
    `SEQUENCE:${input.sequence ?? 0}`,
    londonDateTime('DTSTART', input.start),
    londonDateTime('DTEND', input.end),
    `SUMMARY:${escapeText(input.title)}`,
    ...(location ? [`LOCATION:${escapeText(location)}`] : []),
    ...(input.onlineUrl ? [`URL:${input.onlineUrl}`] : []),
    `DESCRIPTION:${escapeText(description)}`,
    `STATUS:${input.cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${escapeText(`Tomorrow: ${input.title}`)}`,
    'TRIGGER:-P1D',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
  ]);
}

/** The invite for one live booking, rebuilt from the database (for the `/invites/<booking id>.ics` link). */
export async function loadBookingInvite(store: Database, bookingId: string, now: Date): Promise<string | undefined> {
  if (!isUuid(bookingId)) return undefined;
  const row = await selectInvite(store.sql, bookingId);
  if (!row || !['confirmed', 'cancelled'].includes(row.status)) return undefined;
  return buildBookingInvite({
    bookingId,
    title: row.title,
    start: row.start,
    end: row.end,
    venue: row.online ? null : row.venue,
    address: row.online ? null : row.address,
    onlineUrl: row.online ? row.url : null,
    description: row.description,
    organiser: row.organiser,
    cancelled: row.status === 'cancelled',
    sequence: row.status === 'cancelled' ? 1 : 0,
    now,
  });
}

export const INVITE_PATH_PREFIX = '/invites/';

/**
 * `GET /invites/<booking id>.ics`: the booking's calendar invite, for platforms that take links rather than files
 * (Teams). The booking id is a random UUID known only to the booker's chat, so the link is the permission.
 */
export function createInviteRoute(store: Database, clock: Clock): RouteHandler {
  return async (req, res) => {
    const match = /^\/invites\/([0-9a-f-]{36})\.ics$/i.exec((req.url ?? '').split('?')[0] ?? '');
    const invite = match && req.method === 'GET' ? await loadBookingInvite(store, match[1]!, clock.now()) : undefined;
    if (!invite) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('No such invite.');
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'text/calendar; charset=utf-8',
        'content-disposition': 'attachment; filename="signpost-booking.ics"',
        'cache-control': 'private, no-store',
      })
      .end(invite);
  };
}
