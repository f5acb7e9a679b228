/**
 * The `signpost` extension of an Open Referral service record: what HSDS has no field for, read and checked here.
 *
 * - `provided_by`, `prerequisites`: who runs a training course and what must be done first.
 * - `relative`: dates given relative to the import's clock, for a catalogue that must look current whenever it is
 *   loaded (the demo catalogue, src/catalogue/demo/demo-catalogue.json):
 *   - `assured_days_ago`: the listing was confirmed this many days before the clock's London day;
 *   - `upcoming_weeks`: of the sessions the schedules give, keep those after the clock and within this many weeks;
 *   - `pause`: sessions before the Monday of the week `restart_after_weeks` weeks ahead are cancelled with `note`,
 *     and `alert` is set (`{date}` is that Monday, e.g. "Monday 4 January");
 *   - `cancel`: the `upcoming`-th session kept is cancelled with `note`, and `alert` is set (`{date}` is its day);
 *   - `sessions`: dated sessions on the first weekday on or after `after_days` days from the clock's London day,
 *     `weekdays` consecutive weekdays long (all in one week), each with its places and booking deadline (`days_before`
 *     its first day, at `at`); `{first_day}` and `{last_day}` in `note` are its first and last days.
 *
 * Everything is validated with zod; an extension that does not validate is left out (the record itself is kept) and
 * reported as a rejection reason.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { ZONE } from '../../clock.ts';
import type { CatalogueEntryInput, OccurrenceInput } from '../model.ts';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time such as 09:30');
const template = z.string().trim().min(1).max(2000);

const RelativeSessionSchema = z
  .object({
    after_days: z.number().int().min(0).max(366),
    weekdays: z.number().int().min(1).max(5).default(1),
    opens_at: time,
    closes_at: time,
    capacity: z.number().int().nonnegative().optional(),
    book_by: z
      .object({ days_before: z.number().int().min(0).max(60), at: time })
      .strict()
      .optional(),
    note: template.optional(),
  })
  .strict();

const NoticeSchema = { alert: template, note: template };

export const SignpostExtensionSchema = z
  .object({
    provided_by: z.string().trim().min(1).max(500).optional(),
    prerequisites: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
    relative: z
      .object({
        assured_days_ago: z.number().int().min(0).max(3660).optional(),
        upcoming_weeks: z.number().int().min(1).max(104).optional(),
        pause: z
          .object({ restart_after_weeks: z.number().int().min(1).max(104), ...NoticeSchema })
          .strict()
          .optional(),
        cancel: z
          .object({ upcoming: z.number().int().min(1).max(1000), ...NoticeSchema })
          .strict()
          .optional(),
        sessions: z.array(RelativeSessionSchema).max(500).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type SignpostExtension = z.infer<typeof SignpostExtensionSchema>;

const londonDay = (d: Date | DateTime): string =>
  (d instanceof Date ? DateTime.fromJSDate(d, { zone: ZONE }) : d).toFormat('cccc d LLLL');

const fill = (text: string, values: Readonly<Record<string, string>>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);

/**
 * Dates relative to one clock, each worked out once: a catalogue repeats the same few offsets in every record, and
 * each step in London time costs a zone lookup.
 */
class ClockDates {
  readonly london: DateTime;
  private readonly memo = new Map<string, Date | number>();
  constructor(readonly now: Date) {
    this.london = DateTime.fromJSDate(now, { zone: ZONE });
  }
  private get<T extends Date | number>(key: string, compute: () => T): T {
    let value = this.memo.get(key) as T | undefined;
    if (value === undefined) this.memo.set(key, (value = compute()));
    return value;
  }
  /** The start of the London day `days` days before the clock's. */
  daysAgo(days: number): Date {
    return new Date(this.get(`ago:${days}`, () => this.london.minus({ days }).startOf('day').toMillis()));
  }
  /** The instant `weeks` weeks after the clock, in London time. */
  weeksAhead(weeks: number): number {
    return this.get(`ahead:${weeks}`, () => this.london.plus({ weeks }).toMillis());
  }
  /** The Monday (00:00, London) of the week `weeks` weeks after the clock's. */
  mondayAhead(weeks: number): Date {
    return this.get(`monday:${weeks}`, () => this.london.plus({ weeks }).startOf('week').toJSDate());
  }
}

