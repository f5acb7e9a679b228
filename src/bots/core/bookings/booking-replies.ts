import { DateTime } from 'luxon';
import type { BookingView, SessionSummary } from '../../../catalogue/booking/booking-service.ts';
import { ZONE } from '../../../clock.ts';
import { ACTION } from '../action-ids.ts';
import {
  actions,
  context,
  fields,
  heading,
  literal,
  type Reply,
  type ReplyBlock,
  type ReplyButton,
  text,
} from '../reply.ts';
import { bookButton } from '../replies/action-values.ts';

/** What a booking button carries: the session (occurrence) id. */
export type SessionValue = { sid: string };

export function sessionButton(
  label: string,
  action: ReplyButton['action'],
  sid: string,
  style?: 'primary' | 'danger',
): ReplyButton {
  return { label, action, value: JSON.stringify({ sid } satisfies SessionValue), ...(style ? { style } : {}) };
}

export function formatSession(s: { start: Date; end: Date }): string {
  const start = DateTime.fromJSDate(s.start, { zone: ZONE });
  const end = DateTime.fromJSDate(s.end, { zone: ZONE });
  const sameDay = start.toISODate() === end.toISODate();
  return sameDay
    ? `${start.toFormat('ccc d LLL yyyy')}, ${start.toFormat('HH:mm')}–${end.toFormat('HH:mm')}`
    : `${start.toFormat('ccc d LLL')} ${start.toFormat('HH:mm')} – ${end.toFormat('ccc d LLL yyyy')} ${end.toFormat('HH:mm')}`;
}

const placesLeft = (s: SessionSummary) => Math.max(0, s.capacity - s.confirmed - s.offered);

function where(s: SessionSummary): string {
  return s.online ? 'Online' : (s.venue ?? 'Venue to be confirmed');
}

export function buildChooseSessionReply(title: string, entryId: string, sessions: SessionSummary[]): Reply {
  const shown = sessions.slice(0, 8);
  const blocks: ReplyBlock[] = [heading(`Book: ${title}`), text('Which date would you like?')];
  blocks.push({
    type: 'list',
    items: shown.map((s) => {
      const left = placesLeft(s);
      return {
        title: formatSession(s),
        lines: [`${where(s)} · ${left > 0 ? `${left} of ${s.capacity} places left` : `full, ${s.waitlisted} waiting`}`],
        buttons: [
          { ...bookButton(entryId, s.start.toISOString()), label: left > 0 ? 'Book this date' : 'Join the waitlist' },
        ],
      };
    }),
  });
  if (sessions.length > shown.length)
    blocks.push(context(`${sessions.length - shown.length} later dates are not shown.`));
  return {
    fallbackText: `Book ${title}: ${shown.map((s) => formatSession(s)).join('; ')}`,
    blocks,
  };
}

export function buildNoSessionsReply(title: string): Reply {
  const body = `There are no dates open for booking for ${title} right now. Ask the training team about the next one.`;
  return { fallbackText: body, blocks: [heading('No dates open'), text(literal(body))] };
}

export function buildConfirmedReply(session: SessionSummary, invite: string, now: Date, inviteUrl?: string): Reply {
  const body = `You're booked on ${session.title}, ${formatSession(session)}.`;
  return {
    fallbackText: `${body} A calendar invite is attached.`,
    blocks: [
      heading('Booked ✓'),
      text(`**${literal(session.title)}**`),
      fields([
        { label: 'When', value: formatSession(session) },
        { label: 'Where', value: where(session) },
        ...(session.bookingDeadline && session.bookingDeadline > now
          ? [
              {
                label: 'Cancel by',
                value: DateTime.fromJSDate(session.bookingDeadline, { zone: ZONE }).toFormat('ccc d LLL, HH:mm'),
              },
            ]
          : []),
      ]),
      {
        type: 'attachment',
        filename: 'signpost-booking.ics',
        mimeType: 'text/calendar',
        content: invite,
        ...(inviteUrl ? { url: inviteUrl } : {}),
      },
      context('A calendar invite is attached, and we will remind you the day before.'),
      actions([sessionButton('Cancel my place', ACTION.cancelBooking, session.id, 'danger'), myBookingsButton()]),
    ],
  };
}

