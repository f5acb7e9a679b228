/**
 * iCalendar (RFC 5545) → catalogue entries: one entry per UID, with its occurrences expanded over a window.
 *
 * Pure: no I/O, no logging, no global state (feed VTIMEZONEs are kept per call, never registered with
 * ical.js's global TimezoneService). ical.js does the tokenising and RRULE iteration; wall-clock ↔ instant
 * conversion is ours: IANA zones through luxon, Windows names through windows-zones.ts, VTIMEZONE-only
 * zones through ical.js. RRULEs are iterated on floating wall-clock times, so TZID times are never read as
 * floating and the series keeps its local time across DST.
 */
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { IANAZone } from 'luxon';
import type {
  CatalogueEntryInput,
  EntryKind,
  OccurrenceInput,
  Rejection,
  ScheduleInput,
} from '../model.ts';
import { cleanText } from './clean-text.ts';
import { windowsZoneToIana } from './windows-zones.ts';

/** The whole input was refused; `message` is one sentence a person can act on. */
export class FeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedRefusedError';
  }
}

export type ParseIcalOptions = {
  now: Date;
  /** Expand up to now + horizonDays. Default 365. */
  horizonDays?: number;
  /** Series without COUNT/UNTIL drop instances before now − lookbackDays (default 31): signposting looks ahead. */
  lookbackDays?: number;
  /** At most this many occurrences per series (the ones nearest `now` are kept). Default 2000. */
  maxPerSeries?: number;
};

export type ParsedFeed = {
  calendarName?: string;
  entries: CatalogueEntryInput[];
  rejected: Rejection[];
  /** How many VEVENT components the input held (masters and overrides). */
  vevents: number;
};

// ---------------------------------------------------------------------------------------------------------
// jCal access

type JProp = [name: string, params: Record<string, unknown>, type: string, ...values: unknown[]];
type JComp = [name: string, props: JProp[], comps: JComp[]];
type IcalTime = InstanceType<typeof ICAL.Time>;
type IcalTimezone = InstanceType<typeof ICAL.Timezone>;
type IcalRecur = InstanceType<typeof ICAL.Recur>;

const DAY_MS = 86_400_000;
const MAX_ITERATION_STEPS = 200_000;
const LONDON = 'Europe/London';

const firstProp = (comp: JComp, name: string): JProp | undefined => {
  for (const p of comp[1]) if (p[0] === name) return p;
  return undefined;
};
const allProps = (comp: JComp, name: string): JProp[] => comp[1].filter((p) => p[0] === name);
const propValues = (p: JProp): unknown[] => p.slice(3);

/** The text of a property's values joined with ", " (CATEGORIES-style lists), or undefined. */
const propText = (comp: JComp, name: string): string | undefined => {
  const p = firstProp(comp, name);
  if (!p) return undefined;
  const values = propValues(p).filter((v) => v !== null && v !== undefined);
  if (values.length === 0) return undefined;
  return values.map((v) => (typeof v === 'string' ? v : Array.isArray(v) ? v.join(';') : String(v))).join(', ');
};

const paramText = (p: JProp, name: string): string | undefined => {
  const v = p[1][name];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return undefined;
};

// ---------------------------------------------------------------------------------------------------------
// Dates: a "wall" is a wall-clock time encoded as milliseconds via Date.UTC (no zone attached).

type DateVal = { wall: number; date: boolean; utc: boolean; tzid?: string };

// ical.js writes a bare DATE in a DATE-TIME property ("DTSTART:20240215") as "2024-02-15T::".
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})(?:T::)?$/;
const DATE_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z)?$/;

function wallOf(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59));
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return ms;
}

