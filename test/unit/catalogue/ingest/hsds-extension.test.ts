import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseHsds } from '../../../../src/catalogue/ingest/parse-hsds.ts';

// A Wednesday in GMT; the week after next is 14 December.
const NOW = new Date('2026-12-02T09:00:00Z');
const london = (d: Date) => DateTime.fromJSDate(d, { zone: 'Europe/London' });

async function parse(...services: Record<string, unknown>[]) {
  return parseHsds(JSON.stringify({ contents: services }), {
    now: NOW,
    origin: 'services.json',
    load: () => Promise.reject(new Error('no other files')),
  });
}

const weekly = { freq: 'WEEKLY', byday: 'TH', dtstart: '2026-01-01', opens_at: '10:00', closes_at: '11:00' };

describe('the signpost extension of an Open Referral service', () => {
  it('keeps the sessions of the next weeks, pauses until a Monday and cancels one session with alerts', async () => {
    const { entries, rejected } = await parse(
      {
        id: 'paused',
        name: 'Paused group',
        schedules: [weekly],
        signpost: {
          relative: {
            upcoming_weeks: 4,
            pause: { restart_after_weeks: 2, alert: 'Back from {date}.', note: 'Paused: works.' },
          },
        },
      },
      {
        id: 'one-off',
        name: 'Group with one session off',
        schedules: [weekly],
        signpost: {
          relative: { upcoming_weeks: 4, cancel: { upcoming: 3, alert: 'No session on {date}.', note: 'Trip.' } },
        },
      },
    );
    expect(rejected).toEqual([]);
    const [paused, oneOff] = entries;
    expect(paused!.occurrences!.map((o) => london(o.start).toISODate())).toEqual([
      '2026-12-03',
      '2026-12-10',
      '2026-12-17',
      '2026-12-24',
    ]);
    expect(paused!.alert).toBe('Back from Monday 14 December.');
    expect(paused!.occurrences!.map((o) => o.status)).toEqual(['cancelled', 'cancelled', 'scheduled', 'scheduled']);
    expect(paused!.occurrences![0]!.note).toBe('Paused: works.');
    expect(oneOff!.alert).toBe('No session on Thursday 17 December.');
    expect(oneOff!.occurrences!.filter((o) => o.status === 'cancelled').map((o) => o.note)).toEqual(['Trip.']);
  });

  it('dates sessions on weekdays from the clock, with places, a booking deadline and the provider', async () => {
    const { entries, rejected } = await parse({
      id: 'course',
      name: 'A two-day course',
      schedules: [{ description: 'Two dates' }],
      signpost: {
        provided_by: 'Camden Council Public Health',
        prerequisites: ['An introduction'],
        relative: {
          assured_days_ago: 10,
          sessions: [
            // Three days on is a Saturday: the course runs on the Monday and Tuesday after.
            {
              after_days: 3,
              weekdays: 2,
              opens_at: '09:30',
              closes_at: '16:30',
              capacity: 12,
              book_by: { days_before: 2, at: '17:00' },
              note: '{first_day} and {last_day}',
            },
            { after_days: 1, opens_at: '10:00', closes_at: '12:00' },
          ],
        },
      },
    });
    expect(rejected).toEqual([]);
    const course = entries[0]!;
    expect(course.providedBy).toBe('Camden Council Public Health');
    expect(course.prerequisites).toEqual(['An introduction']);
    expect(course.assuredDate).toEqual(new Date('2026-11-22T00:00:00Z'));
    expect(course.schedule?.description).toBe('Two dates');
    const [twoDay, oneDay] = course.occurrences!;
    expect(twoDay).toEqual({
      key: '2026-12-07T09:30:00.000Z',
      start: new Date('2026-12-07T09:30:00Z'),
      end: new Date('2026-12-08T16:30:00Z'),
      allDay: false,
      status: 'scheduled',
      capacity: 12,
      bookingDeadline: new Date('2026-12-05T17:00:00Z'),
      note: 'Monday 7 December and Tuesday 8 December',
    });
    expect(oneDay!.start).toEqual(new Date('2026-12-03T10:00:00Z'));
    expect(oneDay!.capacity).toBeUndefined();
  });

  it('leaves out an extension that does not validate and says why, keeping the record', async () => {
    const { entries, rejected } = await parse({
      id: 'odd',
      name: 'Odd record',
      schedules: [weekly],
      signpost: { relative: { upcoming_weeks: 'eight' } },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.occurrences!.length).toBeGreaterThan(40);
    expect(rejected).toEqual([
      { ref: 'odd', reason: expect.stringMatching(/^the signpost extension was ignored: relative\.upcoming_weeks: /) },
    ]);
  });
});
