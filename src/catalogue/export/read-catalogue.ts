import { z } from 'zod';
import type { Sql } from '../../db/sql.ts';
import { ICAL_ROW, selectEntryJson, selectIcalRows, selectOrderedIds, selectStamp } from './export-queries.ts';

/** Which entries an export or feed holds; every filter is optional. */
export const ExportFilterSchema = z.object({
  source: z.string().trim().min(1).max(100).optional(),
  ward: z.string().trim().min(1).max(100).optional(),
  category: z.string().trim().min(1).max(100).optional(),
  kind: z.enum(['activity', 'training', 'resource']).optional(),
  audience: z.string().trim().min(1).max(100).optional(),
});
export type ExportFilter = z.infer<typeof ExportFilterSchema>;

export type ExportOccurrence = {
  key: string;
  start: Date;
  end: Date;
  allDay: boolean;
  status: string;
  title: string | null;
  note: string | null;
  capacity: number | null;
};

/** One entry with everything the exports write. */
export type ExportEntry = {
  id: string;
  externalId: string;
  source: string;
  sourceFormat: string;
  kind: string;
  title: string;
  description: string;
  url: string | null;
  status: string;
  alert: string | null;
  organisation: {
    externalId: string;
    name: string;
    description: string | null;
    email: string | null;
    url: string | null;
    phone: string | null;
  } | null;
  location: {
    externalId: string;
    name: string | null;
    locationType: string;
    address1: string | null;
    address2: string | null;
    city: string | null;
    postalCode: string | null;
    ward: string | null;
    latitude: number | null;
    longitude: number | null;
    accessibility: string[];
    accessibilityNote: string | null;
    url: string | null;
  } | null;
  categories: string[];
  audiences: string[];
  languages: string[];
  isFree: boolean | null;
  costAmount: number | null;
  fees: string | null;
  howToJoin: string | null;
  attendingTypes: string[];
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  eligibility: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  assuredDate: string | null;
  schedule: Record<string, unknown> | null;
  updatedAt: Date;
  occurrences: ExportOccurrence[];
};

/**
 * What the exported entries' content depends on, in one aggregate query and without reading them: a digest of
 * every matching entry's id and last change, and the newest change. Feeds answer repeat requests from it.
 */
export async function catalogueStamp(
  sql: Sql,
  filter: ExportFilter,
): Promise<{ stamp: string; count: number; lastModified: Date | null }> {
  const row = await selectStamp(sql, filter);
  const dates = [row?.updated, row?.imported].filter((d): d is string | Date => !!d).map((d) => new Date(d));
  const lastModified = dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null;
  return { stamp: `${row?.n ?? 0}:${row?.digest ?? ''}`, count: row?.n ?? 0, lastModified };
}

type Packed = [string, number, number, boolean, string, string | null, string | null, number | null];
type JsonRow = Record<string, unknown> & {
  o: Record<string, unknown> | null;
  l: Record<string, unknown> | null;
  occ: Packed[] | null;
};

