import { isUuid } from '../../db/ids.ts';
import type { Database, Sql } from '../../db/sql.ts';
import type { Logger } from '../../logger.ts';
import { courseOf, type CourseDefinition, DEFAULT_COURSES, satisfies } from './courses.ts';
import {
  type BookerRow,
  type BookingView,
  cancelPlace,
  cancelWaitlisted,
  confirmOffer,
  countPlaces,
  declineOffer,
  expireOffers,
  insertBooking,
  loadTrainingRows,
  lockSession,
  offerToWaitlist,
  selectBookingsForSession,
  selectBookingsForUser,
  selectCompletedTitles,
  selectLiveBooking,
  selectOffer,
  selectSessions,
  selectSessionsWithLapsedOffers,
  type SessionRow,
  updateAttendance,
  waitlistPosition,
} from './booking-queries.ts';
import { type CourseReport, type DueRefresher, dueRefreshers, summariseCourses } from './training-records.ts';

export type { BookingView } from './booking-queries.ts';
export type { CourseReport, DueRefresher } from './training-records.ts';

/** A member of staff or a volunteer: never a resident. */
export type Booker = { platform: string; userId: string; displayName?: string; email?: string };

export type BookOutcome =
  | { status: 'confirmed'; bookingId: string }
  | { status: 'waitlisted'; bookingId: string; position: number }
  | { status: 'already_booked'; bookingId: string; current: 'confirmed' | 'waitlisted' | 'offered'; position?: number }
  | { status: 'closed'; reason: string }
  | { status: 'not_found' };

export type CancelOutcome =
  | { status: 'cancelled'; late: boolean }
  | { status: 'left_waitlist' }
  | { status: 'not_booked' }
  | { status: 'closed'; reason: string }
  | { status: 'not_found' };

export type OfferOutcome =
  | { status: 'confirmed' }
  | { status: 'expired' }
  | { status: 'declined' }
  | { status: 'no_offer' };

/** Something to tell a booker after the transaction: a place offered to them, or an offer that lapsed. */
export type BookingEvent =
  | { type: 'offered'; bookingId: string; booker: Booker; sessionId: string; expiresAt: Date }
  | { type: 'offer_expired'; bookingId: string; booker: Booker; sessionId: string }
  /** A place confirmed (booked outright or an offer accepted): counted, anonymously, in the insights. */
  | { type: 'confirmed'; bookingId: string; booker: Booker; sessionId: string; entryId: string };

export type SessionSummary = {
  id: string;
  entryId: string;
  title: string;
  course: string;
  start: Date;
  end: Date;
  capacity: number;
  confirmed: number;
  offered: number;
  waitlisted: number;
  bookingDeadline: Date | null;
  status: string;
  venue: string | null;
  online: boolean;
  prerequisites: string[];
};

export type AttendanceOutcome =
  | { status: 'marked' }
  | { status: 'not_booked' }
  | { status: 'not_started'; start: Date };

export type BookingServiceOptions = {
  /** How long a freed place is held for the next person on the waitlist. */
  offerHours?: number;
  courses?: CourseDefinition[];
  /** Told about offers and lapsed offers after each change commits; failures are logged, never undo the change. */
  onEvent?: (event: BookingEvent) => Promise<void>;
  logger?: Logger;
};

/**
 * Training bookings. Every change runs in one transaction holding the session's row lock (`FOR UPDATE`), so any
 * number of people clicking "book" on the last places, on any number of server instances sharing one PostgreSQL
 * database, end with exactly `capacity` places taken and the rest waitlisted. The statements are in
 * booking-queries.ts; this class holds the commands (book, cancel, offers) and the rules between them.
 */
export class BookingService {
  private readonly offerMs: number;
  private readonly courses: CourseDefinition[];

  constructor(
    private readonly store: Database,
    private readonly options: BookingServiceOptions = {},
  ) {
    this.offerMs = (options.offerHours ?? 24) * 3_600_000;
    this.courses = options.courses ?? DEFAULT_COURSES;
  }

