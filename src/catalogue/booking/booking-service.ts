import { isUuid } from '../../db/ids.ts';
import type { Store } from '../../db/open-store.ts';
import type { Sql } from '../../db/sql.ts';
import type { Logger } from '../../logger.ts';
import { courseOf, type CourseDefinition, DEFAULT_COURSES, satisfies } from './courses.ts';
import { type CourseReport, type DueRefresher, dueRefreshers, loadTrainingRows, summariseCourses } from './training-records.ts';

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

export type OfferOutcome = { status: 'confirmed' } | { status: 'expired' } | { status: 'declined' } | { status: 'no_offer' };

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

export type BookingView = {
  id: string;
  sessionId: string;
  title: string;
  start: Date;
  end: Date;
  status: string;
  position?: number;
  offerExpiresAt?: Date;
  platform: string;
  userId: string;
  displayName: string | null;
  email: string | null;
  attended: boolean | null;
  lateCancellation: boolean;
  createdAt: Date;
};

export type AttendanceOutcome = { status: 'marked' } | { status: 'not_booked' } | { status: 'not_started'; start: Date };

export type BookingServiceOptions = {
  /** How long a freed place is held for the next person on the waitlist. */
  offerHours?: number;
  courses?: CourseDefinition[];
  /** Told about offers and lapsed offers after each change commits; failures are logged, never undo the change. */
  onEvent?: (event: BookingEvent) => Promise<void>;
  logger?: Logger;
};

const LIVE = `('confirmed', 'waitlisted', 'offered')`;

type SessionRow = {
  id: string;
  entry_id: string;
  title: string;
  kind: string;
  start: Date;
  end: Date;
  capacity: number | null;
  booking_deadline: Date | null;
  status: string;
  removed: boolean;
  prerequisites: string[];
};

/**
 * Training bookings. Every change runs in one transaction holding the session's row lock (`FOR UPDATE`), so any
 * number of people clicking "book" on the last places, on any number of server instances sharing one PostgreSQL
 * database, end with exactly `capacity` places taken and the rest waitlisted.
 */
export class BookingService {
  private readonly offerMs: number;
  private readonly courses: CourseDefinition[];

