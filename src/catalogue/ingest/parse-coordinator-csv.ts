/**
 * The `csv` import format: a coordinator's spreadsheet, one row per activity, course or resource, in the columns of
 * templates/coordinator-template.csv (documented in docs/coordinator-csv.md). Header names are matched loosely
 * ("Post code", "postcode", "POSTCODE"), every row is checked on its own, and a bad row is rejected as `row N` (the
 * spreadsheet's own row number, counting the header as row 1) with the reason.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { ZONE } from '../../clock.ts';
import { findPostcodeDistrict, findWard, normalisePostcode } from '../geography/camden.ts';
import {
  ACCESSIBILITY_FEATURES,
  type AccessibilityFeature,
  type AttendingType,
  type Audience,
  type CatalogueEntryInput,
  type EntryKind,
  type OccurrenceInput,
  type Rejection,
} from '../model.ts';
import { cleanText } from './clean-text.ts';
import { FeedRefusedError } from './parse-ical.ts';
import {
  type HsdsSchedule,
  expandSchedules,
  parseByday,
  parseCalendarDate,
  parseTimeOfDay,
} from './parse-hsds-schedule.ts';
import {
  accessibilityFeatures,
  audiencesIn,
  cleanEmail,
  cleanPhone,
  cleanUrl,
  howToJoinOf,
} from './parse-hsds-service.ts';

/** The template's columns, in order. */
export const COORDINATOR_COLUMNS = [
  'id',
  'title',
  'kind',
  'description',
  'organisation',
  'venue',
  'address',
  'postcode',
  'ward',
  'latitude',
  'longitude',
  'online',
  'days',
  'start_time',
  'end_time',
  'frequency',
  'dates',
  'starts_on',
  'ends_on',
  'capacity',
  'cost',
  'how_to_join',
  'audiences',
  'categories',
  'languages',
  'access_features',
  'access_notes',
  'eligibility',
  'contact_name',
  'contact_email',
  'contact_phone',
  'url',
  'status',
  'last_confirmed',
] as const;
type Column = (typeof COORDINATOR_COLUMNS)[number];

const ALIASES: Readonly<Record<string, Column>> = {
  name: 'title',
  activity: 'title',
  type: 'kind',
  details: 'description',
  organization: 'organisation',
  provider: 'organisation',
  location: 'venue',
  place: 'venue',
  'post code': 'postcode',
  lat: 'latitude',
  lng: 'longitude',
  lon: 'longitude',
  day: 'days',
  start: 'start_time',
  from: 'start_time',
  end: 'end_time',
  until: 'end_time',
  to: 'end_time',
  repeats: 'frequency',
  date: 'dates',
  'start date': 'starts_on',
  'end date': 'ends_on',
  places: 'capacity',
  price: 'cost',
  'how to join': 'how_to_join',
  audience: 'audiences',
  'who for': 'audiences',
  category: 'categories',
  language: 'languages',
  accessibility: 'access_features',
  'access features': 'access_features',
  'access notes': 'access_notes',
  contact: 'contact_name',
  email: 'contact_email',
  phone: 'contact_phone',
  telephone: 'contact_phone',
  website: 'url',
  link: 'url',
  'last confirmed': 'last_confirmed',
  'last checked': 'last_confirmed',
};

function columnOf(header: string): Column | string {
  const key = header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[_-]+/g, ' ')
    .replace(/\s+/g, ' ');
  const underscored = key.replace(/ /g, '_');
  if ((COORDINATOR_COLUMNS as readonly string[]).includes(underscored)) return underscored;
  return ALIASES[key] ?? underscored;
}

class RowError extends Error {}

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(/[;,|\n]+/)
    .map((s) => s.trim())
    .filter(Boolean);

const slug = (s: string): string =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);

