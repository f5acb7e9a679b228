/**
 * iCalendar (RFC 5545) → catalogue entries: one entry per UID, with its occurrences expanded over a window.
 *
 * Pure: no I/O, no logging, no global state (feed VTIMEZONEs are kept per call, never registered with
 * ical.js's global TimezoneService). ical.js does the tokenising; ical/refusal.ts refuses what is not a calendar,
 * ical/series.ts reads each series into the one structured recurrence that src/catalogue/recurrence/ expands.
 */
import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import type { CatalogueEntryInput, OccurrenceInput, Rejection } from '../model.ts';
import { BadEvent, DAY_MS, type IcalTimezone } from '../recurrence/wall-time.ts';
import { ianaZone, LONDON_ZONE, ZoneResolver } from '../recurrence/zones.ts';
import { firstProp, type JComp, type JProp, paramText, propText, propValues } from './ical/jcal.ts';
import {
  FeedRefusedError,
  parseJcal,
  refuseIfNotICalendar,
  restoreRecurValues,
  vtimezoneProblem,
} from './ical/refusal.ts';
import { beats, buildSeries, type Context, occurrencesOfMaster, type RawEvent, stampOf } from './ical/series.ts';
import { windowsZoneToIana } from './windows-zones.ts';

export { FeedRefusedError };
export { UNTITLED } from './ical/series.ts';

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
  const defaultZone =
    (defaultZoneName && (ianaZone(defaultZoneName) ?? ianaZone(windowsZoneToIana(defaultZoneName) ?? ''))) ||
    LONDON_ZONE;

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
 * What parseIcal reads from one master VEVENT, given as the jCal properties ical.js would make of its DTSTART, DTEND
 * and RRULE lines (RRULE as TEXT), in a calendar whose default zone is Europe/London: its occurrences, or undefined
 * when it would be rejected. For a writer that checks what its readers will make of a series without writing and
 * tokenising the text.
 */
export function masterExpander(options: ParseIcalOptions): (props: JProp[]) => OccurrenceInput[] | undefined {
  const now = options.now.getTime();
  const ctx: Context = {
    resolver: new ZoneResolver(new Map(), LONDON_ZONE),
    now,
    windowStart: now - (options.lookbackDays ?? 31) * DAY_MS,
    windowEnd: now + (options.horizonDays ?? 365) * DAY_MS,
    maxPerSeries: options.maxPerSeries ?? 2000,
    rejected: [],
  };
  return (props) => {
    try {
      return occurrencesOfMaster(['vevent', props, []], ctx);
    } catch (e) {
      if (!(e instanceof BadEvent)) throw e;
      return undefined;
    }
  };
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
