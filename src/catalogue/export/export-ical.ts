/**
 * The catalogue as an iCalendar feed (RFC 5545) that Outlook, Google and Apple calendars can subscribe to.
 *
 * One VEVENT series per dated entry. Its UID is the source's own UID for entries that came from iCalendar and
 * `<entry id>@signpost` otherwise, so it is stable across refreshes. A series keeps the RRULE its source had (from
 * iCalendar or an Open Referral schedule); otherwise its dates are RDATEs. The series is then expanded with the
 * importer's own expander and compared with the stored occurrences: instances we do not hold become EXDATEs, and
 * moved, retitled or cancelled ones become RECURRENCE-ID overrides, so a re-import yields the same occurrences.
 * Entries without dates (standing services, resources) are only in the Open Referral export.
 */
import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import type { JProp } from '../ingest/ical/jcal.ts';
import { masterExpander, parseIcal } from '../ingest/parse-ical.ts';
import { escapeText, foldLine, LONDON_VTIMEZONE, paramValue } from '../ical/write-ical.ts';
import { isWebUrl } from '../web-url.ts';
import type { ExportEntry, ExportOccurrence } from './read-catalogue.ts';

/** `20261201T090000Z`: an instant in UTC, to the second. */
function utcStamp(d: Date): string {
  const year = d.getUTCFullYear();
  // Years of four digits are written field by field; others (and an invalid date, which throws) as before.
  if (!(year >= 0 && year <= 9999))
    return d
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  return `${String(year).padStart(4, '0')}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}${pad2(d.getUTCMinutes())}${pad2(d.getUTCSeconds())}Z`;
}
/**
 * Europe/London's offset at an instant. Since 1996 its summer time runs from the last Sunday of March to the last
 * Sunday of October, 01:00 UTC both; worked out here because a large feed writes hundreds of thousands of local
 * times. Other years are left to the time-zone database.
 */
function londonOffsetMs(ms: number): number | undefined {
  const year = new Date(ms).getUTCFullYear();
  if (year < 1996 || year > 2099) return undefined;
  const [start, end] = clockChangesOf(year);
  return ms >= start! && ms < end! ? 3_600_000 : 0;
}
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
function londonFields(d: Date): string | undefined {
  const offset = londonOffsetMs(d.getTime());
  if (offset === undefined) return undefined;
  const t = new Date(d.getTime() + offset);
  return `${t.getUTCFullYear()}${pad2(t.getUTCMonth() + 1)}${pad2(t.getUTCDate())}T${pad2(t.getUTCHours())}${pad2(t.getUTCMinutes())}${pad2(t.getUTCSeconds())}`;
}
const londonWall = (d: Date): string =>
  londonFields(d) ?? DateTime.fromJSDate(d, { zone: ZONE }).toFormat("yyyyMMdd'T'HHmmss");
const londonDate = (d: Date): string =>
  londonFields(d)?.slice(0, 8) ?? DateTime.fromJSDate(d, { zone: ZONE }).toFormat('yyyyMMdd');
const dtProp = (name: string, d: Date, allDay: boolean): string =>
  allDay ? `${name};VALUE=DATE:${londonDate(d)}` : `${name};TZID=${ZONE}:${londonWall(d)}`;

/** A rule ical.js reads back as it is written (its TEXT value has nothing to unescape). */
const PLAIN_RULE = /^[A-Za-z0-9=;,+-]+$/;

/** The jCal property ical.js makes of `dtProp(name, d, allDay)`; undefined if the written value is not the usual form. */
function dtJcal(name: string, d: Date, allDay: boolean): JProp | undefined {
  if (allDay) {
    const m = /^(\d{4})(\d{2})(\d{2})$/.exec(londonDate(d));
    return m ? [name, {}, 'date', `${m[1]}-${m[2]}-${m[3]}`] : undefined;
  }
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(londonWall(d));
  return m ? [name, { tzid: ZONE }, 'date-time', `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`] : undefined;
}

export function uidOf(entry: ExportEntry): string {
  return entry.sourceFormat === 'ical' ? entry.externalId : `${entry.id}@signpost`;
}

/** An address that can follow `mailto:` as it is (no spaces, quotes or delimiters). */
const EMAIL = /^[^\s@"<>\\,;:()[\]]+@[^\s@"<>\\,;:()[\]]+$/;

