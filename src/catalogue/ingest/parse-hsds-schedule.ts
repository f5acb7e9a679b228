/**
 * HSDS / ORUK schedules → dated occurrences in Europe/London.
 *
 * An HSDS schedule is an RFC 5545 recurrence spelt as fields (freq, interval, byday, bymonthday, dtstart, until,
 * count) plus opening times (opens_at, closes_at) and a validity window (valid_from, valid_to). Each schedule becomes
 * the recurrence engine's structured series (src/catalogue/recurrence/) and is expanded there, as iCalendar feeds
 * are: same horizon, same DST handling, same limits.
 *
 * Quirks of real data handled here (see test/fixtures/hsds/SOURCES.md): a numeric `timezone` (a UTC offset; the
 * catalogue is London's, so times are read as London wall-clock times), COUNT and UNTIL both present (UNTIL wins),
 * BYDAY or BYMONTHDAY that DTSTART itself does not match (the first instance moves to the first matching day),
 * BYMONTHDAY on a WEEKLY rule and BYWEEKNO/BYYEARDAY outside YEARLY rules (dropped, as RFC 5545 forbids them).
 */
import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import type { OccurrenceInput, ScheduleInput } from '../model.ts';
import { type ExpandContext, expandRecurrence } from '../recurrence/expand-recurrence.ts';
import { type Frequency, type Recurrence, type RecurrenceRule, ZERO_SPAN } from '../recurrence/recurrence-rule.ts';
import { BadEvent, DAY_MS } from '../recurrence/wall-time.ts';
import { LONDON_ZONE, ZoneResolver } from '../recurrence/zones.ts';

/** The schedule fields we read, already as text (JSON numbers and CSV cells alike). */
export type HsdsSchedule = {
  freq?: string;
  interval?: string;
  byday?: string;
  bymonthday?: string;
  dtstart?: string;
  until?: string;
  count?: string;
  validFrom?: string;
  validTo?: string;
  opensAt?: string;
  closesAt?: string;
  description?: string;
  notes?: string;
  wkst?: string;
};

export type ScheduleRequest = { ref: string; schedules: HsdsSchedule[] };

export type ExpandedSchedules = {
  occurrences: OccurrenceInput[];
  /** The first recurring (else first dated) schedule, as the entry keeps it. */
  schedule?: ScheduleInput;
  /** Schedules that could not be used, with why; the entry itself stays. */
  problems: string[];
};

const FREQS = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const DAY_RE = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/;
const WEEKDAY_INDEX: Readonly<Record<string, number>> = { MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6, SU: 7 };
const DAY_NAMES: Readonly<Record<string, string>> = {
  monday: 'MO',
  mon: 'MO',
  tuesday: 'TU',
  tue: 'TU',
  tues: 'TU',
  wednesday: 'WE',
  wed: 'WE',
  thursday: 'TH',
  thu: 'TH',
  thur: 'TH',
  thurs: 'TH',
  friday: 'FR',
  fri: 'FR',
  saturday: 'SA',
  sat: 'SA',
  sunday: 'SU',
  sun: 'SU',
};
/** As for iCalendar feeds: open-ended schedules keep a month of past sessions, and at most 2,000 per schedule. */
const LOOKBACK_DAYS = 31;
const MAX_PER_SCHEDULE = 2000;
/** Dates with no explicit start anchor open-ended rules here (a Monday long before any horizon). */
const ANCHOR = '2000-01-03';

/**
 * "09:30", "9:30:00", "09:30+01:00", "0930" → "09:30:00"; the 12-hour clock as directories write it ("9:00am",
 * "1:50 pm", "830am", "9:00a", "10am", "12:00pm" is noon, "12am" midnight, a note in brackets after it ignored) and
 * "noon" / "midday"; undefined when not a time of day.
 */
export function parseTimeOfDay(text: string | undefined): string | undefined {
  if (!text) return undefined;
  if (/^\s*(?:noon|midday|12\s*noon)\s*$/i.test(text)) return '12:00:00';
  const twelve = /^\s*(\d{1,2})(?:[:.]?(\d{2}))?\s*([ap])\.?(?:\s*m\.?)?\s*(?:\([^)]*\))?\s*$/i.exec(text);
  if (twelve) {
    const h = Number(twelve[1]);
    const mi = Number(twelve[2] ?? 0);
    if (h < 1 || h > 12 || mi > 59) return undefined;
    const h24 = (h % 12) + (twelve[3]!.toLowerCase() === 'p' ? 12 : 0);
    return `${String(h24).padStart(2, '0')}:${String(mi).padStart(2, '0')}:00`;
  }
  const m = /^\s*(\d{1,2}):?(\d{2})(?::?(\d{2}))?(?:\.\d+)?\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$/i.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  const s = Number(m[3] ?? 0);
  if (h > 24 || mi > 59 || s > 59 || (h === 24 && (mi > 0 || s > 0))) return undefined;
  return `${String(h === 24 ? 23 : h).padStart(2, '0')}:${String(h === 24 ? 59 : mi).padStart(2, '0')}:${String(h === 24 ? 59 : s).padStart(2, '0')}`;
}

