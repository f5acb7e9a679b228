import { BookingService, type Booker } from '../../catalogue/booking/booking-service.ts';
import { coursesFromSettings } from '../../catalogue/booking/courses.ts';
import { toLondonIso } from '../../catalogue/time.ts';
import { toCsv } from '../../insights/csv.ts';
import { type CliContext, type Command, type ParsedArgs, stringOption, UsageError } from '../command.ts';

/** The CLI's booking service: offer hold and course targets from the environment. */
async function service(ctx: CliContext): Promise<BookingService> {
  return new BookingService(await ctx.database(), {
    offerHours: ctx.config.offerHours,
    courses: coursesFromSettings(ctx.config),
    logger: ctx.logger,
  });
}

const userOptions = {
  user: { type: 'string' },
  platform: { type: 'string' },
} as const;

function booker(args: ParsedArgs, required = true): Booker | undefined {
  const userId = stringOption(args, 'user');
  if (!userId) {
    if (required) throw new UsageError('--user <id> is required');
    return undefined;
  }
  const platform = stringOption(args, 'platform') ?? 'terminal';
  if (!['slack', 'teams', 'terminal'].includes(platform))
    throw new UsageError('--platform is slack, teams or terminal');
  const name = stringOption(args, 'name');
  const email = stringOption(args, 'email');
  return { platform, userId, ...(name ? { displayName: name } : {}), ...(email ? { email } : {}) };
}

function sessionId(args: ParsedArgs): string {
  const id = stringOption(args, 'session');
  if (!id) throw new UsageError('--session <id> is required');
  return id;
}

const when = (d: Date) => toLondonIso(d);

export const sessionsCommand: Command = {
  name: 'sessions',
  summary: 'Training sessions with places, bookings and waitlists',
  usage: 'sessions [--course <text>] [--all]',
  options: { course: { type: 'string' }, all: { type: 'boolean' } },
  async run(ctx, args) {
    const course = stringOption(args, 'course');
    const list = await (await service(ctx)).listSessions({
      ...(course ? { course } : {}),
      ...(args.values.all ? {} : { from: ctx.now }),
    });
    const json = list.map((s) => ({
      id: s.id,
      title: s.title,
      start: when(s.start),
      capacity: s.capacity,
      confirmed: s.confirmed,
      waitlisted: s.waitlisted,
    }));
    const text = list.length
      ? list
          .map((s) => {
            const left = Math.max(0, s.capacity - s.confirmed - s.offered);
            return `${s.id}  ${when(s.start)}  ${s.title}  ${left} of ${s.capacity} places left${s.waitlisted ? `, ${s.waitlisted} waiting` : ''}`;
          })
          .join('\n')
      : 'No training sessions found.';
    return { json, text };
  },
};

export const bookCommand: Command = {
  name: 'book',
  summary: 'Book a place on a training session (or join its waitlist)',
  usage: 'book --session <id> --user <id> [--name <text>] [--email <address>] [--platform slack|teams|terminal]',
  options: { session: { type: 'string' }, name: { type: 'string' }, email: { type: 'string' }, ...userOptions },
  async run(ctx, args) {
    const outcome = await (await service(ctx)).book(sessionId(args), booker(args)!, ctx.now);
    if (outcome.status === 'not_found') throw new UsageError(`No training session with id ${sessionId(args)}`);
    const json =
      outcome.status === 'waitlisted'
        ? { status: outcome.status, position: outcome.position }
        : outcome.status === 'already_booked'
          ? { status: outcome.status, ...(outcome.position ? { position: outcome.position } : {}) }
          : outcome.status === 'closed'
            ? { status: outcome.status, reason: outcome.reason }
            : { status: outcome.status };
    const text =
      outcome.status === 'confirmed'
        ? 'Booked: your place is confirmed.'
        : outcome.status === 'waitlisted'
          ? `The session is full: you are number ${outcome.position} on the waitlist.`
          : outcome.status === 'already_booked'
            ? `Already booked (${outcome.current}${outcome.position ? `, number ${outcome.position} on the waitlist` : ''}).`
            : `Booking is closed: ${outcome.reason}.`;
    return { json, text };
  },
};

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'Cancel a booking or leave a waitlist',
  usage: 'cancel --session <id> --user <id> [--platform slack|teams|terminal]',
  options: { session: { type: 'string' }, ...userOptions },
  async run(ctx, args) {
    const outcome = await (await service(ctx)).cancel(sessionId(args), booker(args)!, ctx.now);
    if (outcome.status === 'not_found') throw new UsageError(`No training session with id ${sessionId(args)}`);
    const text =
      outcome.status === 'cancelled'
        ? `Cancelled${outcome.late ? ' (after the booking deadline)' : ''}. The place goes to the next person waiting.`
        : outcome.status === 'left_waitlist'
          ? 'You have left the waitlist.'
          : outcome.status === 'not_booked'
            ? 'There was no booking to cancel.'
            : `Cannot cancel: ${outcome.reason}.`;
    return { json: outcome, text };
  },
};

