import type { Sql } from '../../db/sql.ts';
import { SESSION_SLOT_SQL } from '../search/search-queries.ts';
import type { LocationInput, OrganisationInput } from '../model.ts';

/** The SQL of an import (apply-import.ts): sources, organisations, venues, services and their sessions. */

/** A source as the import names it. */
export type SourceRow = { name: string; format: string; url: string | null; isDemo: boolean };

/** What the store already holds of a source's services: enough to tell created, updated and unchanged apart. */
export type ImportedServiceRow = { external_id: string; content_hash: string; removed: boolean };

/** An organisation or venue as sent to the database, with its content hash. */
export type OrganisationRow = OrganisationInput & { hash: string };
export type LocationRow = LocationInput & { hash: string };

/** A service row as sent to the database (dates as ISO text). */
export type ServiceRow = {
  externalId: string;
  kind: string;
  name: string;
  description: string;
  url: string | null;
  status: string;
  alert: string | null;
  org: string | null;
  loc: string | null;
  categories: readonly string[];
  audiences: readonly string[];
  languages: readonly string[];
  isFree: boolean | null;
  costAmount: number | null;
  fees: string | null;
  howToJoin: string | null;
  attendingTypes: readonly string[];
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  eligibility: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  assuredDate: string | null;
  providedBy: string | null;
  prerequisites: readonly string[];
  schedule: unknown;
  hasSessions: boolean;
  sessionsUntil: string | null;
  sessionSlots: number[];
  hash: string;
};

/** A session of an updated service, matched by (service id, key) (times as ISO text). */
export type OccurrenceRow = {
  sid: string | undefined;
  key: string;
  start: string;
  end: string;
  allDay: boolean;
  status: string;
  capacity: number | null;
  deadline: string | null;
  title: string | null;
  note: string | null;
};

/** Sessions of services created by this import, as parallel arrays; `serviceIndex` is 1-based into `serviceIds`. */
export type NewOccurrenceColumns = {
  serviceIndex: number[];
  key: string[];
  start: string[];
  end: string[];
  allDay: boolean[];
  status: string[];
  capacity: (number | null)[];
  deadline: (string | null)[];
  title: (string | null)[];
  note: (string | null)[];
};

/** Creates the source or updates its format, address and demo mark; returns its id. */
export async function upsertSource(tx: Sql, source: SourceRow): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO source (name, format, url, is_demo) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET format = EXCLUDED.format, url = COALESCE(EXCLUDED.url, source.url),
       is_demo = EXCLUDED.is_demo
     RETURNING id`,
    [source.name, source.format, source.url, source.isDemo],
  );
  return rows[0]!.id;
}

/** Locks the source's row until the transaction ends: imports of one source run one at a time across processes. */
export async function lockSource(tx: Sql, sourceId: string): Promise<void> {
  await tx.query('SELECT id FROM source WHERE id = $1 FOR UPDATE', [sourceId]);
}

/** Every service the source has had, removed ones too. */
export async function selectImportedServices(tx: Sql, sourceId: string): Promise<ImportedServiceRow[]> {
  const { rows } = await tx.query<ImportedServiceRow>(
    'SELECT external_id, content_hash, removed_at IS NOT NULL AS removed FROM service WHERE source_id = $1',
    [sourceId],
  );
  return rows;
}

/**
 * Marks the source's services with these external ids removed at `now`, cancels their sessions from `now` on and
 * brings their session summary up to date.
 */
export async function removeServices(
  tx: Sql,
  sourceId: string,
  externalIds: readonly string[],
  now: Date,
): Promise<void> {
  await tx.query(
    `UPDATE service SET removed_at = $3, updated_at = $3 WHERE source_id = $1 AND external_id = ANY($2::text[])`,
    [sourceId, externalIds, now],
  );
  await tx.query(
    `UPDATE occurrence o SET status = 'cancelled' FROM service s
     WHERE o.service_id = s.id AND s.source_id = $1 AND s.external_id = ANY($2::text[]) AND o.start >= $3`,
    [sourceId, externalIds, now],
  );
  await refreshSessionSummary(tx, `source_id = $1 AND external_id = ANY($2::text[])`, [sourceId, externalIds]);
}

/** Creates or updates organisations (matched by source and external id); an unchanged content hash writes nothing. */
export async function upsertOrganisations(tx: Sql, sourceId: string, rows: readonly OrganisationRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO organization (source_id, external_id, name, description, email, url, phone, content_hash)
     SELECT $1, x."externalId", x.name, x.description, x.email, x.url, x.phone, x.hash
     FROM jsonb_to_recordset($2::jsonb) AS x("externalId" text, name text, description text, email text, url text,
       phone text, hash text)
     ON CONFLICT (source_id, external_id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
       email = EXCLUDED.email, url = EXCLUDED.url, phone = EXCLUDED.phone, content_hash = EXCLUDED.content_hash
     WHERE organization.content_hash IS DISTINCT FROM EXCLUDED.content_hash`,
    [sourceId, JSON.stringify(rows)],
  );
}

