/**
 * The one recurrence expander: a structured `Recurrence` (DTSTART, rules, extra and excluded dates) → dated
 * occurrences within a window. ical.js iterates what the fast paths (fast-expand.ts) do not cover; rules are
 * iterated on floating wall-clock times in the series' zone, so a series keeps its local time across DST.
 */
import type { OccurrenceInput } from '../model.ts';
import { type ExpandWindow, fastExpand, MAX_ITERATION_STEPS } from './fast-expand.ts';
import { type Recurrence, type RecurrenceRule, type Span, toIcalRecur } from './recurrence-rule.ts';
import { BadEvent, DAY_MS, type DateVal, icalTimeFromWall, isoDate, wallOfIcalTime, ymd } from './wall-time.ts';
import { LONDON_ZONE, type ZoneResolver } from './zones.ts';

export type ExpandContext = ExpandWindow & {
  /** Zones for TZIDs, and the zone floating times are read in. */
  resolver: Pick<ZoneResolver, 'resolve' | 'floating'>;
  now: number;
  /** At most this many occurrences per series (the ones nearest `now` are kept). */
  maxPerSeries: number;
};

/** An occurrence under construction: the output object itself, so that large feeds allocate once per instance. */
export type Instance = OccurrenceInput;

/** Where a series stands after its rules, extra dates and excluded dates: ready for per-date changes. */
export type InstanceSet = {
  instances: Map<string, Instance>;
  /** Keys an EXDATE removed: a change to such a date does not bring it back. */
  excluded: Set<string>;
  /** Whether some rule has neither COUNT nor UNTIL (instances before the window are then dropped). */
  infinite: boolean;
  /** The calendar date an instance falls on, in the series' date zone. */
  dateKeyOf: (inst: Instance) => string;
  /** Timed instances by start instant. */
  startIndex: () => Map<number, Instance>;
};

export function instantOfValue(
  v: DateVal,
  ctx: Pick<ExpandContext, 'resolver'>,
  series?: Pick<Recurrence, 'zone'>,
): number {
  if (v.utc) return v.wall;
  if (v.date) return LONDON_ZONE.toInstant(v.wall);
  if (v.tzid !== undefined) return ctx.resolver.resolve(v.tzid).toInstant(v.wall);
  return (series?.zone ?? ctx.resolver.floating).toInstant(v.wall);
}

/** Start/end of an instance that begins at `startWall` (series wall clock) or on date `startWall`. */
export function makeTimes(
  series: Pick<Recurrence, 'zone'>,
  startWall: number,
  allDay: boolean,
  span: Span,
): { start: number; end: number } {
  if (allDay) {
    const days = Math.max(1, span.days + Math.ceil(span.ms / DAY_MS));
    return { start: LONDON_ZONE.toInstant(startWall), end: LONDON_ZONE.toInstant(startWall + days * DAY_MS) };
  }
  const start = series.zone.toInstant(startWall);
  const end = (span.days ? series.zone.toInstant(startWall + span.days * DAY_MS) : start) + span.ms;
  return { start, end: Math.max(start, end) };
}

/** UNTIL as a floating wall-clock time in the series' zone, which is what the iterator compares with. */
export function untilWall(rule: RecurrenceRule, series: Pick<Recurrence, 'zone' | 'allDay'>): number | undefined {
  const u = rule.until;
  if (!u) return undefined;
  let wall = u.wall;
  if (u.date) {
    if (!series.allDay) wall += DAY_MS - 1000;
  } else if (u.utc) {
    wall = (series.allDay ? LONDON_ZONE : series.zone).toWall(wall);
  }
  return wall;
}