/** Parses one jCal date or date-time value ("2024-06-09", "2024-06-09T03:00:00Z"). */
function parseDateValue(value: unknown, tzid?: string): DateVal | undefined {
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

const isoDate = (wall: number): string => new Date(wall).toISOString().slice(0, 10);
const hhmm = (wall: number): string => new Date(wall).toISOString().slice(11, 16);

function icalTimeFromWall(wall: number, isDate: boolean, zone?: IcalTimezone): IcalTime {
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

const wallOfIcalTime = (t: IcalTime): number => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);

// ---------------------------------------------------------------------------------------------------------
// Zones

interface Zone {
  /** What `schedule.timezone` says: an IANA name, "UTC", "UTC+01:00", or the feed's own TZID. */
  readonly id: string;
  toInstant(wall: number): number;
  toWall(instant: number): number;
}

const UTC_ZONE: Zone = { id: 'UTC', toInstant: (w) => w, toWall: (i) => i };

class FixedZone implements Zone {
  readonly id: string;
  private readonly offsetMs: number;
  constructor(offsetMinutes: number) {
    this.offsetMs = offsetMinutes * 60_000;
    const abs = Math.abs(offsetMinutes);
    const sign = offsetMinutes < 0 ? '-' : '+';
    this.id = `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  }
  toInstant(wall: number): number {
    return wall - this.offsetMs;
  }
  toWall(instant: number): number {
    return instant + this.offsetMs;
  }
}

/** Offsets of one zone over one 364-day span: the offset at its start and each change within it. */
type OffsetSpan = { initial: number; at: number[]; offsets: number[] };
const SPAN_MS = 52 * 7 * DAY_MS;
const SAMPLE_MS = 7 * DAY_MS;

class IanaZoneWrapper implements Zone {
  private readonly zone: IANAZone;
  /**
   * Offsets are looked up in per-span transition tables built from weekly samples plus a binary search to
   * the minute, so converting a million instances costs a few hundred Intl calls, not millions. (A zone
   * that changes offset and changes back within a single week would be missed; none does.)
   */
  private readonly spans = new Map<number, OffsetSpan>();
  constructor(readonly id: string) {
    this.zone = IANAZone.create(id);
  }
  private raw(ts: number): number {
    return this.zone.offset(ts) * 60_000;
  }
  private buildSpan(index: number): OffsetSpan {
    const from = index * SPAN_MS;
    const span: OffsetSpan = { initial: this.raw(from), at: [], offsets: [] };
    let cur = from;
    let curOffset = span.initial;
    for (let sample = from + SAMPLE_MS; sample <= from + SPAN_MS; sample += SAMPLE_MS) {
      let sampleOffset = this.raw(sample);
      while (sampleOffset !== curOffset) {
        // First minute in (cur, sample] whose offset differs from curOffset.
        let lo = Math.floor(cur / 60_000);
        let hi = Math.floor(sample / 60_000);
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.raw(mid * 60_000) === curOffset) lo = mid;
          else hi = mid;
        }
        cur = hi * 60_000;
        curOffset = this.raw(cur);
        if (cur >= from + SPAN_MS) break;
        span.at.push(cur);
        span.offsets.push(curOffset);
        sampleOffset = this.raw(sample);
      }
      cur = sample;
    }
    return span;
  }
  private offsetMs(ts: number): number {
    const index = Math.floor(ts / SPAN_MS);
    let span = this.spans.get(index);
    if (!span) {
      span = this.buildSpan(index);
      this.spans.set(index, span);
    }
    let offset = span.initial;
    for (let i = 0; i < span.at.length && ts >= span.at[i]!; i++) offset = span.offsets[i]!;
    return offset;
  }
  /** luxon's own algorithm: a time in the spring-forward gap moves forward; an ambiguous one takes one of both. */
  toInstant(wall: number): number {
    const o1 = this.offsetMs(wall);
    let utc = wall - o1;
    const o2 = this.offsetMs(utc);
    if (o1 === o2) return utc;
    utc -= o2 - o1;
    const o3 = this.offsetMs(utc);
    if (o2 === o3) return utc;
    return wall - Math.min(o2, o3);
  }
  toWall(instant: number): number {
    return instant + this.offsetMs(instant);
  }
}

/** A TZID only the feed's own VTIMEZONE defines: ical.js does the arithmetic. */
class VTimezoneZone implements Zone {
  constructor(
    readonly id: string,
    private readonly tz: IcalTimezone,
  ) {}
  toInstant(wall: number): number {
    try {
      return wall - this.tz.utcOffset(icalTimeFromWall(wall, false, this.tz)) * 1000;
    } catch (e) {
      throw brokenZone(this.id, e);
    }
  }
  toWall(instant: number): number {
    const whole = Math.floor(instant / 1000) * 1000;
    try {
      return wallOfIcalTime(ICAL.Time.fromJSDate(new Date(whole), true).convertToZone(this.tz)) + (instant - whole);
    } catch (e) {
      throw brokenZone(this.id, e);
    }
  }
}

/** An event in a zone whose VTIMEZONE cannot be used: that event is rejected, the rest of the feed is not. */
function brokenZone(tzid: string, why: unknown): BadEvent {
  const reason = (why instanceof Error ? why.message : String(why)).replace(/\s+/g, ' ').slice(0, 120);
  return new BadEvent(`its time zone "${tzid.slice(0, 60)}" has a broken VTIMEZONE (${reason}), so its times cannot be known`);
}

const ianaZones = new Map<string, IanaZoneWrapper>();
function ianaZone(name: string): IanaZoneWrapper | undefined {
  let z = ianaZones.get(name);
  if (z) return z;
  if (!IANAZone.isValidZone(name)) return undefined;
  z = new IanaZoneWrapper(name);
  ianaZones.set(name, z);
  return z;
}
const LONDON_ZONE = ianaZone(LONDON)!;

const OFFSET_NAME_RE = /^\(?\s*(?:GMT|UTC)\s*(?:([+-])\s*(\d{1,2})(?:[:.]?(\d{2}))?)?\s*\)?/i;

class ZoneResolver {
  private readonly cache = new Map<string, Zone>();
  constructor(
    private readonly vtimezones: ReadonlyMap<string, IcalTimezone>,
    /** For floating times and TZIDs nobody knows: X-WR-TIMEZONE if valid, else Europe/London. */
    readonly floating: Zone,
    /** TZIDs whose VTIMEZONE is unusable, with why: events in them are rejected rather than guessed. */
    private readonly broken: ReadonlyMap<string, string> = new Map(),
  ) {}

  resolve(tzid: string | undefined): Zone {
    if (tzid === undefined) return this.floating;
    let zone = this.cache.get(tzid);
    if (!zone) {
      zone = this.lookup(tzid);
      this.cache.set(tzid, zone);
    }
    return zone;
  }

  private lookup(raw: string): Zone {
    const name = raw.trim().replace(/^"(.*)"$/, '$1');
    if (/^(?:Z|UTC|GMT|Etc\/UTC|Etc\/GMT)$/i.test(name)) return UTC_ZONE;
    const direct = ianaZone(name);
    if (direct) return direct;
    const windows = windowsZoneToIana(name);
    if (windows) return ianaZone(windows) ?? this.floating;
    // "/mozilla.org/20050126_1/Europe/London" and other prefixed names.
    const suffix = /([A-Za-z]+\/[A-Za-z0-9_+-]+(?:\/[A-Za-z0-9_+-]+)?)$/.exec(name)?.[1];
    const fromSuffix = suffix ? ianaZone(suffix) : undefined;
    if (fromSuffix) return fromSuffix;
    const vtz = this.vtimezones.get(raw) ?? this.vtimezones.get(name);
    if (vtz) return new VTimezoneZone(name.slice(0, 100), vtz);
    const broken = this.broken.get(raw) ?? this.broken.get(name);
    if (broken !== undefined) throw brokenZone(name, broken);
    const offset = OFFSET_NAME_RE.exec(name);
    if (offset) {
      if (!offset[1]) return UTC_ZONE;
      const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
      if (minutes <= 14 * 60) return new FixedZone(offset[1] === '-' ? -minutes : minutes);
    }
    return this.floating;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Refusal checks

function refuseIfNotICalendar(text: string): string {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new FeedRefusedError('Source returned empty iCalendar data');
  }
  const body = text.replace(/^[\s\ufeff]+/, '');
  if (!/^BEGIN:VCALENDAR\s*[\r\n]/i.test(body) && !/^BEGIN:VCALENDAR\s*$/i.test(body)) {
    const head = body.slice(0, 2000);
    if (/^</.test(head) && /<(?:!doctype\s+html|html|head|body|meta|title)\b/i.test(head)) {
      throw new FeedRefusedError(
        'This is not an iCalendar feed: it looks like an HTML page (often a sign-in or error page, e.g. for a private calendar), not calendar data.',
      );
    }
    const start = head.slice(0, 40).replace(/\s+/g, ' ').trim();
    throw new FeedRefusedError(`This is not an iCalendar feed: it does not begin with BEGIN:VCALENDAR (it begins "${start}").`);
  }
  const tail = body.slice(-200);
  if (!/END:VCALENDAR\s*$/i.test(tail) && !/^END:VCALENDAR/im.test(body)) {
    throw new FeedRefusedError(
      'The iCalendar data is truncated or malformed: it has no END:VCALENDAR line, so the download was probably cut short.',
    );
  }
  return body;
}

const VTIMEZONE_BLOCK = /^BEGIN:VTIMEZONE[^\S\r\n]*\r?\n[\s\S]*?^END:VTIMEZONE[^\S\r\n]*(?:\r?\n|$)/gim;

function parseJcal(body: string): { calendars: JComp[]; brokenZones: Map<string, string> } {
  // RRULE/EXRULE values are read as text so that a bad rule rejects its own event, not the whole feed.
  const prepared = body.replace(/^(RRULE|EXRULE)(?=[;:])/gim, '$1;VALUE=TEXT');
  const brokenZones = new Map<string, string>();
  const why = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').slice(0, 160);
  let parsed: unknown;
  try {
    parsed = ICAL.parse(prepared);
  } catch (e) {
    // A VTIMEZONE whose values do not parse rejects the events that use it, not the whole feed: cut it out and
    // read the rest.
    const cut = prepared.replace(VTIMEZONE_BLOCK, (block) => {
      try {
        ICAL.parse(`BEGIN:VCALENDAR\r\n${block.replace(/\r?\n?$/, '\r\n')}END:VCALENDAR`);
        return block;
      } catch (blockError) {
        const tzid = /^TZID[^:\r\n]*:(.*)$/im.exec(block.replace(/\r?\n[ \t]/g, ''))?.[1]?.trim();
        if (tzid) brokenZones.set(tzid, why(blockError));
        return '';
      }
    });
    if (brokenZones.size === 0) throw new FeedRefusedError(`The iCalendar data is truncated or malformed: ${why(e)}.`);
    try {
      parsed = ICAL.parse(cut);
    } catch (again) {
      throw new FeedRefusedError(`The iCalendar data is truncated or malformed: ${why(again)}.`);
    }
  }
  const roots = (Array.isArray(parsed) && typeof parsed[0] === 'string' ? [parsed] : parsed) as JComp[];
  return { calendars: roots.filter((c) => Array.isArray(c) && c[0] === 'vcalendar'), brokenZones };
}

/** Why a VTIMEZONE cannot give offsets (a part without DTSTART, TZOFFSETFROM or TZOFFSETTO); undefined if it can. */
function vtimezoneProblem(comp: JComp): string | undefined {
  const parts = comp[2].filter((c) => c[0] === 'standard' || c[0] === 'daylight');
  if (parts.length === 0) return 'it has no STANDARD or DAYLIGHT part';
  for (const part of parts) {
    for (const name of ['dtstart', 'tzoffsetfrom', 'tzoffsetto']) {
      if (!firstProp(part, name)) return `its ${part[0].toUpperCase()} part has no ${name.toUpperCase()}`;
    }
    for (const p of allProps(part, 'rrule')) {
      try {
        const recur = ICAL.Recur.fromString(String(p[3]));
        const months = (recur.parts as Record<string, unknown>).BYMONTH;
        if (Array.isArray(months) && months.some((m) => !(Number(m) >= 1 && Number(m) <= 12))) return `its RRULE "${String(p[3]).slice(0, 60)}" names a month that does not exist`;
      } catch (e) {
        return `its RRULE "${String(p[3]).slice(0, 60)}" cannot be read (${e instanceof Error ? e.message : String(e)})`;
      }
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Events

type RawEvent = {
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
const beats = (a: RawEvent, b: RawEvent): boolean =>
  a.sequence !== b.sequence ? a.sequence > b.sequence : a.stamp !== b.stamp ? a.stamp > b.stamp : a.index > b.index;

/** Undoes the RRULE-as-text reading inside a VTIMEZONE, whose rules ical.js itself needs as recurrences. */
function restoreRecurValues(comp: JComp): JComp {
  const props = comp[1].map((p): JProp => {
    if ((p[0] !== 'rrule' && p[0] !== 'exrule') || p[2] !== 'text' || typeof p[3] !== 'string') return p;
    return [p[0], p[1], 'recur', ICAL.Recur.fromString(p[3]).toJSON()];
  });
  return [comp[0], props, comp[2].map(restoreRecurValues)];
}

function stampOf(comp: JComp): number {
  let best = -Infinity;
  for (const name of ['last-modified', 'dtstamp']) {
    const p = firstProp(comp, name);
    const v = p ? parseDateValue(p[3]) : undefined;
    if (v && v.wall > best) best = v.wall;
  }
  return best;
}

/** The interval an event lasts. Nominal days follow the wall clock (P1D is "same time tomorrow"). */
type Span = { days: number; ms: number };
const ZERO_SPAN: Span = { days: 0, ms: 0 };

/** An occurrence under construction: the output object itself, so that large feeds allocate once per instance. */
type Instance = OccurrenceInput;

type Series = {
  zone: Zone;
  /** The zone whose calendar dates DATE-valued EXDATEs and RECURRENCE-IDs refer to. */
  dateZone: Zone;
  allDay: boolean;
  span: Span;
};

class BadEvent extends Error {}

const TRAINING_RE = /\b(?:training|course|courses|mecc|mhfa)\b|mental health first aid/i;
const POSTCODE_RE = /\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})\b/i;

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();
const clip = (s: string, max: number): string => (s.length > max ? s.slice(0, max - 1).trimEnd() + '…' : s);

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

type Context = {
  resolver: ZoneResolver;
  now: number;
  windowStart: number;
  windowEnd: number;
  maxPerSeries: number;
  rejected: Rejection[];
};

function instantOfValue(v: DateVal, ctx: Context, series?: Series): number {
  if (v.utc) return v.wall;
  if (v.date) return LONDON_ZONE.toInstant(v.wall);
  if (v.tzid !== undefined) return ctx.resolver.resolve(v.tzid).toInstant(v.wall);
  return (series?.zone ?? ctx.resolver.floating).toInstant(v.wall);
}

function requireDate(comp: JComp, name: string): DateVal | undefined {
  const p = firstProp(comp, name);
  if (!p) return undefined;
  const v = parseDateValue(p[3], paramText(p, 'tzid'));
  if (!v) throw new BadEvent(`unparsable ${name.toUpperCase()} value "${String(p[3]).slice(0, 40)}"`);
  return v;
}

/** Start/end of an instance that begins at `startWall` (series wall clock) or on date `startWall`. */
function makeTimes(series: Series, startWall: number, allDay: boolean, span: Span): { start: number; end: number } {
  if (allDay) {
    const days = Math.max(1, span.days + Math.ceil(span.ms / DAY_MS));
    return { start: LONDON_ZONE.toInstant(startWall), end: LONDON_ZONE.toInstant(startWall + days * DAY_MS) };
  }
  const start = series.zone.toInstant(startWall);
  const end = (span.days ? series.zone.toInstant(startWall + span.days * DAY_MS) : start) + span.ms;
  return { start, end: Math.max(start, end) };
}

/** The span from DTSTART to DTEND (or DURATION) of a component, in the series' terms. */
function spanOf(comp: JComp, start: DateVal, ctx: Context, series: Series | undefined): Span | undefined {
  const dtend = requireDate(comp, 'dtend');
  if (dtend) {
    if (start.date) {
      const endWall = dtend.date ? dtend.wall : Date.UTC(...ymd(dtend.wall));
      return { days: Math.max(1, Math.round((endWall - start.wall) / DAY_MS)), ms: 0 };
    }
    const s = instantOfValue(start, ctx, series);
    const e = dtend.date ? (series?.zone ?? ctx.resolver.floating).toInstant(dtend.wall) : instantOfValue(dtend, ctx, series);
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

function ymd(wall: number): [number, number, number] {
  const d = new Date(wall);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
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

/** Normalises UNTIL to a floating wall-clock time in the series' zone, which is what the iterator compares with. */
function untilWall(recur: IcalRecur, series: Series): number | undefined {
  const u = recur.until;
  if (!u) return undefined;
  let wall = wallOfIcalTime(u);
  if (u.isDate) {
    if (!series.allDay) wall += DAY_MS - 1000;
  } else if (u.zone === ICAL.Timezone.utcTimezone || u.zone?.tzid === 'UTC') {
    wall = (series.allDay ? LONDON_ZONE : series.zone).toWall(wall);
  }
  return wall;
}

/** Expands one RRULE into instance walls (series wall clock), within the window. */
function expandRule(recur: IcalRecur, dtstartWall: number, series: Series, ctx: Context, infinite: boolean): number[] {
  const until = untilWall(recur, series);
  if (until !== undefined) recur.until = icalTimeFromWall(until, false);
  const wallZone = series.allDay ? LONDON_ZONE : series.zone;

  // A series that began long ago: start iterating a whole number of periods before the window instead of at DTSTART.
  // The shifted start is always yielded first, but it lies before the window, so the lookback drops it.
  let iterStart = dtstartWall;
  const parts = recur.parts as Record<string, unknown>;
  if (infinite && (recur.freq === 'DAILY' || recur.freq === 'WEEKLY') && !parts.BYSETPOS && !parts.BYWEEKNO && !parts.BYYEARDAY) {
    const periodDays = (recur.freq === 'WEEKLY' ? 7 : 1) * recur.interval;
    const gapDays = Math.floor((wallZone.toWall(ctx.windowStart) - dtstartWall) / DAY_MS);
    const periods = Math.floor(gapDays / periodDays) - 2;
    if (periods > 0) iterStart = dtstartWall + periods * periodDays * DAY_MS;
  }

  const fast = fastExpand(recur, dtstartWall, until, wallZone, ctx, infinite);
  if (fast) return fast;

  // RFC 5545 3.3.10: DTSTART is always the first instance and counts towards COUNT, even when it does not match the
  // rule. ical.js does not count such a DTSTART (one instance too many), so COUNT is applied here instead.
  const count = recur.count ?? undefined;
  const rule = count === undefined ? recur : recur.clone();
  if (count !== undefined) rule.count = null;
  const monthDays = numbers(parts.BYMONTHDAY);
  const months = numbers(parts.BYMONTH);
  const walls: number[] = [];
  const iterator = rule.iterator(icalTimeFromWall(iterStart, series.allDay));
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

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.map(Number).filter((n) => Number.isInteger(n) && n !== 0) : [];
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

const JS_WEEKDAYS: Readonly<Record<string, number>> = { SU: 0, MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6 };

/**
 * Plain arithmetic for the rules most feeds use (DAILY or WEEKLY, optionally with plain BYDAY and BYMONTH),
 * an order of magnitude faster than ical.js's general iterator. Same semantics as ical.js: DTSTART is the
 * first instance (and counts towards COUNT), then every match after it. Anything else returns undefined.
 */
function fastExpand(recur: IcalRecur, dtstartWall: number, until: number | undefined, wallZone: Zone, ctx: Context, infinite: boolean): number[] | undefined {
  const freq = recur.freq;
  if (freq === 'MONTHLY') return fastExpandMonthly(recur, dtstartWall, until, wallZone, ctx, infinite);
  if (freq !== 'DAILY' && freq !== 'WEEKLY') return undefined;
  const parts = recur.parts as Record<string, unknown>;
  let weekdays: Set<number> | undefined;
  let months: Set<number> | undefined;
  for (const [name, value] of Object.entries(parts)) {
    if (!Array.isArray(value)) return undefined;
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
    const wkst = (Number(recur.wkst) || 2) - 1; // ical.js: 1 = Sunday
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
  recur: IcalRecur,
  dtstartWall: number,
  until: number | undefined,
  wallZone: Zone,
  ctx: Context,
  infinite: boolean,
): number[] | undefined {
  const parts = recur.parts as Record<string, unknown>;
  const byday: { nth: number; dow: number }[] = [];
  const bymonthday: number[] = [];
  for (const [name, value] of Object.entries(parts)) {
    if (!Array.isArray(value)) return undefined;
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

export const UNTITLED = 'Untitled event';

function buildSeries(master: RawEvent, overrides: RawEvent[], ctx: Context): CatalogueEntryInput {
  const comp = master.comp;
  // SUMMARY is optional in RFC 5545: an untitled event is still a dated event someone can be told about.
  const title = oneLine(cleanText(propText(comp, 'summary'))) || UNTITLED;
  if (!firstProp(comp, 'dtstart')) throw new BadEvent('the event has no DTSTART');
  const dtstart = requireDate(comp, 'dtstart')!;

  const floating = ctx.resolver.floating;
  const zone: Zone = dtstart.date ? LONDON_ZONE : dtstart.utc ? UTC_ZONE : ctx.resolver.resolve(dtstart.tzid);
  const series: Series = {
    zone,
    dateZone: dtstart.date ? LONDON_ZONE : dtstart.utc ? floating : zone,
    allDay: dtstart.date,
    span: ZERO_SPAN,
  };
  series.span = spanOf(comp, dtstart, ctx, series) ?? (dtstart.date ? { days: 1, ms: 0 } : ZERO_SPAN);

  const rruleProps = allProps(comp, 'rrule');
  const recurs = rruleProps.map(parseRecur);
  const infinite = recurs.some((r) => !r.count && !r.until);

  // RRULE instances (DTSTART is always the first instance).
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
  for (const recur of recurs) {
    let walls: number[];
    try {
      walls = expandRule(recur, dtstart.wall, series, ctx, infinite);
    } catch (e) {
      throw new BadEvent(`the RRULE could not be expanded: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const wall of walls) add(wall, series.allDay, series.span);
  }

  // RDATE: DATE, DATE-TIME and PERIOD values.
  const timeOfDay = dtstart.wall - Date.UTC(...ymd(dtstart.wall));
  for (const p of allProps(comp, 'rdate')) {
    const tzid = paramText(p, 'tzid');
    for (const value of propValues(p)) {
      const [startText, endText]: unknown[] = Array.isArray(value) ? value : [value, undefined];
      const v = parseDateValue(startText, tzid);
      if (!v) throw new BadEvent(`unparsable RDATE value "${String(value).slice(0, 40)}"`);
      let span = series.span;
      if (endText !== undefined && !series.allDay) {
        const endV = parseDateValue(endText, tzid);
        span = endV
          ? { days: 0, ms: Math.max(0, instantOfValue(endV, ctx, series) - instantOfValue(v, ctx, series)) }
          : (parseSpan(endText) ?? span);
      }
      if (series.allDay) add(Date.UTC(...ymd(v.wall)), true, span);
      else if (v.date) add(v.wall + timeOfDay, false, span);
      else add(series.zone.toWall(instantOfValue(v, ctx, series)), false, span);
    }
  }

  // EXDATE: exact instants; DATE values by calendar date; floating values against a zoned series by instant
  // in the series' zone, else by date (Google and others write them that way).
  const dateKeyOf = (inst: Instance): string => (inst.allDay ? inst.key : isoDate(series.dateZone.toWall(inst.start.getTime())));
  const excluded = new Set<string>();
  const byStart = () => {
    const m = new Map<number, Instance>();
    for (const inst of instances.values()) if (!inst.allDay) m.set(inst.start.getTime(), inst);
    return m;
  };
  let startIndex: Map<number, Instance> | undefined;
  const exDates = new Set<string>();
  const seriesIsFloating = !dtstart.utc && !dtstart.date && dtstart.tzid === undefined;
  for (const p of allProps(comp, 'exdate')) {
    const tzid = paramText(p, 'tzid');
    for (const value of propValues(p)) {
      const v = parseDateValue(value, tzid);
      if (!v) throw new BadEvent(`unparsable EXDATE value "${String(value).slice(0, 40)}"`);
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

  // Overrides (RECURRENCE-ID).
  const seriesStatus = statusOf(comp);
  const masterLocation = propText(comp, 'location')?.trim();
  for (const o of overrides) {
    try {
      applyOverride(o, { instances, excluded, series, ctx, title, masterLocation, infinite, dateKeyOf, getStartIndex: () => (startIndex ??= byStart()) });
    } catch (e) {
      if (!(e instanceof BadEvent)) throw e;
      ctx.rejected.push({ ref: o.ref, reason: `change to one date ignored: ${e.message}` });
    }
  }

  let occurrences = [...instances.values()].sort(
    (a, b) => a.start.getTime() - b.start.getTime() || (a.key < b.key ? -1 : 1),
  );
  if (seriesStatus === 'cancelled') for (const o of occurrences) o.status = 'cancelled';
  if (occurrences.length > ctx.maxPerSeries) {
    ctx.rejected.push({
      ref: master.ref,
      reason: `kept, but only the ${ctx.maxPerSeries.toLocaleString('en-GB')} sessions nearest today of its ${occurrences.length.toLocaleString('en-GB')} (the limit for one event)`,
    });
    const firstUpcoming = occurrences.findIndex((i) => i.start.getTime() >= ctx.now);
    const from = firstUpcoming < 0 ? occurrences.length - ctx.maxPerSeries : Math.max(0, Math.min(firstUpcoming - Math.floor(ctx.maxPerSeries / 4), occurrences.length - ctx.maxPerSeries));
    occurrences = occurrences.slice(from, from + ctx.maxPerSeries);
  }

  return toEntry(master, title, occurrences, series, dtstart, rruleProps, recurs, ctx);
}

function statusOf(comp: JComp): 'scheduled' | 'cancelled' {
  const s = propText(comp, 'status')?.trim().toUpperCase();
  return s === 'CANCELLED' || s === 'CANCELED' ? 'cancelled' : 'scheduled';
}

type OverrideScope = {
  instances: Map<string, Instance>;
  excluded: Set<string>;
  series: Series;
  ctx: Context;
  title: string;
  masterLocation: string | undefined;
  infinite: boolean;
  dateKeyOf: (inst: Instance) => string;
  getStartIndex: () => Map<number, Instance>;
};

function applyOverride(o: RawEvent, scope: OverrideScope): void {
  const { instances, excluded, series, ctx } = scope;
  const rid = requireDate(o.comp, 'recurrence-id');
  if (!rid) return;

  // Find the instance it replaces.
  let target: Instance | undefined;
  let key: string;
  if (rid.date || series.allDay) {
    key = isoDate(rid.wall);
    target = instances.get(key);
    if (!target && !series.allDay) {
      for (const inst of instances.values()) if (scope.dateKeyOf(inst) === key) (target ??= inst);
    }
  } else {
    const instant = instantOfValue(rid, ctx, series);
    key = new Date(instant).toISOString();
    target = instances.get(key) ?? scope.getStartIndex().get(instant);
  }
  if (target) key = target.key;
  if (excluded.has(key)) return;

  const dtstart = requireDate(o.comp, 'dtstart');
  const startVal: DateVal = dtstart ?? rid;
  const allDay = startVal.date;
  const span = spanOf(o.comp, startVal, ctx, series) ?? (allDay ? { days: Math.max(1, series.span.days), ms: 0 } : series.span);
  let times: { start: number; end: number };
  if (allDay) times = makeTimes(series, startVal.wall, true, span);
  else {
    const start = instantOfValue(startVal, ctx, series);
    times = makeTimes(series, series.zone.toWall(start), false, span);
    times = { start, end: Math.max(start, times.end) };
  }

  if (!target) {
    if (times.start >= ctx.windowEnd || (scope.infinite && times.start < ctx.windowStart)) return;
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
  const location: LocationInput = { externalId, name: clip(name, 500), address1: clip(cleaned, 500), accessibility: [] };
  const pc = POSTCODE_RE.exec(cleaned);
  if (pc) location.postalCode = `${pc[1]} ${pc[2]}`.toUpperCase();
  return { location, online: false };
}

function toEntry(
  master: RawEvent,
  title: string,
  occurrences: OccurrenceInput[],
  series: Series,
  dtstart: DateVal,
  rruleProps: JProp[],
  recurs: IcalRecur[],
  ctx: Context,
): CatalogueEntryInput {
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
  const kind: EntryKind = TRAINING_RE.test(title) || categories.some((c) => TRAINING_RE.test(c)) ? 'training' : 'activity';

  const description = cleanText(propText(comp, 'description'));
  for (const [field, value, max] of [['title', title, 500], ['description', description, 20_000]] as const) {
    if (value.length > max) {
      ctx.rejected.push({ ref: master.ref, reason: `kept, but its ${field} was cut to ${max.toLocaleString('en-GB')} characters (it had ${value.length.toLocaleString('en-GB')})` });
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
  if (location) entry.location = location;
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
  const firstRecur = recurs[0];
  if (rruleProps.length > 0 && firstRecur) {
    schedule.rrule = clip(rruleProps.map((p) => String(p[3]).replace(/^RRULE:/i, '')).join('\n'), 2000);
    if (recurs.length === 1) {
      const freq = firstRecur.freq;
      if (freq === 'DAILY' || freq === 'WEEKLY' || freq === 'MONTHLY' || freq === 'YEARLY') schedule.freq = freq;
      schedule.interval = firstRecur.interval;
      const parts = firstRecur.parts as Record<string, unknown>;
      if (Array.isArray(parts.BYDAY)) schedule.byday = clip(parts.BYDAY.join(','), 200);
      if (Array.isArray(parts.BYMONTHDAY)) schedule.bymonthday = clip(parts.BYMONTHDAY.join(','), 200);
      if (firstRecur.count) schedule.count = firstRecur.count;
      if (firstRecur.until) {
        const u = wallOfIcalTime(firstRecur.until);
        schedule.until = new Date((series.allDay ? LONDON_ZONE : series.zone).toInstant(u));
      }
    }
  }
  if (!series.allDay) {
    schedule.opensAt = hhmm(dtstart.utc ? ctx.resolver.floating.toWall(start) : dtstart.wall);
    const endWall = (dtstart.utc ? ctx.resolver.floating : series.zone).toWall(makeTimes(series, series.zone.toWall(start), false, series.span).end);
    schedule.closesAt = hhmm(endWall);
  }
  entry.schedule = schedule;
  return entry;
}

// ---------------------------------------------------------------------------------------------------------

const syntheticUid = (comp: JComp): string => {
  const dt = firstProp(comp, 'dtstart');
  const basis = `${propText(comp, 'summary') ?? ''}\u0000${dt ? `${paramText(dt, 'tzid') ?? ''}:${String(dt[3])}` : ''}`;
  return `nouid:${createHash('sha1').update(basis).digest('hex').slice(0, 24)}`;
};

export function parseIcal(text: string, options: ParseIcalOptions): ParsedFeed {
  const body = refuseIfNotICalendar(text);
  const { calendars, brokenZones } = parseJcal(body);

  const now = options.now.getTime();
  const rejected: Rejection[] = [];

  // Calendar-level facts and every VTIMEZONE, wherever it sits in the file.
  let calendarName: string | undefined;
  let defaultZoneName: string | undefined;
  const vtimezones = new Map<string, IcalTimezone>();
  const vevents: JComp[] = [];
  for (const cal of calendars) {
    calendarName ??= propText(cal, 'x-wr-calname')?.trim() || propText(cal, 'name')?.trim() || undefined;
    defaultZoneName ??= propText(cal, 'x-wr-timezone')?.trim() || undefined;
    for (const sub of cal[2]) {
      if (sub[0] === 'vevent') vevents.push(sub);
      else if (sub[0] === 'vtimezone') {
        const tzid = propText(sub, 'tzid')?.trim();
        if (!tzid || vtimezones.has(tzid)) continue;
        const problem = vtimezoneProblem(sub);
        if (problem) {
          brokenZones.set(tzid, problem);
          continue;
        }
        try {
          vtimezones.set(tzid, new ICAL.Timezone({ component: new ICAL.Component(restoreRecurValues(sub)), tzid }));
        } catch (e) {
          brokenZones.set(tzid, e instanceof Error ? e.message : String(e));
        }
      }
    }
  }
  const defaultZone = (defaultZoneName && (ianaZone(defaultZoneName) ?? ianaZone(windowsZoneToIana(defaultZoneName) ?? ''))) || LONDON_ZONE;

  const ctx: Context = {
    resolver: new ZoneResolver(vtimezones, defaultZone, brokenZones),
    now,
    windowStart: now - (options.lookbackDays ?? 31) * DAY_MS,
    windowEnd: now + (options.horizonDays ?? 365) * DAY_MS,
    maxPerSeries: options.maxPerSeries ?? 2000,
    rejected,
  };

  // One pass: masters and RECURRENCE-ID overrides grouped by UID.
  const masters = new Map<string, RawEvent[]>();
  const overrides = new Map<string, RawEvent[]>();
  vevents.forEach((comp, i) => {
    const index = i + 1;
    const uid = propText(comp, 'uid')?.trim();
    const seq = firstProp(comp, 'sequence')?.[3];
    const raw: RawEvent = {
      comp,
      index,
      uid: uid || syntheticUid(comp),
      ref: uid || `VEVENT #${index}`,
      sequence: typeof seq === 'number' && Number.isFinite(seq) ? seq : 0,
      stamp: stampOf(comp),
    };
    const target = uid && firstProp(comp, 'recurrence-id') ? overrides : masters;
    const list = target.get(raw.uid);
    if (list) list.push(raw);
    else target.set(raw.uid, [raw]);
  });

  const entries: CatalogueEntryInput[] = [];
  const build = (master: RawEvent, own: RawEvent[]) => {
    try {
      entries.push(buildSeries(master, own, ctx));
    } catch (e) {
      if (!(e instanceof BadEvent)) throw e;
      rejected.push({ ref: master.ref, reason: e.message });
    }
  };

  for (const [uid, list] of masters) {
    let winner = list[0]!;
    for (const ev of list) if (beats(ev, winner)) winner = ev;
    for (const ev of list) {
      if (ev !== winner) {
        rejected.push({
          ref: ev.ref,
          reason: `duplicate UID: VEVENT #${ev.index} is replaced by VEVENT #${winner.index} with the same UID (higher SEQUENCE, later change, or later in the file)`,
        });
      }
    }
    build(winner, dedupeOverrides(overrides.get(uid) ?? [], rejected));
  }

  // Overrides whose series is missing from the feed: each becomes a dated occurrence of a series built from them.
  for (const [uid, list] of overrides) {
    if (masters.has(uid)) continue;
    const own = dedupeOverrides(list, rejected);
    const first = own[0];
    if (first) build({ ...first, comp: orphanMaster(first.comp) }, own);
  }

  return { ...(calendarName ? { calendarName } : {}), entries, rejected, vevents: vevents.length };
}

/**
 * A stand-in series for overrides whose master is missing: the first override's properties, starting at its
 * RECURRENCE-ID and never recurring, so that every override (the first included) then applies as a change.
 */
function orphanMaster(comp: JComp): JComp {
  const dropped = new Set(['recurrence-id', 'dtstart', 'dtend', 'duration', 'rrule', 'rdate', 'exdate', 'status']);
  const rid = firstProp(comp, 'recurrence-id')!;
  const props = comp[1].filter((p) => !dropped.has(p[0]));
  props.push(['dtstart', rid[1], rid[2], ...propValues(rid)]);
  return [comp[0], props, comp[2]];
}

/** Several overrides of the same date: the usual SEQUENCE / timestamp / file-order rule picks one. */
function dedupeOverrides(list: RawEvent[], rejected: Rejection[]): RawEvent[] {
  if (list.length < 2) return list;
  const byRid = new Map<string, RawEvent>();
  for (const ev of list) {
    const p = firstProp(ev.comp, 'recurrence-id')!;
    const key = `${paramText(p, 'tzid') ?? ''}|${String(p[3])}`;
    const seen = byRid.get(key);
    if (!seen) byRid.set(key, ev);
    else {
      const [win, lose] = beats(ev, seen) ? [ev, seen] : [seen, ev];
      byRid.set(key, win);
      rejected.push({
        ref: lose.ref,
        reason: `duplicate UID: VEVENT #${lose.index} changes the same date (RECURRENCE-ID ${String(p[3])}) as VEVENT #${win.index}, which is used instead`,
      });
    }
  }
  return [...byRid.values()];
}
