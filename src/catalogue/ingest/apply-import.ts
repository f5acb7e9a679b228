import { withIndexesRebuiltAfter } from '../../db/bulk-load.ts';
import { SESSION_SLOT_SQL } from '../search/search-queries.ts';
import { sessionSlots } from '../session-slots.ts';
import { orderedIdBatch } from '../../db/ids.ts';
import type { Sql } from '../../db/sql.ts';
import {
  type CatalogueEntryData,
  CatalogueEntryInputSchema,
  type ImportReport,
  type LocationInput,
  type OrganisationInput,
  type Rejection,
  type SourceInput,
  SourceInputSchema,
} from '../model.ts';
import { contentHash, entryContentHash } from './content-hash.ts';
import { withDerivedFacets } from './derive-facets.ts';
import { keepWebUrls } from './keep-web-urls.ts';

/** Rows are sent to the database as one JSON parameter per batch: one round trip for thousands of rows. */
const BATCH = 2000;
/** New services from which rebuilding the service table's indexes beats updating them row by row. */
const SERVICE_REBUILD_MIN_ROWS = 1000;

export type ApplyImportOptions = {
  now: Date;
  /**
   * `replace` (feeds, directories): entries missing from the input are marked removed.
   * `merge` (a coordinator adding a few rows): entries missing are left alone.
   */
  mode?: 'replace' | 'merge';
  /** Raw fetch metadata kept on the source for the next refresh. */
  fetch?: { etag?: string | null; lastModified?: string | null; contentHash?: string | null };
};

type Prepared = { data: CatalogueEntryData; hash: string };

/**
 * Validates entries and writes them as one transaction: created, updated in place (matched by source and external
 * id), unchanged (same content hash: no write), removed (gone from the source; kept with `removed_at` so bookings and
 * history survive). Importing the same input twice changes nothing.
 */