/** An entry left out of the feed because it could not be written, and why. */
export type SkippedEntry = { entryId: string; reason: string };

type Series = {
  entry: ExportEntry;
  uid: string;
  master: string[];
  first: ExportOccurrence;
  hasRule: boolean;
  /** A series with a rule: its DTSTART, DTEND and RRULE as ical.js reads them back (jCal), when that is certain. */
  jcal?: JProp[];
};

function ruleOf(entry: ExportEntry): string | undefined {
  const s = entry.schedule;
  if (!s) return undefined;
  const tz = typeof s.timezone === 'string' ? s.timezone : ZONE;
  if (tz !== ZONE) return undefined; // expanded in another zone: its dates are written out instead
  if (typeof s.rrule === 'string' && s.rrule.trim() && !s.rrule.includes('\n')) return s.rrule.trim();
  return undefined;
}

function baseProps(entry: ExportEntry, uid: string): string[] {
  const stamp = utcStamp(entry.updatedAt);
  const lines = [`UID:${escapeText(uid)}`, `DTSTAMP:${stamp}`, `LAST-MODIFIED:${stamp}`];
  lines.push(`SUMMARY:${escapeText(entry.title)}`);
  if (entry.description) lines.push(`DESCRIPTION:${escapeText(entry.description)}`);
  if (isWebUrl(entry.url)) lines.push(`URL:${entry.url}`);
  const loc = entry.location;
  if (loc) {
    const where =
      loc.locationType === 'virtual' && isWebUrl(loc.url)
        ? loc.url
        : [
            loc.name,
            loc.address1 && loc.address1 !== loc.name ? loc.address1 : null,
            loc.address2,
            loc.city,
            loc.postalCode && !loc.address1?.includes(loc.postalCode) ? loc.postalCode : null,
          ]
            .filter(Boolean)
            .join(', ');
    if (where) lines.push(`LOCATION:${escapeText(where)}`);
    if (loc.latitude !== null && loc.longitude !== null) lines.push(`GEO:${loc.latitude};${loc.longitude}`);
  }
  if (entry.categories.length) lines.push(`CATEGORIES:${entry.categories.map(escapeText).join(',')}`);
  if (entry.contactEmail && EMAIL.test(entry.contactEmail)) {
    const cn = entry.contactName?.trim() ? `;CN=${paramValue(entry.contactName)}` : '';
    lines.push(`ORGANIZER${cn}:mailto:${entry.contactEmail}`);
  }
  lines.push('TRANSP:TRANSPARENT');
  return lines;
}

export type IcalOptions = { now: Date; horizonDays?: number; name?: string; onSkip?: (skipped: SkippedEntry) => void };

/** The iCalendar text for the entries (dated ones only), expanded against `now` for the EXDATE/override check. */
export function renderIcal(entries: readonly ExportEntry[], options: IcalOptions): string {
  return [icalHead(options), icalEvents(entries, options), ICAL_TAIL].join('');
}

/**
 * The same text in pieces as the pages of entries arrive: the calendar's head, each page's events, its tail. A
 * whole-catalogue feed is written to its subscriber as it is made, holding one page at a time (with readIcalPages,
 * its rows' text, each entry made from its row when it is written).
 */
export async function* streamIcal(
  pages: AsyncIterable<Iterable<ExportEntry>>,
  options: IcalOptions,
): AsyncGenerator<string> {
  yield icalHead(options);
  for await (const page of pages) {
    const events = icalEvents(page, options);
    if (events) yield events;
  }
  yield ICAL_TAIL;
}

const ICAL_TAIL = 'END:VCALENDAR\r\n';

function icalHead(options: IcalOptions): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Signpost//Camden community catalogue//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.name ?? 'Signpost: Camden community activities')}`,
    `X-WR-TIMEZONE:${ZONE}`,
    'REFRESH-INTERVAL;VALUE=DURATION:PT6H',
    'X-PUBLISHED-TTL:PT6H',
    ...LONDON_VTIMEZONE,
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}

/** An instance an importer reads from a series: what its EXDATEs and overrides are worked out against. */
type Instance = { start: Date; end: Date; allDay?: boolean };

/** How one page of entries is written: its options, and where an entry that cannot be written is reported. */
type PageContext = {
  options: IcalOptions;
  skip: (entry: ExportEntry, error: unknown) => void;
  expandOptions: { now: Date; horizonDays?: number };
  /** Instances start before this (now + horizon). */
  windowEnd: number;
};

