/**
 * One iCalendar series → one catalogue entry: the master VEVENT read into a structured `Recurrence` (DTSTART, RRULE,
 * RDATE, EXDATE), expanded by the recurrence engine, then changed date by date by its RECURRENCE-ID overrides.
 */
import ICAL from 'ical.js';
import type { CatalogueEntryInput, EntryKind, OccurrenceInput, Rejection, ScheduleInput } from '../../model.ts';
import {
  type ExpandContext,
  expandInstances,
  finishOccurrences,
  type Instance,
  type InstanceSet,
  instantOfValue,
  makeTimes,
  untilWall,
} from '../../recurrence/expand-recurrence.ts';
import {
  type Recurrence,
  type RecurrenceDate,
  type Span,
  toRecurrenceRule,
  ZERO_SPAN,
} from '../../recurrence/recurrence-rule.ts';
import { BadEvent, DAY_MS, type DateVal, hhmm, isoDate, parseDateValue, ymd } from '../../recurrence/wall-time.ts';
import { LONDON_ZONE, UTC_ZONE, type Zone, type ZoneResolver } from '../../recurrence/zones.ts';
import { cleanText } from '../clean-text.ts';
import { allProps, firstProp, type JComp, type JProp, paramText, propText, propValues } from './jcal.ts';
import { truncate as clip } from '../../../truncate.ts';

type IcalRecur = InstanceType<typeof ICAL.Recur>;

export type Context = ExpandContext & { resolver: ZoneResolver; rejected: Rejection[] };

export type RawEvent = {
  comp: JComp;
  /** 1-based position among the input's VEVENTs. */
  index: number;
  uid: string;
  /** The UID, or "VEVENT #n" when the event had none. */
  ref: string;
  sequence: number;
  stamp: number;
};

/** Later SEQUENCE wins, then later LAST-MODIFIED/DTSTAMP, then the later one in the file. */
export const beats = (a: RawEvent, b: RawEvent): boolean =>
  a.sequence !== b.sequence ? a.sequence > b.sequence : a.stamp !== b.stamp ? a.stamp > b.stamp : a.index > b.index;

export function stampOf(comp: JComp): number {
  let best = -Infinity;
  for (const name of ['last-modified', 'dtstamp']) {
    const p = firstProp(comp, name);
    const v = p ? parseDateValue(p[3]) : undefined;
    if (v && v.wall > best) best = v.wall;
  }
  return best;
}

const TRAINING_RE = /\b(?:training|course|courses|mecc|mhfa)\b|mental health first aid/i;
const POSTCODE_RE = /\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b/i;

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