export async function applyImport(
  tx: Sql,
  sourceInput: SourceInput,
  entries: readonly unknown[],
  upstreamRejected: readonly Rejection[],
  options: ApplyImportOptions,
): Promise<ImportReport> {
  const source = SourceInputSchema.parse(sourceInput);
  const rejected: Rejection[] = [...upstreamRejected];
  const prepared = new Map<string, Prepared>();
  entries.forEach((raw, index) => {
    const parsed = CatalogueEntryInputSchema.safeParse(raw);
    const ref = refOf(raw, index);
    if (!parsed.success) {
      rejected.push({ ref, reason: describeIssues(parsed.error.issues) });
      return;
    }
    if (prepared.has(parsed.data.externalId)) {
      rejected.push({ ref, reason: `duplicate id ${parsed.data.externalId}: the first record with it was kept` });
      return;
    }
    keepWebUrls(parsed.data, ref, rejected);
    // Untagged entries get categories, audiences and a ward read from their own text (given ones are kept).
    const data = withDerivedFacets({ ...parsed.data, occurrences: firstPerKey(parsed.data.occurrences) });
    prepared.set(data.externalId, { data, hash: entryContentHash(data) });
  });

  const sourceRow = await tx.query<{ id: string }>(
    `INSERT INTO source (name, format, url, is_demo) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET format = EXCLUDED.format, url = COALESCE(EXCLUDED.url, source.url),
       is_demo = EXCLUDED.is_demo
     RETURNING id`,
    [source.name, source.format, source.url ?? null, source.isDemo],
  );
  const sourceId = sourceRow.rows[0]!.id;
  // Serialise imports of one source across processes and instances.
  await tx.query('SELECT id FROM source WHERE id = $1 FOR UPDATE', [sourceId]);

  const existing = await tx.query<{ external_id: string; content_hash: string; removed: boolean }>(
    'SELECT external_id, content_hash, removed_at IS NOT NULL AS removed FROM service WHERE source_id = $1',
    [sourceId],
  );
  const known = new Map(existing.rows.map((r) => [r.external_id, r]));

  const toWrite: Prepared[] = [];
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  for (const item of prepared.values()) {
    const before = known.get(item.data.externalId);
    if (!before) {
      created++;
      toWrite.push(item);
    } else if (before.content_hash !== item.hash || before.removed) {
      updated++;
      toWrite.push(item);
    } else {
      unchanged++;
    }
  }

  let removed = 0;
  if ((options.mode ?? 'replace') === 'replace') {
    const gone = existing.rows.filter((r) => !r.removed && !prepared.has(r.external_id)).map((r) => r.external_id);
    removed = gone.length;
    for (const chunk of chunks(gone, BATCH)) {
      await tx.query(
        `UPDATE service SET removed_at = $3, updated_at = $3 WHERE source_id = $1 AND external_id = ANY($2::text[])`,
        [sourceId, chunk, options.now],
      );
      await tx.query(
        `UPDATE occurrence o SET status = 'cancelled' FROM service s
         WHERE o.service_id = s.id AND s.source_id = $1 AND s.external_id = ANY($2::text[]) AND o.start >= $3`,
        [sourceId, chunk, options.now],
      );
      await refreshSessionSummary(tx, `source_id = $1 AND external_id = ANY($2::text[])`, [sourceId, chunk]);
    }
  }

  const serviceIds = new Map<string, string>();
  // A large first load builds the search indexes (full text, trigrams: costly per row) once, after the rows are in.
  await withIndexesRebuiltAfter(
    tx,
    'service',
    created,
    async () => {
      for (const chunk of chunks(toWrite, BATCH)) {
        for (const [externalId, id] of await writeServices(tx, sourceId, chunk, options.now))
          serviceIds.set(externalId, id);
      }
    },
    SERVICE_REBUILD_MIN_ROWS,
  );
  if (toWrite.length > 0) await writeOccurrences(tx, toWrite, known, serviceIds);

  await tx.query(
    `UPDATE source SET last_imported_at = $2, last_success_at = $2, last_error = NULL, last_error_at = NULL,
       etag = COALESCE($3, etag), last_modified = COALESCE($4, last_modified), content_hash = COALESCE($5, content_hash)
     WHERE id = $1`,
    [
      sourceId,
      options.now,
      options.fetch?.etag ?? null,
      options.fetch?.lastModified ?? null,
      options.fetch?.contentHash ?? null,
    ],
  );

  return { source: source.name, format: source.format, created, updated, unchanged, removed, rejected };
}