function toEntry(r: JsonRow): ExportEntry {
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const o = r.o;
  const l = r.l;
  return {
    id: String(r.id),
    externalId: String(r.external_id),
    source: String(r.source),
    sourceFormat: String(r.source_format),
    kind: String(r.kind),
    title: String(r.name),
    description: String(r.description ?? ''),
    url: str(r.url),
    status: String(r.status),
    alert: str(r.alert),
    organisation: o
      ? {
          externalId: String(o.external_id),
          name: String(o.name),
          description: str(o.description),
          email: str(o.email),
          url: str(o.url),
          phone: str(o.phone),
        }
      : null,
    location: l
      ? {
          externalId: String(l.external_id),
          name: str(l.name),
          locationType: String(l.type ?? 'physical'),
          address1: str(l.address1),
          address2: str(l.address2),
          city: str(l.city),
          postalCode: str(l.postal_code),
          ward: str(l.ward),
          latitude: numOrNull(l.latitude),
          longitude: numOrNull(l.longitude),
          accessibility: list(l.accessibility),
          accessibilityNote: str(l.accessibility_note),
          url: str(l.url),
        }
      : null,
    categories: list(r.categories),
    audiences: list(r.audiences),
    languages: list(r.languages),
    isFree: r.is_free === null || r.is_free === undefined ? null : r.is_free === true,
    costAmount: numOrNull(r.cost_amount),
    fees: str(r.fees_description),
    howToJoin: str(r.application_process),
    attendingTypes: list(r.attending_types),
    contactName: str(r.contact_name),
    contactEmail: str(r.contact_email),
    contactPhone: str(r.contact_phone),
    eligibility: str(r.eligibility_description),
    minimumAge: numOrNull(r.minimum_age),
    maximumAge: numOrNull(r.maximum_age),
    assuredDate: str(r.assured_date),
    schedule:
      r.schedule && typeof r.schedule === 'object' && !Array.isArray(r.schedule)
        ? (r.schedule as Record<string, unknown>)
        : null,
    updatedAt: new Date(Number(r.updated_at)),
    occurrences: (r.occ ?? []).map(([key, start, end, allDay, status, title, note, capacity]) => ({
      key,
      start: new Date(start),
      end: new Date(end),
      allDay: allDay === true,
      status,
      title: title ?? null,
      note: note ?? null,
      capacity: capacity === null || capacity === undefined ? null : Number(capacity),
    })),
  };
}

/** The entries with these ids, in the order given. */
async function readByIds(
  sql: Sql,
  ids: readonly string[],
): Promise<{ entries: ExportEntry[]; lastImported: Date | null }> {
  if (!ids.length) return { entries: [], lastImported: null };
  const rows = await selectEntryJson(sql, ids);
  let lastImported: Date | null = null;
  const entries = rows.map((row) => {
    if (row.imported) {
      const d = new Date(row.imported);
      if (!lastImported || d > lastImported) lastImported = d;
    }
    return toEntry(JSON.parse(row.j) as JsonRow);
  });
  return { entries, lastImported };
}

type Text = string | null;
type IcalRow = [
  id: string,
  externalId: string,
  sourceFormat: string,
  name: string,
  description: Text,
  url: Text,
  categories: unknown[] | null,
  contactName: Text,
  contactEmail: Text,
  schedule: unknown,
  updatedAt: number,
  location: [Text, Text, Text, Text, Text, Text, number | null, number | null, Text] | null,
  occurrences: [string[], number[], number[], boolean[], string[], Text[]] | null,
];