/** The VEVENTs of some entries, each line folded and ended with CRLF ('' when none has dates). */
function icalEvents(entries: Iterable<ExportEntry>, options: IcalOptions): string {
  const page: PageContext = {
    options,
    skip: (entry, error) =>
      options.onSkip?.({
        entryId: entry.id,
        reason: (error instanceof Error ? error.message : String(error)).slice(0, 300),
      }),
    expandOptions: { now: options.now, ...(options.horizonDays ? { horizonDays: options.horizonDays } : {}) },
    windowEnd: options.now.getTime() + (options.horizonDays ?? 365) * 86_400_000,
  };
  return eventsOneByOne(entries, page) ?? eventsReadBack(entries, page);
}

/**
 * Each entry written as soon as it is expanded, so that little of a page is held at once. A series of plain dates
 * (no RRULE) expands to its own dates, worked out here; a series with a rule is expanded by the importer's own code
 * from what ical.js reads of its DTSTART, DTEND and RRULE, without writing and tokenising the text. Anything the
 * importer might read differently (all-day dates, times near a clock change, more dates than an importer keeps, a rule
 * in an unusual form) is parsed back with the rest of its page's such series. Undefined, with nothing reported, when
 * a UID is on the page twice: the importer keeps one series of a UID, so such a page is read back whole.
 */
function eventsOneByOne(entries: Iterable<ExportEntry>, page: PageContext): string | undefined {
  const held: [ExportEntry, unknown][] = [];
  const local: PageContext = { ...page, skip: (entry, error) => held.push([entry, error]) };
  const expand = masterExpander(page.expandOptions);
  const uids = new Set<string>();
  const out: (string | Series)[] = [];
  const toProbe: Series[] = [];
  for (const entry of entries) {
    if (entry.occurrences.length) {
      const uid = uidOf(entry);
      if (uids.has(uid)) return undefined;
      uids.add(uid);
    }
    let s: Series | undefined;
    try {
      s = seriesOf(entry);
    } catch (error) {
      local.skip(entry, error);
      continue;
    }
    if (!s) continue;
    let instances: readonly Instance[] | undefined;
    try {
      if (s.hasRule) instances = s.jcal ? (expand(s.jcal) ?? []) : undefined;
      else instances = plainDates(s, page.windowEnd);
    } catch (error) {
      local.skip(entry, error);
      continue;
    }
    if (!instances) {
      toProbe.push(s);
      out.push(s);
      continue;
    }
    const text = seriesText(s, instances, local);
    if (text) out.push(text);
  }
  if (toProbe.length) {
    const { expanded, failed } = readBack(toProbe, local);
    for (let i = 0; i < out.length; i++) {
      const s = out[i]!;
      if (typeof s === 'string') continue;
      out[i] = failed.has(s) ? '' : (seriesText(s, expanded.get(s.uid) ?? [], local) ?? '');
    }
  }
  for (const [entry, error] of held) page.skip(entry, error);
  const text = out.filter((t) => t !== '').join('\r\n');
  return text ? `${text}\r\n` : '';
}

/** A page with a UID twice: every series is expanded first (the rule ones parsed back together), then written. */
function eventsReadBack(entries: Iterable<ExportEntry>, page: PageContext): string {
  const series: Series[] = [];
  for (const entry of entries) {
    try {
      const one = seriesOf(entry);
      if (one) series.push(one);
    } catch (error) {
      page.skip(entry, error);
    }
  }
  const dated = new Map<string, readonly Instance[]>();
  const toProbe: Series[] = [];
  for (const s of series) {
    const dates = s.hasRule ? undefined : plainDates(s, page.windowEnd);
    if (dates) dated.set(s.uid, dates);
    else toProbe.push(s);
  }
  const { expanded, failed } = readBack(toProbe, page);
  for (const [uid, dates] of expanded) dated.set(uid, dates);
  const out: string[] = [];
  for (const s of series) {
    if (failed.has(s)) continue;
    const text = seriesText(s, dated.get(s.uid) ?? [], page);
    if (text) out.push(text);
  }
  return out.length ? `${out.join('\r\n')}\r\n` : '';
}

