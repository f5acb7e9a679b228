import { z } from 'zod';
import type { Sql } from '../../db/sql.ts';
import { findWard } from '../geography/camden.ts';

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

/** The WHERE clause (over `service s`, `source src`, `location l`) and parameters for a filter. */
function filterClause(filter: ExportFilter): { where: string[]; params: unknown[] } {
  const where: string[] = ['s.removed_at IS NULL'];
  const params: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.source) add((p) => `src.name = ${p}`, filter.source);
  if (filter.ward) add((p) => `lower(l.ward) = lower(${p})`, findWard(filter.ward)?.name ?? filter.ward);
  if (filter.category) add((p) => `${p} = ANY(s.categories)`, filter.category.toLowerCase());
  if (filter.kind) add((p) => `s.kind = ${p}`, filter.kind);
  if (filter.audience) add((p) => `${p} = ANY(s.audiences)`, filter.audience.toLowerCase().replace(/[\s-]+/g, '_'));
  return { where, params };
}

/**
 * What the exported entries' content depends on, in one aggregate query and without reading them: a digest of
 * every matching entry's id and last change, and the newest change. Feeds answer repeat requests from it.
 */
export async function catalogueStamp(
  sql: Sql,
  filter: ExportFilter,
): Promise<{ stamp: string; count: number; lastModified: Date | null }> {
  const { where, params } = filterClause(filter);
  const row = (
    await sql.query<{
      n: number;
      digest: string | null;
      updated: string | Date | null;
      imported: string | Date | null;
    }>(
      `SELECT count(*)::int AS n,
         md5(string_agg(s.id::text || ':' || floor(extract(epoch FROM s.updated_at) * 1000)::bigint::text, ',' ORDER BY s.id)) AS digest,
         max(s.updated_at) AS updated, max(src.last_imported_at) AS imported
       FROM service s JOIN source src ON src.id = s.source_id
       LEFT JOIN location l ON l.id = s.location_id
       WHERE ${where.join(' AND ')}`,
      params,
    )
  ).rows[0];
  const dates = [row?.updated, row?.imported].filter((d): d is string | Date => !!d).map((d) => new Date(d));
  const lastModified = dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))) : null;
  return { stamp: `${row?.n ?? 0}:${row?.digest ?? ''}`, count: row?.n ?? 0, lastModified };
}

/**
 * Each entry as one JSON text with its occurrences inside it: handing over one text column per row and parsing it
 * here is several times cheaper than the driver decoding forty typed columns, and needs no second query.
 */
const ENTRY_JSON = entryJson(false);
/** The same with only what the iCalendar export writes (the other fields read as empty). */
const ICAL_ENTRY_JSON = entryJson(true);

function entryJson(icalOnly: boolean): string {
  const full = (sql: string) => (icalOnly ? '' : sql);
  return `json_build_object(
    'id', s.id, 'external_id', s.external_id, 'source', src.name, 'source_format', src.format,
    'kind', s.kind, 'name', s.name, 'description', s.description, 'url', s.url, 'status', s.status,
    'categories', s.categories, 'contact_name', s.contact_name, 'contact_email', s.contact_email,
    'schedule', s.schedule, 'updated_at', floor(extract(epoch FROM s.updated_at) * 1000)::bigint,
    ${full(`'last_imported_at', src.last_imported_at, 'alert', s.alert, 'audiences', s.audiences, 'languages', s.languages,
    'is_free', s.is_free, 'cost_amount', s.cost_amount::float8, 'fees_description', s.fees_description,
    'application_process', s.application_process, 'attending_types', s.attending_types, 'contact_phone', s.contact_phone,
    'eligibility_description', s.eligibility_description, 'minimum_age', s.minimum_age, 'maximum_age', s.maximum_age,
    'assured_date', to_char(s.assured_date, 'YYYY-MM-DD'),
    'o', CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('external_id', o.external_id, 'name', o.name,
      'description', o.description, 'email', o.email, 'url', o.url, 'phone', o.phone) END,`)}
    'l', CASE WHEN l.id IS NULL THEN NULL ELSE json_build_object('external_id', l.external_id, 'name', l.name,
      'type', l.location_type, 'address1', l.address_1, 'address2', l.address_2, 'city', l.city,
      'postal_code', l.postal_code, 'latitude', l.latitude, 'longitude', l.longitude, 'url', l.url
      ${full(`, 'ward', l.ward, 'accessibility', l.accessibility, 'accessibility_note', l.accessibility_note`)}) END,
    'occ', (SELECT json_agg(json_build_array(oc.key, floor(extract(epoch FROM oc.start) * 1000)::bigint,
        floor(extract(epoch FROM oc."end") * 1000)::bigint, oc.all_day, oc.status, oc.title, oc.note, oc.capacity)
        ORDER BY oc.start, oc.key)
      FROM occurrence oc WHERE oc.service_id = s.id)
  )::text`;
}