/** A calendar date from "2026-03-01", "2026-03-01T00:00:00Z" or "01/03/2026" (UK order); undefined otherwise. */
export function parseCalendarDate(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const value = text.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(value);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(value);
    if (!m) return undefined;
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  // A real calendar date (no 31 April, 29 February only in leap years); zone-independent, so plain UTC arithmetic.
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1000 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return undefined;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Answers kept by key, forgotten all at once past `max` entries: for pure lookups repeated across many schedules. */
class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string, compute: () => V): V {
    let value = this.map.get(key);
    if (value === undefined) {
      value = compute();
      if (this.map.size >= this.max) this.map.clear();
      this.map.set(key, value);
    }
    return value;
  }
}

/**
 * The instant a London calendar day starts, cached: a directory repeats the same few dates in thousands of
 * schedules, and each zone lookup costs more than the rest of reading a schedule.
 */
const londonMidnights = new BoundedCache<number>(10_000);
function londonMidnight(isoDate: string): number {
  return londonMidnights.get(isoDate, () => DateTime.fromISO(isoDate, { zone: ZONE }).toMillis());
}

/** BYDAY text ("TH,FR", "2MO", "Monday, Wednesday", "-1FR") → RFC 5545 tokens; throws on anything else. */
export function parseByday(text: string): string[] {
  const tokens: string[] = [];
  for (const raw of text.split(/[\s,;]+/).filter(Boolean)) {
    const upper = raw.toUpperCase();
    const named = DAY_NAMES[raw.toLowerCase()];
    const m = DAY_RE.exec(upper);
    if (named) tokens.push(named);
    // RFC 5545 ordwk is 1 to 53: "0MO" is no day at all.
    else if (m && (!m[1] || (Math.abs(Number(m[1])) >= 1 && Math.abs(Number(m[1])) <= 53)))
      tokens.push(upper.replace(/^\+/, ''));
    else throw new Error(`byday "${text.slice(0, 40)}" is not a list of days such as MO,WE or 2TU`);
  }
  return tokens;
}

function parseIntList(text: string, min: number, max: number, name: string): number[] {
  const values = text
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map(Number);
  for (const v of values) {
    if (!Number.isInteger(v) || v === 0 || Math.abs(v) < min || Math.abs(v) > max) {
      throw new Error(`${name} "${text.slice(0, 40)}" is not a list of numbers ${min}–${max}`);
    }
  }
  return values;
}

type Rule = {
  freq?: string;
  interval: number;
  byday: string[];
  bymonthday: number[];
  start: string;
  opens?: string;
  closes?: string;
  until?: string;
  count?: number;
  validFrom?: string;
  validTo?: string;
  /** The start was chosen by us, not given by the source. */
  anchored?: boolean;
};

/**
 * A start for a rule that gave none: shortly before the importer's lookback, aligned to the rule's period counted
 * from a fixed Monday (so "every other week" keeps its parity from one import to the next). Iterating from a date
 * decades back would cost the general iterator hundreds of steps per rule.
 */
function anchorFor(freq: string, interval: number, now: Date): string {
  return anchors.get(`${freq}/${interval}/${now.getTime()}`, () => computeAnchor(freq, interval, now));
}
const anchors = new BoundedCache<string>(1_000);

function computeAnchor(freq: string, interval: number, now: Date): string {
  const fixed = DateTime.fromISO(ANCHOR, { zone: ZONE });
  const early = DateTime.fromJSDate(now, { zone: ZONE }).minus({ days: 400 }).startOf('day');
  if (freq === 'MONTHLY') {
    const months = Math.floor(early.diff(fixed, 'months').months / interval) * interval;
    return fixed
      .plus({ months: Math.max(0, months) })
      .startOf('month')
      .toISODate()!;
  }
  if (freq === 'YEARLY')
    return fixed
      .plus({ years: Math.max(0, Math.floor((early.year - fixed.year) / interval) * interval) })
      .startOf('year')
      .toISODate()!;
  const periodDays = (freq === 'WEEKLY' ? 7 : 1) * interval;
  const days = Math.floor(early.diff(fixed, 'days').days / periodDays) * periodDays;
  return fixed.plus({ days: Math.max(0, days) }).toISODate()!;
}