  async book(sessionId: string, booker: Booker, now: Date): Promise<BookOutcome> {
    if (!isUuid(sessionId)) return { status: 'not_found' };
    const events: BookingEvent[] = [];
    const outcome = await this.store.transaction(async (tx): Promise<BookOutcome> => {
      const session = await lockSession(tx, sessionId);
      if (!session) return { status: 'not_found' };
      await this.lapseOffers(tx, session, now, events);

      const mine = await selectLiveBooking(tx, sessionId, booker);
      if (mine) {
        const position = mine.status === 'waitlisted' ? await waitlistPosition(tx, sessionId, mine.id) : undefined;
        return {
          status: 'already_booked',
          bookingId: mine.id,
          current: mine.status,
          ...(position ? { position } : {}),
        };
      }

      const closed = closedReason(session, now);
      if (closed) return { status: 'closed', reason: closed };
      const missing = await this.missingPrerequisite(tx, session, booker, now);
      if (missing) return { status: 'closed', reason: `needs ${missing} first` };

      const counts = await countPlaces(tx, sessionId);
      if (counts.taken < session.capacity! && counts.waitlisted === 0) {
        const bookingId = await insertBooking(tx, sessionId, booker, 'confirmed', now);
        events.push({ type: 'confirmed', bookingId, booker, sessionId, entryId: session.entry_id });
        return { status: 'confirmed', bookingId };
      }
      const bookingId = await insertBooking(tx, sessionId, booker, 'waitlisted', now);
      return { status: 'waitlisted', bookingId, position: counts.waitlisted + 1 };
    });
    await this.emit(events);
    return outcome;
  }

  async cancel(sessionId: string, booker: Pick<Booker, 'platform' | 'userId'>, now: Date): Promise<CancelOutcome> {
    if (!isUuid(sessionId)) return { status: 'not_found' };
    const events: BookingEvent[] = [];
    const outcome = await this.store.transaction(async (tx): Promise<CancelOutcome> => {
      const session = await lockSession(tx, sessionId);
      if (!session) return { status: 'not_found' };
      const mine = await selectLiveBooking(tx, sessionId, booker);
      if (!mine) return { status: 'not_booked' };
      if (session.start.getTime() <= now.getTime())
        return { status: 'closed', reason: 'the session has already started' };
      if (mine.status === 'waitlisted') {
        await cancelWaitlisted(tx, mine.id, now);
        return { status: 'left_waitlist' };
      }
      const late = session.booking_deadline !== null && now.getTime() > session.booking_deadline.getTime();
      await cancelPlace(tx, mine.id, now, late);
      await this.promote(tx, session, now, events);
      return { status: 'cancelled', late };
    });
    await this.emit(events);
    return outcome;
  }

  /** Accept or decline a place offered from the waitlist. */
  async answerOffer(
    sessionId: string,
    booker: Pick<Booker, 'platform' | 'userId'>,
    accept: boolean,
    now: Date,
  ): Promise<OfferOutcome> {
    if (!isUuid(sessionId)) return { status: 'no_offer' };
    const events: BookingEvent[] = [];
    const outcome = await this.store.transaction(async (tx): Promise<OfferOutcome> => {
      const session = await lockSession(tx, sessionId);
      if (!session) return { status: 'no_offer' };
      const mine = await selectOffer(tx, sessionId, booker);
      if (!mine) return { status: 'no_offer' };
      if (mine.offer_expires_at.getTime() <= now.getTime()) {
        await this.lapseOffers(tx, session, now, events);
        return { status: 'expired' };
      }
      if (accept) {
        await confirmOffer(tx, mine.id, now);
        events.push({
          type: 'confirmed',
          bookingId: mine.id,
          booker: { ...booker },
          sessionId,
          entryId: session.entry_id,
        });
        return { status: 'confirmed' };
      }
      await declineOffer(tx, mine.id, now);
      await this.promote(tx, session, now, events);
      return { status: 'declined' };
    });
    await this.emit(events);
    return outcome;
  }

  /** Lapses every offer past its time and moves each place on; the scheduler calls this every few minutes. */
  async expireDueOffers(now: Date): Promise<number> {
    let lapsed = 0;
    for (const occurrence_id of await selectSessionsWithLapsedOffers(this.store.sql, now)) {
      const events: BookingEvent[] = [];
      await this.store.transaction(async (tx) => {
        const session = await lockSession(tx, occurrence_id);
        if (session) await this.lapseOffers(tx, session, now, events);
      });
      lapsed += events.filter((e) => e.type === 'offer_expired').length;
      await this.emit(events);
    }
    return lapsed;
  }

  async listSessions(filter: { course?: string; from?: Date; entryId?: string } = {}): Promise<SessionSummary[]> {
    const rows = await selectSessions(this.store.sql, {
      from: filter.from ?? null,
      entryId: filter.entryId && isUuid(filter.entryId) ? filter.entryId : null,
    });
    const needle = filter.course?.trim().toLowerCase();
    return rows
      .map((r) => ({
        id: r.id,
        entryId: r.entry_id,
        title: r.title,
        course: courseOf(r.title, this.courses, r.venue),
        start: r.start,
        end: r.end,
        capacity: r.capacity,
        confirmed: r.confirmed,
        offered: r.offered,
        waitlisted: r.waitlisted,
        bookingDeadline: r.booking_deadline,
        status: r.status,
        venue: r.venue,
        online: r.online,
        prerequisites: r.prerequisites,
      }))
      .filter((s) => !needle || s.title.toLowerCase().includes(needle) || s.course.toLowerCase().includes(needle));
  }