const FREQUENCIES: Readonly<Record<string, { freq: string; interval?: number; ordinal?: string }>> = {
  weekly: { freq: 'WEEKLY' },
  'every week': { freq: 'WEEKLY' },
  fortnightly: { freq: 'WEEKLY', interval: 2 },
  'every two weeks': { freq: 'WEEKLY', interval: 2 },
  'every other week': { freq: 'WEEKLY', interval: 2 },
  monthly: { freq: 'MONTHLY', ordinal: '1' },
  daily: { freq: 'DAILY' },
  'first of the month': { freq: 'MONTHLY', ordinal: '1' },
  'second of the month': { freq: 'MONTHLY', ordinal: '2' },
  'third of the month': { freq: 'MONTHLY', ordinal: '3' },
  'fourth of the month': { freq: 'MONTHLY', ordinal: '4' },
  'last of the month': { freq: 'MONTHLY', ordinal: '-1' },
};

function kindOf(v: string | undefined): EntryKind {
  const t = (v ?? '').trim().toLowerCase();
  if (!t || /activit|group|club|class|session/.test(t)) return 'activity';
  if (/training|course/.test(t)) return 'training';
  if (/resource|guide|toolkit|leaflet|information/.test(t)) return 'resource';
  throw new RowError(`kind "${t.slice(0, 30)}" is not activity, training or resource`);
}

function costOf(v: string | undefined): CatalogueEntryInput['cost'] {
  const t = (v ?? '').trim();
  if (!t) return {};
  if (/^(free|£?0(?:\.00)?|none|no charge)$/i.test(t))
    return { isFree: true, amount: 0, ...(t.toLowerCase() !== 'free' && !/^£?0/.test(t) ? { description: t } : {}) };
  const amounts = [...t.matchAll(/£\s?(\d+(?:\.\d{1,2})?)|(\d+(?:\.\d{1,2})?)\s?(?:p|pence)\b/gi)].map((m) =>
    m[1] ? Number(m[1]) : Number(m[2]) / 100,
  );
  const plain = /^\d+(?:\.\d{1,2})?$/.test(t) ? Number(t) : undefined;
  const amount = plain ?? (amounts.length ? Math.min(...amounts) : undefined);
  return {
    ...(amount !== undefined ? { amount, isFree: amount === 0 } : /\bfree\b/i.test(t) ? { isFree: true } : {}),
    ...(plain === undefined ? { description: t.slice(0, 1000) } : {}),
  };
}

function accessOf(v: string | undefined): { features: AccessibilityFeature[]; rest: string[] } {
  const features = new Set<AccessibilityFeature>();
  const rest: string[] = [];
  for (const item of list(v)) {
    const code = item.toLowerCase().replace(/[\s-]+/g, '_');
    if ((ACCESSIBILITY_FEATURES as readonly string[]).includes(code)) features.add(code as AccessibilityFeature);
    else {
      const found = accessibilityFeatures(item);
      if (found.length) for (const f of found) features.add(f);
      else rest.push(item);
    }
  }
  return { features: [...features], rest };
}

function audiencesOf(v: string | undefined): Audience[] {
  const out = new Set<Audience>();
  for (const item of list(v)) {
    const found = audiencesIn(item);
    if (found.length === 0)
      throw new RowError(`audience "${item.slice(0, 40)}" is not one we know (see docs/coordinator-csv.md)`);
    for (const a of found) out.add(a);
  }
  return [...out];
}

/** Explicit dates: "2027-01-12; 2027-01-19 10:00-12:00" (a time range after a date overrides start/end times). */
function explicitDates(text: string, start?: string, end?: string): OccurrenceInput[] {
  const out: OccurrenceInput[] = [];
  for (const item of list(text.replace(/,(?=\s*\d{4}-)/g, ';'))) {
    const m = /^(\S+)(?:\s+(\d{1,2}[:.]?\d{2})\s*(?:-|–|to)\s*(\d{1,2}[:.]?\d{2}))?$/.exec(item);
    const date = m ? parseCalendarDate(m[1]) : undefined;
    if (!m || !date)
      throw new RowError(`"${item.slice(0, 30)}" in dates is not a date such as 2027-01-12 or 12/01/2027`);
    const opens = parseTimeOfDay(m[2]?.replace('.', ':')) ?? start;
    const closes = parseTimeOfDay(m[3]?.replace('.', ':')) ?? end;
    const day = DateTime.fromISO(date, { zone: ZONE });
    if (opens) {
      const [h, mi] = opens.split(':').map(Number) as [number, number];
      const s = day.set({ hour: h, minute: mi });
      let e = s;
      if (closes) {
        const [h2, mi2] = closes.split(':').map(Number) as [number, number];
        e = day.set({ hour: h2, minute: mi2 });
        if (e < s) e = e.plus({ days: 1 });
      }
      out.push({
        key: s.toUTC().toISO({ suppressMilliseconds: true })!.replace('+00:00', 'Z'),
        start: s.toJSDate(),
        end: e.toJSDate(),
        allDay: false,
        status: 'scheduled',
      });
    } else {
      out.push({
        key: date,
        start: day.toJSDate(),
        end: day.plus({ days: 1 }).toJSDate(),
        allDay: true,
        status: 'scheduled',
      });
    }
  }
  return out;
}