function toRule(s: HsdsSchedule, now: Date): Rule | undefined {
  const freq = s.freq?.trim().toUpperCase() || undefined;
  if (freq && !FREQS.has(freq)) throw new Error(`freq "${freq.slice(0, 20)}" is not DAILY, WEEKLY, MONTHLY or YEARLY`);
  const interval = s.interval?.trim() ? Number(s.interval) : 1;
  if (!Number.isInteger(interval) || interval < 1 || interval > 1000)
    throw new Error(`interval "${s.interval}" is not a whole number`);
  let byday = s.byday?.trim() ? parseByday(s.byday) : [];
  if (freq !== 'MONTHLY' && freq !== 'YEARLY') byday = byday.map((d) => d.replace(/^-?\d+/, ''));
  const bymonthday =
    s.bymonthday?.trim() && freq !== 'WEEKLY' && freq !== 'DAILY'
      ? parseIntList(s.bymonthday, 1, 31, 'bymonthday')
      : [];
  const dtstart = parseCalendarDate(s.dtstart);
  const validFrom = parseCalendarDate(s.validFrom);
  const validTo = parseCalendarDate(s.validTo);
  const untilDate = parseCalendarDate(s.until);
  // An unreadable date is not "no date": a dropped valid_to would keep a finished schedule running for ever.
  for (const [field, text, date] of [
    ['dtstart', s.dtstart, dtstart],
    ['valid_from', s.validFrom, validFrom],
    ['valid_to', s.validTo, validTo],
    ['until', s.until, untilDate],
  ] as const) {
    if (text?.trim() && !date)
      throw new Error(`${field} "${text.slice(0, 30)}" is not a date such as 2026-03-01 or 01/03/2026`);
  }
  const count = s.count?.trim() ? Number(s.count) : undefined;
  if (count !== undefined && (!Number.isInteger(count) || count < 1))
    throw new Error(`count "${s.count}" is not a positive whole number`);
  const opens = parseTimeOfDay(s.opensAt);
  if (s.opensAt?.trim() && !opens) throw new Error(`opens_at "${s.opensAt.slice(0, 20)}" is not a time of day`);
  const closes = parseTimeOfDay(s.closesAt);
  if (s.closesAt?.trim() && !closes) throw new Error(`closes_at "${s.closesAt.slice(0, 20)}" is not a time of day`);
  const start = dtstart ?? validFrom ?? (freq ? anchorFor(freq, interval, now) : undefined);
  if (!start) return undefined; // opening times with no dates and no rule: a standing entry
  const until = [untilDate, validTo].filter((d): d is string => !!d).sort()[0];
  return {
    ...(freq ? { freq } : {}),
    interval,
    byday,
    bymonthday,
    start,
    ...(opens ? { opens } : {}),
    ...(closes ? { closes } : {}),
    ...(until ? { until } : {}),
    // RFC 5545 forbids COUNT with UNTIL; HSDS examples carry both. UNTIL is the firmer statement.
    ...(count !== undefined && !until ? { count } : {}),
    ...(validFrom ? { validFrom } : {}),
    ...(validTo ? { validTo } : {}),
    ...(!dtstart && !validFrom ? { anchored: true } : {}),
  };
}

/** Whether a date matches the rule's BYDAY/BYMONTHDAY (RFC 5545 treats them as limits on each other). */
function matches(date: DateTime, rule: Rule): boolean {
  if (rule.byday.length > 0) {
    const ok = rule.byday.some((token) => {
      const m = DAY_RE.exec(token)!;
      if (WEEKDAY_INDEX[m[2]!] !== date.weekday) return false;
      if (!m[1]) return true;
      const n = Number(m[1]);
      // In a YEARLY rule (we read no BYMONTH) the ordinal counts within the year: 1MO is the year's first Monday.
      if (rule.freq === 'YEARLY')
        return n > 0 ? Math.ceil(date.ordinal / 7) === n : Math.ceil((date.daysInYear - date.ordinal + 1) / 7) === -n;
      return n > 0 ? Math.ceil(date.day / 7) === n : Math.ceil((date.daysInMonth! - date.day + 1) / 7) === -n;
    });
    if (!ok) return false;
  }
  if (rule.bymonthday.length > 0) {
    const ok = rule.bymonthday.some((n) => (n > 0 ? date.day === n : date.daysInMonth! + n + 1 === date.day));
    if (!ok) return false;
  }
  return true;
}

const compact = (date: string): string => date.replaceAll('-', '');