export const bookingsCommand: Command = {
  name: 'bookings',
  summary: "A person's bookings, or a session's attendee list (--csv for a spreadsheet)",
  usage: 'bookings --user <id> [--platform …] | bookings --session <id> [--csv]',
  options: { session: { type: 'string' }, csv: { type: 'boolean' }, all: { type: 'boolean' }, ...userOptions },
  async run(ctx, args) {
    const svc = await service(ctx);
    const session = stringOption(args, 'session');
    if (session) {
      const rows = await svc.bookingsForSession(session);
      const json = rows.map((b) => ({
        userId: b.userId,
        platform: b.platform,
        name: b.displayName,
        email: b.email,
        status: b.status,
        position: b.position ?? null,
        attended: b.attended,
        bookedAt: when(b.createdAt),
      }));
      if (args.values.csv) return { json, text: toCsv(json).trimEnd() };
      const text = rows.length
        ? rows
            .map(
              (b) =>
                `${b.status.padEnd(10)} ${b.displayName ?? b.userId} (${b.platform})${b.position ? ` #${b.position}` : ''}${b.attended === true ? ' attended' : b.attended === false ? ' absent' : ''}`,
            )
            .join('\n')
        : 'Nobody has booked this session yet.';
      return { json, text };
    }
    const who = booker(args, false);
    if (!who) throw new UsageError('give --user <id> or --session <id>');
    const rows = await svc.bookingsForUser(who, { now: ctx.now, includePast: args.values.all === true });
    const json = rows.map((b) => ({
      sessionId: b.sessionId,
      title: b.title,
      start: when(b.start),
      end: when(b.end),
      status: b.status,
      ...(b.position ? { position: b.position } : {}),
      ...(b.offerExpiresAt ? { offerExpiresAt: when(b.offerExpiresAt) } : {}),
    }));
    const text = rows.length
      ? rows
          .map(
            (b) =>
              `${when(b.start)}  ${b.title}  ${b.status}${b.position ? ` (#${b.position})` : ''}  [${b.sessionId}]`,
          )
          .join('\n')
      : 'No upcoming bookings.';
    return { json, text };
  },
};

export const attendanceCommand: Command = {
  name: 'attendance',
  summary: 'Mark whether a booker attended a session (coordinators)',
  usage: 'attendance --session <id> --user <id> --attended yes|no [--platform …]',
  options: { session: { type: 'string' }, attended: { type: 'string' }, ...userOptions },
  async run(ctx, args) {
    const value = stringOption(args, 'attended');
    if (value !== 'yes' && value !== 'no') throw new UsageError('--attended is yes or no');
    const outcome = await (await service(ctx)).markAttendance(sessionId(args), booker(args)!, value === 'yes', ctx.now);
    if (outcome.status === 'not_started') {
      throw new UsageError(`Attendance can be marked once the session has started (it starts ${when(outcome.start)})`);
    }
    if (outcome.status !== 'marked') throw new UsageError('No confirmed booking for that person on that session');
    return { json: { updated: true }, text: 'Attendance recorded.' };
  },
};

export const trainingReportCommand: Command = {
  name: 'training-report',
  summary: 'People trained per course against targets (MECC: 200)',
  usage: 'training-report',
  options: {},
  async run(ctx) {
    const report = await (await service(ctx)).trainingReport(ctx.now);
    const text = report
      .map(
        (r) =>
          `${r.course}: ${r.trained} trained${r.target !== null ? ` of ${r.target} (${Math.round((r.trained / r.target) * 100)}%)` : ''}` +
          `, ${r.booked} booked, ${r.sessions} sessions${r.attendanceRate !== null ? `, attendance ${Math.round(r.attendanceRate * 100)}%` : ''}` +
          (r.validity
            ? `; in date for ${r.validity}: ${r.lapsed} lapsed, ${r.lapsingSoon} lapsing within 3 months`
            : ''),
      )
      .join('\n');
    return { json: report, text };
  },
};
