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
  const description = [input.description, input.onlineUrl ? `Join online: ${input.onlineUrl}` : '', input.organiser ? `Run by ${input.organiser}` : '']
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
