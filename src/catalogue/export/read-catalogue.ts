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
  organisation: { externalId: string; name: string; description: string | null; email: string | null; url: string | null; phone: string | null } | null;
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

type Row = Record<string, unknown>;

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
export async function catalogueStamp(sql: Sql, filter: ExportFilter): Promise<{ stamp: string; count: number; lastModified: Date | null }> {
  const { where, params } = filterClause(filter);
  const row = (
    await sql.query<{ n: number; digest: string | null; updated: string | Date | null; imported: string | Date | null }>(
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

/** Entries (not removed) matching the filter, in a stable order, with their occurrences; plus the newest change. */
export async function readCatalogue(
  sql: Sql,
  filter: ExportFilter,
  /** One page only (same order): an ORUK page reads its own entries, not the whole catalogue. */
  window?: { offset: number; limit: number },
): Promise<{ entries: ExportEntry[]; lastModified: Date | null }> {
  const { where, params } = filterClause(filter);
  const paging = window ? ` LIMIT ${Math.max(0, Math.floor(window.limit))} OFFSET ${Math.max(0, Math.floor(window.offset))}` : '';
  const rows = (
    await sql.query<Row>(
      `SELECT s.id, s.external_id, src.name AS source, src.format AS source_format, src.last_imported_at, s.kind, s.name,
         s.description, s.url, s.status, s.alert, s.categories, s.audiences, s.languages, s.is_free,
         s.cost_amount::float8 AS cost_amount, s.fees_description, s.application_process, s.attending_types,
         s.contact_name, s.contact_email, s.contact_phone, s.eligibility_description, s.minimum_age, s.maximum_age,
         to_char(s.assured_date, 'YYYY-MM-DD') AS assured_date, s.schedule, s.updated_at,
         o.external_id AS o_external_id, o.name AS o_name, o.description AS o_description, o.email AS o_email,
         o.url AS o_url, o.phone AS o_phone,
         l.external_id AS l_external_id, l.name AS l_name, l.location_type AS l_type, l.address_1 AS l_address1,
         l.address_2 AS l_address2, l.city AS l_city, l.postal_code AS l_postal_code, l.ward AS l_ward,
         l.latitude AS l_latitude, l.longitude AS l_longitude, l.accessibility AS l_accessibility,
         l.accessibility_note AS l_accessibility_note, l.url AS l_url
       FROM service s JOIN source src ON src.id = s.source_id
       LEFT JOIN organization o ON o.id = s.organization_id
       LEFT JOIN location l ON l.id = s.location_id
       WHERE ${where.join(' AND ')}
       ORDER BY src.name, s.name, s.external_id${paging}`,
      params,
    )
  ).rows;
  const ids = rows.map((r) => String(r.id));
  const byService = new Map<string, ExportOccurrence[]>();
  if (ids.length) {
    // One row per entry with its occurrences as a JSON array: far fewer rows to hand over than one per occurrence.
    const occ = await sql.query<{ service_id: string; list: string }>(
      `SELECT service_id, json_agg(json_build_array(key, floor(extract(epoch FROM start) * 1000)::bigint,
           floor(extract(epoch FROM "end") * 1000)::bigint, all_day, status, title, note, capacity) ORDER BY start, key)::text AS list
       FROM occurrence WHERE service_id = ANY($1::uuid[]) GROUP BY service_id`,
      [ids],
    );
    type Packed = [string, number, number, boolean, string, string | null, string | null, number | null];
    for (const o of occ.rows) {
      const packed = JSON.parse(o.list) as Packed[];
      byService.set(
        String(o.service_id),
        packed.map(([key, start, end, allDay, status, title, note, capacity]) => ({
          key,
          start: new Date(start),
          end: new Date(end),
          allDay: allDay === true,
          status,
          title: title ?? null,
          note: note ?? null,
          capacity: capacity === null || capacity === undefined ? null : Number(capacity),
        })),
      );
    }
  }
  let lastModified: Date | null = null;
  const entries = rows.map((r): ExportEntry => {
    const updatedAt = new Date(r.updated_at as string | Date);
    const imported = r.last_imported_at ? new Date(r.last_imported_at as string | Date) : null;
    for (const d of [updatedAt, imported]) if (d && (!lastModified || d > lastModified)) lastModified = d;
    const str = (k: string) => (r[k] === null || r[k] === undefined ? null : String(r[k]));
    const numOrNull = (k: string) => (r[k] === null || r[k] === undefined ? null : Number(r[k]));
    return {
      id: String(r.id),
      externalId: String(r.external_id),
      source: String(r.source),
      sourceFormat: String(r.source_format),
      kind: String(r.kind),
      title: String(r.name),
      description: String(r.description ?? ''),
      url: str('url'),
      status: String(r.status),
      alert: str('alert'),
      organisation: r.o_external_id
        ? { externalId: String(r.o_external_id), name: String(r.o_name), description: str('o_description'), email: str('o_email'), url: str('o_url'), phone: str('o_phone') }
        : null,
      location: r.l_external_id
        ? {
            externalId: String(r.l_external_id),
            name: str('l_name'),
            locationType: String(r.l_type ?? 'physical'),
            address1: str('l_address1'),
            address2: str('l_address2'),
            city: str('l_city'),
            postalCode: str('l_postal_code'),
            ward: str('l_ward'),
            latitude: numOrNull('l_latitude'),
            longitude: numOrNull('l_longitude'),
            accessibility: (r.l_accessibility as string[] | null) ?? [],
            accessibilityNote: str('l_accessibility_note'),
            url: str('l_url'),
          }
        : null,
      categories: (r.categories as string[] | null) ?? [],
      audiences: (r.audiences as string[] | null) ?? [],
      languages: (r.languages as string[] | null) ?? [],
      isFree: r.is_free === null || r.is_free === undefined ? null : r.is_free === true,
      costAmount: numOrNull('cost_amount'),
      fees: str('fees_description'),
      howToJoin: str('application_process'),
      attendingTypes: (r.attending_types as string[] | null) ?? [],
      contactName: str('contact_name'),
      contactEmail: str('contact_email'),
      contactPhone: str('contact_phone'),
      eligibility: str('eligibility_description'),
      minimumAge: numOrNull('minimum_age'),
      maximumAge: numOrNull('maximum_age'),
      assuredDate: str('assured_date'),
      schedule: r.schedule && typeof r.schedule === 'object' ? (r.schedule as Record<string, unknown>) : null,
      updatedAt,
      occurrences: byService.get(String(r.id)) ?? [],
    };
  });
  return { entries, lastModified };
}