type Row = Partial<Record<Column, string>>;

function toEntry(row: Row, rowNumber: number): { entry: CatalogueEntryInput; schedule?: HsdsSchedule } {
  const title = cleanText(row.title).replace(/\s*\n\s*/g, ' ');
  if (!title) throw new RowError('title is empty');
  const kind = kindOf(row.kind);
  const organisationName = cleanText(row.organisation).replace(/\s*\n\s*/g, ' ');
  const entry: CatalogueEntryInput = {
    externalId: row.id?.trim() || `${slug(organisationName || 'row')}/${slug(title)}`,
    kind,
    title: title.slice(0, 500),
    description: cleanText(row.description).slice(0, 20_000),
    occurrences: [],
  };
  if (organisationName)
    entry.organisation = { externalId: `org:${slug(organisationName)}`, name: organisationName.slice(0, 500) };

  const attending = new Set<AttendingType>();
  const online = (row.online ?? '').trim().toLowerCase();
  const venue = cleanText(row.venue);
  const address = cleanText(row.address).replace(/\s*\n\s*/g, ', ');
  const postcodeText = (row.postcode ?? '').trim();
  if (venue || address || postcodeText) {
    const postcode = postcodeText ? normalisePostcode(postcodeText) : undefined;
    if (postcodeText && !postcode) throw new RowError(`postcode "${postcodeText.slice(0, 12)}" is not a UK postcode`);
    const wardText = (row.ward ?? '').trim();
    const ward = wardText ? findWard(wardText) : undefined;
    if (wardText && !ward) throw new RowError(`ward "${wardText.slice(0, 40)}" is not one of Camden's 20 wards`);
    const district = postcode ? findPostcodeDistrict(postcode) : undefined;
    const lat = row.latitude?.trim() ? Number(row.latitude) : undefined;
    const lon = row.longitude?.trim() ? Number(row.longitude) : undefined;
    if (
      (lat !== undefined && (!Number.isFinite(lat) || Math.abs(lat) > 90)) ||
      (lon !== undefined && (!Number.isFinite(lon) || Math.abs(lon) > 180))
    ) {
      throw new RowError('latitude/longitude are not coordinates (e.g. 51.5390, -0.1426)');
    }
    const access = accessOf(row.access_features);
    const note = [cleanText(row.access_notes), ...access.rest].filter(Boolean).join('. ');
    entry.location = {
      externalId: `loc:${slug([venue, postcode ?? address].filter(Boolean).join(' '))}`,
      ...(venue ? { name: venue.slice(0, 500) } : {}),
      ...(address ? { address1: address.slice(0, 500) } : {}),
      ...(postcode ? { postalCode: postcode } : {}),
      ...(ward ? { ward: ward.name } : district?.wards.length === 1 ? { ward: district.wards[0]! } : {}),
      ...(lat !== undefined && lon !== undefined ? { latitude: lat, longitude: lon } : {}),
      accessibility: access.features,
      ...(note ? { accessibilityNote: note.slice(0, 5000) } : {}),
    };
    attending.add('in_person');
  }
  if (/^(yes|y|true|online|only|online only)$/.test(online)) {
    attending.add('online');
    if (online.includes('only')) attending.delete('in_person');
  } else if (/phone/.test(online)) attending.add('phone');

  const url = row.url?.trim();
  if (url) {
    // Anything but an http(s) address is dropped by the import with a note; the row itself is kept.
    const ok = cleanUrl(url);
    entry.url = ok ?? url.slice(0, 2000);
    if (ok && attending.size === 0) attending.add('online');
  }
  entry.attendingTypes = attending.size ? [...attending] : ['in_person'];
  entry.cost = costOf(row.cost);
  const how = row.how_to_join?.trim();
  if (how) {
    const h = howToJoinOf(how);
    if (!h)
      throw new RowError(`how_to_join "${how.slice(0, 30)}" is not drop-in, self-referral, referral needed or booking`);
    entry.howToJoin = h;
  }
  entry.audiences = audiencesOf(row.audiences);
  entry.categories = list(row.categories).map((c) => c.toLowerCase().slice(0, 100));
  entry.languages = list(row.languages).map((l) => l.toLowerCase().slice(0, 100));
  if (row.eligibility?.trim()) entry.eligibility = cleanText(row.eligibility).slice(0, 2000);
  const email = row.contact_email?.trim();
  if (email && !cleanEmail(email)) throw new RowError('contact_email is not an e-mail address');
  const phone = row.contact_phone?.trim();
  entry.contact = {
    ...(row.contact_name?.trim() ? { name: row.contact_name.trim().slice(0, 200) } : {}),
    ...(email ? { email } : {}),
    ...(phone && cleanPhone(phone) ? { phone: cleanPhone(phone)! } : {}),
  };
  const status = (row.status ?? '').trim().toLowerCase();
  if (status) {
    if (/^(active|running|open)$/.test(status)) entry.status = 'active';
    else if (/paused|temporarily|suspended/.test(status)) entry.status = 'temporarily_closed';
    else if (/closed|ended|stopped/.test(status)) entry.status = 'closed';
    else throw new RowError(`status "${status.slice(0, 30)}" is not active, temporarily closed or closed`);
  }
  const confirmed = row.last_confirmed?.trim();
  if (confirmed) {
    const d = parseCalendarDate(confirmed);
    if (!d) throw new RowError(`last_confirmed "${confirmed.slice(0, 20)}" is not a date such as 2027-01-12`);
    entry.assuredDate = new Date(`${d}T00:00:00Z`);
  }

  // When: explicit dates, or days + times (+ frequency), or nothing (a standing entry).
  const start = row.start_time?.trim() ? parseTimeOfDay(row.start_time.replace('.', ':')) : undefined;
  const end = row.end_time?.trim() ? parseTimeOfDay(row.end_time.replace('.', ':')) : undefined;
  if (row.start_time?.trim() && !start)
    throw new RowError(`start_time "${row.start_time.slice(0, 12)}" is not a time such as 10:30`);
  if (row.end_time?.trim() && !end)
    throw new RowError(`end_time "${row.end_time.slice(0, 12)}" is not a time such as 12:00`);
  const capacity = row.capacity?.trim() ? Number(row.capacity) : undefined;
  if (capacity !== undefined && (!Number.isInteger(capacity) || capacity < 0))
    throw new RowError('capacity is not a whole number');
  if (row.dates?.trim()) {
    entry.occurrences = explicitDates(row.dates, start, end).map((o) =>
      capacity !== undefined ? { ...o, capacity } : o,
    );
    entry.schedule = {
      timezone: ZONE,
      ...(start ? { opensAt: start.slice(0, 5) } : {}),
      ...(end ? { closesAt: end.slice(0, 5) } : {}),
    };
    return { entry };
  }
  const days = row.days?.trim();
  if (days) {
    let byday: string[];
    try {
      byday = parseByday(days.replace(/\band\b|&/gi, ','));
    } catch {
      throw new RowError(`days "${days.slice(0, 30)}" is not a list of days such as "Tuesday, Thursday"`);
    }
    const freqText = (row.frequency ?? 'weekly').trim().toLowerCase() || 'weekly';
    const freq = FREQUENCIES[freqText];
    if (!freq)
      throw new RowError(
        `frequency "${freqText.slice(0, 30)}" is not weekly, fortnightly, monthly or "second of the month"`,
      );
    const startsOn = row.starts_on?.trim() ? parseCalendarDate(row.starts_on) : undefined;
    const endsOn = row.ends_on?.trim() ? parseCalendarDate(row.ends_on) : undefined;
    if (row.starts_on?.trim() && !startsOn) throw new RowError('starts_on is not a date such as 2027-01-12');
    if (row.ends_on?.trim() && !endsOn) throw new RowError('ends_on is not a date such as 2027-06-30');
    if (freq.interval && !startsOn)
      throw new RowError('a fortnightly activity needs starts_on (the date of one session)');
    const schedule: HsdsSchedule = {
      freq: freq.freq,
      byday: (freq.ordinal ? byday.map((d) => `${freq.ordinal}${d}`) : byday).join(','),
      ...(freq.interval ? { interval: String(freq.interval) } : {}),
      ...(startsOn ? { dtstart: startsOn } : {}),
      ...(endsOn ? { validTo: endsOn } : {}),
      ...(start ? { opensAt: start } : {}),
      ...(end ? { closesAt: end } : {}),
    };
    return { entry, schedule };
  }
  if (row.frequency?.trim() || start) throw new RowError('times or a frequency are given but no days or dates');
  void rowNumber;
  return { entry };
}