/** The rule as RFC 5545 RRULE text, for the entry's schedule and for reasons a person reads. */
function rruleText(rule: Rule): string {
  const parts = [`FREQ=${rule.freq}`, ...(rule.interval > 1 ? [`INTERVAL=${rule.interval}`] : [])];
  if (rule.byday.length) parts.push(`BYDAY=${rule.byday.join(',')}`);
  if (rule.bymonthday.length) parts.push(`BYMONTHDAY=${rule.bymonthday.join(',')}`);
  if (rule.until) parts.push(`UNTIL=${compact(rule.until)}`);
  if (rule.count !== undefined) parts.push(`COUNT=${rule.count}`);
  return parts.join(';');
}

/** The BYDAY tokens the recurrence engine takes (RFC 5545's grammar: "1MO", not "01MO"). */
const BYDAY_TOKEN_RE = /^([+-])?(5[0-3]|[1-4][0-9]|[1-9])?(SU|MO|TU|WE|TH|FR|SA)$/;

const wallOfDay = (day: string, time = '00:00:00'): number => Date.parse(`${day}T${time}Z`);

/** The schedule as the recurrence engine's structured series, in London time; undefined when it has no dates. */
function toRecurrence(rule: Rule): Recurrence | undefined {
  // Calendar-date arithmetic only, so UTC (no zone offsets to look up for every day stepped).
  let start = DateTime.fromISO(rule.start, { zone: 'utc' });
  if (rule.freq) {
    // DTSTART is always an instance in RFC 5545; HSDS publishers mean "from this date", so move to the first match.
    let i = 0;
    for (; i < 400 && !matches(start, rule); i++) start = start.plus({ days: 1 });
    // No matching day within 400 days (BYDAY=5MO with BYMONTHDAY=1): DTSTART would become a session nobody set.
    if (i === 400) return undefined;
  }
  const day = start.toISODate()!;
  // Nothing on or after the first matching day and before UNTIL / valid_to: no dates at all.
  if (rule.until && day > rule.until) return undefined;
  let recurrence: Recurrence;
  if (rule.opens) {
    const dtstart = { wall: wallOfDay(day, rule.opens), date: false, utc: false, tzid: ZONE };
    let span = ZERO_SPAN;
    if (rule.closes) {
      // A dated session may run over several days (a two-day course: valid_to is its last day).
      const endDay =
        !rule.freq && rule.validTo && rule.validTo > day
          ? rule.validTo
          : rule.closes <= rule.opens
            ? start.plus({ days: 1 }).toISODate()!
            : day;
      const ms = LONDON_ZONE.toInstant(wallOfDay(endDay, rule.closes)) - LONDON_ZONE.toInstant(dtstart.wall);
      span = { days: 0, ms: Math.max(0, ms) };
    }
    recurrence = {
      dtstart,
      zone: LONDON_ZONE,
      dateZone: LONDON_ZONE,
      allDay: false,
      span,
      rules: [],
      rDates: [],
      exDates: [],
    };
  } else {
    const wall = wallOfDay(day);
    const lastDay = !rule.freq && rule.validTo && rule.validTo > day ? rule.validTo : day;
    const endWall = wallOfDay(DateTime.fromISO(lastDay, { zone: 'utc' }).plus({ days: 1 }).toISODate()!);
    const span = { days: Math.max(1, Math.round((endWall - wall) / DAY_MS)), ms: 0 };
    recurrence = {
      dtstart: { wall, date: true, utc: false },
      zone: LONDON_ZONE,
      dateZone: LONDON_ZONE,
      allDay: true,
      span,
      rules: [],
      rDates: [],
      exDates: [],
    };
  }
  if (rule.freq) {
    const bad = rule.byday.find((d) => !BYDAY_TOKEN_RE.test(d));
    if (bad !== undefined)
      throw new BadEvent(`invalid RRULE "${rruleText(rule).slice(0, 80)}": invalid BYDAY value "${bad}"`);
    const recurrenceRule: RecurrenceRule = { freq: rule.freq as Frequency, interval: rule.interval };
    if (rule.count !== undefined) recurrenceRule.count = rule.count;
    if (rule.until) recurrenceRule.until = { wall: wallOfDay(rule.until), date: true, utc: false };
    if (rule.byday.length) recurrenceRule.byDay = [...new Set(rule.byday)];
    if (rule.bymonthday.length) recurrenceRule.byMonthDay = [...new Set(rule.bymonthday)];
    recurrence.rules.push(recurrenceRule);
  }
  return recurrence;
}

