import type { Sql } from '../db/sql.ts';

/** The source every coordinator-made entry belongs to; partner feeds never overwrite it. */
export const COORDINATOR_SOURCE = 'coordinators';

/** One coordinator entry with its organisation, venue and first session, as its form is filled from. */
export type ManualRow = {
  external_id: string;
  kind: string;
  name: string;
  description: string;
  url: string | null;
  categories: string[];
  audiences: string[];
  languages: string[];
  is_free: boolean | null;
  cost_amount: string | null;
  fees_description: string | null;
  application_process: string | null;
  attending_types: string[];
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  schedule: { description?: string } | null;
  organisation: string | null;
  venue: string | null;
  address: string | null;
  postcode: string | null;
  ward: string | null;
  accessibility: string[] | null;
  start: Date | null;
  end: Date | null;
  updated_at: Date;
};

const SELECT_MANUAL = `
  SELECT s.external_id, s.kind, s.name, s.description, s.url, s.categories, s.audiences, s.languages, s.is_free,
    s.cost_amount::text AS cost_amount, s.fees_description, s.application_process, s.attending_types, s.contact_name,
    s.contact_phone, s.contact_email, s.schedule, o.name AS organisation, l.name AS venue, l.address_1 AS address,
    l.postal_code AS postcode, l.ward, l.accessibility, oc.start, oc."end", s.updated_at
  FROM service s
  JOIN source src ON src.id = s.source_id AND src.name = '${COORDINATOR_SOURCE}'
  LEFT JOIN organization o ON o.id = s.organization_id
  LEFT JOIN location l ON l.id = s.location_id
  LEFT JOIN LATERAL (SELECT start, "end" FROM occurrence WHERE service_id = s.id ORDER BY start LIMIT 1) oc ON true
  WHERE s.removed_at IS NULL`;

/** The id of the coordinator entry with this external id. */
export async function selectManualEntryId(sql: Sql, externalId: string): Promise<string | undefined> {
  const { rows } = await sql.query<{ id: string }>(
    `SELECT s.id FROM service s JOIN source src ON src.id = s.source_id WHERE src.name = $1 AND s.external_id = $2`,
    [COORDINATOR_SOURCE, externalId],
  );
  return rows[0]?.id;
}

/** A coordinator entry still in the catalogue, by external id. */
export async function selectManualEntry(sql: Sql, externalId: string): Promise<ManualRow | undefined> {
  const { rows } = await sql.query<ManualRow>(`${SELECT_MANUAL} AND s.external_id = $1`, [externalId]);
  return rows[0];
}

/** Coordinator entries, most recently changed first, at most `limit` (20); `text` narrows by title. */
export async function selectManualEntries(
  sql: Sql,
  options: { text?: string; limit?: number } = {},
): Promise<ManualRow[]> {
  const params: unknown[] = [options.limit ?? 20];
  let filter = '';
  if (options.text?.trim()) {
    params.push(`%${options.text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    filter = ' AND s.name ILIKE $2';
  }
  const { rows } = await sql.query<ManualRow>(
    `${SELECT_MANUAL}${filter} ORDER BY s.updated_at DESC, s.name LIMIT $1`,
    params,
  );
  return rows;
}