export function parseCoordinatorCsv(
  text: string,
  context: { now: Date; horizonDays?: number; origin: string },
): { entries: CatalogueEntryInput[]; rejected: Rejection[] } {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*</.test(body)) throw new FeedRefusedError('This is not a CSV file: it looks like an HTML page.');
  let rows: string[][];
  try {
    rows = parseCsv(body, { bom: true, relax_column_count: true, skip_empty_lines: false, trim: false }) as string[][];
  } catch (error) {
    throw new FeedRefusedError(`This is not readable CSV: ${(error as Error).message.split('\n')[0]?.slice(0, 160)}`);
  }
  const header = rows[0];
  if (!header) throw new FeedRefusedError('The CSV file is empty.');
  const columns = header.map(columnOf);
  if (!columns.includes('title')) {
    throw new FeedRefusedError('The CSV file has no "title" column; start from templates/coordinator-template.csv.');
  }
  const entries: CatalogueEntryInput[] = [];
  const rejected: Rejection[] = [];
  const pending: { entry: CatalogueEntryInput; schedule: HsdsSchedule; ref: string }[] = [];
  const ids = new Map<string, number>();
  rows.slice(1).forEach((cells, i) => {
    const rowNumber = i + 2;
    if (cells.every((c) => !c.trim())) return;
    const row: Row = {};
    columns.forEach((c, j) => {
      const value = cells[j];
      if (value !== undefined && value.trim() && (COORDINATOR_COLUMNS as readonly string[]).includes(c))
        row[c as Column] = value.trim();
    });
    const ref = `row ${rowNumber}`;
    try {
      const { entry, schedule } = toEntry(row, rowNumber);
      const first = ids.get(entry.externalId);
      if (first !== undefined)
        throw new RowError(
          `same activity as row ${first} (same id, or same organisation and title): give each row its own id`,
        );
      ids.set(entry.externalId, rowNumber);
      entries.push(entry);
      if (schedule) pending.push({ entry, schedule, ref: entry.externalId });
    } catch (error) {
      if (!(error instanceof RowError)) throw error;
      rejected.push({ ref, reason: error.message });
    }
  });
  const expanded = expandSchedules(
    pending.map((p) => ({ ref: p.ref, schedules: [p.schedule] })),
    { now: context.now, ...(context.horizonDays ? { horizonDays: context.horizonDays } : {}) },
  );
  for (const p of pending) {
    const result = expanded.get(p.ref);
    if (!result) continue;
    p.entry.occurrences = result.occurrences;
    if (result.schedule) p.entry.schedule = result.schedule;
    for (const problem of result.problems) rejected.push({ ref: `row ${ids.get(p.ref)}`, reason: problem });
  }
  return { entries, rejected };
}