  constructor(
    private readonly store: Store,
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
      await this.expireOffers(tx, session, now, events);

      const live = await tx.query<{ id: string; status: 'confirmed' | 'waitlisted' | 'offered' }>(
        `SELECT id, status FROM booking WHERE occurrence_id = $1 AND platform = $2 AND user_id = $3 AND status IN ${LIVE}`,
        [sessionId, booker.platform, booker.userId],
      );
      const mine = live.rows[0];
      if (mine) {
        const position = mine.status === 'waitlisted' ? await waitlistPosition(tx, sessionId, mine.id) : undefined;
        return { status: 'already_booked', bookingId: mine.id, current: mine.status, ...(position ? { position } : {}) };
      }

      const closed = closedReason(session, now);
      if (closed) return { status: 'closed', reason: closed };
      const missing = await this.missingPrerequisite(tx, session, booker, now);
      if (missing) return { status: 'closed', reason: `needs ${missing} first` };

      const counts = await countPlaces(tx, sessionId);
      if (counts.taken < session.capacity! && counts.waitlisted === 0) {
        const row = await tx.query<{ id: string }>(
          `INSERT INTO booking (occurrence_id, platform, user_id, display_name, email, status, confirmed_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, $6, $6) RETURNING id`,
          [sessionId, booker.platform, booker.userId, booker.displayName ?? null, booker.email ?? null, now],
        );
        events.push({ type: 'confirmed', bookingId: row.rows[0]!.id, booker, sessionId, entryId: session.entry_id });
        return { status: 'confirmed', bookingId: row.rows[0]!.id };
      }
      const row = await tx.query<{ id: string }>(
        `INSERT INTO booking (occurrence_id, platform, user_id, display_name, email, status, waitlisted_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'waitlisted', $6, $6, $6) RETURNING id`,
        [sessionId, booker.platform, booker.userId, booker.displayName ?? null, booker.email ?? null, now],
      );
      return { status: 'waitlisted', bookingId: row.rows[0]!.id, position: counts.waitlisted + 1 };
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
      const live = await tx.query<{ id: string; status: string }>(
        `SELECT id, status FROM booking WHERE occurrence_id = $1 AND platform = $2 AND user_id = $3 AND status IN ${LIVE}`,
        [sessionId, booker.platform, booker.userId],
      );
      const mine = live.rows[0];
      if (!mine) return { status: 'not_booked' };
      if (session.start.getTime() <= now.getTime()) return { status: 'closed', reason: 'the session has already started' };
      if (mine.status === 'waitlisted') {
        await tx.query(`UPDATE booking SET status = 'cancelled', cancelled_at = $2, updated_at = $2 WHERE id = $1`, [mine.id, now]);
        return { status: 'left_waitlist' };
      }
      const late = session.booking_deadline !== null && now.getTime() > session.booking_deadline.getTime();
      await tx.query(
        `UPDATE booking SET status = 'cancelled', cancelled_at = $2, updated_at = $2, late_cancellation = $3 WHERE id = $1`,
        [mine.id, now, late],
      );
      await this.promote(tx, session, now, events);
      return { status: 'cancelled', late };
    });
    await this.emit(events);
    return outcome;
  }

  /** Accept or decline a place offered from the waitlist. */
  async answerOffer(sessionId: string, booker: Pick<Booker, 'platform' | 'userId'>, accept: boolean, now: Date): Promise<OfferOutcome> {
    if (!isUuid(sessionId)) return { status: 'no_offer' };
    const events: BookingEvent[] = [];
    const outcome = await this.store.transaction(async (tx): Promise<OfferOutcome> => {
      const session = await lockSession(tx, sessionId);
      if (!session) return { status: 'no_offer' };
      const offer = await tx.query<{ id: string; offer_expires_at: Date }>(
        `SELECT id, offer_expires_at FROM booking
         WHERE occurrence_id = $1 AND platform = $2 AND user_id = $3 AND status = 'offered'`,
        [sessionId, booker.platform, booker.userId],
      );
      const mine = offer.rows[0];
      if (!mine) return { status: 'no_offer' };
      if (mine.offer_expires_at.getTime() <= now.getTime()) {
        await this.expireOffers(tx, session, now, events);
        return { status: 'expired' };
      }
      if (accept) {
        await tx.query(`UPDATE booking SET status = 'confirmed', confirmed_at = $2, updated_at = $2 WHERE id = $1`, [mine.id, now]);
        events.push({ type: 'confirmed', bookingId: mine.id, booker: { ...booker }, sessionId, entryId: session.entry_id });
        return { status: 'confirmed' };
      }
      await tx.query(`UPDATE booking SET status = 'declined', cancelled_at = $2, updated_at = $2 WHERE id = $1`, [mine.id, now]);
      await this.promote(tx, session, now, events);
      return { status: 'declined' };
    });
    await this.emit(events);
    return outcome;
  }

  /** Lapses every offer past its time and moves each place on; the scheduler calls this every few minutes. */
  async expireDueOffers(now: Date): Promise<number> {
    const due = await this.store.sql.query<{ occurrence_id: string }>(
      `SELECT DISTINCT occurrence_id FROM booking WHERE status = 'offered' AND offer_expires_at <= $1`,
      [now],
    );
    let lapsed = 0;
    for (const { occurrence_id } of due.rows) {
      const events: BookingEvent[] = [];
      await this.store.transaction(async (tx) => {
        const session = await lockSession(tx, occurrence_id);
        if (session) await this.expireOffers(tx, session, now, events);
      });
      lapsed += events.filter((e) => e.type === 'offer_expired').length;
      await this.emit(events);
    }
    return lapsed;
  }

  async listSessions(filter: { course?: string; from?: Date; entryId?: string } = {}): Promise<SessionSummary[]> {
    const { rows } = await this.store.sql.query<{
      id: string;
      entry_id: string;
      title: string;
      start: Date;
      end: Date;
      capacity: number;
      booking_deadline: Date | null;
      status: string;
      venue: string | null;
      online: boolean;
      prerequisites: string[];
      confirmed: number;
      offered: number;
      waitlisted: number;
    }>(
      `SELECT o.id, s.id AS entry_id, coalesce(o.title, s.name) AS title, o.start, o."end", o.capacity, o.booking_deadline,
              o.status, l.name AS venue, coalesce(l.location_type = 'virtual', false) AS online, s.prerequisites,
              count(b.id) FILTER (WHERE b.status = 'confirmed')::int AS confirmed,
              count(b.id) FILTER (WHERE b.status = 'offered')::int AS offered,
              count(b.id) FILTER (WHERE b.status = 'waitlisted')::int AS waitlisted
       FROM occurrence o JOIN service s ON s.id = o.service_id LEFT JOIN location l ON l.id = s.location_id
       LEFT JOIN booking b ON b.occurrence_id = o.id
       WHERE s.kind = 'training' AND s.removed_at IS NULL AND o.capacity IS NOT NULL
         AND ($1::timestamptz IS NULL OR o.start >= $1) AND ($2::uuid IS NULL OR s.id = $2)
       GROUP BY o.id, s.id, l.id ORDER BY o.start, title`,
      [filter.from ?? null, filter.entryId && isUuid(filter.entryId) ? filter.entryId : null],
    );
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

  async bookingsForUser(booker: Pick<Booker, 'platform' | 'userId'>, opts: { includePast?: boolean; now?: Date } = {}): Promise<BookingView[]> {
    return this.queryBookings(
      `b.platform = $1 AND b.user_id = $2 AND b.status IN ${LIVE}${opts.includePast ? '' : ' AND o."end" >= $3'}`,
      opts.includePast ? [booker.platform, booker.userId] : [booker.platform, booker.userId, opts.now ?? new Date()],
    );
  }

  /** The attendee list for coordinators: everyone with a live or past booking, waitlist in order. */
  async bookingsForSession(sessionId: string): Promise<BookingView[]> {
    if (!isUuid(sessionId)) return [];
    return this.queryBookings(`b.occurrence_id = $1`, [sessionId]);
  }

  /** Attendance is marked once a session has started, for someone holding a confirmed place on it. */
  async markAttendance(sessionId: string, booker: Pick<Booker, 'platform' | 'userId'>, attended: boolean, now: Date): Promise<AttendanceOutcome> {
    if (!isUuid(sessionId)) return { status: 'not_booked' };
    const result = await this.store.sql.query<{ id: string | null; start: Date }>(
      `WITH session AS (SELECT id, start FROM occurrence WHERE id = $1),
            marked AS (
              UPDATE booking SET attended = $4, attendance_marked_at = $5, updated_at = $5
              WHERE occurrence_id = $1 AND platform = $2 AND user_id = $3 AND status = 'confirmed'
                AND (SELECT start FROM session) <= $5
              RETURNING id)
       SELECT (SELECT id FROM marked LIMIT 1) AS id, start FROM session`,
      [sessionId, booker.platform, booker.userId, attended, now],
    );
    const row = result.rows[0];
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

  private async queryBookings(where: string, params: unknown[]): Promise<BookingView[]> {
    const { rows } = await this.store.sql.query<{
      id: string;
      session_id: string;
      title: string;
      start: Date;
      end: Date;
      status: string;
      offer_expires_at: Date | null;
      platform: string;
      user_id: string;
      display_name: string | null;
      email: string | null;
      attended: boolean | null;
      late_cancellation: boolean;
      created_at: Date;
      position: number | null;
    }>(
      `SELECT b.id, o.id AS session_id, coalesce(o.title, s.name) AS title, o.start, o."end", b.status, b.offer_expires_at,
              b.platform, b.user_id, b.display_name, b.email, b.attended, b.late_cancellation, b.created_at,
              CASE WHEN b.status = 'waitlisted' THEN (
                SELECT count(*)::int FROM booking w WHERE w.occurrence_id = b.occurrence_id AND w.status = 'waitlisted'
                  AND w.seq <= b.seq) END AS position
       FROM booking b JOIN occurrence o ON o.id = b.occurrence_id JOIN service s ON s.id = o.service_id
       WHERE ${where}
       ORDER BY o.start, CASE b.status WHEN 'confirmed' THEN 0 WHEN 'offered' THEN 1 WHEN 'waitlisted' THEN 2 ELSE 3 END,
                b.seq`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      title: r.title,
      start: r.start,
      end: r.end,
      status: r.status,
      ...(r.position ? { position: r.position } : {}),
      ...(r.offer_expires_at ? { offerExpiresAt: r.offer_expires_at } : {}),
      platform: r.platform,
      userId: r.user_id,
      displayName: r.display_name,
      email: r.email,
      attended: r.attended,
      lateCancellation: r.late_cancellation,
      createdAt: r.created_at,
    }));
  }

  private async missingPrerequisite(tx: Sql, session: SessionRow, booker: Booker, now: Date): Promise<string | undefined> {
    if (session.prerequisites.length === 0) return undefined;
    const done = await tx.query<{ title: string }>(
      `SELECT DISTINCT coalesce(o.title, s.name) AS title FROM booking b
       JOIN occurrence o ON o.id = b.occurrence_id JOIN service s ON s.id = o.service_id
       WHERE b.platform = $1 AND b.user_id = $2 AND b.status = 'confirmed'
         AND (b.attended = true OR (b.attended IS NULL AND o."end" <= $3))`,
      [booker.platform, booker.userId, now],
    );
    return session.prerequisites.find((p) => !done.rows.some((d) => satisfies(p, d.title, this.courses)));
  }

  /** Lapse offers past their time on this (locked) session, then fill free places from the waitlist. */
  private async expireOffers(tx: Sql, session: SessionRow, now: Date, events: BookingEvent[]): Promise<void> {
    const lapsed = await tx.query<{ id: string; platform: string; user_id: string; display_name: string | null }>(
      `UPDATE booking SET status = 'expired', updated_at = $2
       WHERE occurrence_id = $1 AND status = 'offered' AND offer_expires_at <= $2
       RETURNING id, platform, user_id, display_name`,
      [session.id, now],
    );
    for (const r of lapsed.rows) {
      events.push({ type: 'offer_expired', bookingId: r.id, sessionId: session.id, booker: toBooker(r) });
    }
    if (lapsed.rows.length > 0) await this.promote(tx, session, now, events);
  }

  /** Offers free places to the front of the waitlist, each for `offerHours` (never past the session's start). */
  private async promote(tx: Sql, session: SessionRow, now: Date, events: BookingEvent[]): Promise<void> {
    if (session.capacity === null || session.start.getTime() <= now.getTime()) return;
    const { taken } = await countPlaces(tx, session.id);
    const free = session.capacity - taken;
    if (free <= 0) return;
    const expiresAt = new Date(Math.min(now.getTime() + this.offerMs, session.start.getTime()));
    const offered = await tx.query<{ id: string; platform: string; user_id: string; display_name: string | null }>(
      `UPDATE booking SET status = 'offered', offered_at = $3, offer_expires_at = $4, updated_at = $3
       WHERE id IN (SELECT id FROM booking WHERE occurrence_id = $1 AND status = 'waitlisted'
                    ORDER BY seq LIMIT $2)
       RETURNING id, platform, user_id, display_name`,
      [session.id, free, now, expiresAt],
    );
    for (const r of offered.rows) {
      events.push({ type: 'offered', bookingId: r.id, sessionId: session.id, booker: toBooker(r), expiresAt });
    }
  }

  private async emit(events: BookingEvent[]): Promise<void> {
    if (!this.options.onEvent) return;
    for (const event of events) {
      try {
        await this.options.onEvent(event);
      } catch (error) {
        this.options.logger?.warn('booking notification failed', { type: event.type, bookingId: event.bookingId, error });
      }
    }
  }
}

