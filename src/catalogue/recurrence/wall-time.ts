/**
 * Wall-clock times: a "wall" is a wall-clock time encoded as milliseconds via Date.UTC (no zone attached). Every
 * recurrence is iterated on walls, so a series keeps its local time across clock changes.
 */
import ICAL from 'ical.js';

export type IcalTime = InstanceType<typeof ICAL.Time>;
export type IcalTimezone = InstanceType<typeof ICAL.Timezone>;

export const DAY_MS = 86_400_000;

/** One date or date-time value as written: a wall, whether it is a DATE, whether it is UTC, and its TZID if any. */
export type DateVal = { wall: number; date: boolean; utc: boolean; tzid?: string };

/** An event or schedule that cannot be used: it is rejected with this reason, the rest of the input is not. */
export class BadEvent extends Error {}

// ical.js writes a bare DATE in a DATE-TIME property ("DTSTART:20240215") as "2024-02-15T::".
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T::)?$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z)?$/;

export function wallOf(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59));
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return ms;
}

/** Parses one jCal date or date-time value ("2024-06-09", "2024-06-09T03:00:00Z"). */
export function parseDateValue(value: unknown, tzid?: string): DateVal | undefined {
  if (typeof value !== 'string') return undefined;
  let m = DATE_TIME_RE.exec(value);
  if (m) {
    const wall = wallOf(+m[1]!, +m[2]!, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    if (wall === undefined) return undefined;
    const utc = m[7] === 'Z';
    return utc || !tzid ? { wall, date: false, utc } : { wall, date: false, utc, tzid };
  }
  m = DATE_RE.exec(value);
  if (m) {
    const wall = wallOf(+m[1]!, +m[2]!, +m[3]!);
    return wall === undefined ? undefined : { wall, date: true, utc: false };
  }
  return undefined;
}

export const isoDate = (wall: number): string => new Date(wall).toISOString().slice(0, 10);
export const hhmm = (wall: number): string => new Date(wall).toISOString().slice(11, 16);

export function icalTimeFromWall(wall: number, isDate: boolean, zone?: IcalTimezone): IcalTime {
  const d = new Date(wall);
  return new ICAL.Time(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: isDate ? 0 : d.getUTCHours(),
      minute: isDate ? 0 : d.getUTCMinutes(),
      second: isDate ? 0 : d.getUTCSeconds(),
      isDate,
    },
    zone ?? ICAL.Timezone.localTimezone,
  );
}

export const wallOfIcalTime = (t: IcalTime): number => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);

export function ymd(wall: number): [number, number, number] {
  const d = new Date(wall);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}
