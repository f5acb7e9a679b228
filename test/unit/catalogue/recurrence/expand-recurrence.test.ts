import { describe, expect, it } from 'vitest';
import { type ExpandContext, expandRecurrence } from '../../../../src/catalogue/recurrence/expand-recurrence.ts';
import {
  type Recurrence,
  type RecurrenceRule,
  toIcalRecur,
  toRecurrenceRule,
} from '../../../../src/catalogue/recurrence/recurrence-rule.ts';
import { BadEvent } from '../../../../src/catalogue/recurrence/wall-time.ts';
import { LONDON_ZONE, ZoneResolver } from '../../../../src/catalogue/recurrence/zones.ts';

const DAY_MS = 86_400_000;

/** A timed London series from a structured rule: no iCalendar text anywhere. */
function londonSeries(start: string, rules: RecurrenceRule[], extra: Partial<Recurrence> = {}): Recurrence {
  return {
    dtstart: { wall: Date.parse(`${start}Z`), date: false, utc: false, tzid: 'Europe/London' },
    zone: LONDON_ZONE,
    dateZone: LONDON_ZONE,
    allDay: false,
    span: { days: 0, ms: 60 * 60_000 },
    rules,
    rDates: [],
    exDates: [],
    ...extra,
  };
}

function window(now: string, days = 365, maxPerSeries = 2000): ExpandContext {
  const at = Date.parse(now);
  return {
    resolver: new ZoneResolver(new Map(), LONDON_ZONE),
    now: at,
    windowStart: at - 31 * DAY_MS,
    windowEnd: at + days * DAY_MS,
    maxPerSeries,
  };
}

const dates = (r: { occurrences: { key: string; start: Date }[] }) => r.occurrences.map((o) => o.start.toISOString());

describe('the recurrence engine', () => {
  it('skips a month that has no 30th (RFC 5545), on the fast monthly path', () => {
    const rule: RecurrenceRule = { freq: 'MONTHLY', interval: 1, byMonthDay: [30], count: 4 };
    const out = expandRecurrence(londonSeries('2025-12-30T10:00:00', [rule]), window('2026-01-01T00:00:00Z'));
    expect(dates(out)).toEqual([
      '2025-12-30T10:00:00.000Z',
      '2026-01-30T10:00:00.000Z',
      '2026-03-30T09:00:00.000Z',
      '2026-04-30T09:00:00.000Z',
    ]);
  });

  it('skips a month that has no 30th through ical.js too, which alone would roll 30 February over into March', () => {
    const rule: RecurrenceRule = { freq: 'MONTHLY', interval: 1, byMonthDay: [30], byMonth: [1, 2, 3], count: 3 };
    const out = expandRecurrence(londonSeries('2026-01-30T10:00:00', [rule]), window('2026-01-01T00:00:00Z', 800));
    expect(dates(out)).toEqual(['2026-01-30T10:00:00.000Z', '2026-03-30T09:00:00.000Z', '2027-01-30T10:00:00.000Z']);
  });

  it('counts DTSTART towards COUNT even when it is off the rule', () => {
    const rule: RecurrenceRule = { freq: 'WEEKLY', interval: 1, byDay: ['TU'], count: 3 };
    const out = expandRecurrence(londonSeries('2024-01-01T10:00:00', [rule]), window('2024-01-01T00:00:00Z'));
    expect(dates(out).map((d) => d.slice(0, 10))).toEqual(['2024-01-01', '2024-01-02', '2024-01-09']);
  });

  it('keeps local time across the March clock change', () => {
    const rule: RecurrenceRule = { freq: 'WEEKLY', interval: 1, byDay: ['SA'], count: 3 };
    const out = expandRecurrence(londonSeries('2026-03-21T10:00:00', [rule]), window('2026-03-20T00:00:00Z'));
    expect(dates(out)).toEqual(['2026-03-21T10:00:00.000Z', '2026-03-28T10:00:00.000Z', '2026-04-04T09:00:00.000Z']);
  });

  it('applies UNTIL as a date, extra dates and excluded dates', () => {
    const rule: RecurrenceRule = {
      freq: 'DAILY',
      interval: 1,
      until: { wall: Date.UTC(2024, 0, 5), date: true, utc: false },
    };
    const series = londonSeries('2024-01-01T10:00:00', [rule], {
      rDates: [{ start: { wall: Date.UTC(2024, 0, 9, 15), date: false, utc: false } }],
      exDates: [{ wall: Date.UTC(2024, 0, 3), date: true, utc: false }],
    });
    expect(dates(expandRecurrence(series, window('2024-01-01T00:00:00Z'))).map((d) => d.slice(0, 13))).toEqual([
      '2024-01-01T10',
      '2024-01-02T10',
      '2024-01-04T10',
      '2024-01-05T10',
      '2024-01-09T15',
    ]);
  });

  it('reports a cap with how many sessions were left out, keeping the ones around now', () => {
    const out = expandRecurrence(
      londonSeries('2024-01-01T10:00:00', [{ freq: 'DAILY', interval: 1 }]),
      window('2024-06-01T00:00:00Z', 365, 20),
    );
    expect(out.occurrences).toHaveLength(20);
    expect(out.capped).toMatch(
      /^kept, but only the 20 sessions nearest today of its \d{3} \(the limit for one event\)$/,
    );
    expect(out.occurrences.some((o) => o.start.getTime() >= Date.parse('2024-06-01T00:00:00Z'))).toBe(true);
  });

  it('rejects a series whose zone cannot be used, as a BadEvent with a reason', () => {
    const resolver = new ZoneResolver(
      new Map(),
      LONDON_ZONE,
      new Map([['Broken/Zone', 'it has no STANDARD or DAYLIGHT part']]),
    );
    const series = londonSeries('2024-01-01T10:00:00', [], {
      rDates: [{ start: { wall: Date.UTC(2024, 0, 2, 10), date: false, utc: false, tzid: 'Broken/Zone' } }],
    });
    expect(() => expandRecurrence(series, { ...window('2024-01-01T00:00:00Z'), resolver })).toThrow(BadEvent);
    expect(() => expandRecurrence(series, { ...window('2024-01-01T00:00:00Z'), resolver })).toThrow(/broken VTIMEZONE/);
  });

  it('reads an ical.js rule into the structured rule and back without losing a part', () => {
    const rule: RecurrenceRule = {
      freq: 'MONTHLY',
      interval: 2,
      count: 6,
      wkst: 'SU',
      byDay: ['MO', 'TU', 'WE', 'TH', 'FR'],
      bySetPos: [-1],
      byMonth: [1, 3, 5],
    };
    expect(toRecurrenceRule(toIcalRecur(rule, undefined))).toEqual(rule);
  });
});
