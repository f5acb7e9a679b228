/**
 * Plain arithmetic for the rules most sources use, an order of magnitude faster than ical.js's general iterator:
 * DAILY or WEEKLY with plain BYDAY and BYMONTH, and MONTHLY with BYDAY or positive BYMONTHDAY. Same semantics as
 * ical.js: DTSTART is the first instance (and counts towards COUNT), then every match after it. Any other rule
 * returns undefined and goes to ical.js.
 */
import type { RecurrenceRule } from './recurrence-rule.ts';
import { DAY_MS, ymd } from './wall-time.ts';
import type { Zone } from './zones.ts';

export const MAX_ITERATION_STEPS = 200_000;

export type ExpandWindow = { windowStart: number; windowEnd: number };

const JS_WEEKDAYS: Readonly<Record<string, number>> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };
const ICAL_WEEKDAYS: Readonly<Record<string, number>> = { SU: 1, MO: 2, TU: 3, WE: 4, TH: 5, FR: 6, SA: 7 };

/** The BY-parts a rule sets, by RFC 5545 name, as ical.js keeps them. */
function partsOf(rule: RecurrenceRule): [string, readonly (string | number)[]][] {
  const parts: [string, readonly (string | number)[]][] = [];
  const add = (name: string, value: readonly (string | number)[] | undefined) => {
    if (value && value.length > 0) parts.push([name, value]);
  };
  add('BYSECOND', rule.bySecond);
  add('BYMINUTE', rule.byMinute);
  add('BYHOUR', rule.byHour);
  add('BYDAY', rule.byDay);
  add('BYMONTHDAY', rule.byMonthDay);
  add('BYYEARDAY', rule.byYearDay);
  add('BYWEEKNO', rule.byWeekNo);
  add('BYMONTH', rule.byMonth);
  add('BYSETPOS', rule.bySetPos);
  return parts;
}

export function fastExpand(
  recur: RecurrenceRule,
  dtstartWall: number,
  until: number | undefined,
  wallZone: Zone,
  ctx: ExpandWindow,
  infinite: boolean,
): number[] | undefined {
  const freq = recur.freq;
  if (freq === 'MONTHLY') return fastExpandMonthly(recur, dtstartWall, until, wallZone, ctx, infinite);
  if (freq !== 'DAILY' && freq !== 'WEEKLY') return undefined;
  let weekdays: Set<number> | undefined;
  let months: Set<number> | undefined;
  for (const [name, value] of partsOf(recur)) {
    if (name === 'BYDAY') {
      weekdays = new Set();
      for (const d of value) {
        const n = typeof d === 'string' ? JS_WEEKDAYS[d.toUpperCase()] : undefined;
        if (n === undefined) return undefined;
        weekdays.add(n);
      }
    } else if (name === 'BYMONTH') {
      months = new Set();
      for (const m of value) {
        const n = Number(m);
        if (!Number.isInteger(n) || n < 1 || n > 12) return undefined;
        months.add(n);
      }
    } else return undefined;
  }

  const interval = recur.interval;
  const count = recur.count ?? undefined;
  const timeOfDay = ((dtstartWall % DAY_MS) + DAY_MS) % DAY_MS;
  const dtDate = dtstartWall - timeOfDay;
  const windowStartWall = wallZone.toWall(ctx.windowStart);

  // Candidate days, as offsets within one period, and the first period to look at.
  let periodStart: number;
  let offsets: number[];
  const periodMs = (freq === 'WEEKLY' ? 7 : 1) * interval * DAY_MS;
  if (freq === 'WEEKLY') {
    const wkst = (ICAL_WEEKDAYS[recur.wkst ?? 'MO'] ?? 2) - 1; // ical.js: 1 = Sunday
    const dow = new Date(dtDate).getUTCDay();
    periodStart = dtDate - ((dow - wkst + 7) % 7) * DAY_MS;
    const days = weekdays ? [...weekdays] : [dow];
    offsets = days.map((d) => ((d - wkst + 7) % 7) * DAY_MS).sort((a, b) => a - b);
    weekdays = undefined; // already applied
  } else {
    periodStart = dtDate;
    offsets = [0];
  }
  if (infinite && count === undefined && until === undefined) {
    const skip = Math.floor((windowStartWall - periodStart) / periodMs) - 1;
    if (skip > 0) periodStart += skip * periodMs;
  }

  const walls: number[] = [dtstartWall];
  let emitted = 1;
  for (let steps = 0; steps < MAX_ITERATION_STEPS; steps++, periodStart += periodMs) {
    for (const offset of offsets) {
      const wall = periodStart + offset + timeOfDay;
      if (wall <= dtstartWall) continue;
      if (wallZone.toInstant(wall) >= ctx.windowEnd) return walls;
      if (until !== undefined && wall > until) return walls;
      if (weekdays || months) {
        const d = new Date(wall);
        if (weekdays && !weekdays.has(d.getUTCDay())) continue;
        if (months && !months.has(d.getUTCMonth() + 1)) continue;
      }
      if (count !== undefined && ++emitted > count) return walls;
      walls.push(wall);
    }
  }
  return walls;
}

