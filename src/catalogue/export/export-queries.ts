/**
 * The SQL behind the exports and public feeds: which entries a filter holds, in what order, what they depend on, and
 * each entry as one JSON text (a text column per row is several times cheaper to hand over and read than forty typed
 * columns, and needs no second query for the occurrences).
 */
import type { Sql } from '../../db/sql.ts';
import { findWard } from '../geography/camden.ts';

/** Which entries an export or feed holds; every filter is optional (validated by ExportFilterSchema). */
export type EntryFilter = {
  source?: string | undefined;
  ward?: string | undefined;
  category?: string | undefined;
  kind?: string | undefined;
  audience?: string | undefined;
};

/** The WHERE clause (over `service s`, `source src`, `location l`) and parameters for a filter. */
function filterClause(filter: EntryFilter): { where: string[]; params: unknown[] } {
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

export type StampRow = {
  n: number;
  digest: string | null;
  updated: string | Date | null;
  imported: string | Date | null;
};

/** One aggregate over the matching entries: how many, a digest of their ids and last changes, the newest change. */
export async function selectStamp(sql: Sql, filter: EntryFilter): Promise<StampRow | undefined> {
  const { where, params } = filterClause(filter);
  const { rows } = await sql.query<StampRow>(
    `SELECT count(*)::int AS n,
       md5(string_agg(s.id::text || ':' || floor(extract(epoch FROM s.updated_at) * 1000)::bigint::text, ',' ORDER BY s.id)) AS digest,
       max(s.updated_at) AS updated, max(src.last_imported_at) AS imported
     FROM service s JOIN source src ON src.id = s.source_id
     LEFT JOIN location l ON l.id = s.location_id
     WHERE ${where.join(' AND ')}`,
    params,
  );
  return rows[0];
}

const FROM = `FROM service s JOIN source src ON src.id = s.source_id
       LEFT JOIN organization o ON o.id = s.organization_id
       LEFT JOIN location l ON l.id = s.location_id`;

/** The order every export and feed writes entries in: source, title, the source's own id (and ours, to break ties). */
const ORDER = 'src.name, s.name, s.external_id, s.id';

/** The ids of the matching entries in export order (a sort over narrow rows), or one window of them. */
export async function selectOrderedIds(
  sql: Sql,
  filter: EntryFilter,
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

/** Milliseconds since the epoch of a timestamptz(3) column, exactly (its value is whole milliseconds). */
const epochMs = (column: string) => `(date_part('epoch', ${column}) * 1000)::bigint`;

const ENTRY_JSON = `json_build_object(
    'id', s.id, 'external_id', s.external_id, 'source', src.name, 'source_format', src.format,
    'kind', s.kind, 'name', s.name, 'description', s.description, 'url', s.url, 'status', s.status,
    'categories', s.categories, 'contact_name', s.contact_name, 'contact_email', s.contact_email,
    'schedule', s.schedule, 'updated_at', floor(extract(epoch FROM s.updated_at) * 1000)::bigint,
    'last_imported_at', src.last_imported_at, 'alert', s.alert, 'audiences', s.audiences, 'languages', s.languages,
    'is_free', s.is_free, 'cost_amount', s.cost_amount::float8, 'fees_description', s.fees_description,
    'application_process', s.application_process, 'attending_types', s.attending_types, 'contact_phone', s.contact_phone,
    'eligibility_description', s.eligibility_description, 'minimum_age', s.minimum_age, 'maximum_age', s.maximum_age,
    'assured_date', to_char(s.assured_date, 'YYYY-MM-DD'),
    'o', CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('external_id', o.external_id, 'name', o.name,
      'description', o.description, 'email', o.email, 'url', o.url, 'phone', o.phone) END,
    'l', CASE WHEN l.id IS NULL THEN NULL ELSE json_build_object('external_id', l.external_id, 'name', l.name,
      'type', l.location_type, 'address1', l.address_1, 'address2', l.address_2, 'city', l.city,
      'postal_code', l.postal_code, 'latitude', l.latitude, 'longitude', l.longitude, 'url', l.url,
      'ward', l.ward, 'accessibility', l.accessibility, 'accessibility_note', l.accessibility_note) END,
    'occ', (SELECT json_agg(json_build_array(oc.key, floor(extract(epoch FROM oc.start) * 1000)::bigint,
        floor(extract(epoch FROM oc."end") * 1000)::bigint, oc.all_day, oc.status, oc.title, oc.note, oc.capacity)
        ORDER BY oc.start, oc.key)
      FROM occurrence oc WHERE oc.service_id = s.id)
  )::text`;

/** Each entry with these ids, in the order given, as one JSON object text with everything the exports write. */
export async function selectEntryJson(
  sql: Sql,
  ids: readonly string[],
): Promise<{ j: string; imported: string | Date | null }[]> {
  const { rows } = await sql.query<{ j: string; imported: string | Date | null }>(
    `SELECT ${ENTRY_JSON} AS j, src.last_imported_at AS imported
     FROM unnest($1::uuid[]) WITH ORDINALITY AS k(id, n)
     JOIN service s ON s.id = k.id
     JOIN source src ON src.id = s.source_id
     LEFT JOIN organization o ON o.id = s.organization_id
     LEFT JOIN location l ON l.id = s.location_id
     ORDER BY k.n`,
    [ids],
  );
  return rows;
}

/** One occurrence column, aggregated in the entry's date order. */
const occColumn = (value: string) => `json_agg(${value} ORDER BY oc.start, oc.key)`;

/**
 * Only what the iCalendar feed writes, as a JSON array without keys (its positions are ICAL_ROW's):
 * id, external id, source format, name, description, url, categories, contact name, contact email, schedule,
 * last change (ms), location as [type, name, address 1, address 2, city, postcode, latitude, longitude, url] or null,
 * and the occurrences as columns [keys, starts (ms), ends (ms), all-day flags, statuses, titles] or null.
 */
const ICAL_ROW_JSON = `json_build_array(
    s.id, s.external_id, src.format, s.name, s.description, s.url, s.categories, s.contact_name, s.contact_email,
    s.schedule, floor(extract(epoch FROM s.updated_at) * 1000)::bigint,
    CASE WHEN l.id IS NULL THEN NULL ELSE json_build_array(l.location_type, l.name, l.address_1, l.address_2, l.city,
      l.postal_code, l.latitude, l.longitude, l.url) END,
    (SELECT json_build_array(${occColumn('oc.key')}, ${occColumn(epochMs('oc.start'))},
        ${occColumn(epochMs('oc."end"'))}, ${occColumn('oc.all_day')}, ${occColumn('oc.status')},
        ${occColumn('oc.title')})
      FROM occurrence oc WHERE oc.service_id = s.id HAVING count(*) > 0)
  )::text`;

/** Positions in an iCalendar row (see ICAL_ROW_JSON). */
export const ICAL_ROW = {
  id: 0,
  externalId: 1,
  sourceFormat: 2,
  name: 3,
  description: 4,
  url: 5,
  categories: 6,
  contactName: 7,
  contactEmail: 8,
  schedule: 9,
  updatedAt: 10,
  location: 11,
  occurrences: 12,
} as const;

/** The entries with these ids for the iCalendar feed, each as one JSON array text, in no particular order. */
export async function selectIcalRows(sql: Sql, ids: readonly string[]): Promise<{ id: string; j: string }[]> {
  if (!ids.length) return [];
  const { rows } = await sql.query<{ id: string; j: string }>(
    `SELECT s.id::text AS id, ${ICAL_ROW_JSON} AS j
     FROM service s JOIN source src ON src.id = s.source_id
     LEFT JOIN location l ON l.id = s.location_id
     WHERE s.id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}