/**
 * Some masters parsed back together, exactly as an importer of this feed reads them: their instances by UID. Should
 * they not read back together, each is tried on its own and the ones that do not are left out (`failed`): never the
 * whole feed.
 */
function readBack(
  list: readonly Series[],
  page: PageContext,
): { expanded: Map<string, Instance[]>; failed: Set<Series> } {
  const expanded = new Map<string, Instance[]>();
  const failed = new Set<Series>();
  if (!list.length) return { expanded, failed };
  const probe = (some: readonly Series[]) => {
    const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', ...LONDON_VTIMEZONE];
    for (const s of some) lines.push(...s.master, 'END:VEVENT');
    lines.push('END:VCALENDAR');
    for (const e of parseIcal(lines.join('\r\n'), page.expandOptions).entries)
      expanded.set(e.externalId, e.occurrences ?? []);
  };
  try {
    probe(list);
  } catch {
    for (const s of list) {
      try {
        probe([s]);
      } catch (error) {
        failed.add(s);
        page.skip(s.entry, error);
      }
    }
  }
  return { expanded, failed };
}

/** One series' VEVENTs, folded, joined by CRLF; undefined (and reported) when it cannot be written. */
function seriesText(s: Series, instances: readonly Instance[], page: PageContext): string | undefined {
  try {
    return seriesLines(s, instances).map(foldLine).join('\r\n');
  } catch (error) {
    page.skip(s.entry, error);
    return undefined;
  }
}

const HOUR_MS = 3_600_000;
const clockChanges = new Map<number, number[]>();
/** Whether [start, end], widened by three hours, holds a Europe/London clock change (last Sundays of March and October, 01:00 UTC). */
function clockChangesOf(year: number): number[] {
  let changes = clockChanges.get(year);
  if (!changes) {
    const lastSunday = (month: number) => {
      const last = new Date(Date.UTC(year, month + 1, 0));
      return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
    };
    changes = [lastSunday(2), lastSunday(9)];
    clockChanges.set(year, changes);
  }
  return changes;
}
function touchesClockChange(start: number, end: number): boolean {
  for (let year = new Date(start).getUTCFullYear(); year <= new Date(end).getUTCFullYear(); year++) {
    if (clockChangesOf(year).some((c) => c > start - 3 * HOUR_MS && c < end + 3 * HOUR_MS)) return true;
  }
  return false;
}

/**
 * The instances an importer reads from a series of plain dates: DTSTART and every RDATE, before the horizon, once
 * each. Undefined when that is not certain, so the series is parsed back instead.
 */
function plainDates(s: Series, windowEnd: number): ExportOccurrence[] | undefined {
  if (s.first.allDay) return undefined;
  const sorted = [...s.entry.occurrences].sort((a, b) => a.start.getTime() - b.start.getTime());
  const seen = new Set<number>();
  const out: ExportOccurrence[] = [];
  for (const o of [s.first, ...sorted.filter((o) => o !== s.first && !o.allDay)]) {
    const start = o.start.getTime();
    const end = o.end.getTime();
    if (start % 1000 !== 0 || end % 1000 !== 0 || end < start || touchesClockChange(start, end)) return undefined;
    if (start >= windowEnd || seen.has(start)) continue;
    seen.add(start);
    out.push({
      key: o.start.toISOString(),
      start: o.start,
      end: o.end,
      allDay: false,
      status: 'scheduled',
      title: null,
      note: null,
      capacity: null,
    });
  }
  return out.length > 2000 ? undefined : out;
}

/**
 * The rule's first session. Open Referral schedules are kept as the day the rule starts (London midnight) and the
 * opening time apart; a timed series starts at that day's opening time.
 */
function ruleStart(schedule: Record<string, unknown>, allDay: boolean): Date {
  const dtstart = new Date(String(schedule.dtstart));
  const opens = typeof schedule.opensAt === 'string' ? /^(\d{2}):(\d{2})$/.exec(schedule.opensAt) : null;
  const day = DateTime.fromJSDate(dtstart, { zone: ZONE });
  if (allDay || !opens || !day.isValid || !day.equals(day.startOf('day'))) return dtstart;
  return day.set({ hour: Number(opens[1]), minute: Number(opens[2]) }).toJSDate();
}