/** Expands one rule into instance walls (series wall clock), within the window. */
function expandRule(
  rule: RecurrenceRule,
  dtstartWall: number,
  series: Recurrence,
  ctx: ExpandContext,
  infinite: boolean,
): number[] {
  const until = untilWall(rule, series);
  const wallZone = series.allDay ? LONDON_ZONE : series.zone;

  // A series that began long ago: start iterating a whole number of periods before the window instead of at DTSTART.
  // The shifted start is always yielded first, but it lies before the window, so the lookback drops it.
  let iterStart = dtstartWall;
  if (
    infinite &&
    (rule.freq === 'DAILY' || rule.freq === 'WEEKLY') &&
    !rule.bySetPos?.length &&
    !rule.byWeekNo?.length &&
    !rule.byYearDay?.length
  ) {
    const periodDays = (rule.freq === 'WEEKLY' ? 7 : 1) * rule.interval;
    const gapDays = Math.floor((wallZone.toWall(ctx.windowStart) - dtstartWall) / DAY_MS);
    const periods = Math.floor(gapDays / periodDays) - 2;
    if (periods > 0) iterStart = dtstartWall + periods * periodDays * DAY_MS;
  }

  const fast = fastExpand(rule, dtstartWall, until, wallZone, ctx, infinite);
  if (fast) return fast;

  // RFC 5545 3.3.10: DTSTART is always the first instance and counts towards COUNT, even when it does not match the
  // rule. ical.js does not count such a DTSTART (one instance too many), so COUNT is applied here instead.
  const count = rule.count;
  const recur = toIcalRecur({ ...rule, count: undefined }, until);
  const monthDays = rule.byMonthDay ?? [];
  const months = rule.byMonth ?? [];
  const walls: number[] = [];
  const iterator = recur.iterator(icalTimeFromWall(iterStart, series.allDay));
  let steps = 0;
  let emitted = 1;
  for (let t = iterator.next(); t; t = iterator.next()) {
    if (++steps > MAX_ITERATION_STEPS) break;
    const wall = wallOfIcalTime(t);
    const start = wallZone.toInstant(wall);
    if (start >= ctx.windowEnd) break;
    if (wall <= dtstartWall) continue;
    // ical.js rolls a day the month does not have over into the next month (BYMONTHDAY=30 in February gives
    // 2 March); RFC 5545 says such a day is skipped.
    if (!fitsDay(wall, monthDays, months)) continue;
    if (count !== undefined && ++emitted > count) break;
    if (infinite && start < ctx.windowStart) continue;
    walls.push(wall);
  }
  return walls;
}

/** Whether an instance's date is one its rule's BYMONTHDAY and BYMONTH allow. */
function fitsDay(wall: number, monthDays: readonly number[], months: readonly number[]): boolean {
  const d = new Date(wall);
  const month = d.getUTCMonth() + 1;
  if (months.length && !months.includes(month)) return false;
  if (!monthDays.length) return true;
  const day = d.getUTCDate();
  const length = new Date(Date.UTC(d.getUTCFullYear(), month, 0)).getUTCDate();
  return monthDays.some((n) => (n > 0 ? n === day : length + n + 1 === day));
}

