import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

/**
 * The Folkestone & Hythe community directory (folke.world) publishes three CSVs of its own schema: organisations,
 * services and locations. This turns them into one coordinator sheet (docs/coordinator-csv.md), keeping titles,
 * organisations, descriptions, categories, places and timing notes, so the directory goes through the ordinary
 * `import --format csv` path.
 */

const Row = z.record(z.string(), z.string());
type Row = z.infer<typeof Row>;

function readCsv(file: string): Row[] {
  const text = fs.readFileSync(file, 'utf8');
  const rows: unknown = parse(text, {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  });
  return z.array(Row).parse(rows);
}

const split = (value: string | undefined, sep: RegExp) =>
  (value ?? '')
    .split(sep)
    .map((s) => s.trim())
    .filter(Boolean);

const AUDIENCES: Record<string, string> = {
  retired: 'older people',
  'babies/toddlers & parents': 'parents of young children',
  teenagers: 'young people',
  'all children': 'young people',
  'young children': 'young people',
};

const DAYS: [RegExp, string][] = [
  [/\bmon(day)?s?\b/i, 'Monday'],
  [/\btue(s|sday)?s?\b/i, 'Tuesday'],
  [/\bwed(nesday)?s?\b/i, 'Wednesday'],
  [/\bthu(rs|rsday)?s?\b/i, 'Thursday'],
  [/\bfri(day)?s?\b/i, 'Friday'],
  [/\bsat(urday)?s?\b/i, 'Saturday'],
  [/\bsun(day)?s?\b/i, 'Sunday'],
];
const WEEK = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const ORDINALS: Record<string, string> = {
  '1st': 'first',
  '2nd': 'second',
  '3rd': 'third',
  '4th': 'fourth',
  first: 'first',
  second: 'second',
  third: 'third',
  fourth: 'fourth',
  last: 'last',
};

function to24h(h: string, m: string | undefined, ampm: string): string {
  let hour = Number(h) % 12;
  if (ampm.toLowerCase() === 'pm') hour += 12;
  return `${String(hour).padStart(2, '0')}:${m ?? '00'}`;
}

/**
 * The simple timing notes ("9:30am - 10:30am on Fridays", "10am Every 2nd Sunday of the month", "Mon, Tue, Thu &
 * Fri") as coordinator columns; anything less regular ("Every other Friday evening", "Annual (July)") is kept only
 * as words in the description.
 */
export function scheduleColumns(notes: string): {
  days?: string;
  start_time?: string;
  end_time?: string;
  frequency?: string;
} {
  if (!notes || /every other|fortnight|annual|quarterly|\(.*-.*\)|term time|seasonal|summer|coming soon/i.test(notes))
    return {};
  let days: string[];
  const range = /\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\s*-\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*/i.exec(notes);
  if (range) {
    const from = WEEK.findIndex((d) => d.toLowerCase().startsWith(range[1]!.toLowerCase()));
    const to = WEEK.findIndex((d) => d.toLowerCase().startsWith(range[2]!.toLowerCase()));
    days = from >= 0 && to >= from ? WEEK.slice(from, to + 1) : [];
  } else if (/every day/i.test(notes)) days = [...WEEK];
  else days = DAYS.filter(([re]) => re.test(notes)).map(([, d]) => d);
  if (!days.length) return {};
  const ordinals = [...notes.matchAll(/\b(1st|2nd|3rd|4th|first|second|third|fourth|last)\b/gi)].map(
    (m) => ORDINALS[m[1]!.toLowerCase()],
  );
  // "2nd and 4th Tuesdays" is two monthly patterns: one coordinator row cannot say it, so keep only the words.
  if (ordinals.length > 1) return {};
  const times = [...notes.matchAll(/\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b/gi)].map((m) => to24h(m[1]!, m[2], m[3]!));
  return {
    days: days.join(', '),
    ...(times[0] ? { start_time: times[0] } : {}),
    ...(times[1] && times[1] > times[0]! ? { end_time: times[1] } : {}),
    ...(ordinals[0] && /of (the|each) month|month/i.test(notes) ? { frequency: `${ordinals[0]} of the month` } : {}),
  };
}

