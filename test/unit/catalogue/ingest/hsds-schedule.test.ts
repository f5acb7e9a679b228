import { describe, expect, it } from 'vitest';
import { OccurrenceInputSchema, ScheduleInputSchema } from '../../../../src/catalogue/model.ts';
import {
  expandSchedules,
  type ExpandedSchedules,
  type HsdsSchedule,
  parseByday,
  parseCalendarDate,
  parseTimeOfDay,
} from '../../../../src/catalogue/ingest/parse-hsds-schedule.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

/** Expands one service's schedules and checks every result against the domain schemas, as the importer will. */
function expand(schedules: HsdsSchedule[], horizonDays?: number): ExpandedSchedules {
  const result = expandSchedules([{ ref: 'svc-1', schedules }], {
    now: NOW,
    ...(horizonDays ? { horizonDays } : {}),
  }).get('svc-1');
  if (!result) throw new Error('no result for svc-1');
  for (const o of result.occurrences) OccurrenceInputSchema.parse(o);
  if (result.schedule) ScheduleInputSchema.parse(result.schedule);
  return result;
}
const starts = (r: ExpandedSchedules) => r.occurrences.map((o) => o.start.toISOString());
const ends = (r: ExpandedSchedules) => r.occurrences.map((o) => o.end.toISOString());

describe('parseTimeOfDay', () => {
  it.each([
    ['09:30', '09:30:00'],
    ['9:30:00', '09:30:00'],
    ['10:00:00', '10:00:00'],
    ['0930', '09:30:00'],
    [' 17:45 ', '17:45:00'],
    ['09:30+01:00', '09:30:00'],
    ['10:00:00Z', '10:00:00'],
    ['10:00:00.000', '10:00:00'],
    ['00:00', '00:00:00'],
    ['9:00am', '09:00:00'],
    ['1:50pm', '13:50:00'],
    ['10am', '10:00:00'],
    ['5 PM', '17:00:00'],
    ['10.30 a.m.', '10:30:00'],
    ['12:00pm', '12:00:00'],
    ['12:15am', '00:15:00'],
    ['noon', '12:00:00'],
    ['830am', '08:30:00'],
    ['9:00a', '09:00:00'],
    ['12:00pm (dispensing)', '12:00:00'],
  ])('reads %j as %j', (text, expected) => {
    expect(parseTimeOfDay(text)).toBe(expected);
  });

  it('reads 24:00 (end of day) as the last second of the day, and nothing past it', () => {
    expect(parseTimeOfDay('24:00')).toBe('23:59:59');
    expect(parseTimeOfDay('24:01')).toBeUndefined();
  });

  it.each(['25:00', '12:60', '12:30:60', '13:00pm', '0am', '9:75am', '6:300pm', '9:0am', 'at ten', '9', '', '   '])(
    'refuses %j',
    (text) => {
      expect(parseTimeOfDay(text)).toBeUndefined();
    },
  );

  it('gives undefined for no text', () => {
    expect(parseTimeOfDay(undefined)).toBeUndefined();
  });
});