/** One dated entry as a master VEVENT (RRULE or RDATEs); undefined for entries without dates. */
function seriesOf(entry: ExportEntry): Series | undefined {
  const occurrences = [...entry.occurrences].sort((a, b) => a.start.getTime() - b.start.getTime());
  const first = occurrences.find((o) => o.status !== 'cancelled') ?? occurrences[0];
  if (!first) return undefined;
  const uid = uidOf(entry);
  const rule = ruleOf(entry);
  const schedule = entry.schedule ?? {};
  const allDay = first.allDay;
  const dtstart = rule && typeof schedule.dtstart === 'string' ? ruleStart(schedule, allDay) : undefined;
  const master = ['BEGIN:VEVENT', ...baseProps(entry, uid)];
  if (rule && dtstart && !Number.isNaN(dtstart.getTime())) {
    const span = first.end.getTime() - first.start.getTime();
    const end = allDay
      ? DateTime.fromJSDate(dtstart, { zone: ZONE })
          .plus({ days: Math.max(1, Math.round(span / 86_400_000)) })
          .toJSDate()
      : new Date(dtstart.getTime() + span);
    master.push(dtProp('DTSTART', dtstart, allDay), dtProp('DTEND', end, allDay), `RRULE:${rule}`);
    const start = dtJcal('dtstart', dtstart, allDay);
    const until = dtJcal('dtend', end, allDay);
    const jcal =
      start && until && PLAIN_RULE.test(rule) ? [start, until, ['rrule', {}, 'text', rule] as JProp] : undefined;
    return { entry, uid, master, first, hasRule: true, ...(jcal ? { jcal } : {}) };
  }
  master.push(dtProp('DTSTART', first.start, first.allDay), dtProp('DTEND', first.end, first.allDay));
  const span = first.end.getTime() - first.start.getTime();
  for (const o of occurrences) {
    if (o === first) continue;
    if (o.allDay !== first.allDay) continue; // becomes an override below
    if (o.allDay || o.end.getTime() - o.start.getTime() === span) master.push(dtProp('RDATE', o.start, o.allDay));
    else master.push(`RDATE;VALUE=PERIOD:${utcStamp(o.start)}/${utcStamp(o.end)}`);
  }
  return { entry, uid, master, first, hasRule: false };
}

/** A series' master with its EXDATEs, then its RECURRENCE-ID overrides. */
function seriesLines(s: Series, instances: readonly Instance[]): string[] {
  const out: string[] = [];
  const byStart = new Map(instances.map((i) => [i.start.getTime(), i]));
  const claimed = new Set<number>();
  const overrides: string[][] = [];
  for (const o of s.entry.occurrences) {
    const keyInstant = Date.parse(o.key);
    const original =
      (!Number.isNaN(keyInstant) && !o.allDay ? byStart.get(keyInstant) : undefined) ?? byStart.get(o.start.getTime());
    const anchor = original && !claimed.has(original.start.getTime()) ? original : undefined;
    if (anchor) claimed.add(anchor.start.getTime());
    const same =
      anchor &&
      anchor.start.getTime() === o.start.getTime() &&
      anchor.end.getTime() === o.end.getTime() &&
      (anchor.allDay ?? false) === o.allDay &&
      o.status !== 'cancelled' &&
      !o.title;
    if (same) continue;
    const rid = anchor ?? o;
    const lines = ['BEGIN:VEVENT', ...baseProps(s.entry, s.uid)];
    if (o.title) lines[lines.findIndex((l) => l.startsWith('SUMMARY:'))] = `SUMMARY:${escapeText(o.title)}`;
    lines.push(
      rid.allDay ? `RECURRENCE-ID;VALUE=DATE:${londonDate(rid.start)}` : `RECURRENCE-ID:${utcStamp(rid.start)}`,
    );
    lines.push(dtProp('DTSTART', o.start, o.allDay), dtProp('DTEND', o.end, o.allDay));
    if (o.status === 'cancelled') lines.push('STATUS:CANCELLED');
    lines.push('END:VEVENT');
    overrides.push(lines);
  }
  const exdates = instances.filter((i) => !claimed.has(i.start.getTime()));
  out.push(...s.master);
  for (const x of exdates)
    out.push(x.allDay ? `EXDATE;VALUE=DATE:${londonDate(x.start)}` : `EXDATE:${utcStamp(x.start)}`);
  out.push('END:VEVENT');
  for (const o of overrides) out.push(...o);
  return out;
}