let lastClock: ClockDates | undefined;
function clockDates(now: Date): ClockDates {
  if (lastClock?.now.getTime() !== now.getTime()) lastClock = new ClockDates(now);
  return lastClock;
}

/** The first weekday (Monday to Friday) on or after `d`. */
function weekday(d: DateTime): DateTime {
  let x = d;
  while (x.weekday > 5) x = x.plus({ days: 1 });
  return x;
}

function at(day: DateTime, hhmm: string): Date {
  const [hour, minute] = hhmm.split(':').map(Number);
  return day.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 }).toJSDate();
}

function datedSessions(
  sessions: NonNullable<SignpostExtension['relative']>['sessions'],
  clock: ClockDates,
): OccurrenceInput[] {
  const today = clock.london.startOf('day');
  return (sessions ?? []).map((s) => {
    let first = weekday(today.plus({ days: s.after_days }));
    // A course over several days runs on consecutive weekdays within one week.
    while (first.weekday + s.weekdays - 1 > 5) first = weekday(first.plus({ days: 1 }));
    let last = first;
    for (let d = 1; d < s.weekdays; d++) last = weekday(last.plus({ days: 1 }));
    const start = at(first, s.opens_at);
    const end = at(last, s.closes_at);
    return {
      key: start.toISOString(),
      start,
      end,
      allDay: false,
      status: 'scheduled' as const,
      ...(s.capacity !== undefined ? { capacity: s.capacity } : {}),
      ...(s.book_by ? { bookingDeadline: at(first.minus({ days: s.book_by.days_before }), s.book_by.at) } : {}),
      ...(s.note ? { note: fill(s.note, { first_day: londonDay(start), last_day: londonDay(end) }) } : {}),
    };
  });
}

/**
 * Applies a service's `signpost` extension to its entry, after its schedules have been expanded. Returns why the
 * extension was left out, or undefined when it was applied.
 */
export function applySignpostExtension(entry: CatalogueEntryInput, raw: unknown, now: Date): string | undefined {
  const parsed = SignpostExtensionSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `the signpost extension was ignored: ${issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'invalid'}`;
  }
  const ext = parsed.data;
  if (ext.provided_by) entry.providedBy = ext.provided_by;
  if (ext.prerequisites) entry.prerequisites = ext.prerequisites;
  const rel = ext.relative;
  if (!rel) return undefined;
  const clock = clockDates(now);
  if (rel.assured_days_ago !== undefined) entry.assuredDate = clock.daysAgo(rel.assured_days_ago);
  let occurrences = entry.occurrences ?? [];
  if (rel.upcoming_weeks !== undefined) {
    const until = clock.weeksAhead(rel.upcoming_weeks);
    occurrences = occurrences.filter((o) => o.start.getTime() > now.getTime() && o.start.getTime() < until);
  }
  if (rel.pause) {
    const { alert, note } = rel.pause;
    const restart = clock.mondayAhead(rel.pause.restart_after_weeks);
    entry.alert = fill(alert, { date: londonDay(restart) });
    occurrences = occurrences.map((o) => (o.start < restart ? { ...o, status: 'cancelled' as const, note } : o));
  }
  if (rel.cancel) {
    const { alert, note } = rel.cancel;
    const cancelled = occurrences[rel.cancel.upcoming - 1];
    if (cancelled) {
      entry.alert = fill(alert, { date: londonDay(cancelled.start) });
      occurrences = occurrences.map((o) => (o === cancelled ? { ...o, status: 'cancelled' as const, note } : o));
    }
  }
  if (rel.sessions) occurrences = [...occurrences, ...datedSessions(rel.sessions, clock)];
  entry.occurrences = occurrences;
  return undefined;
}
