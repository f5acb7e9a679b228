/**
 * The one structured recurrence every source produces: iCalendar (RRULE, RDATE, EXDATE), HSDS and ORUK schedules,
 * the coordinator sheet's frequency column and the demo catalogue all become a `Recurrence`, which
 * expand-recurrence.ts expands (ical.js underneath). Nothing is written as iCalendar text to be read again.
 */
import ICAL from 'ical.js';
import type { Zone } from './zones.ts';
import { type DateVal, type IcalTime, icalTimeFromWall, wallOfIcalTime } from './wall-time.ts';

export type Frequency = 'SECONDLY' | 'MINUTELY' | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
export type WeekdayCode = 'SU' | 'MO' | 'TU' | 'WE' | 'TH' | 'FR' | 'SA';

/** One RFC 5545 recurrence rule, field by field. Lists are as RFC 5545 writes them ("2MO", -1, …). */
export type RecurrenceRule = {
  freq: Frequency;
  /** 1 or more. */
  interval: number;
  /** Instances in all, DTSTART included (RFC 5545 3.3.10). */
  count?: number;
  /** As written: a DATE, a UTC DATE-TIME, or a floating DATE-TIME in the series' zone. */
  until?: Omit<DateVal, 'tzid'>;
  wkst?: WeekdayCode;
  bySecond?: number[];
  byMinute?: number[];
  byHour?: number[];
  byDay?: string[];
  byMonthDay?: number[];
  byYearDay?: number[];
  byWeekNo?: number[];
  byMonth?: number[];
  bySetPos?: number[];
};

/** The interval an event lasts. Nominal days follow the wall clock (P1D is "same time tomorrow"). */
export type Span = { days: number; ms: number };
export const ZERO_SPAN: Span = { days: 0, ms: 0 };

/** An extra date (RDATE): a DATE, a DATE-TIME, or a PERIOD with its own end or duration. */
export type RecurrenceDate = { start: DateVal; end?: DateVal; duration?: Span };

/** A whole recurring series: where it starts, in which zone, how long each instance lasts, and its rules. */
export type Recurrence = {
  dtstart: DateVal;
  /** The series' wall clock: instances keep its local time across clock changes. */
  zone: Zone;
  /** The zone whose calendar dates DATE-valued EXDATEs and RECURRENCE-IDs refer to. */
  dateZone: Zone;
  allDay: boolean;
  span: Span;
  rules: RecurrenceRule[];
  rDates: RecurrenceDate[];
  exDates: DateVal[];
};

type IcalRecur = InstanceType<typeof ICAL.Recur>;

const PARTS = [
  ['bySecond', 'BYSECOND'],
  ['byMinute', 'BYMINUTE'],
  ['byHour', 'BYHOUR'],
  ['byDay', 'BYDAY'],
  ['byMonthDay', 'BYMONTHDAY'],
  ['byYearDay', 'BYYEARDAY'],
  ['byWeekNo', 'BYWEEKNO'],
  ['byMonth', 'BYMONTH'],
  ['bySetPos', 'BYSETPOS'],
] as const;

const WEEKDAYS: readonly WeekdayCode[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** ical.js's reading of an RRULE value → the structured rule. */
export function toRecurrenceRule(recur: IcalRecur): RecurrenceRule {
  const rule: RecurrenceRule = {
    freq: recur.freq as Frequency,
    interval: Number.isFinite(recur.interval) && recur.interval >= 1 ? recur.interval : 1,
  };
  if (recur.count) rule.count = recur.count;
  const until: IcalTime | null = recur.until;
  if (until) {
    rule.until = {
      wall: wallOfIcalTime(until),
      date: until.isDate,
      utc: until.zone === ICAL.Timezone.utcTimezone || until.zone?.tzid === 'UTC',
    };
  }
  // ical.js: 1 = Sunday; Monday (2) is RFC 5545's default.
  const wkst = WEEKDAYS[Number(recur.wkst) - 1];
  if (wkst && wkst !== 'MO') rule.wkst = wkst;
  const parts = recur.parts as Record<string, unknown>;
  for (const [field, name] of PARTS) {
    const value = parts[name];
    if (!Array.isArray(value)) continue;
    if (field === 'byDay') rule.byDay = value.map(String);
    else rule[field] = value.map(Number);
  }
  return rule;
}

/** The structured rule → an ical.js recurrence to iterate, with UNTIL already as the iterator compares it. */
export function toIcalRecur(rule: RecurrenceRule, untilWall: number | undefined): IcalRecur {
  const data: Record<string, unknown> = { freq: rule.freq, interval: rule.interval };
  if (rule.count !== undefined) data.count = rule.count;
  if (untilWall !== undefined) data.until = icalTimeFromWall(untilWall, false);
  if (rule.wkst) data.wkst = rule.wkst;
  for (const [field, name] of PARTS) {
    const value = rule[field];
    if (value && value.length > 0) data[name.toLowerCase()] = [...value];
  }
  return ICAL.Recur.fromData(data as Parameters<typeof ICAL.Recur.fromData>[0]);
}