describe('parseCalendarDate', () => {
  it('reads ISO dates, with or without a time part', () => {
    expect(parseCalendarDate('2026-03-01')).toBe('2026-03-01');
    expect(parseCalendarDate(' 2026-03-01 ')).toBe('2026-03-01');
    expect(parseCalendarDate('2026-03-01T00:00:00Z')).toBe('2026-03-01');
    expect(parseCalendarDate('2026-03-01T23:30:00-05:00')).toBe('2026-03-01');
    expect(parseCalendarDate('2026-03-01 10:00')).toBe('2026-03-01');
  });

  it('reads slashed and dotted dates in UK order (day first)', () => {
    expect(parseCalendarDate('01/03/2026')).toBe('2026-03-01');
    expect(parseCalendarDate('1/3/2026')).toBe('2026-03-01');
    expect(parseCalendarDate('25.12.2026')).toBe('2026-12-25');
    // US order is not guessed at: month 25 does not exist.
    expect(parseCalendarDate('12/25/2026')).toBeUndefined();
  });

  it('refuses dates that do not exist, by calendar arithmetic', () => {
    expect(parseCalendarDate('2026-04-31')).toBeUndefined();
    expect(parseCalendarDate('31/04/2026')).toBeUndefined();
    expect(parseCalendarDate('2026-02-29')).toBeUndefined();
    expect(parseCalendarDate('29/02/2027')).toBeUndefined();
    expect(parseCalendarDate('2026-13-01')).toBeUndefined();
    expect(parseCalendarDate('2026-00-10')).toBeUndefined();
    expect(parseCalendarDate('2026-01-00')).toBeUndefined();
  });

  it('keeps 29 February in leap years, including the 400-year rule', () => {
    expect(parseCalendarDate('2028-02-29')).toBe('2028-02-29');
    expect(parseCalendarDate('29/02/2028')).toBe('2028-02-29');
    expect(parseCalendarDate('2000-02-29')).toBe('2000-02-29');
    expect(parseCalendarDate('1900-02-29')).toBeUndefined();
  });

  it.each(['next Tuesday', '2026/03/01', '01/03/26', '0999-01-01', '20260301', '', '  '])('refuses %j', (text) => {
    expect(parseCalendarDate(text)).toBeUndefined();
  });

  it('gives undefined for no text', () => {
    expect(parseCalendarDate(undefined)).toBeUndefined();
  });
});

describe('parseByday', () => {
  it('reads RFC 5545 tokens as they are', () => {
    expect(parseByday('TH,FR')).toEqual(['TH', 'FR']);
    expect(parseByday('mo, we ,fr')).toEqual(['MO', 'WE', 'FR']);
  });

  it('reads day names and their common short forms', () => {
    expect(parseByday('Monday, Wednesday')).toEqual(['MO', 'WE']);
    expect(parseByday('tues; thurs sat')).toEqual(['TU', 'TH', 'SA']);
    expect(parseByday('SUNDAY')).toEqual(['SU']);
  });

  it('keeps ordinals, dropping a leading plus', () => {
    expect(parseByday('2MO')).toEqual(['2MO']);
    expect(parseByday('+2mo')).toEqual(['2MO']);
    expect(parseByday('-1FR,1TU')).toEqual(['-1FR', '1TU']);
    expect(parseByday('53SU')).toEqual(['53SU']);
  });

  it('gives no days for empty text', () => {
    expect(parseByday('')).toEqual([]);
    expect(parseByday(' , ')).toEqual([]);
  });

  it('throws a message that quotes the input and shows what is expected', () => {
    expect(() => parseByday('Funday')).toThrow('byday "Funday" is not a list of days such as MO,WE or 2TU');
    expect(() => parseByday('MO,weekdays')).toThrow(/^byday "MO,weekdays" is not a list of days/);
  });

  it('refuses ordinals outside 1 to 53, as RFC 5545 does', () => {
    expect(() => parseByday('0MO')).toThrow('byday "0MO" is not a list of days such as MO,WE or 2TU');
    expect(() => parseByday('54MO')).toThrow(/is not a list of days/);
    expect(() => parseByday('-0FR')).toThrow(/is not a list of days/);
  });

  it('quotes at most 40 characters of a long bad value', () => {
    const long = `X${'y'.repeat(100)}`;
    expect(() => parseByday(long)).toThrow(`byday "${long.slice(0, 40)}" is not`);
  });
});