/** Creates or updates venues (matched by source and external id); an unchanged content hash writes nothing. */
export async function upsertLocations(tx: Sql, sourceId: string, rows: readonly LocationRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO location (source_id, external_id, name, location_type, address_1, address_2, city, postal_code, ward,
       latitude, longitude, accessibility, accessibility_note, url, content_hash)
     SELECT $1, x."externalId", x.name, x."locationType", x.address1, x.address2, x.city, x."postalCode", x.ward,
       x.latitude, x.longitude, ARRAY(SELECT jsonb_array_elements_text(x.accessibility)), x."accessibilityNote", x.url,
       x.hash
     FROM jsonb_to_recordset($2::jsonb) AS x("externalId" text, name text, "locationType" text, address1 text,
       address2 text, city text, "postalCode" text, ward text, latitude float8, longitude float8, accessibility jsonb,
       "accessibilityNote" text, url text, hash text)
     ON CONFLICT (source_id, external_id) DO UPDATE SET name = EXCLUDED.name, location_type = EXCLUDED.location_type,
       address_1 = EXCLUDED.address_1, address_2 = EXCLUDED.address_2, city = EXCLUDED.city,
       postal_code = EXCLUDED.postal_code, ward = EXCLUDED.ward, latitude = EXCLUDED.latitude,
       longitude = EXCLUDED.longitude, accessibility = EXCLUDED.accessibility,
       accessibility_note = EXCLUDED.accessibility_note, url = EXCLUDED.url, content_hash = EXCLUDED.content_hash
     WHERE location.content_hash IS DISTINCT FROM EXCLUDED.content_hash`,
    [sourceId, JSON.stringify(rows)],
  );
}

/**
 * Creates or updates services (matched by source and external id), linked to the source's organisations and venues
 * by their external ids; returns each written service's row id by external id.
 */
export async function upsertServices(
  tx: Sql,
  sourceId: string,
  rows: readonly ServiceRow[],
  now: Date,
): Promise<{ id: string; external_id: string }[]> {
  const written = await tx.query<{ id: string; external_id: string }>(
    `INSERT INTO service (source_id, external_id, kind, name, description, url, status, alert, organization_id,
       location_id, categories, audiences, languages, is_free, cost_amount, fees_description, application_process,
       attending_types, contact_name, contact_email, contact_phone, eligibility_description, minimum_age, maximum_age,
       assured_date, provided_by, prerequisites, schedule, has_sessions, sessions_until, session_slots, content_hash,
       created_at, updated_at, removed_at)
     SELECT $1, x."externalId", x.kind, x.name, x.description, x.url, x.status, x.alert, o.id, l.id,
       ARRAY(SELECT jsonb_array_elements_text(x.categories)), ARRAY(SELECT jsonb_array_elements_text(x.audiences)),
       ARRAY(SELECT jsonb_array_elements_text(x.languages)), x."isFree", x."costAmount", x.fees, x."howToJoin",
       ARRAY(SELECT jsonb_array_elements_text(x."attendingTypes")), x."contactName", x."contactEmail",
       x."contactPhone", x.eligibility, x."minimumAge", x."maximumAge", x."assuredDate", x."providedBy",
       ARRAY(SELECT jsonb_array_elements_text(x.prerequisites)), x.schedule, x."hasSessions", x."sessionsUntil",
       ARRAY(SELECT jsonb_array_elements_text(x."sessionSlots")::int), x.hash,
       $3, $3, NULL
     FROM jsonb_to_recordset($2::jsonb) AS x("externalId" text, kind text, name text, description text, url text,
       status text, alert text, org text, loc text, categories jsonb, audiences jsonb, languages jsonb, "isFree" boolean,
       "costAmount" numeric, fees text, "howToJoin" text, "attendingTypes" jsonb, "contactName" text,
       "contactEmail" text, "contactPhone" text, eligibility text, "minimumAge" int, "maximumAge" int,
       "assuredDate" date, "providedBy" text, prerequisites jsonb, schedule jsonb, "hasSessions" boolean,
       "sessionsUntil" timestamptz, "sessionSlots" jsonb, hash text)
     LEFT JOIN organization o ON o.source_id = $1 AND o.external_id = x.org
     LEFT JOIN location l ON l.source_id = $1 AND l.external_id = x.loc
     ON CONFLICT (source_id, external_id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name,
       description = EXCLUDED.description, url = EXCLUDED.url,
       -- A listing a coordinator closed stays closed when its source sends it again (only a confirmation reopens it).
       status = CASE WHEN service.closed_at IS NOT NULL THEN 'closed' ELSE EXCLUDED.status END, alert = EXCLUDED.alert,
       organization_id = EXCLUDED.organization_id, location_id = EXCLUDED.location_id,
       categories = EXCLUDED.categories, audiences = EXCLUDED.audiences, languages = EXCLUDED.languages,
       is_free = EXCLUDED.is_free, cost_amount = EXCLUDED.cost_amount, fees_description = EXCLUDED.fees_description,
       application_process = EXCLUDED.application_process, attending_types = EXCLUDED.attending_types,
       contact_name = EXCLUDED.contact_name, contact_email = EXCLUDED.contact_email,
       contact_phone = EXCLUDED.contact_phone, eligibility_description = EXCLUDED.eligibility_description,
       minimum_age = EXCLUDED.minimum_age, maximum_age = EXCLUDED.maximum_age, assured_date = EXCLUDED.assured_date,
       provided_by = EXCLUDED.provided_by, prerequisites = EXCLUDED.prerequisites, schedule = EXCLUDED.schedule,
       has_sessions = EXCLUDED.has_sessions, sessions_until = EXCLUDED.sessions_until,
       session_slots = EXCLUDED.session_slots,
       content_hash = EXCLUDED.content_hash, updated_at = EXCLUDED.updated_at, removed_at = NULL
     RETURNING id, external_id`,
    [sourceId, JSON.stringify(rows), now],
  );
  return written.rows;
}

/**
 * Services new to the source as parallel arrays (one row per index): ids made by the caller, organisation and venue
 * row ids already looked up, array columns as PostgreSQL array literals, the schedule as JSON text.
 */
export type NewServiceColumns = {
  id: string[];
  externalId: string[];
  kind: string[];
  name: string[];
  description: string[];
  url: (string | null)[];
  status: string[];
  alert: (string | null)[];
  organizationId: (string | null)[];
  locationId: (string | null)[];
  categories: string[];
  audiences: string[];
  languages: string[];
  isFree: (boolean | null)[];
  costAmount: (string | null)[];
  fees: (string | null)[];
  howToJoin: (string | null)[];
  attendingTypes: string[];
  contactName: (string | null)[];
  contactEmail: (string | null)[];
  contactPhone: (string | null)[];
  eligibility: (string | null)[];
  minimumAge: (number | null)[];
  maximumAge: (number | null)[];
  assuredDate: (string | null)[];
  providedBy: (string | null)[];
  prerequisites: string[];
  schedule: (string | null)[];
  hasSessions: boolean[];
  sessionsUntil: (string | null)[];
  sessionSlots: string[];
  hash: string[];
};

/** Plain inserts of services new to the source (nothing to conflict with), created and updated at `now`. */
export async function insertNewServices(tx: Sql, sourceId: string, c: NewServiceColumns, now: Date): Promise<void> {
  await tx.query(
    `INSERT INTO service (id, source_id, external_id, kind, name, description, url, status, alert, organization_id,
       location_id, categories, audiences, languages, is_free, cost_amount, fees_description, application_process,
       attending_types, contact_name, contact_email, contact_phone, eligibility_description, minimum_age, maximum_age,
       assured_date, provided_by, prerequisites, schedule, has_sessions, sessions_until, session_slots, content_hash,
       created_at, updated_at)
     SELECT x.id, $1, x.ext, x.kind, x.name, x.descr, x.url, x.status, x.alert, x.org, x.loc, x.cats::text[],
       x.auds::text[], x.langs::text[], x.free, x.cost, x.fees, x.join, x.att::text[], x.cn, x.ce, x.cp, x.elig, x.mina,
       x.maxa, x.assured, x.prov, x.prereq::text[], x.sched::jsonb, x.has, x.until, x.slots::int[], x.hash, $2, $2
     FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
       $11::uuid[], $12::uuid[], $13::text[], $14::text[], $15::text[], $16::boolean[], $17::numeric[], $18::text[],
       $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::int[], $26::int[],
       $27::date[], $28::text[], $29::text[], $30::text[], $31::boolean[], $32::timestamptz[], $33::text[], $34::text[])
       AS x(id, ext, kind, name, descr, url, status, alert, org, loc, cats, auds, langs, free, cost, fees, "join", att,
         cn, ce, cp, elig, mina, maxa, assured, prov, prereq, sched, has, until, slots, hash)`,
    [
      sourceId,
      now,
      c.id,
      c.externalId,
      c.kind,
      c.name,
      c.description,
      c.url,
      c.status,
      c.alert,
      c.organizationId,
      c.locationId,
      c.categories,
      c.audiences,
      c.languages,
      c.isFree,
      c.costAmount,
      c.fees,
      c.howToJoin,
      c.attendingTypes,
      c.contactName,
      c.contactEmail,
      c.contactPhone,
      c.eligibility,
      c.minimumAge,
      c.maximumAge,
      c.assuredDate,
      c.providedBy,
      c.prerequisites,
      c.schedule,
      c.hasSessions,
      c.sessionsUntil,
      c.sessionSlots,
      c.hash,
    ],
  );
}

/** Row ids of the source's organisations with these external ids. */
export async function selectOrganisationIds(
  tx: Sql,
  sourceId: string,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const { rows } = await tx.query<{ id: string; external_id: string }>(
    'SELECT id, external_id FROM organization WHERE source_id = $1 AND external_id = ANY($2::text[])',
    [sourceId, externalIds],
  );
  return new Map(rows.map((r) => [r.external_id, r.id]));
}

/** Row ids of the source's venues with these external ids. */
export async function selectLocationIds(
  tx: Sql,
  sourceId: string,
  externalIds: readonly string[],
): Promise<Map<string, string>> {
  if (externalIds.length === 0) return new Map();
  const { rows } = await tx.query<{ id: string; external_id: string }>(
    'SELECT id, external_id FROM location WHERE source_id = $1 AND external_id = ANY($2::text[])',
    [sourceId, externalIds],
  );
  return new Map(rows.map((r) => [r.external_id, r.id]));
}

/**
 * Sessions of these services whose (service, key) is not among `keep` leave: a session people have booked is kept,
 * cancelled, so their bookings (and the history) survive; the others are deleted.
 */
export async function dropSessionsNotIn(
  tx: Sql,
  serviceIds: readonly (string | undefined)[],
  keep: readonly { sid: string | undefined; key: string }[],
): Promise<void> {
  const gone = `o.service_id = ANY($1::uuid[]) AND NOT EXISTS (
    SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS k(sid uuid, key text) WHERE k.sid = o.service_id AND k.key = o.key)`;
  const booked = 'EXISTS (SELECT 1 FROM booking b WHERE b.occurrence_id = o.id)';
  await tx.query(`UPDATE occurrence o SET status = 'cancelled' WHERE ${gone} AND ${booked}`, [
    serviceIds,
    JSON.stringify(keep),
  ]);
  await tx.query(`DELETE FROM occurrence o WHERE ${gone} AND NOT ${booked}`, [serviceIds, JSON.stringify(keep)]);
}

/** Creates or updates sessions, matched by (service id, key). */
export async function upsertOccurrences(tx: Sql, rows: readonly OccurrenceRow[]): Promise<void> {
  await tx.query(
    `INSERT INTO occurrence (service_id, key, start, "end", all_day, status, capacity, booking_deadline, title, note)
     SELECT x.sid, x.key, x.start, x."end", x."allDay", x.status, x.capacity, x.deadline, x.title, x.note
     FROM jsonb_to_recordset($1::jsonb) AS x(sid uuid, key text, start timestamptz, "end" timestamptz,
       "allDay" boolean, status text, capacity int, deadline timestamptz, title text, note text)
     ON CONFLICT (service_id, key) DO UPDATE SET start = EXCLUDED.start, "end" = EXCLUDED."end",
       all_day = EXCLUDED.all_day, status = EXCLUDED.status, capacity = EXCLUDED.capacity,
       booking_deadline = EXCLUDED.booking_deadline, title = EXCLUDED.title, note = EXCLUDED.note`,
    [JSON.stringify(rows)],
  );
}

/**
 * Plain inserts of new sessions with ordered ids: the n-th row (from 1) gets `idPrefix` followed by `idStart + n`
 * in twelve hex digits.
 */
export async function insertNewOccurrences(
  tx: Sql,
  ids: { prefix: string; start: string },
  serviceIds: readonly string[],
  c: NewOccurrenceColumns,
): Promise<void> {
  await tx.query(
    `INSERT INTO occurrence (id, service_id, key, start, "end", all_day, status, capacity, booking_deadline, title,
       note)
     SELECT ($1 || lpad(to_hex($2::bigint + x.n), 12, '0'))::uuid, ($3::uuid[])[x.si], x.key, x.start, x.e, x.ad,
       x.st, x.cap, x.dl, x.ti, x.nt
     FROM unnest($4::int[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::boolean[], $9::text[], $10::int[],
       $11::timestamptz[], $12::text[], $13::text[]) WITH ORDINALITY AS x(si, key, start, e, ad, st, cap, dl, ti, nt, n)`,
    [
      ids.prefix,
      ids.start,
      serviceIds,
      c.serviceIndex,
      c.key,
      c.start,
      c.end,
      c.allDay,
      c.status,
      c.capacity,
      c.deadline,
      c.title,
      c.note,
    ],
  );
}

/** Whether this connection's role is a superuser (needed to change `session_replication_role`). */
export async function isSuperuser(tx: Sql): Promise<boolean> {
  const { rows } = await tx.query<{ on: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS on`);
  return rows[0]?.on === true;
}

