import type { Database } from '../db/sql.ts';
import { DateTime } from 'luxon';
import type { Platform } from '../bots/core/inbound.ts';
import { ACTION } from '../bots/core/action-ids.ts';
import { actions, context, heading, literal, type Reply, text } from '../bots/core/reply.ts';
import type { BookingService, DueRefresher } from '../catalogue/booking/booking-service.ts';
import { ZONE } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { enqueueDelivery } from './delivery-queue.ts';
import { PlatformSchema } from './subscriptions.ts';

const day = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat('d LLLL yyyy');

function platformOf(value: string): Platform {
  const parsed = PlatformSchema.safeParse(value);
  return parsed.success ? parsed.data : 'terminal';
}

export function buildRefresherReply(due: Pick<DueRefresher, 'course' | 'completedAt' | 'lapsesAt' | 'stage'>): Reply {
  const course = literal(due.course);
  return {
    fallbackText: `Your ${due.course} training lapses on ${day(due.lapsesAt)}: book a refresher.`,
    blocks: [
      heading(due.stage === 3 ? 'Training lapses in 3 months' : 'Training refresher due'),
      text(
        `Your **${course}** training (completed ${day(due.completedAt)}) stays in date until **${day(due.lapsesAt)}**. ` +
          `Book a refresher before then: search for *${course}* here to see the sessions with places.`,
      ),
      actions([{ label: 'My bookings', action: ACTION.myBookings, value: '{}' }]),
      context('You get this reminder twice: 6 and 3 months before your training lapses.'),
    ],
  };
}

/** The key that makes each reminder happen once: one person, one course, one lapse date, one stage. */
export function refresherKey(due: DueRefresher): string {
  const lapse = DateTime.fromJSDate(due.lapsesAt, { zone: ZONE }).toISODate();
  return `refresher:${due.stage}:${due.platform}:${due.userId}:${due.course.toLowerCase()}:${lapse}`;
}

/**
 * Queues the refresher reminders due now, through each person's platform. The delivery queue's unique key keeps each
 * one (6 months, then 3 months before the lapse) to exactly one message, however often this runs and on however many
 * instances.
 */
export async function queueRefresherReminders(
  store: Pick<Database, 'sql'>,
  bookings: BookingService,
  now: Date,
  logger: Logger,
): Promise<number> {
  const due = await bookings.dueRefreshers(now);
  let queued = 0;
  for (const d of due) {
    const id = await enqueueDelivery(
      store.sql,
      {
        dedupeKey: refresherKey(d),
        kind: 'reminder',
        target: { platform: platformOf(d.platform), channelRef: d.userId },
        reply: buildRefresherReply(d),
      },
      now,
    );
    if (id) queued++;
  }
  if (queued) logger.child('reminders').info('training refresher reminders queued', { count: queued });
  return queued;
}