/** An iCalendar row (export-queries.ts) as an entry: what the feed writes, the other fields empty. */
function toIcalEntry(r: IcalRow): ExportEntry {
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const l = r[ICAL_ROW.location];
  const occ = r[ICAL_ROW.occurrences];
  const occurrences: ExportOccurrence[] = [];
  if (occ) {
    const [keys, starts, ends, allDay, status, titles] = occ;
    for (let i = 0; i < keys.length; i++) {
      occurrences.push({
        key: keys[i]!,
        start: new Date(starts[i]!),
        end: new Date(ends[i]!),
        allDay: allDay[i] === true,
        status: status[i]!,
        title: titles[i] ?? null,
        note: null,
        capacity: null,
      });
    }
  }
  const schedule = r[ICAL_ROW.schedule];
  const categories = r[ICAL_ROW.categories];
  return {
    id: String(r[ICAL_ROW.id]),
    externalId: String(r[ICAL_ROW.externalId]),
    source: '',
    sourceFormat: String(r[ICAL_ROW.sourceFormat]),
    kind: '',
    title: String(r[ICAL_ROW.name]),
    description: String(r[ICAL_ROW.description] ?? ''),
    url: str(r[ICAL_ROW.url]),
    status: '',
    alert: null,
    organisation: null,
    location: l
      ? {
          externalId: '',
          name: str(l[1]),
          locationType: String(l[0] ?? 'physical'),
          address1: str(l[2]),
          address2: str(l[3]),
          city: str(l[4]),
          postalCode: str(l[5]),
          ward: null,
          latitude: l[6] === null || l[6] === undefined ? null : Number(l[6]),
          longitude: l[7] === null || l[7] === undefined ? null : Number(l[7]),
          accessibility: [],
          accessibilityNote: null,
          url: str(l[8]),
        }
      : null,
    categories: Array.isArray(categories) ? categories.map(String) : [],
    audiences: [],
    languages: [],
    isFree: null,
    costAmount: null,
    fees: null,
    howToJoin: null,
    attendingTypes: [],
    contactName: str(r[ICAL_ROW.contactName]),
    contactEmail: str(r[ICAL_ROW.contactEmail]),
    contactPhone: null,
    eligibility: null,
    minimumAge: null,
    maximumAge: null,
    assuredDate: null,
    schedule:
      schedule && typeof schedule === 'object' && !Array.isArray(schedule)
        ? (schedule as Record<string, unknown>)
        : null,
    updatedAt: new Date(Number(r[ICAL_ROW.updatedAt])),
    occurrences,
  };
}

/**
 * Entries as the iCalendar feed reads them, each made from its row only when it is used (and anew each time the page
 * is gone through), so that a page holds its rows' text and no more than one entry's objects at a time.
 */
export class IcalPage implements Iterable<ExportEntry> {
  constructor(private readonly rows: readonly string[]) {}
  get length(): number {
    return this.rows.length;
  }
  *[Symbol.iterator](): Iterator<ExportEntry> {
    for (const row of this.rows) yield toIcalEntry(JSON.parse(row) as IcalRow);
  }
}

/** The entries with these ids as the iCalendar feed reads them, in the order given. */
async function readIcalByIds(sql: Sql, ids: readonly string[]): Promise<IcalPage> {
  const byId = new Map<string, string>();
  for (const row of await selectIcalRows(sql, ids)) byId.set(row.id, row.j);
  const rows: string[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (row !== undefined) rows.push(row);
  }
  return new IcalPage(rows);
}

/** Entries (not removed) matching the filter, in a stable order, with their occurrences; plus the newest change. */
export async function readCatalogue(
  sql: Sql,
  filter: ExportFilter,
  /** One page only (same order): an ORUK page reads its own entries, not the whole catalogue. */
  window?: { offset: number; limit: number },
): Promise<{ entries: ExportEntry[]; lastModified: Date | null }> {
  const { entries, lastImported } = await readByIds(sql, await selectOrderedIds(sql, filter, window ?? {}));
  let lastModified: Date | null = lastImported;
  for (const e of entries) if (!lastModified || e.updatedAt > lastModified) lastModified = e.updatedAt;
  return { entries, lastModified };
}

/**
 * The matching entries as the iCalendar feed reads them (the fields it writes; the others read as empty), in pages
 * of `pageSize`, each read when the one before has been used, so a whole-catalogue feed never holds more than one
 * page (and the list of their ids). The next page is asked for while the current one is used: the database reads
 * while the feed is written.
 */
export async function* readIcalPages(sql: Sql, filter: ExportFilter, pageSize = 1000): AsyncGenerator<IcalPage> {
  const ids = await selectOrderedIds(sql, filter);
  const read = (from: number) => readIcalByIds(sql, ids.slice(from, from + pageSize));
  let next = ids.length ? read(0) : undefined;
  for (let from = 0; next; from += pageSize) {
    const page = await next;
    next = from + pageSize < ids.length ? read(from + pageSize) : undefined;
    // A read that fails while this page is used is reported when its turn comes, not as an unhandled rejection.
    next?.catch(() => undefined);
    if (page.length) yield page;
  }
}