/**
 * `replica` skips foreign key checks (and triggers) until `origin` sets them back, for this transaction only: a
 * rollback undoes it too.
 */
export async function setReplicationRole(tx: Sql, role: 'replica' | 'origin'): Promise<void> {
  await tx.exec(`SET LOCAL session_replication_role = ${role}`);
}

/** Brings `has_sessions` / `sessions_until` / `session_slots` of these services up to date with their sessions. */
export async function refreshSessionSummaryOf(tx: Sql, serviceIds: readonly (string | undefined)[]): Promise<void> {
  await refreshSessionSummary(tx, 'id = ANY($1::uuid[])', [serviceIds]);
}

/**
 * Keeps `has_sessions` / `sessions_until` / `session_slots` in step with the occurrences, so search needs no per-entry
 * probes.
 */
async function refreshSessionSummary(tx: Sql, where: string, params: unknown[]): Promise<void> {
  await tx.query(
    `UPDATE service s SET
       has_sessions = EXISTS (SELECT 1 FROM occurrence o WHERE o.service_id = s.id),
       sessions_until = (SELECT max(o."end") FROM occurrence o WHERE o.service_id = s.id AND o.status <> 'cancelled'),
       session_slots = ARRAY(SELECT DISTINCT ${SESSION_SLOT_SQL('o.start')} FROM occurrence o
                             WHERE o.service_id = s.id AND o.status <> 'cancelled' ORDER BY 1)
     WHERE ${where}`,
    params,
  );
}

/** Records a successful import at `now`, with the fetch's metadata for the next conditional request. */
export async function markSourceImported(
  tx: Sql,
  sourceId: string,
  now: Date,
  fetch: { etag: string | null; lastModified: string | null; contentHash: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE source SET last_imported_at = $2, last_success_at = $2, last_error = NULL, last_error_at = NULL,
       etag = COALESCE($3, etag), last_modified = COALESCE($4, last_modified), content_hash = COALESCE($5, content_hash)
     WHERE id = $1`,
    [sourceId, now, fetch.etag, fetch.lastModified, fetch.contentHash],
  );
}