export function buildWaitlistedReply(session: SessionSummary, position: number, offerHours: number): Reply {
  const body = `${session.title} on ${formatSession(session)} is full. You're number ${position} on the waitlist.`;
  return {
    fallbackText: body,
    blocks: [
      heading('On the waitlist'),
      text(literal(body)),
      context(`If a place frees up we'll message you, and hold it for you for ${offerHours} hours.`),
      actions([sessionButton('Leave the waitlist', ACTION.leaveWaitlist, session.id), myBookingsButton()]),
    ],
  };
}

export function buildAlreadyBookedReply(session: SessionSummary, current: string, position?: number): Reply {
  const body =
    current === 'confirmed'
      ? `You already have a place on ${session.title}, ${formatSession(session)}.`
      : current === 'offered'
        ? `A place on ${session.title}, ${formatSession(session)}, is being held for you: accept it to confirm.`
        : `You're already on the waitlist for ${session.title}${position ? ` (number ${position})` : ''}.`;
  const buttons =
    current === 'offered'
      ? [
          sessionButton('Accept the place', ACTION.acceptOffer, session.id, 'primary'),
          sessionButton('Decline', ACTION.cancelBooking, session.id),
        ]
      : [myBookingsButton()];
  return { fallbackText: body, blocks: [text(literal(body)), actions(buttons)] };
}

export function buildClosedReply(session: SessionSummary, reason: string, others: SessionSummary[]): Reply {
  const body = `Booking isn't possible for ${session.title} on ${formatSession(session)}: ${reason}.`;
  const blocks: ReplyBlock[] = [heading("Can't book that date"), text(literal(body))];
  if (others.length > 0) {
    blocks.push(text('Other dates:'));
    blocks.push(
      actions(
        others
          .slice(0, 4)
          .map((o) => ({ ...bookButton(session.entryId, o.start.toISOString()), label: formatSession(o) })),
      ),
    );
  }
  return { fallbackText: body, blocks };
}

export function buildCancelledReply(
  title: string,
  outcome: 'cancelled' | 'left_waitlist' | 'declined',
  late = false,
): Reply {
  const body =
    outcome === 'left_waitlist'
      ? `You've left the waitlist for ${title}.`
      : outcome === 'declined'
        ? `You've turned down the place on ${title}; it goes to the next person waiting.`
        : `Your place on ${title} is cancelled${late ? ' (after the booking deadline, so please tell the trainer too)' : ''}. It goes to the next person waiting.`;
  return { fallbackText: body, blocks: [text(literal(body)), actions([myBookingsButton()])] };
}

export function buildBookingMessageReply(body: string): Reply {
  return { fallbackText: body, blocks: [text(literal(body))] };
}

export function buildMyBookingsReply(bookings: BookingView[]): Reply {
  if (bookings.length === 0) {
    const body =
      "You have no upcoming training bookings. Ask for training, e.g. 'MECC training' or 'mental health first aid'.";
    return { fallbackText: body, blocks: [heading('Your bookings'), text(body)] };
  }
  const label: Record<string, string> = {
    confirmed: 'Booked',
    offered: 'Place held for you',
    waitlisted: 'On the waitlist',
  };
  return {
    fallbackText: `Your bookings: ${bookings.map((b) => `${b.title}, ${formatSession(b)} (${label[b.status] ?? b.status})`).join('; ')}`,
    blocks: [
      heading('Your bookings'),
      {
        type: 'list',
        items: bookings.slice(0, 10).map((b) => ({
          title: b.title,
          lines: [
            formatSession(b),
            `${label[b.status] ?? b.status}${b.position ? ` (number ${b.position})` : ''}${
              b.offerExpiresAt
                ? ` until ${DateTime.fromJSDate(b.offerExpiresAt, { zone: ZONE }).toFormat('ccc d LLL, HH:mm')}`
                : ''
            }`,
          ],
          buttons:
            b.status === 'offered'
              ? [
                  sessionButton('Accept', ACTION.acceptOffer, b.sessionId, 'primary'),
                  sessionButton('Decline', ACTION.cancelBooking, b.sessionId),
                ]
              : b.status === 'waitlisted'
                ? [sessionButton('Leave waitlist', ACTION.leaveWaitlist, b.sessionId)]
                : [sessionButton('Cancel', ACTION.cancelBooking, b.sessionId, 'danger')],
        })),
      },
    ],
  };
}

function myBookingsButton(): ReplyButton {
  return { label: 'My bookings', action: ACTION.myBookings, value: '{}' };
}