/** Organisations, locations and services of a batch of entries; returns each service's row id by external id. */
async function writeServices(tx: Sql, sourceId: string, items: Prepared[], now: Date): Promise<Map<string, string>> {
  const organisations = new Map<string, OrganisationInput>();
  const locations = new Map<string, LocationInput>();
  for (const { data } of items) {
    if (data.organisation) organisations.set(data.organisation.externalId, data.organisation);
    if (data.location) locations.set(data.location.externalId, data.location);
  }
  if (organisations.size > 0) {
    const rows = [...organisations.values()].map((o) => ({ ...o, hash: contentHash(o) }));
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
  if (locations.size > 0) {
    const rows = [...locations.values()].map((l) => ({ ...l, hash: contentHash(l) }));
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

  const serviceRows = items.map(({ data, hash }) => ({
    externalId: data.externalId,
    kind: data.kind,
    name: data.title,
    description: data.description,
    url: data.url ?? null,
    status: data.status,
    alert: data.alert ?? null,
    org: data.organisation?.externalId ?? null,
    loc: data.location?.externalId ?? null,
    categories: data.categories,
    audiences: data.audiences,
    languages: data.languages,
    isFree: data.cost.isFree ?? (data.cost.amount === 0 ? true : null),
    costAmount: data.cost.amount ?? null,
    fees: data.cost.description ?? null,
    howToJoin: data.howToJoin ?? null,
    attendingTypes: data.attendingTypes,
    contactName: data.contact.name ?? null,
    contactEmail: data.contact.email ?? null,
    contactPhone: data.contact.phone ?? null,
    eligibility: data.eligibility ?? null,
    minimumAge: data.minimumAge ?? null,
    maximumAge: data.maximumAge ?? null,
    assuredDate: data.assuredDate ? data.assuredDate.toISOString().slice(0, 10) : null,
    providedBy: data.providedBy ?? null,
    prerequisites: data.prerequisites,
    schedule: data.schedule ?? null,
    hasSessions: data.occurrences.length > 0,
    sessionsUntil: lastEnd(data.occurrences),
    sessionSlots: sessionSlots(data.occurrences),
    hash,
  }));
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
    [sourceId, JSON.stringify(serviceRows), now],
  );
  return new Map(written.rows.map((r) => [r.external_id, r.id]));
}

/** The sessions of every written entry, in as few statements as the store allows. */
async function writeOccurrences(
  tx: Sql,
  items: Prepared[],
  known: ReadonlyMap<string, unknown>,
  serviceIds: ReadonlyMap<string, string>,
): Promise<void> {
  // New entries have no sessions yet: theirs are plain inserts. Updated entries' sessions are matched by key, so the
  // ones still in the feed keep their ids (bookings point at them) and the ones that left go.
  const fresh = items.filter((i) => !known.has(i.data.externalId));
  const updated = items.filter((i) => known.has(i.data.externalId));
  if (fresh.length > 0) await insertNewOccurrences(tx, fresh, serviceIds);
  const updatedIds = updated.map((i) => serviceIds.get(i.data.externalId));
  const occurrenceRows = updated.flatMap(({ data }) =>
    data.occurrences.map((o) => ({
      sid: serviceIds.get(data.externalId),
      key: o.key,
      start: o.start.toISOString(),
      end: o.end.toISOString(),
      allDay: o.allDay,
      status: o.status,
      capacity: o.capacity ?? null,
      deadline: o.bookingDeadline?.toISOString() ?? null,
      title: o.title ?? null,
      note: o.note ?? null,
    })),
  );
  if (updatedIds.length > 0) {
    const keep = occurrenceRows.map(({ sid, key }) => ({ sid, key }));
    const gone = `o.service_id = ANY($1::uuid[]) AND NOT EXISTS (
      SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS k(sid uuid, key text) WHERE k.sid = o.service_id AND k.key = o.key)`;
    const booked = 'EXISTS (SELECT 1 FROM booking b WHERE b.occurrence_id = o.id)';
    // A session people have booked is kept, cancelled, so their bookings (and the history) survive.
    await tx.query(`UPDATE occurrence o SET status = 'cancelled' WHERE ${gone} AND ${booked}`, [
      updatedIds,
      JSON.stringify(keep),
    ]);
    await tx.query(`DELETE FROM occurrence o WHERE ${gone} AND NOT ${booked}`, [updatedIds, JSON.stringify(keep)]);
  }
  for (const chunk of chunks(occurrenceRows, BATCH * 5)) {
    await tx.query(
      `INSERT INTO occurrence (service_id, key, start, "end", all_day, status, capacity, booking_deadline, title, note)
       SELECT x.sid, x.key, x.start, x."end", x."allDay", x.status, x.capacity, x.deadline, x.title, x.note
       FROM jsonb_to_recordset($1::jsonb) AS x(sid uuid, key text, start timestamptz, "end" timestamptz,
         "allDay" boolean, status text, capacity int, deadline timestamptz, title text, note text)
       ON CONFLICT (service_id, key) DO UPDATE SET start = EXCLUDED.start, "end" = EXCLUDED."end",
         all_day = EXCLUDED.all_day, status = EXCLUDED.status, capacity = EXCLUDED.capacity,
         booking_deadline = EXCLUDED.booking_deadline, title = EXCLUDED.title, note = EXCLUDED.note`,
      [JSON.stringify(chunk)],
    );
  }
  // Updated entries may keep booked sessions that left the feed (cancelled): count what is really stored.
  if (updatedIds.length > 0) await refreshSessionSummary(tx, 'id = ANY($1::uuid[])', [updatedIds]);
}

/**
 * Sessions of entries created by this import: nothing can conflict, so they are plain inserts, sent as parallel
 * arrays (no per-row JSON), with ordered ids. On the embedded store the transaction has the database to itself and
 * every service id was returned by this transaction's own insert, so the per-row foreign key check (a lookup and a
 * row lock on the service for each session) is skipped for this one statement, as a data-only restore does.
 */
async function insertNewOccurrences(
  tx: Sql,
  items: readonly Prepared[],
  serviceIds: ReadonlyMap<string, string>,
): Promise<void> {
  const services: string[] = [];
  const rows: { si: number; o: CatalogueEntryData['occurrences'][number] }[] = [];
  for (const { data } of items) {
    const id = serviceIds.get(data.externalId);
    if (!id || data.occurrences.length === 0) continue;
    services.push(id);
    for (const o of data.occurrences) rows.push({ si: services.length, o });
  }
  if (rows.length === 0) return;
  const ids = orderedIdBatch();
  // Changing the role needs a superuser (the embedded store's only user is one; checked all the same).
  const skipChecks =
    tx.exclusive === true &&
    (await tx.query<{ on: boolean }>(`SELECT current_setting('is_superuser') = 'on' AS on`)).rows[0]?.on === true;
  if (skipChecks) await tx.exec(`SET LOCAL session_replication_role = replica`);
  await withIndexesRebuiltAfter(tx, 'occurrence', rows.length, async () => {
    let offset = 0;
    for (const chunk of chunks(rows, BATCH * 10)) {
      await tx.query(
        `INSERT INTO occurrence (id, service_id, key, start, "end", all_day, status, capacity, booking_deadline, title,
           note)
         SELECT ($1 || lpad(to_hex($2::bigint + x.n), 12, '0'))::uuid, ($3::uuid[])[x.si], x.key, x.start, x.e, x.ad,
           x.st, x.cap, x.dl, x.ti, x.nt
         FROM unnest($4::int[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::boolean[], $9::text[], $10::int[],
           $11::timestamptz[], $12::text[], $13::text[]) WITH ORDINALITY AS x(si, key, start, e, ad, st, cap, dl, ti, nt, n)`,
        [
          ids.prefix,
          (ids.start + BigInt(offset)).toString(),
          services,
          chunk.map((r) => r.si),
          chunk.map((r) => r.o.key),
          chunk.map((r) => r.o.start.toISOString()),
          chunk.map((r) => r.o.end.toISOString()),
          chunk.map((r) => r.o.allDay),
          chunk.map((r) => r.o.status),
          chunk.map((r) => r.o.capacity ?? null),
          chunk.map((r) => r.o.bookingDeadline?.toISOString() ?? null),
          chunk.map((r) => r.o.title ?? null),
          chunk.map((r) => r.o.note ?? null),
        ],
      );
      offset += chunk.length;
    }
  });
  // (On failure the transaction rolls back, and the setting with it.)
  if (skipChecks) await tx.exec(`SET LOCAL session_replication_role = origin`);
}

/** One session per key: a key given twice in one entry keeps the first, as a feed's later duplicate UID would. */
function firstPerKey<T extends { key: string }>(occurrences: T[]): T[] {
  const seen = new Set<string>();
  return occurrences.filter((o) => {
    if (seen.has(o.key)) return false;
    seen.add(o.key);
    return true;
  });
}

/** The end of the last occurrence still on (ISO text), or null. */
function lastEnd(occurrences: readonly { end: Date; status: string }[]): string | null {
  let last: Date | null = null;
  for (const o of occurrences) if (o.status !== 'cancelled' && (!last || o.end > last)) last = o.end;
  return last ? last.toISOString() : null;
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

function refOf(raw: unknown, index: number): string {
  if (raw && typeof raw === 'object') {
    const id = (raw as { externalId?: unknown }).externalId;
    if (typeof id === 'string' && id.trim()) return id.trim();
  }
  return `record #${index + 1}`;
}

/** Zod issues as one short sentence; never includes the offending values (they may be personal data). */
export function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
