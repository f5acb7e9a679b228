import type { Database } from '../db/sql.ts';
import { DateTime } from 'luxon';
import type { Platform } from '../bots/core/inbound.ts';
import { actions, context, heading, literal, type Reply, text } from '../bots/core/reply.ts';
import { ACTION } from '../bots/core/action-ids.ts';
import { sessionButton } from '../bots/core/bookings/booking-replies.ts';
import { markRemindersSent, selectSessionTitle } from '../catalogue/booking/booking-queries.ts';
import type { BookingEvent, BookingService } from '../catalogue/booking/booking-service.ts';
import { ZONE } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { enqueueDelivery } from './delivery-queue.ts';
import { PlatformSchema } from './subscriptions.ts';

const when = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat("cccc d LLLL 'at' HH:mm");

function platformOf(value: string): Platform {
  const parsed = PlatformSchema.safeParse(value);
  return parsed.success ? parsed.data : 'terminal';
}

export function buildReminderReply(input: {
  title: string;
  start: Date;
  venue: string | null;
  sessionId: string;
}): Reply {
  const body = `Reminder: you are booked on **${literal(input.title)}** tomorrow, ${when(input.start)}${input.venue ? `, at ${literal(input.venue)}` : ''}.`;
  return {
    fallbackText: `Reminder: ${input.title} tomorrow, ${when(input.start)}.`,
    blocks: [
      heading('Training tomorrow'),
      text(body),
      actions([
        { label: 'My bookings', action: ACTION.myBookings, value: '{}' },
        sessionButton('Cancel my place', ACTION.cancelBooking, input.sessionId, 'danger'),
      ]),
      context('If you can no longer come, please cancel so the place goes to the next person waiting.'),
    ],
  };
}

/**
 * Queues the day-before reminder for every confirmed booking on a session that starts tomorrow (London dates). The
 * booking is marked reminded in the same transaction that queues the message, so each booker gets exactly one.
 */
export async function queueBookingReminders(
  store: Pick<Database, 'transaction'>,
  now: Date,
  logger: Logger,
): Promise<number> {
  const today = DateTime.fromJSDate(now, { zone: ZONE }).startOf('day');
  const from = today.plus({ days: 1 }).toJSDate();
  const to = today.plus({ days: 2 }).toJSDate();
  const queued = await store.transaction(async (tx) => {
    const rows = await markRemindersSent(tx, from, to, now);
    for (const r of rows) {
      await enqueueDelivery(
        tx,
        {
          dedupeKey: `reminder:${r.id}`,
          kind: 'reminder',
          target: { platform: platformOf(r.platform), channelRef: r.user_id },
          reply: buildReminderReply({ title: r.title, start: r.start, venue: r.venue, sessionId: r.session_id }),
        },
        now,
      );
    }
    return rows.length;
  });
  if (queued) logger.child('reminders').info('booking reminders queued', { count: queued });
  return queued;
}

export function buildOfferReply(event: BookingEvent, title: string): Reply {
  if (event.type === 'offered') {
    return {
      fallbackText: `A place on ${title} is free for you until ${when(event.expiresAt)}.`,
      blocks: [
        heading('A place is free for you'),
        text(`A place on **${literal(title)}** has come up. It is held for you until ${when(event.expiresAt)}.`),
        actions([
          sessionButton('Accept the place', ACTION.acceptOffer, event.sessionId, 'primary'),
          sessionButton('Decline', ACTION.cancelBooking, event.sessionId),
        ]),
      ],
    };
  }
  return {
    fallbackText: `The place offered to you on ${title} has gone to the next person.`,
    blocks: [
      heading('Offer lapsed'),
      text(
        `The place offered to you on **${literal(title)}** was not taken in time and has gone to the next person waiting.`,
      ),
    ],
  };
}

/**
 * BookingService's `onEvent`: offers and lapsed offers go through the same queue (and the booker's platform notifier)
 * as digests and reminders. Keyed by booking and event, so a repeated event is one message.
 */
export function bookingEventsToQueue(
  store: Pick<Database, 'sql'>,
  clock: { now(): Date },
): (event: BookingEvent) => Promise<void> {
  return async (event) => {
    if (event.type === 'confirmed') return; // the booker has their confirmation in the chat already
    const title = (await selectSessionTitle(store.sql, event.sessionId)) ?? 'a training session';
    const key =
      event.type === 'offered'
        ? `offer:${event.bookingId}:${event.expiresAt.getTime()}`
        : `offer-lapsed:${event.bookingId}`;
    await enqueueDelivery(
      store.sql,
      {
        dedupeKey: key,
        kind: 'offer',
        target: { platform: platformOf(event.booker.platform), channelRef: event.booker.userId },
        reply: buildOfferReply(event, title),
      },
      clock.now(),
    );
  };
}

/** The scheduler's booking tick: lapse offers past their time (the next person is offered the place), then reminders. */
export async function runBookingTick(
  store: Pick<Database, 'transaction'>,
  bookings: BookingService,
  now: Date,
  logger: Logger,
): Promise<{ lapsed: number; reminders: number }> {
  const lapsed = await bookings.expireDueOffers(now);
  const reminders = await queueBookingReminders(store, now, logger);
  return { lapsed, reminders };
}