  async getSession(sessionId: string): Promise<SessionSummary | undefined> {
    if (!isUuid(sessionId)) return undefined;
    return (await this.listSessions()).find((s) => s.id === sessionId);
  }

  async bookingsForUser(
    booker: Pick<Booker, 'platform' | 'userId'>,
    opts: { includePast?: boolean; now?: Date } = {},
  ): Promise<BookingView[]> {
    return selectBookingsForUser(this.store.sql, booker, opts);
  }

  /** The attendee list for coordinators: everyone with a live or past booking, waitlist in order. */
  async bookingsForSession(sessionId: string): Promise<BookingView[]> {
    if (!isUuid(sessionId)) return [];
    return selectBookingsForSession(this.store.sql, sessionId);
  }

  /** Attendance is marked once a session has started, for someone holding a confirmed place on it. */
  async markAttendance(
    sessionId: string,
    booker: Pick<Booker, 'platform' | 'userId'>,
    attended: boolean,
    now: Date,
  ): Promise<AttendanceOutcome> {
    if (!isUuid(sessionId)) return { status: 'not_booked' };
    const row = await updateAttendance(this.store.sql, sessionId, booker, attended, now);
    if (!row) return { status: 'not_booked' };
    if (row.id) return { status: 'marked' };
    if (row.start.getTime() > now.getTime()) return { status: 'not_started', start: row.start };
    return { status: 'not_booked' };
  }

  /** People trained per course: in date now (see training-records.ts), booked, attendance, sessions. */
  async trainingReport(now: Date): Promise<CourseReport[]> {
    return summariseCourses(await loadTrainingRows(this.store.sql), this.courses, now);
  }

  /** Refresher reminders due now (6 and 3 months before each person's training lapses). */
  async dueRefreshers(now: Date): Promise<DueRefresher[]> {
    return dueRefreshers(await loadTrainingRows(this.store.sql), this.courses, now);
  }

  private async missingPrerequisite(
    tx: Sql,
    session: SessionRow,
    booker: Booker,
    now: Date,
  ): Promise<string | undefined> {
    if (session.prerequisites.length === 0) return undefined;
    const done = await selectCompletedTitles(tx, booker, now);
    return session.prerequisites.find((p) => !done.some((title) => satisfies(p, title, this.courses)));
  }

  /** Lapse offers past their time on this (locked) session, then fill free places from the waitlist. */
  private async lapseOffers(tx: Sql, session: SessionRow, now: Date, events: BookingEvent[]): Promise<void> {
    const lapsed = await expireOffers(tx, session.id, now);
    for (const r of lapsed) {
      events.push({ type: 'offer_expired', bookingId: r.id, sessionId: session.id, booker: toBooker(r) });
    }
    if (lapsed.length > 0) await this.promote(tx, session, now, events);
  }

  /** Offers free places to the front of the waitlist, each for `offerHours` (never past the session's start). */
  private async promote(tx: Sql, session: SessionRow, now: Date, events: BookingEvent[]): Promise<void> {
    if (session.capacity === null || session.start.getTime() <= now.getTime()) return;
    const { taken } = await countPlaces(tx, session.id);
    const free = session.capacity - taken;
    if (free <= 0) return;
    const expiresAt = new Date(Math.min(now.getTime() + this.offerMs, session.start.getTime()));
    const offered = await offerToWaitlist(tx, session.id, free, now, expiresAt);
    for (const r of offered) {
      events.push({ type: 'offered', bookingId: r.id, sessionId: session.id, booker: toBooker(r), expiresAt });
    }
  }

  private async emit(events: BookingEvent[]): Promise<void> {
    if (!this.options.onEvent) return;
    for (const event of events) {
      try {
        await this.options.onEvent(event);
      } catch (error) {
        this.options.logger?.warn('booking notification failed', {
          type: event.type,
          bookingId: event.bookingId,
          error,
        });
      }
    }
  }
}

function toBooker(r: BookerRow): Booker {
  return { platform: r.platform, userId: r.user_id, ...(r.display_name ? { displayName: r.display_name } : {}) };
}

function closedReason(session: SessionRow, now: Date): string | undefined {
  if (session.kind !== 'training' || session.capacity === null) return 'this is not a bookable session';
  if (session.removed || session.status === 'cancelled') return 'the session has been cancelled';
  if (session.start.getTime() <= now.getTime()) return 'the session has already started';
  if (session.booking_deadline && now.getTime() > session.booking_deadline.getTime())
    return 'the booking deadline has passed';
  return undefined;
}