const COLUMNS = [
  'id',
  'title',
  'kind',
  'description',
  'organisation',
  'venue',
  'address',
  'postcode',
  'latitude',
  'longitude',
  'online',
  'days',
  'start_time',
  'end_time',
  'frequency',
  'cost',
  'how_to_join',
  'audiences',
  'categories',
  'eligibility',
  'url',
] as const;

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** A postcode the coordinator sheet accepts (a full UK postcode), or nothing. */
function fullPostcode(text: string | undefined): string {
  const compact = (text ?? '').replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/.test(compact) ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : '';
}

/** The coordinator CSV text for a folder holding `organisations.csv`, `services.csv` and `locations.csv`. */
export function folkestoneToCoordinatorCsv(folder: string): string {
  const services = readCsv(path.join(folder, 'services.csv'));
  const locations = new Map(readCsv(path.join(folder, 'locations.csv')).map((l) => [l['Location name'] ?? '', l]));
  const lines = [COLUMNS.join(',')];
  for (const s of services) {
    const orgs = split(s['Organisation(s)'], /;/);
    const places = split(s['Location(s)'], /;/);
    const place = places[0] ? locations.get(places[0]) : undefined;
    const online = places.some((p) => /^online$/i.test(p));
    const timing = (s['Timing notes'] ?? '').trim();
    const description = [
      (s.Description ?? '').trim(),
      timing ? `When: ${timing}.` : '',
      orgs.length > 1 ? `Run with ${orgs.slice(1).join(', ')}.` : '',
      places.length > 1 ? `Also at ${places.slice(1).join(', ')}.` : '',
    ]
      .filter(Boolean)
      .join('\n\n');
    const audience = AUDIENCES[(s['Audience Cats'] ?? '').trim().toLowerCase()];
    const categories = [
      s['Basic type'] ?? '',
      ...split(s['OnePlanet Cats'], /,/),
      ...split(s['Use Cases'], /,/).map((u) => u.replaceAll('-', ' ')),
      ...split(s['Support needs'], /,/),
    ].filter(Boolean);
    const only = [
      s['Homeless Only'] === 'TRUE' ? 'people who are homeless' : '',
      s['Disability Only'] === 'TRUE' ? 'disabled people' : '',
      s['Children/Parents Only'] === 'TRUE' ? 'children and parents' : '',
      s['Members Only'] === 'TRUE' ? 'members' : '',
    ].filter(Boolean);
    const age = [
      s['Min Age'] ? `from age ${s['Min Age']}` : '',
      s['Max Age'] ? `up to age ${s['Max Age']}` : '',
    ].filter(Boolean);
    const town = place?.Town ?? '';
    const address = [place?.Address ?? '', town && !(place?.Address ?? '').includes(town) ? town : '']
      .filter(Boolean)
      .join(', ');
    const lat = place?.lat ?? '';
    const lon = place?.lon ?? '';
    const row: Record<(typeof COLUMNS)[number], string> = {
      id: s['Service ID'] ?? '',
      title: s.Service ?? '',
      kind: /permanent fixture/i.test(s['Service Type'] ?? '') && !timing.match(/\d/) ? 'resource' : 'activity',
      description,
      organisation: orgs[0] ?? '',
      venue: place && !online ? (place['Location name'] ?? '') : '',
      address: online ? '' : address,
      postcode: online ? '' : fullPostcode(place?.Postcode),
      latitude: !online && lat && lon ? lat : '',
      longitude: !online && lat && lon ? lon : '',
      online: online ? 'online only' : '',
      ...{ days: '', start_time: '', end_time: '', frequency: '' },
      ...scheduleColumns(timing),
      cost: s.Free === 'TRUE' ? 'Free' : '',
      how_to_join: s['Referrals Only'] === 'TRUE' ? 'referral needed' : '',
      audiences: audience ?? '',
      categories: categories.join('; '),
      eligibility: [only.length ? `For ${only.join(' and ')} only` : '', age.join(' ')].filter(Boolean).join('; '),
      url: s.URL ?? '',
    };
    lines.push(COLUMNS.map((c) => quote(row[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