function toBooker(r: { platform: string; user_id: string; display_name: string | null }): Booker {
  return { platform: r.platform, userId: r.user_id, ...(r.display_name ? { displayName: r.display_name } : {}) };
}

async function lockSession(tx: Sql, sessionId: string): Promise<SessionRow | undefined> {
  const { rows } = await tx.query<SessionRow>(
    `SELECT o.id, s.id AS entry_id, coalesce(o.title, s.name) AS title, s.kind, o.start, o."end", o.capacity,
            o.booking_deadline, o.status, s.removed_at IS NOT NULL AS removed, s.prerequisites
     FROM occurrence o JOIN service s ON s.id = o.service_id WHERE o.id = $1 FOR UPDATE OF o`,
    [sessionId],
  );
  return rows[0];
}

async function countPlaces(tx: Sql, sessionId: string): Promise<{ taken: number; waitlisted: number }> {
  const { rows } = await tx.query<{ taken: number; waitlisted: number }>(
    `SELECT count(*) FILTER (WHERE status IN ('confirmed', 'offered'))::int AS taken,
            count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted
     FROM booking WHERE occurrence_id = $1`,
    [sessionId],
  );
  return rows[0] ?? { taken: 0, waitlisted: 0 };
}

async function waitlistPosition(tx: Sql, sessionId: string, bookingId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM booking w, booking me
     WHERE me.id = $2 AND w.occurrence_id = $1 AND w.status = 'waitlisted'
       AND w.seq <= me.seq`,
    [sessionId, bookingId],
  );
  return rows[0]?.n ?? 1;
}

function closedReason(session: SessionRow, now: Date): string | undefined {
  if (session.kind !== 'training' || session.capacity === null) return 'this is not a bookable session';
  if (session.removed || session.status === 'cancelled') return 'the session has been cancelled';
  if (session.start.getTime() <= now.getTime()) return 'the session has already started';
  if (session.booking_deadline && now.getTime() > session.booking_deadline.getTime()) return 'the booking deadline has passed';
  return undefined;
}