/**
 * MONTHLY rules with BYDAY ("1MO", "-1FR", "TU") or positive BYMONTHDAY, and INTERVAL: the usual community-group
 * shapes ("first Monday", "last Friday") worked out month by month. Other monthly rules go to ical.js.
 */
function fastExpandMonthly(
  recur: RecurrenceRule,
  dtstartWall: number,
  until: number | undefined,
  wallZone: Zone,
  ctx: ExpandWindow,
  infinite: boolean,
): number[] | undefined {
  const byday: { nth: number; dow: number }[] = [];
  const bymonthday: number[] = [];
  for (const [name, value] of partsOf(recur)) {
    if (name === 'BYDAY') {
      for (const d of value) {
        const m = typeof d === 'string' ? /^([+-]?\d{1,2})?([A-Z]{2})$/i.exec(d) : null;
        const dow = m ? JS_WEEKDAYS[m[2]!.toUpperCase()] : undefined;
        const nth = m?.[1] ? Number(m[1]) : 0;
        if (dow === undefined || nth < -5 || nth > 5) return undefined;
        byday.push({ nth, dow });
      }
    } else if (name === 'BYMONTHDAY') {
      for (const d of value) {
        const n = Number(d);
        if (!Number.isInteger(n) || n < 1 || n > 31) return undefined;
        bymonthday.push(n);
      }
    } else return undefined;
  }
  if (byday.length > 0 && bymonthday.length > 0) return undefined;

  const interval = recur.interval;
  const count = recur.count ?? undefined;
  const timeOfDay = ((dtstartWall % DAY_MS) + DAY_MS) % DAY_MS;
  const [y0, m0, d0] = ymd(dtstartWall); // m0 is 0-based
  const windowStartWall = wallZone.toWall(ctx.windowStart);
  let index = 0;
  if (infinite && count === undefined && until === undefined) {
    const [wy, wm] = ymd(windowStartWall);
    const monthsAway = (wy - y0) * 12 + (wm - m0);
    const skip = Math.floor(monthsAway / interval) - 1;
    if (skip > 0) index = skip;
  }

  const daysOf = (year: number, month: number): number[] => {
    const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (bymonthday.length) return bymonthday.filter((d) => d <= length).sort((a, b) => a - b);
    if (!byday.length) return d0 <= length ? [d0] : [];
    const days = new Set<number>();
    for (const { nth, dow } of byday) {
      const first = ((dow - new Date(Date.UTC(year, month - 1, 1)).getUTCDay() + 7) % 7) + 1;
      const all: number[] = [];
      for (let d = first; d <= length; d += 7) all.push(d);
      if (nth === 0) for (const d of all) days.add(d);
      else {
        const pick = nth > 0 ? all[nth - 1] : all[all.length + nth];
        if (pick !== undefined) days.add(pick);
      }
    }
    return [...days].sort((a, b) => a - b);
  };

  const walls: number[] = [dtstartWall];
  let emitted = 1;
  for (let steps = 0; steps < MAX_ITERATION_STEPS; steps++, index++) {
    const monthIndex = m0 + index * interval;
    const year = y0 + Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    for (const day of daysOf(year, month)) {
      const wall = Date.UTC(year, month - 1, day) + timeOfDay;
      if (wall <= dtstartWall) continue;
      if (wallZone.toInstant(wall) >= ctx.windowEnd) return walls;
      if (until !== undefined && wall > until) return walls;
      if (count !== undefined && ++emitted > count) return walls;
      walls.push(wall);
    }
  }
  return walls;
}