function toScheduleInput(s: HsdsSchedule, rule: Rule | undefined): ScheduleInput {
  const schedule: ScheduleInput = { timezone: ZONE };
  if (rule?.freq) {
    schedule.freq = rule.freq as NonNullable<ScheduleInput['freq']>;
    schedule.interval = rule.interval;
    if (rule.byday.length) schedule.byday = rule.byday.join(',');
    if (rule.bymonthday.length) schedule.bymonthday = rule.bymonthday.join(',');
    if (rule.count !== undefined) schedule.count = rule.count;
    if (rule.until) schedule.until = new Date(londonMidnight(rule.until));
    schedule.rrule = rruleText(rule);
  }
  if (rule && !rule.anchored) schedule.dtstart = new Date(londonMidnight(rule.start));
  if (rule?.opens) schedule.opensAt = rule.opens.slice(0, 5);
  if (rule?.closes) schedule.closesAt = rule.closes.slice(0, 5);
  if (!rule) {
    const opens = parseTimeOfDay(s.opensAt);
    const closes = parseTimeOfDay(s.closesAt);
    if (opens) schedule.opensAt = opens.slice(0, 5);
    if (closes) schedule.closesAt = closes.slice(0, 5);
  }
  if (s.description?.trim()) schedule.description = s.description.trim().slice(0, 2000);
  return schedule;
}

/**
 * Expands the schedules of many entries at once. Occurrences before a schedule's valid_from are dropped; those after
 * valid_to never arise (valid_to bounds UNTIL). Entries with no usable dated schedule get no occurrences.
 */
export function expandSchedules(
  requests: readonly ScheduleRequest[],
  options: { now: Date; horizonDays?: number },
): Map<string, ExpandedSchedules> {
  const out = new Map<string, ExpandedSchedules>();
  const pending: { ref: string; validFrom?: string; series: Recurrence | BadEvent }[] = [];
  for (const request of requests) {
    const result: ExpandedSchedules = { occurrences: [], problems: [] };
    out.set(request.ref, result);
    let fallback: ScheduleInput | undefined;
    request.schedules.forEach((s, index) => {
      let rule: Rule | undefined;
      try {
        rule = toRule(s, options.now);
      } catch (error) {
        result.problems.push(`schedule ${index + 1} ignored: ${(error as Error).message}`);
        return;
      }
      const input = toScheduleInput(s, rule);
      if (rule?.freq) result.schedule ??= input;
      else fallback ??= input;
      if (!rule) return;
      let series: Recurrence | BadEvent | undefined;
      try {
        series = toRecurrence(rule);
      } catch (error) {
        if (!(error instanceof BadEvent)) throw error;
        series = error;
      }
      if (!series) return;
      pending.push({ ref: request.ref, ...(rule.validFrom ? { validFrom: rule.validFrom } : {}), series });
    });
    if (!result.schedule && fallback) result.schedule = fallback;
  }
  if (pending.length === 0) return out;
  const now = options.now.getTime();
  const ctx: ExpandContext = {
    resolver: new ZoneResolver(new Map(), LONDON_ZONE),
    now,
    windowStart: now - LOOKBACK_DAYS * DAY_MS,
    windowEnd: now + (options.horizonDays || 365) * DAY_MS,
    maxPerSeries: MAX_PER_SCHEDULE,
  };
  const expanded = pending.map((p) => {
    const result = out.get(p.ref)!;
    if (p.series instanceof BadEvent) {
      result.problems.push(`a schedule was ignored: ${p.series.message}`);
      return undefined;
    }
    try {
      const { occurrences, capped } = expandRecurrence(p.series, ctx);
      if (capped) result.problems.push(`a schedule was ignored: ${capped}`);
      return occurrences;
    } catch (error) {
      if (!(error instanceof BadEvent)) throw error;
      result.problems.push(`a schedule was ignored: ${error.message}`);
      return undefined;
    }
  });
  const seen = new Map<string, Set<string>>();
  pending.forEach((p, i) => {
    const occurrences = expanded[i];
    if (!occurrences) return;
    const result = out.get(p.ref)!;
    const keys = seen.get(p.ref) ?? new Set<string>();
    seen.set(p.ref, keys);
    const from = p.validFrom ? londonMidnight(p.validFrom) : -Infinity;
    for (const o of occurrences) {
      if (o.start.getTime() < from || keys.has(o.key)) continue;
      keys.add(o.key);
      result.occurrences.push({
        key: o.key,
        start: o.start,
        end: o.end,
        allDay: o.allDay ?? false,
        status: 'scheduled',
      });
    }
  });
  for (const result of out.values()) result.occurrences.sort((a, b) => a.start.getTime() - b.start.getTime());
  return out;
}