function parseSpan(value: unknown): Span | undefined {
  if (typeof value !== 'string' || !/^[+-]?P/i.test(value)) return undefined;
  try {
    const d = ICAL.Duration.fromString(value);
    const days = d.weeks * 7 + d.days;
    const ms = (d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000;
    if (d.isNegative) return ZERO_SPAN;
    return { days, ms };
  } catch {
    return undefined;
  }
}

function requireDate(comp: JComp, name: string): DateVal | undefined {
  const p = firstProp(comp, name);
  if (!p) return undefined;
  const v = parseDateValue(p[3], paramText(p, 'tzid'));
  if (!v) throw new BadEvent(`unparsable ${name.toUpperCase()} value "${String(p[3]).slice(0, 40)}"`);
  return v;
}

/** The span from DTSTART to DTEND (or DURATION) of a component, in the series' terms. */
function spanOf(comp: JComp, start: DateVal, ctx: Context, series: Recurrence | undefined): Span | undefined {
  const dtend = requireDate(comp, 'dtend');
  if (dtend) {
    if (start.date) {
      const endWall = dtend.date ? dtend.wall : Date.UTC(...ymd(dtend.wall));
      return { days: Math.max(1, Math.round((endWall - start.wall) / DAY_MS)), ms: 0 };
    }
    const s = instantOfValue(start, ctx, series);
    const e = dtend.date
      ? (series?.zone ?? ctx.resolver.floating).toInstant(dtend.wall)
      : instantOfValue(dtend, ctx, series);
    return { days: 0, ms: Math.max(0, e - s) };
  }
  const dur = firstProp(comp, 'duration');
  if (dur) {
    const span = parseSpan(dur[3]);
    if (!span) throw new BadEvent(`unparsable DURATION value "${String(dur[3]).slice(0, 40)}"`);
    return span;
  }
  return undefined;
}

function parseRecur(p: JProp): IcalRecur {
  const value = p[3];
  let recur: IcalRecur;
  try {
    recur =
      typeof value === 'string'
        ? ICAL.Recur.fromString(value.replace(/^RRULE:/i, ''))
        : ICAL.Recur.fromData(value as Parameters<typeof ICAL.Recur.fromData>[0]);
  } catch (e) {
    throw new BadEvent(`invalid RRULE "${String(value).slice(0, 80)}": ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!recur.freq) throw new BadEvent(`invalid RRULE "${String(value).slice(0, 80)}": it has no FREQ`);
  if (!Number.isFinite(recur.interval) || recur.interval < 1) recur.interval = 1;
  return recur;
}

export const UNTITLED = 'Untitled event';

/** A master VEVENT's DTSTART, span, RRULEs, RDATEs and EXDATEs as the one structured recurrence. Throws BadEvent. */
function recurrenceOf(comp: JComp, ctx: Context): { series: Recurrence; rruleProps: JProp[] } {
  if (!firstProp(comp, 'dtstart')) throw new BadEvent('the event has no DTSTART');
  const dtstart = requireDate(comp, 'dtstart')!;

  const floating = ctx.resolver.floating;
  const zone: Zone = dtstart.date ? LONDON_ZONE : dtstart.utc ? UTC_ZONE : ctx.resolver.resolve(dtstart.tzid);
  const series: Recurrence = {
    dtstart,
    zone,
    dateZone: dtstart.date ? LONDON_ZONE : dtstart.utc ? floating : zone,
    allDay: dtstart.date,
    span: ZERO_SPAN,
    rules: [],
    rDates: [],
    exDates: [],
  };
  series.span = spanOf(comp, dtstart, ctx, series) ?? (dtstart.date ? { days: 1, ms: 0 } : ZERO_SPAN);

  const rruleProps = allProps(comp, 'rrule');
  series.rules = rruleProps.map((p) => toRecurrenceRule(parseRecur(p)));

  // RDATE: DATE, DATE-TIME and PERIOD values.
  for (const p of allProps(comp, 'rdate')) {
    const tzid = paramText(p, 'tzid');
    for (const value of propValues(p)) {
      const [startText, endText]: unknown[] = Array.isArray(value) ? value : [value, undefined];
      const start = parseDateValue(startText, tzid);
      if (!start) throw new BadEvent(`unparsable RDATE value "${String(value).slice(0, 40)}"`);
      const rdate: RecurrenceDate = { start };
      if (endText !== undefined && !series.allDay) {
        const end = parseDateValue(endText, tzid);
        const duration = end ? undefined : parseSpan(endText);
        if (end) rdate.end = end;
        else if (duration) rdate.duration = duration;
      }
      series.rDates.push(rdate);
    }
  }
  for (const p of allProps(comp, 'exdate')) {
    const tzid = paramText(p, 'tzid');
    for (const value of propValues(p)) {
      const v = parseDateValue(value, tzid);
      if (!v) throw new BadEvent(`unparsable EXDATE value "${String(value).slice(0, 40)}"`);
      series.exDates.push(v);
    }
  }

  return { series, rruleProps };
}

/**
 * The occurrences a master VEVENT without overrides expands to, exactly as buildSeries gives them: what an importer
 * reads back from a series someone wrote. Throws BadEvent.
 */
export function occurrencesOfMaster(comp: JComp, ctx: Context): OccurrenceInput[] {
  const { series } = recurrenceOf(comp, ctx);
  return finishOccurrences(expandInstances(series, ctx), ctx, statusOf(comp) === 'cancelled').occurrences;
}

export function buildSeries(master: RawEvent, overrides: RawEvent[], ctx: Context): CatalogueEntryInput {
  const comp = master.comp;
  // SUMMARY is optional in RFC 5545: an untitled event is still a dated event someone can be told about.
  const title = oneLine(cleanText(propText(comp, 'summary'))) || UNTITLED;
  const { series, rruleProps } = recurrenceOf(comp, ctx);
  const set = expandInstances(series, ctx);

  // Overrides (RECURRENCE-ID).
  const masterLocation = propText(comp, 'location')?.trim();
  for (const o of overrides) {
    try {
      applyOverride(o, { set, series, ctx, title, masterLocation });
    } catch (e) {
      if (!(e instanceof BadEvent)) throw e;
      ctx.rejected.push({ ref: o.ref, reason: `change to one date ignored: ${e.message}` });
    }
  }

  const { occurrences, capped } = finishOccurrences(set, ctx, statusOf(comp) === 'cancelled');
  if (capped) ctx.rejected.push({ ref: master.ref, reason: capped });
  return toEntry(master, title, occurrences, series, rruleProps, ctx);
}

function statusOf(comp: JComp): 'scheduled' | 'cancelled' {
  const s = propText(comp, 'status')?.trim().toUpperCase();
  return s === 'CANCELLED' || s === 'CANCELED' ? 'cancelled' : 'scheduled';
}

type OverrideScope = {
  set: InstanceSet;
  series: Recurrence;
  ctx: Context;
  title: string;
  masterLocation: string | undefined;
};

function applyOverride(o: RawEvent, scope: OverrideScope): void {
  const { series, ctx } = scope;
  const { instances, excluded } = scope.set;
  const rid = requireDate(o.comp, 'recurrence-id');
  if (!rid) return;

  // Find the instance it replaces.
  let target: Instance | undefined;
  let key: string;
  if (rid.date || series.allDay) {
    key = isoDate(rid.wall);
    target = instances.get(key);
    if (!target && !series.allDay) {
      for (const inst of instances.values()) if (scope.set.dateKeyOf(inst) === key) target ??= inst;
    }
  } else {
    const instant = instantOfValue(rid, ctx, series);
    key = new Date(instant).toISOString();
    target = instances.get(key) ?? scope.set.startIndex().get(instant);
  }
  if (target) key = target.key;
  if (excluded.has(key)) return;

  const dtstart = requireDate(o.comp, 'dtstart');
  const startVal: DateVal = dtstart ?? rid;
  const allDay = startVal.date;
  const span =
    spanOf(o.comp, startVal, ctx, series) ?? (allDay ? { days: Math.max(1, series.span.days), ms: 0 } : series.span);
  let times: { start: number; end: number };
  if (allDay) times = makeTimes(series, startVal.wall, true, span);
  else {
    const start = instantOfValue(startVal, ctx, series);
    times = makeTimes(series, series.zone.toWall(start), false, span);
    times = { start, end: Math.max(start, times.end) };
  }

  if (!target) {
    if (times.start >= ctx.windowEnd || (scope.set.infinite && times.start < ctx.windowStart)) return;
    target = { key, start: new Date(times.start), end: new Date(times.end), allDay, status: 'scheduled' };
    instances.set(key, target);
  }
  target.start = new Date(times.start);
  target.end = new Date(times.end);
  target.allDay = allDay;
  if (statusOf(o.comp) === 'cancelled') target.status = 'cancelled';
  const ownTitle = oneLine(cleanText(propText(o.comp, 'summary')));
  if (ownTitle && ownTitle !== scope.title) target.title = clip(ownTitle, 500);
  const ownLocation = propText(o.comp, 'location')?.trim();
  if (ownLocation && ownLocation !== scope.masterLocation) {
    target.note = clip(`Location for this date: ${oneLine(cleanText(ownLocation))}`, 2000);
  }
}

type LocationInput = NonNullable<CatalogueEntryInput['location']>;

function locationOf(text: string | undefined): { location?: LocationInput; online: boolean } {
  if (!text) return { online: false };
  const cleaned = cleanText(text)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(', ');
  if (!cleaned) return { online: false };
  const normalised = cleaned.toLowerCase().replace(/\s+/g, ' ');
  const externalId = clip(`loc:${normalised}`, 500);
  if (/^https?:\/\/\S+$/i.test(cleaned)) {
    return {
      online: true,
      location: { externalId, name: 'Online', locationType: 'virtual', url: cleaned.slice(0, 2000), accessibility: [] },
    };
  }
  const name = cleaned.split(/\s*,\s*/)[0]?.trim() || cleaned;
  const location: LocationInput = {
    externalId,
    name: clip(name, 500),
    address1: clip(cleaned, 500),
    accessibility: [],
  };
  const pc = POSTCODE_RE.exec(cleaned);
  if (pc) location.postalCode = `${pc[1]} ${pc[2]}`.toUpperCase();
  return { location, online: false };
}

/** GEO's latitude and longitude (jCal gives them as two floats); nothing for a value out of range or 0,0. */
function geoOf(prop: JProp | undefined): { latitude: number; longitude: number } | undefined {
  if (!prop) return undefined;
  const value = prop[3];
  const [lat, lon] = (Array.isArray(value) ? value : String(value ?? '').split(/[;,]/)).map(Number);
  if (lat === undefined || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon)) return undefined;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) return undefined;
  return { latitude: lat, longitude: lon };
}

function toEntry(
  master: RawEvent,
  title: string,
  occurrences: OccurrenceInput[],
  series: Recurrence,
  rruleProps: JProp[],
  ctx: Context,
): CatalogueEntryInput {
  const { dtstart, rules } = series;
  const comp = master.comp;
  const categories = [
    ...new Set(
      allProps(comp, 'categories')
        .flatMap(propValues)
        .flatMap((v) => (typeof v === 'string' ? v.split(',') : []))
        .map((c) => clip(oneLine(cleanText(c)).toLowerCase(), 100))
        .filter(Boolean),
    ),
  ];
  const kind: EntryKind =
    TRAINING_RE.test(title) || categories.some((c) => TRAINING_RE.test(c)) ? 'training' : 'activity';

  const description = cleanText(propText(comp, 'description'));
  for (const [field, value, max] of [
    ['title', title, 500],
    ['description', description, 20_000],
  ] as const) {
    if (value.length > max) {
      ctx.rejected.push({
        ref: master.ref,
        reason: `kept, but its ${field} was cut to ${max.toLocaleString('en-GB')} characters (it had ${value.length.toLocaleString('en-GB')})`,
      });
    }
  }
  const entry: CatalogueEntryInput = {
    externalId: master.uid,
    kind,
    title: clip(title, 500),
    description: clip(description, 20_000),
    status: 'active',
    categories,
    occurrences,
  };

  const url = propText(comp, 'url')?.trim();
  if (url) entry.url = url.slice(0, 2000);

  const { location, online } = locationOf(propText(comp, 'location'));
  if (location) {
    // GEO (RFC 5545 §3.8.1.6): where the venue is, so distance and place questions can use it.
    const point = location.locationType === 'virtual' ? undefined : geoOf(firstProp(comp, 'geo'));
    if (point) Object.assign(location, point);
    entry.location = location;
  }
  if (online) entry.attendingTypes = ['online'];

  const organizer = firstProp(comp, 'organizer');
  if (organizer) {
    const email = String(organizer[3] ?? '')
      .replace(/^mailto:/i, '')
      .trim();
    const name = paramText(organizer, 'cn')?.trim();
    const contact: { email?: string; name?: string } = {};
    if (/^[^\s@]+@[^\s@]+$/.test(email) && email.length <= 320) contact.email = email;
    if (name && !name.includes('@')) contact.name = clip(name, 200);
    entry.contact = contact;
  }

  const start = instantOfValue(dtstart, ctx, series);
  const schedule: ScheduleInput = { dtstart: new Date(start), timezone: series.zone.id.slice(0, 100) };
  const firstRule = rules[0];
  if (rruleProps.length > 0 && firstRule) {
    schedule.rrule = clip(rruleProps.map((p) => String(p[3]).replace(/^RRULE:/i, '')).join('\n'), 2000);
    if (rules.length === 1) {
      const freq = firstRule.freq;
      if (freq === 'DAILY' || freq === 'WEEKLY' || freq === 'MONTHLY' || freq === 'YEARLY') schedule.freq = freq;
      schedule.interval = firstRule.interval;
      if (firstRule.byDay) schedule.byday = clip(firstRule.byDay.join(','), 200);
      if (firstRule.byMonthDay) schedule.bymonthday = clip(firstRule.byMonthDay.join(','), 200);
      if (firstRule.count) schedule.count = firstRule.count;
      const until = untilWall(firstRule, series);
      if (until !== undefined) schedule.until = new Date((series.allDay ? LONDON_ZONE : series.zone).toInstant(until));
    }
  }
  if (!series.allDay) {
    schedule.opensAt = hhmm(dtstart.utc ? ctx.resolver.floating.toWall(start) : dtstart.wall);
    const endWall = (dtstart.utc ? ctx.resolver.floating : series.zone).toWall(
      makeTimes(series, series.zone.toWall(start), false, series.span).end,
    );
    schedule.closesAt = hhmm(endWall);
  }
  entry.schedule = schedule;
  return entry;
}