describe('expandSchedules', () => {
  it('expands a weekly schedule from its dtstart at London wall-clock times', () => {
    const r = expand([{ freq: 'WEEKLY', byday: 'TH', dtstart: '2026-12-03', opensAt: '10:00', closesAt: '12:00' }], 21);
    expect(r.problems).toEqual([]);
    expect(starts(r)).toEqual(['2026-12-03T10:00:00.000Z', '2026-12-10T10:00:00.000Z', '2026-12-17T10:00:00.000Z']);
    expect(ends(r)).toEqual(['2026-12-03T12:00:00.000Z', '2026-12-10T12:00:00.000Z', '2026-12-17T12:00:00.000Z']);
    expect(r.occurrences.every((o) => o.allDay === false && o.status === 'scheduled')).toBe(true);
    expect(new Set(r.occurrences.map((o) => o.key)).size).toBe(3);
    expect(r.schedule).toEqual({
      timezone: 'Europe/London',
      freq: 'WEEKLY',
      interval: 1,
      byday: 'TH',
      rrule: 'FREQ=WEEKLY;BYDAY=TH',
      dtstart: new Date('2026-12-03T00:00:00Z'),
      opensAt: '10:00',
      closesAt: '12:00',
    });
  });

  it('keeps every other week from dtstart with an interval', () => {
    const r = expand(
      [{ freq: 'weekly', interval: '2', byday: 'Tuesday', dtstart: '2026-12-01', opensAt: '14:00', closesAt: '15:30' }],
      40,
    );
    expect(starts(r)).toEqual(['2026-12-01T14:00:00.000Z', '2026-12-15T14:00:00.000Z', '2026-12-29T14:00:00.000Z']);
    expect(r.schedule?.rrule).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=TU');
  });

  it('expands a monthly ordinal BYDAY (second Tuesday), moving to BST in spring', () => {
    const r = expand(
      [{ freq: 'MONTHLY', byday: '2TU', dtstart: '2026-12-01', opensAt: '14:00', closesAt: '16:00' }],
      160,
    );
    expect(starts(r)).toEqual([
      '2026-12-08T14:00:00.000Z',
      '2027-01-12T14:00:00.000Z',
      '2027-02-09T14:00:00.000Z',
      '2027-03-09T14:00:00.000Z',
      '2027-04-13T13:00:00.000Z',
    ]);
    expect(r.schedule).toMatchObject({ freq: 'MONTHLY', byday: '2TU', rrule: 'FREQ=MONTHLY;BYDAY=2TU' });
  });

  it('expands a last-Friday-of-the-month rule', () => {
    const r = expand(
      [{ freq: 'MONTHLY', byday: '-1FR', dtstart: '2026-12-01', opensAt: '11:00', closesAt: '12:00' }],
      90,
    );
    expect(starts(r)).toEqual(['2026-12-25T11:00:00.000Z', '2027-01-29T11:00:00.000Z', '2027-02-26T11:00:00.000Z']);
  });

  it('drops ordinals on a weekly rule (a weekly rule has no "second Monday")', () => {
    const r = expand([{ freq: 'WEEKLY', byday: '2MO', dtstart: '2026-12-07', count: '2', opensAt: '10:00' }]);
    expect(r.problems).toEqual([]);
    expect(starts(r)).toEqual(['2026-12-07T10:00:00.000Z', '2026-12-14T10:00:00.000Z']);
    expect(r.schedule?.byday).toBe('MO');
  });

  it('starts on the first matching day when dtstart itself does not match BYDAY', () => {
    // 2 December 2026 is a Wednesday: RFC 5545 would count it as an instance; the publisher means "Mondays from then".
    const r = expand([{ freq: 'WEEKLY', byday: 'MO', dtstart: '2026-12-02', opensAt: '10:00', closesAt: '11:00' }], 14);
    expect(starts(r)).toEqual(['2026-12-07T10:00:00.000Z', '2026-12-14T10:00:00.000Z']);
  });

  it('counts an ordinal within the year for a YEARLY rule (first Monday of the year)', () => {
    const r = expand(
      [{ freq: 'YEARLY', byday: '1MO', dtstart: '2026-12-02', opensAt: '10:00', closesAt: '11:00' }],
      500,
    );
    expect(r.problems).toEqual([]);
    // Not 7 December 2026, which is only the first Monday of its month.
    expect(starts(r)).toEqual(['2027-01-04T10:00:00.000Z', '2028-01-03T10:00:00.000Z']);
  });

  it('keeps occurrences inside the valid_from / valid_to window, both days inclusive', () => {
    const r = expand(
      [
        {
          freq: 'WEEKLY',
          byday: 'MO',
          dtstart: '2026-11-02',
          validFrom: '2026-12-14',
          validTo: '2027-01-04',
          opensAt: '10:00',
          closesAt: '11:00',
        },
      ],
      90,
    );
    expect(starts(r)).toEqual([
      '2026-12-14T10:00:00.000Z',
      '2026-12-21T10:00:00.000Z',
      '2026-12-28T10:00:00.000Z',
      '2027-01-04T10:00:00.000Z',
    ]);
    expect(r.schedule?.until).toEqual(new Date('2027-01-04T00:00:00Z'));
  });

  it('starts a rule with no dtstart at its valid_from', () => {
    const r = expand([{ freq: 'WEEKLY', byday: 'FR', validFrom: '01/01/2027', count: '2', opensAt: '13:00' }]);
    expect(starts(r)).toEqual(['2027-01-01T13:00:00.000Z', '2027-01-08T13:00:00.000Z']);
    expect(r.schedule?.dtstart).toEqual(new Date('2027-01-01T00:00:00Z'));
  });

  it('ends at valid_to when it comes before UNTIL', () => {
    const r = expand([
      {
        freq: 'WEEKLY',
        byday: 'TH',
        dtstart: '2026-12-03',
        until: '2027-06-01',
        validTo: '2026-12-10',
        opensAt: '10:00',
      },
    ]);
    expect(starts(r)).toEqual(['2026-12-03T10:00:00.000Z', '2026-12-10T10:00:00.000Z']);
    expect(r.schedule?.rrule).toBe('FREQ=WEEKLY;BYDAY=TH;UNTIL=20261210');
  });

  it('honours COUNT alone', () => {
    const r = expand([
      { freq: 'WEEKLY', byday: 'TH', dtstart: '2026-12-03', count: '2', opensAt: '10:00', closesAt: '12:00' },
    ]);
    expect(starts(r)).toEqual(['2026-12-03T10:00:00.000Z', '2026-12-10T10:00:00.000Z']);
    expect(r.schedule).toMatchObject({ count: 2, rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=2' });
  });

  it('lets UNTIL win when a schedule has both COUNT and UNTIL (RFC 5545 forbids both)', () => {
    const r = expand([
      {
        freq: 'WEEKLY',
        byday: 'TH',
        dtstart: '2026-12-03',
        until: '2026-12-31',
        count: '2',
        opensAt: '10:00',
        closesAt: '12:00',
      },
    ]);
    expect(starts(r)).toEqual([
      '2026-12-03T10:00:00.000Z',
      '2026-12-10T10:00:00.000Z',
      '2026-12-17T10:00:00.000Z',
      '2026-12-24T10:00:00.000Z',
      '2026-12-31T10:00:00.000Z',
    ]);
    expect(r.schedule?.count).toBeUndefined();
    expect(r.schedule?.until).toEqual(new Date('2026-12-31T00:00:00Z'));
    expect(r.schedule?.rrule).toBe('FREQ=WEEKLY;BYDAY=TH;UNTIL=20261231');
  });

  it('reads the official HSDS 3.0 example schedule (numeric timezone, COUNT and UNTIL, all in 2005) without a problem', () => {
    // schedules[0] of test/fixtures/hsds/hsds-3.0_openreferral-spec/json/service_full.json, as schedulesOf gives it.
    const r = expand([
      {
        freq: 'WEEKLY',
        interval: '1',
        byday: 'TH,FR',
        bymonthday: '2,3,4',
        dtstart: '2005-01-01',
        until: '2005-01-01',
        count: '3',
        validFrom: '2005-01-01',
        validTo: '2005-01-01',
        opensAt: '10:00:00',
        closesAt: '18:00:00',
        wkst: 'TU',
        description:
          'The service is available from 10 am to 6pm weekdays. The service is not available on public holidays.',
      },
    ]);
    expect(r.problems).toEqual([]);
    expect(r.occurrences).toEqual([]);
    expect(r.schedule).toMatchObject({
      freq: 'WEEKLY',
      byday: 'TH,FR',
      opensAt: '10:00',
      closesAt: '18:00',
      rrule: 'FREQ=WEEKLY;BYDAY=TH,FR;UNTIL=20050101',
    });
    // BYMONTHDAY is dropped from a WEEKLY rule (RFC 5545 forbids it there).
    expect(r.schedule?.bymonthday).toBeUndefined();
    expect(r.schedule?.description).toMatch(/^The service is available from 10 am/);
  });

  it('keeps a schedule with opening times only and no dates, with no occurrences and no problem', () => {
    const r = expand([{ opensAt: '09:00:00', closesAt: '17:00:00', description: 'Monday to Friday' }]);
    expect(r.problems).toEqual([]);
    expect(r.occurrences).toEqual([]);
    expect(r.schedule).toEqual({
      timezone: 'Europe/London',
      opensAt: '09:00',
      closesAt: '17:00',
      description: 'Monday to Friday',
    });
  });

  it('anchors a rule with no dates at all near now, keeping the day and the time', () => {
    const r = expand([{ freq: 'WEEKLY', byday: 'WE', opensAt: '10:00', closesAt: '11:00' }], 21);
    expect(r.problems).toEqual([]);
    expect(r.occurrences.length).toBeGreaterThanOrEqual(3);
    for (const o of r.occurrences) {
      expect(o.start.getUTCDay()).toBe(3);
      expect(o.start.toISOString().slice(11)).toBe('10:00:00.000Z');
    }
    expect(starts(r)).toContain('2026-12-02T10:00:00.000Z');
    // The chosen start is ours, not the publisher's: it is not kept as the schedule's dtstart.
    expect(r.schedule?.dtstart).toBeUndefined();
    expect(r.schedule?.rrule).toBe('FREQ=WEEKLY;BYDAY=WE');
  });

  it('reports a bad freq as a problem and keeps the entry', () => {
    const out = expandSchedules(
      [{ ref: 'svc-1', schedules: [{ freq: 'FORTNIGHTLY', dtstart: '2026-12-02', opensAt: '10:00' }] }],
      { now: NOW },
    );
    const r = out.get('svc-1');
    expect(r).toBeDefined();
    expect(r?.problems).toEqual(['schedule 1 ignored: freq "FORTNIGHTLY" is not DAILY, WEEKLY, MONTHLY or YEARLY']);
    expect(r?.occurrences).toEqual([]);
    expect(r?.schedule).toBeUndefined();
  });

  it('expands opening hours written on the 12-hour clock, as 211 directories export them', () => {
    const r = expand(
      [
        { freq: 'WEEKLY', byday: 'MO', opensAt: '9:00am', closesAt: '5:00pm' },
        { freq: 'WEEKLY', byday: 'TU', opensAt: '12:00pm', closesAt: '1:50pm' },
      ],
      8,
    );
    expect(r.problems).toEqual([]);
    // 7 and 8 December 2026 are a Monday and a Tuesday; London is on GMT.
    expect(starts(r)).toContain('2026-12-07T09:00:00.000Z');
    expect(ends(r)).toContain('2026-12-07T17:00:00.000Z');
    expect(starts(r)).toContain('2026-12-08T12:00:00.000Z');
    expect(ends(r)).toContain('2026-12-08T13:50:00.000Z');
  });

  it('still uses the good schedules of a service when one is bad, numbering the bad one', () => {
    const r = expand([
      { freq: 'WEEKLY', byday: 'MO', dtstart: '2026-12-07', count: '1', opensAt: '10:00' },
      { freq: 'WEEKLY', byday: 'Funday', dtstart: '2026-12-07' },
      { freq: 'WEEKLY', byday: 'TU', dtstart: '2026-12-07', count: '1', opensAt: 'at ten' },
    ]);
    expect(r.problems).toEqual([
      'schedule 2 ignored: byday "Funday" is not a list of days such as MO,WE or 2TU',
      'schedule 3 ignored: opens_at "at ten" is not a time of day',
    ]);
    expect(starts(r)).toEqual(['2026-12-07T10:00:00.000Z']);
  });

  it.each([
    ['interval', { freq: 'WEEKLY', interval: '0', dtstart: '2026-12-07' }, 'interval "0" is not a whole number'],
    ['count', { freq: 'WEEKLY', count: '-2', dtstart: '2026-12-07' }, 'count "-2" is not a positive whole number'],
    ['closes_at', { freq: 'DAILY', dtstart: '2026-12-07', closesAt: '17pm' }, 'closes_at "17pm" is not a time of day'],
    [
      'bymonthday',
      { freq: 'MONTHLY', bymonthday: '32', dtstart: '2026-12-07' },
      'bymonthday "32" is not a list of numbers 1–31',
    ],
    [
      'ordinal 0',
      { freq: 'MONTHLY', byday: '0MO', dtstart: '2026-12-07' },
      'byday "0MO" is not a list of days such as MO,WE or 2TU',
    ],
  ] as const)('reports a bad %s with a message naming it', (_name, schedule, message) => {
    const r = expand([schedule]);
    expect(r.problems).toEqual([`schedule 1 ignored: ${message}`]);
    expect(r.occurrences).toEqual([]);
  });

  it.each([
    ['valid_to', { validTo: '31/04/2027' }, 'valid_to "31/04/2027"'],
    ['until', { until: '2027-02-29' }, 'until "2027-02-29"'],
    ['dtstart', { dtstart: 'soon' }, 'dtstart "soon"'],
    ['valid_from', { validFrom: '2026-13-01' }, 'valid_from "2026-13-01"'],
  ] as const)('reports an unreadable %s rather than running the schedule without it', (_name, dates, quoted) => {
    const r = expand([{ freq: 'WEEKLY', byday: 'MO', opensAt: '10:00', ...dates }]);
    expect(r.problems).toEqual([`schedule 1 ignored: ${quoted} is not a date such as 2026-03-01 or 01/03/2026`]);
    expect(r.occurrences).toEqual([]);
  });

  it('reads a UK-order dtstart', () => {
    const r = expand([{ freq: 'WEEKLY', byday: 'MO', dtstart: '07/12/2026', count: '1', opensAt: '10:00' }]);
    expect(starts(r)).toEqual(['2026-12-07T10:00:00.000Z']);
  });

  it('puts a 10:00 London session at 10:00 UTC in winter and 09:00 UTC in summer (spring change 28 March 2027)', () => {
    const r = expand([
      { freq: 'WEEKLY', byday: 'MO', dtstart: '2027-03-15', count: '3', opensAt: '10:00', closesAt: '11:30' },
    ]);
    expect(starts(r)).toEqual(['2027-03-15T10:00:00.000Z', '2027-03-22T10:00:00.000Z', '2027-03-29T09:00:00.000Z']);
    expect(ends(r)).toEqual(['2027-03-15T11:30:00.000Z', '2027-03-22T11:30:00.000Z', '2027-03-29T10:30:00.000Z']);
    expect(r.schedule?.dtstart).toEqual(new Date('2027-03-15T00:00:00Z'));
  });

  it('moves back to 10:00 UTC after the autumn change (31 October 2027), and keeps dtstart as a London midnight', () => {
    const r = expand([
      { freq: 'WEEKLY', byday: 'SU', dtstart: '2027-10-24', count: '2', opensAt: '10:00', closesAt: '12:00' },
    ]);
    expect(starts(r)).toEqual(['2027-10-24T09:00:00.000Z', '2027-10-31T10:00:00.000Z']);
    // Midnight of 24 October in London is 23:00 UTC the day before (BST).
    expect(r.schedule?.dtstart).toEqual(new Date('2027-10-23T23:00:00Z'));
  });

  it('reads opening times as London wall-clock times whatever offset they carry', () => {
    const r = expand([{ freq: 'DAILY', dtstart: '2027-06-01', count: '1', opensAt: '10:00+03:00' }]);
    expect(starts(r)).toEqual(['2027-06-01T09:00:00.000Z']);
  });

  it('ends a session that closes before it opens on the next day', () => {
    const r = expand([
      { freq: 'WEEKLY', byday: 'FR', dtstart: '2026-12-04', count: '1', opensAt: '22:00', closesAt: '02:00' },
    ]);
    expect(starts(r)).toEqual(['2026-12-04T22:00:00.000Z']);
    expect(ends(r)).toEqual(['2026-12-05T02:00:00.000Z']);
  });

  it('makes a dated schedule with no rule one session running from valid_from to valid_to', () => {
    const r = expand([{ validFrom: '2026-12-10', validTo: '2026-12-11', opensAt: '09:30', closesAt: '16:00' }]);
    expect(starts(r)).toEqual(['2026-12-10T09:30:00.000Z']);
    expect(ends(r)).toEqual(['2026-12-11T16:00:00.000Z']);
    expect(r.schedule).toEqual({
      timezone: 'Europe/London',
      dtstart: new Date('2026-12-10T00:00:00Z'),
      opensAt: '09:30',
      closesAt: '16:00',
    });
  });

  it('makes a dated schedule with no times an all-day occurrence ending the day after its last day', () => {
    const r = expand([{ validFrom: '2026-12-10', validTo: '2026-12-11' }]);
    expect(r.occurrences).toHaveLength(1);
    expect(r.occurrences[0]).toMatchObject({
      key: '2026-12-10',
      allDay: true,
      start: new Date('2026-12-10T00:00:00Z'),
      end: new Date('2026-12-12T00:00:00Z'),
    });
  });

  it('prefers a recurring schedule over a dated one as the entry schedule, and merges their occurrences in order', () => {
    const r = expand([
      { validFrom: '2026-12-10', opensAt: '10:00' },
      { freq: 'WEEKLY', byday: 'MO', dtstart: '2026-12-07', count: '2', opensAt: '10:00' },
    ]);
    expect(starts(r)).toEqual(['2026-12-07T10:00:00.000Z', '2026-12-10T10:00:00.000Z', '2026-12-14T10:00:00.000Z']);
    expect(r.schedule?.freq).toBe('WEEKLY');
  });

  it('gives one occurrence per time when a service and its service_at_location repeat the same schedule', () => {
    const same: HsdsSchedule = {
      freq: 'WEEKLY',
      byday: 'TH',
      dtstart: '2026-12-03',
      count: '2',
      opensAt: '10:00',
      closesAt: '12:00',
    };
    const r = expand([same, { ...same }]);
    expect(starts(r)).toEqual(['2026-12-03T10:00:00.000Z', '2026-12-10T10:00:00.000Z']);
  });

  it('keeps the results of many services apart, including services with no schedules', () => {
    const out = expandSchedules(
      [
        { ref: 'a', schedules: [{ freq: 'WEEKLY', byday: 'MO', dtstart: '2026-12-07', count: '1', opensAt: '10:00' }] },
        { ref: 'b', schedules: [{ freq: 'WEEKLY', byday: 'TU', dtstart: '2026-12-07', count: '1', opensAt: '15:00' }] },
        { ref: 'c', schedules: [] },
      ],
      { now: NOW },
    );
    expect([...out.keys()]).toEqual(['a', 'b', 'c']);
    expect(out.get('a')?.occurrences.map((o) => o.start.toISOString())).toEqual(['2026-12-07T10:00:00.000Z']);
    expect(out.get('b')?.occurrences.map((o) => o.start.toISOString())).toEqual(['2026-12-08T15:00:00.000Z']);
    expect(out.get('c')).toEqual({ occurrences: [], problems: [] });
  });

  it('does not look past the horizon', () => {
    const r = expand([{ freq: 'DAILY', dtstart: '2026-12-01', opensAt: '12:00' }], 3);
    expect(starts(r).at(-1)! <= '2026-12-04T09:00:00.000Z').toBe(true);
    expect(starts(r)).toContain('2026-12-03T12:00:00.000Z');
  });
});
