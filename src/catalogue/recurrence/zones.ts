/**
 * Zones: wall clock ↔ instant. IANA zones through luxon, Windows names through windows-zones.ts, fixed offsets
 * ("UTC+01:00"), and zones only a feed's own VTIMEZONE defines through ical.js.
 */
import ICAL from 'ical.js';
import { IANAZone } from 'luxon';
import { windowsZoneToIana } from '../ingest/windows-zones.ts';
import { BadEvent, DAY_MS, type IcalTimezone, icalTimeFromWall, wallOfIcalTime } from './wall-time.ts';

const LONDON = 'Europe/London';

export interface Zone {
  /** What `schedule.timezone` says: an IANA name, "UTC", "UTC+01:00", or the feed's own TZID. */
  readonly id: string;
  toInstant(wall: number): number;
  toWall(instant: number): number;
}

export const UTC_ZONE: Zone = { id: 'UTC', toInstant: (w) => w, toWall: (i) => i };

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
export function brokenZone(tzid: string, why: unknown): BadEvent {
  const reason = (why instanceof Error ? why.message : String(why)).replace(/\s+/g, ' ').slice(0, 120);
  return new BadEvent(
    `its time zone "${tzid.slice(0, 60)}" has a broken VTIMEZONE (${reason}), so its times cannot be known`,
  );
}

const ianaZones = new Map<string, IanaZoneWrapper>();
export function ianaZone(name: string): IanaZoneWrapper | undefined {
  let z = ianaZones.get(name);
  if (z) return z;
  if (!IANAZone.isValidZone(name)) return undefined;
  z = new IanaZoneWrapper(name);
  ianaZones.set(name, z);
  return z;
}
export const LONDON_ZONE = ianaZone(LONDON)!;

const OFFSET_NAME_RE = /^\(?\s*(?:GMT|UTC)\s*(?:([+-])\s*(\d{1,2})(?:[:.]?(\d{2}))?)?\s*\)?/i;

export class ZoneResolver {
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
