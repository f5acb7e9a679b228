import { z } from 'zod';
import { buildBookingInvite } from '../../../catalogue/booking/booking-invite.ts';
import type { BookingService, SessionSummary } from '../../../catalogue/booking/booking-service.ts';
import type { CatalogueSearch } from '../../../catalogue/search/types.ts';
import type { Clock } from '../../../clock.ts';
import { ACTION } from '../action-ids.ts';
import type { BookingHooks, ConversationContext } from '../conversation.ts';
import type { InboundAction } from '../inbound.ts';
import type { Reply } from '../reply.ts';
import { parseActionValue } from '../replies/action-values.ts';
import { buildBadActionReply } from '../replies/errors.ts';
import {
  buildAlreadyBookedReply,
  buildBookingMessageReply,
  buildCancelledReply,
  buildChooseSessionReply,
  buildClosedReply,
  buildConfirmedReply,
  buildMyBookingsReply,
  buildNoSessionsReply,
  buildWaitlistedReply,
} from './booking-replies.ts';

const SessionValueSchema = z.object({ sid: z.string().uuid() });

export type BookingHooksDeps = {
  bookings: BookingService;
  search: CatalogueSearch;
  clock: Clock;
  offerHours: number;
  /** A link to a booking's invite, for platforms that take links rather than files. */
  inviteUrl?: (bookingId: string) => string;
};

const booker = (ctx: ConversationContext) => ({
  platform: ctx.platform,
  userId: ctx.userId,
  ...(ctx.displayName ? { displayName: ctx.displayName } : {}),
});

/** Wires training bookings into the conversation: book, my bookings, cancel, waitlists and held places. */
export function createBookingHooks(deps: BookingHooksDeps): BookingHooks {
  const { bookings, search, clock } = deps;

  const open = (s: SessionSummary, now: Date) =>
    s.status !== 'cancelled' && s.start > now && (!s.bookingDeadline || s.bookingDeadline >= now);

  async function bookSession(
    ctx: ConversationContext,
    session: SessionSummary,
    others: SessionSummary[],
  ): Promise<Reply> {
    const now = clock.now();
    const outcome = await bookings.book(session.id, booker(ctx), now);
    switch (outcome.status) {
      case 'confirmed':
        return confirmedReply(session, outcome.bookingId, now);
      case 'waitlisted':
        return buildWaitlistedReply(session, outcome.position, deps.offerHours);
      case 'already_booked':
        return buildAlreadyBookedReply(session, outcome.current, outcome.position);
      case 'closed':
        return buildClosedReply(
          session,
          outcome.reason,
          others.filter((o) => o.id !== session.id && open(o, now)),
        );
      case 'not_found':
        return buildBookingMessageReply('That session no longer exists.');
    }
  }

  /** The confirmation with its calendar invite (the invite's UID is the booking's). */
  async function confirmedReply(session: SessionSummary, bookingId: string, now: Date): Promise<Reply> {
    const result = await search.getResult(session.entryId, now);
    const invite = buildBookingInvite({
      bookingId,
      title: session.title,
      start: session.start,
      end: session.end,
      venue: session.online ? null : (result?.venue ?? session.venue),
      address: session.online ? null : (result?.address ?? null),
      onlineUrl: session.online ? (result?.url ?? null) : null,
      description: result?.description ?? '',
      organiser: result?.organisation ?? null,
      now,
    });
    return buildConfirmedReply(session, invite, now, deps.inviteUrl?.(bookingId));
  }

  async function findSession(sid: string): Promise<SessionSummary | undefined> {
    return bookings.getSession(sid);
  }

  return {
    async book(ctx, target) {
      const now = clock.now();
      const sessions = await bookings.listSessions({ entryId: target.entryId, from: now });
      if (target.start) {
        const wanted = Date.parse(target.start);
        const session = sessions.find((s) => s.start.getTime() === wanted);
        if (session) return bookSession(ctx, session, sessions);
      }
      const openSessions = sessions.filter((s) => open(s, now));
      const result = openSessions.length === 0 ? await search.getResult(target.entryId, now) : undefined;
      if (openSessions.length === 0) return buildNoSessionsReply(result?.title ?? 'this course');
      if (openSessions.length === 1) return bookSession(ctx, openSessions[0]!, sessions);
      return buildChooseSessionReply(openSessions[0]!.title, target.entryId, openSessions);
    },

    async mine(ctx) {
      return buildMyBookingsReply(await bookings.bookingsForUser(booker(ctx), { now: clock.now() }));
    },

    async handleAction(action: InboundAction) {
      const value = parseActionValue(SessionValueSchema, action.value);
      if (!value) return buildBadActionReply();
      const now = clock.now();
      const session = await findSession(value.sid);
      if (!session) return buildBookingMessageReply('That session no longer exists.');
      switch (action.action) {
        case ACTION.joinWaitlist:
          return bookSession(action, session, []);
        case ACTION.acceptOffer: {
          const answer = await bookings.answerOffer(session.id, booker(action), true, now);
          if (answer.status === 'confirmed') {
            const mine = (await bookings.bookingsForUser(booker(action), { now })).find(
              (b) => b.sessionId === session.id,
            );
            return confirmedReply(session, mine?.id ?? session.id, now);
          }
          return buildBookingMessageReply(
            answer.status === 'expired'
              ? 'Sorry, the time to accept that place has passed, so it went to the next person waiting.'
              : 'There is no place held for you on that session.',
          );
        }
        case ACTION.cancelBooking:
        case ACTION.leaveWaitlist: {
          const mine = (await bookings.bookingsForUser(booker(action), { now })).find(
            (b) => b.sessionId === session.id,
          );
          if (mine?.status === 'offered') {
            await bookings.answerOffer(session.id, booker(action), false, now);
            return buildCancelledReply(session.title, 'declined');
          }
          const outcome = await bookings.cancel(session.id, booker(action), now);
          if (outcome.status === 'cancelled') return buildCancelledReply(session.title, 'cancelled', outcome.late);
          if (outcome.status === 'left_waitlist') return buildCancelledReply(session.title, 'left_waitlist');
          if (outcome.status === 'closed') return buildBookingMessageReply(`You can't cancel now: ${outcome.reason}.`);
          return buildBookingMessageReply('You had no booking on that session.');
        }
        default:
          return buildBadActionReply();
      }
    },
  };
}
