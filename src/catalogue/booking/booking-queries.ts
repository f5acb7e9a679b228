import type { Sql } from '../../db/sql.ts';

/** The SQL behind training bookings: the booking service's transactions call these with their transaction's `tx`. */

export type LiveStatus = 'confirmed' | 'waitlisted' | 'offered';

const LIVE = `('confirmed', 'waitlisted', 'offered')`;

/** A bookable session as its transactions see it, read under the session's row lock. */
export type SessionRow = {
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

/** Who a booking belongs to, as a change to it returns them. */
export type BookerRow = { id: string; platform: string; user_id: string; display_name: string | null };

/** A session in a list of training sessions, with its places counted. */
export type SessionListRow = {
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

/**
 * Who is trained, and until when. A person completes a session when they attended it, or when their confirmed
 * session is over and nobody marked them absent. A course with a validity (`TRAINING_VALIDITY`) lapses that long
 * after the person's latest completion; a refresher's completion renews the course it refreshes.
 */
export type TrainingRow = {
  title: string;
  venue: string | null;
  session_id: string;
  platform: string | null;
  user_id: string | null;
  status: string | null;
  attended: boolean | null;
  start: Date;
  end: Date;
};

/** What a calendar invite for one booking is built from. */
export type InviteRow = {
  status: string;
  title: string;
  start: Date;
  end: Date;
  description: string;
  url: string | null;
  venue: string | null;
  address: string | null;
  online: boolean;
  organiser: string | null;
};

/** Reads the session and holds its row lock (`FOR UPDATE`) until the transaction ends. */
export async function lockSession(tx: Sql, sessionId: string): Promise<SessionRow | undefined> {
  const { rows } = await tx.query<SessionRow>(
    `SELECT o.id, s.id AS entry_id, coalesce(o.title, s.name) AS title, s.kind, o.start, o."end", o.capacity,
            o.booking_deadline, o.status, s.removed_at IS NOT NULL AS removed, s.prerequisites
     FROM occurrence o JOIN service s ON s.id = o.service_id WHERE o.id = $1 FOR UPDATE OF o`,
    [sessionId],
  );
  return rows[0];
}

/** The person's confirmed, waitlisted or offered booking on the session, if any. */
export async function selectLiveBooking(
  tx: Sql,
  sessionId: string,
  booker: { platform: string; userId: string },
): Promise<{ id: string; status: LiveStatus } | undefined> {
  const { rows } = await tx.query<{ id: string; status: LiveStatus }>(
    `SELECT id, status FROM booking WHERE occurrence_id = $1 AND platform = $2 AND user_id = $3 AND status IN ${LIVE}`,
    [sessionId, booker.platform, booker.userId],
  );
  return rows[0];
}

/** A new booking, confirmed or on the waitlist; returns its id. */
export async function insertBooking(
  tx: Sql,
  sessionId: string,
  booker: { platform: string; userId: string; displayName?: string; email?: string },
  status: 'confirmed' | 'waitlisted',
  now: Date,
): Promise<string> {
  const params = [sessionId, booker.platform, booker.userId, booker.displayName ?? null, booker.email ?? null, now];
  const { rows } = await tx.query<{ id: string }>(
    status === 'confirmed'
      ? `INSERT INTO booking (occurrence_id, platform, user_id, display_name, email, status, confirmed_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, $6, $6) RETURNING id`
      : `INSERT INTO booking (occurrence_id, platform, user_id, display_name, email, status, waitlisted_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'waitlisted', $6, $6, $6) RETURNING id`,
    params,
  );
  return rows[0]!.id;
}

export async function cancelWaitlisted(tx: Sql, bookingId: string, now: Date): Promise<void> {
  await tx.query(`UPDATE booking SET status = 'cancelled', cancelled_at = $2, updated_at = $2 WHERE id = $1`, [
    bookingId,
    now,
  ]);
}

export async function cancelPlace(tx: Sql, bookingId: string, now: Date, late: boolean): Promise<void> {
  await tx.query(
    `UPDATE booking SET status = 'cancelled', cancelled_at = $2, updated_at = $2, late_cancellation = $3 WHERE id = $1`,
    [bookingId, now, late],
  );
}

/** The person's open offer on the session, if any. */
export async function selectOffer(
  tx: Sql,
  sessionId: string,
  booker: { platform: string; userId: string },
): Promise<{ id: string; offer_expires_at: Date } | undefined> {
  const { rows } = await tx.query<{ id: string; offer_expires_at: Date }>(
    `SELECT id, offer_expires_at FROM booking
     WHERE occurrence_id = $1 AND platform = $2 AND user_id = $3 AND status = 'offered'`,
    [sessionId, booker.platform, booker.userId],
  );
  return rows[0];
}

export async function confirmOffer(tx: Sql, bookingId: string, now: Date): Promise<void> {
  await tx.query(`UPDATE booking SET status = 'confirmed', confirmed_at = $2, updated_at = $2 WHERE id = $1`, [
    bookingId,
    now,
  ]);
}

export async function declineOffer(tx: Sql, bookingId: string, now: Date): Promise<void> {
  await tx.query(`UPDATE booking SET status = 'declined', cancelled_at = $2, updated_at = $2 WHERE id = $1`, [
    bookingId,
    now,
  ]);
}

/** Sessions holding at least one offer past its time. */
export async function selectSessionsWithLapsedOffers(sql: Sql, now: Date): Promise<string[]> {
  const { rows } = await sql.query<{ occurrence_id: string }>(
    `SELECT DISTINCT occurrence_id FROM booking WHERE status = 'offered' AND offer_expires_at <= $1`,
    [now],
  );
  return rows.map((r) => r.occurrence_id);
}

/** Marks the session's offers past their time expired; returns whose they were. */
export async function expireOffers(tx: Sql, sessionId: string, now: Date): Promise<BookerRow[]> {
  const { rows } = await tx.query<BookerRow>(
    `UPDATE booking SET status = 'expired', updated_at = $2
     WHERE occurrence_id = $1 AND status = 'offered' AND offer_expires_at <= $2
     RETURNING id, platform, user_id, display_name`,
    [sessionId, now],
  );
  return rows;
}

/** Offers up to `places` places to the front of the session's waitlist, in order; returns whose they are. */
export async function offerToWaitlist(
  tx: Sql,
  sessionId: string,
  places: number,
  now: Date,
  expiresAt: Date,
): Promise<BookerRow[]> {
  const { rows } = await tx.query<BookerRow>(
    `UPDATE booking SET status = 'offered', offered_at = $3, offer_expires_at = $4, updated_at = $3
     WHERE id IN (SELECT id FROM booking WHERE occurrence_id = $1 AND status = 'waitlisted'
                  ORDER BY seq LIMIT $2)
     RETURNING id, platform, user_id, display_name`,
    [sessionId, places, now, expiresAt],
  );
  return rows;
}

/** Places taken (confirmed or offered) and people waiting on one session. */
export async function countPlaces(tx: Sql, sessionId: string): Promise<{ taken: number; waitlisted: number }> {
  const { rows } = await tx.query<{ taken: number; waitlisted: number }>(
    `SELECT count(*) FILTER (WHERE status IN ('confirmed', 'offered'))::int AS taken,
            count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted
     FROM booking WHERE occurrence_id = $1`,
    [sessionId],
  );
  return rows[0] ?? { taken: 0, waitlisted: 0 };
}

export async function waitlistPosition(tx: Sql, sessionId: string, bookingId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM booking w, booking me
     WHERE me.id = $2 AND w.occurrence_id = $1 AND w.status = 'waitlisted'
       AND w.seq <= me.seq`,
    [sessionId, bookingId],
  );
  return rows[0]?.n ?? 1;
}

/** Titles of the sessions a person has completed (attended, or over and not marked absent). */
export async function selectCompletedTitles(
  tx: Sql,
  booker: { platform: string; userId: string },
  now: Date,
): Promise<string[]> {
  const { rows } = await tx.query<{ title: string }>(
    `SELECT DISTINCT coalesce(o.title, s.name) AS title FROM booking b
     JOIN occurrence o ON o.id = b.occurrence_id JOIN service s ON s.id = o.service_id
     WHERE b.platform = $1 AND b.user_id = $2 AND b.status = 'confirmed'
       AND (b.attended = true OR (b.attended IS NULL AND o."end" <= $3))`,
    [booker.platform, booker.userId, now],
  );
  return rows.map((r) => r.title);
}

/** Bookable training sessions with their places counted, by start then title. */
export async function selectSessions(
  sql: Sql,
  filter: { from: Date | null; entryId: string | null },
): Promise<SessionListRow[]> {
  const { rows } = await sql.query<SessionListRow>(
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
    [filter.from, filter.entryId],
  );
  return rows;
}

/** A person's live bookings; only sessions not yet over unless `includePast`. */
export async function selectBookingsForUser(
  sql: Sql,
  booker: { platform: string; userId: string },
  opts: { includePast?: boolean; now?: Date } = {},
): Promise<BookingView[]> {
  return selectBookings(
    sql,
    `b.platform = $1 AND b.user_id = $2 AND b.status IN ${LIVE}${opts.includePast ? '' : ' AND o."end" >= $3'}`,
    opts.includePast ? [booker.platform, booker.userId] : [booker.platform, booker.userId, opts.now ?? new Date()],
  );
}

/** Every booking on one session, live or not: confirmed, then offered, then the waitlist in order. */
export async function selectBookingsForSession(sql: Sql, sessionId: string): Promise<BookingView[]> {
  return selectBookings(sql, `b.occurrence_id = $1`, [sessionId]);
}

async function selectBookings(sql: Sql, where: string, params: unknown[]): Promise<BookingView[]> {
  const { rows } = await sql.query<{
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

/**
 * Marks attendance on a confirmed place once the session has started. Returns undefined when there is no such
 * session, else the session's start and the booking marked (null when none was).
 */
export async function updateAttendance(
  sql: Sql,
  sessionId: string,
  booker: { platform: string; userId: string },
  attended: boolean,
  now: Date,
): Promise<{ id: string | null; start: Date } | undefined> {
  const { rows } = await sql.query<{ id: string | null; start: Date }>(
    `WITH session AS (SELECT id, start FROM occurrence WHERE id = $1),
          marked AS (
            UPDATE booking SET attended = $4, attendance_marked_at = $5, updated_at = $5
            WHERE occurrence_id = $1 AND platform = $2 AND user_id = $3 AND status = 'confirmed'
              AND (SELECT start FROM session) <= $5
            RETURNING id)
     SELECT (SELECT id FROM marked LIMIT 1) AS id, start FROM session`,
    [sessionId, booker.platform, booker.userId, attended, now],
  );
  return rows[0];
}

/** Every booking (and every session without one) of bookable training, for the report and the refresher reminders. */
export async function loadTrainingRows(sql: Sql): Promise<TrainingRow[]> {
  const { rows } = await sql.query<TrainingRow>(
    `SELECT coalesce(o.title, s.name) AS title, l.name AS venue, o.id AS session_id, b.platform, b.user_id, b.status,
            b.attended, o.start, o."end"
     FROM occurrence o JOIN service s ON s.id = o.service_id LEFT JOIN location l ON l.id = s.location_id
     LEFT JOIN booking b ON b.occurrence_id = o.id
     WHERE s.kind = 'training' AND o.capacity IS NOT NULL`,
  );
  return rows;
}

/** One booking with its session, listing, venue and organiser, for its calendar invite. */
export async function selectInvite(sql: Sql, bookingId: string): Promise<InviteRow | undefined> {
  const { rows } = await sql.query<InviteRow>(
    `SELECT b.status, coalesce(o.title, s.name) AS title, o.start, o."end", s.description, s.url, l.name AS venue,
            nullif(concat_ws(', ', l.address_1, l.city, l.postal_code), '') AS address,
            coalesce(l.location_type = 'virtual', false) AS online, org.name AS organiser
     FROM booking b JOIN occurrence o ON o.id = b.occurrence_id JOIN service s ON s.id = o.service_id
     LEFT JOIN location l ON l.id = s.location_id LEFT JOIN organization org ON org.id = s.organization_id
     WHERE b.id = $1`,
    [bookingId],
  );
  return rows[0];
}

/** A confirmed booking due its day-before reminder, as marking it reminded returns it. */
export type ReminderRow = {
  id: string;
  platform: string;
  user_id: string;
  session_id: string;
  title: string;
  start: Date;
  venue: string | null;
};

/**
 * Marks reminded every confirmed, not yet reminded booking on a scheduled session starting in [from, to) and after
 * `now`; returns them, so the caller queues each reminder in the same transaction.
 */
export async function markRemindersSent(tx: Sql, from: Date, to: Date, now: Date): Promise<ReminderRow[]> {
  const { rows } = await tx.query<ReminderRow>(
    `UPDATE booking b SET reminder_sent_at = $3
     FROM occurrence o JOIN service s ON s.id = o.service_id LEFT JOIN location l ON l.id = s.location_id
     WHERE o.id = b.occurrence_id AND b.status = 'confirmed' AND b.reminder_sent_at IS NULL
       AND o.status = 'scheduled' AND o.start >= $1 AND o.start < $2 AND o.start > $3
     RETURNING b.id, b.platform, b.user_id, o.id AS session_id, coalesce(o.title, s.name) AS title, o.start, l.name AS venue`,
    [from, to, now],
  );
  return rows;
}

/** A session's title (its own, or its listing's). */
export async function selectSessionTitle(sql: Sql, sessionId: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ title: string }>(
    `SELECT coalesce(o.title, s.name) AS title FROM occurrence o JOIN service s ON s.id = o.service_id WHERE o.id = $1`,
    [sessionId],
  );
  return rows[0]?.title;
}