/** DTSTART, every rule's instances and the extra dates, less the excluded dates. */
export function expandInstances(series: Recurrence, ctx: ExpandContext): InstanceSet {
  const { dtstart } = series;
  const infinite = series.rules.some((r) => !r.count && !r.until);

  // DTSTART is always the first instance.
  const instances = new Map<string, Instance>();
  const add = (wall: number, allDay: boolean, span: Span): Instance | undefined => {
    const { start, end } = makeTimes(series, wall, allDay, span);
    if (start >= ctx.windowEnd || (infinite && start < ctx.windowStart)) return undefined;
    const startDate = new Date(start);
    const key = allDay ? isoDate(wall) : startDate.toISOString();
    if (instances.has(key)) return undefined;
    const inst: Instance = { key, start: startDate, end: new Date(end), allDay, status: 'scheduled' };
    instances.set(key, inst);
    return inst;
  };
  add(dtstart.wall, series.allDay, series.span);
  for (const rule of series.rules) {
    let walls: number[];
    try {
      walls = expandRule(rule, dtstart.wall, series, ctx, infinite);
    } catch (e) {
      throw new BadEvent(`the RRULE could not be expanded: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const wall of walls) add(wall, series.allDay, series.span);
  }

  // Extra dates: DATE, DATE-TIME and PERIOD values.
  const timeOfDay = dtstart.wall - Date.UTC(...ymd(dtstart.wall));
  for (const r of series.rDates) {
    let span = series.span;
    if (!series.allDay) {
      if (r.end)
        span = { days: 0, ms: Math.max(0, instantOfValue(r.end, ctx, series) - instantOfValue(r.start, ctx, series)) };
      else if (r.duration) span = r.duration;
    }
    if (series.allDay) add(Date.UTC(...ymd(r.start.wall)), true, span);
    else if (r.start.date) add(r.start.wall + timeOfDay, false, span);
    else add(series.zone.toWall(instantOfValue(r.start, ctx, series)), false, span);
  }

  // Excluded dates: exact instants; DATE values by calendar date; floating values against a zoned series by
  // instant in the series' zone, else by date (Google and others write them that way).
  const dateKeyOf = (inst: Instance): string =>
    inst.allDay ? inst.key : isoDate(series.dateZone.toWall(inst.start.getTime()));
  const excluded = new Set<string>();
  const byStart = () => {
    const m = new Map<number, Instance>();
    for (const inst of instances.values()) if (!inst.allDay) m.set(inst.start.getTime(), inst);
    return m;
  };
  let startIndex: Map<number, Instance> | undefined;
  const exDates = new Set<string>();
  const seriesIsFloating = !dtstart.utc && !dtstart.date && dtstart.tzid === undefined;
  for (const v of series.exDates) {
    if (v.date || series.allDay) {
      exDates.add(isoDate(v.wall));
      continue;
    }
    startIndex ??= byStart();
    const exact = startIndex.get(instantOfValue(v, ctx, series));
    if (exact) {
      excluded.add(exact.key);
      instances.delete(exact.key);
    } else if (!v.utc && v.tzid === undefined && !seriesIsFloating) {
      exDates.add(isoDate(v.wall));
    }
  }
  if (exDates.size > 0) {
    for (const inst of [...instances.values()]) {
      if (exDates.has(dateKeyOf(inst))) {
        excluded.add(inst.key);
        instances.delete(inst.key);
      }
    }
    startIndex = undefined;
  }
  return { instances, excluded, infinite, dateKeyOf, startIndex: () => (startIndex ??= byStart()) };
}

/**
 * The occurrences in date order, capped at `maxPerSeries` around `now`. `capped` says, as a reason a person can
 * read, how many were left out.
 */
export function finishOccurrences(
  set: InstanceSet,
  ctx: ExpandContext,
  cancelled = false,
): { occurrences: OccurrenceInput[]; capped?: string } {
  let occurrences = [...set.instances.values()].sort(
    (a, b) => a.start.getTime() - b.start.getTime() || (a.key < b.key ? -1 : 1),
  );
  if (cancelled) for (const o of occurrences) o.status = 'cancelled';
  if (occurrences.length <= ctx.maxPerSeries) return { occurrences };
  const capped = `kept, but only the ${ctx.maxPerSeries.toLocaleString('en-GB')} sessions nearest today of its ${occurrences.length.toLocaleString('en-GB')} (the limit for one event)`;
  const firstUpcoming = occurrences.findIndex((i) => i.start.getTime() >= ctx.now);
  const from =
    firstUpcoming < 0
      ? occurrences.length - ctx.maxPerSeries
      : Math.max(0, Math.min(firstUpcoming - Math.floor(ctx.maxPerSeries / 4), occurrences.length - ctx.maxPerSeries));
  occurrences = occurrences.slice(from, from + ctx.maxPerSeries);
  return { occurrences, capped };
}

/** A whole series expanded: its occurrences, and the cap's reason when it was capped. Throws BadEvent. */
export function expandRecurrence(
  series: Recurrence,
  ctx: ExpandContext,
): { occurrences: OccurrenceInput[]; capped?: string } {
  return finishOccurrences(expandInstances(series, ctx), ctx);
}