const FROM = `FROM service s JOIN source src ON src.id = s.source_id
       LEFT JOIN organization o ON o.id = s.organization_id
       LEFT JOIN location l ON l.id = s.location_id`;

/** The order every export and feed writes entries in: source, title, the source's own id (and ours, to break ties). */
const ORDER = 'src.name, s.name, s.external_id, s.id';

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
  icalOnly = false,
): Promise<{ entries: ExportEntry[]; lastImported: Date | null }> {
  if (!ids.length) return { entries: [], lastImported: null };
  const rows = (
    await sql.query<{ j: string; imported: string | Date | null }>(
      `SELECT ${icalOnly ? ICAL_ENTRY_JSON : ENTRY_JSON} AS j, src.last_imported_at AS imported
       FROM unnest($1::uuid[]) WITH ORDINALITY AS k(id, n)
       JOIN service s ON s.id = k.id
       JOIN source src ON src.id = s.source_id
       LEFT JOIN organization o ON o.id = s.organization_id
       LEFT JOIN location l ON l.id = s.location_id
       ORDER BY k.n`,
      [ids],
    )
  ).rows;
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

/** The ids of the matching entries in export order (a sort over narrow rows), or one window of them. */
async function orderedIds(
  sql: Sql,
  filter: ExportFilter,
  window: { offset?: number; limit?: number } = {},
): Promise<string[]> {
  const { where, params } = filterClause(filter);
  const limit = window.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(window.limit))}`;
  const offset = window.offset ? ` OFFSET ${Math.max(0, Math.floor(window.offset))}` : '';
  const { rows } = await sql.query<{ id: string }>(
    `SELECT s.id::text AS id ${FROM} WHERE ${where.join(' AND ')} ORDER BY ${ORDER}${limit}${offset}`,
    params,
  );
  return rows.map((r) => r.id);
}

/** Entries (not removed) matching the filter, in a stable order, with their occurrences; plus the newest change. */
export async function readCatalogue(
  sql: Sql,
  filter: ExportFilter,
  /** One page only (same order): an ORUK page reads its own entries, not the whole catalogue. */
  window?: { offset: number; limit: number },
): Promise<{ entries: ExportEntry[]; lastModified: Date | null }> {
  const { entries, lastImported } = await readByIds(sql, await orderedIds(sql, filter, window ?? {}));
  let lastModified: Date | null = lastImported;
  for (const e of entries) if (!lastModified || e.updatedAt > lastModified) lastModified = e.updatedAt;
  return { entries, lastModified };
}

/**
 * The same entries in pages of `pageSize`, each read when the one before has been used, so a whole-catalogue feed
 * never holds more than one page of entries (and the list of their ids). The next page is asked for while the
 * current one is used: with a PostgreSQL server, reading and writing overlap.
 */
export async function* readCataloguePages(
  sql: Sql,
  filter: ExportFilter,
  pageSize = 500,
  /** Only what the iCalendar export writes: the other fields read as empty, and reading is cheaper. */
  options: { icalOnly?: boolean } = {},
): AsyncGenerator<ExportEntry[]> {
  const ids = await orderedIds(sql, filter);
  const read = (from: number) =>
    from < ids.length ? readByIds(sql, ids.slice(from, from + pageSize), options.icalOnly) : undefined;
  let next = read(0);
  for (let from = 0; next; from += pageSize) {
    const page = await next;
    next = read(from + pageSize);
    // A read that fails while this page is used is reported when its turn comes, not as an unhandled rejection.
    next?.catch(() => undefined);
    if (page.entries.length) yield page.entries;
  }
}
