import { mergePendingIndexEntries, SEARCHED_TABLES, withIndexesRebuiltAfter } from '../../db/bulk-load.ts';
import { BinaryCopyRows } from '../../db/copy-binary.ts';
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
import {
  dropSessionsNotIn,
  insertNewOccurrences,
  isSuperuser,
  lockSource,
  markSourceImported,
  type OccurrenceRow,
  refreshSessionSummaryOf,
  removeServices,
  selectImportedServices,
  type ServiceRow,
  setReplicationRole,
  upsertLocations,
  upsertOccurrences,
  upsertOrganisations,
  upsertServices,
  upsertSource,
} from './import-queries.ts';
import { withDerivedFacets } from './derive-facets.ts';
import { keepWebUrls } from './keep-web-urls.ts';
import { sessionSlots } from '../session-slots.ts';
import { writeNewServices } from './new-services.ts';

/** Rows are sent to the database as one JSON parameter per batch: one round trip for thousands of rows. */
const BATCH = 2000;
/** Sessions per COPY on the embedded store. */
const COPY_BATCH = 50_000;
const OCCURRENCE_COLUMNS = [
  'id',
  'service_id',
  'key',
  'start',
  'end',
  'all_day',
  'status',
  'capacity',
  'booking_deadline',
  'title',
  'note',
] as const;
/** New rows (services and their sessions) from which skipping foreign key checks is worth its extra statements. */
const SKIP_CHECKS_MIN_ROWS = 100;
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

  const sourceId = await upsertSource(tx, {
    name: source.name,
    format: source.format,
    url: source.url ?? null,
    isDemo: source.isDemo,
  });
  // Serialise imports of one source across processes and instances.
  await lockSource(tx, sourceId);

  const existing = await selectImportedServices(tx, sourceId);
  const known = new Map(existing.map((r) => [r.external_id, r]));

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
    const gone = existing.filter((r) => !r.removed && !prepared.has(r.external_id)).map((r) => r.external_id);
    removed = gone.length;
    for (const chunk of chunks(gone, BATCH)) await removeServices(tx, sourceId, chunk, options.now);
  }

  const serviceIds = new Map<string, string>();
  await writeOrganisationsAndVenues(tx, sourceId, toWrite);
  const freshItems = toWrite.filter((i) => !known.has(i.data.externalId));
  const changedItems = toWrite.filter((i) => known.has(i.data.externalId));
  const fresh = freshItems.map(serviceRowOf);
  for (const chunk of chunks(changedItems.map(serviceRowOf), BATCH)) {
    for (const r of await upsertServices(tx, sourceId, chunk, options.now)) serviceIds.set(r.external_id, r.id);
  }
  // Changing the role needs a superuser (the embedded store's only user is one; a server's may not be).
  const newRows = freshItems.reduce((n, i) => n + 1 + i.data.occurrences.length, 0);
  const unchecked = newRows >= SKIP_CHECKS_MIN_ROWS && (await isSuperuser(tx));
  const uncheckedServices = unchecked && tx.exclusive === true;
  await withoutForeignKeyChecks(tx, uncheckedServices, async () => {
    // A large first load builds the indexes (full text, trigrams: costly per row) once, after the rows are in. The
    // new services are plain inserts of external ids the source has not got, so the unique index is built after too.
    await withIndexesRebuiltAfter(
      tx,
      'service',
      fresh.length,
      async () => {
        for (const [externalId, id] of await writeNewServices(tx, sourceId, fresh, options.now))
          serviceIds.set(externalId, id);
      },
      { minRows: SERVICE_REBUILD_MIN_ROWS, unique: true },
    );
    // New entries have no sessions yet: theirs are plain inserts. Their one reference, the service, was inserted by
    // this transaction, which no other can see yet, let alone delete: unchecked on a server too.
    if (freshItems.length > 0)
      await withoutForeignKeyChecks(tx, unchecked && !uncheckedServices, () =>
        writeNewOccurrences(tx, freshItems, serviceIds),
      );
  });
  // With the checks back on: an updated entry's sessions may have bookings.
  if (changedItems.length > 0) await writeUpdatedOccurrences(tx, changedItems, serviceIds);

  await markSourceImported(tx, sourceId, options.now, {
    etag: options.fetch?.etag ?? null,
    lastModified: options.fetch?.lastModified ?? null,
    contentHash: options.fetch?.contentHash ?? null,
  });
  if (tx.exclusive && (toWrite.length > 0 || removed > 0)) await mergePendingIndexEntries(tx, SEARCHED_TABLES);

  return { source: source.name, format: source.format, created, updated, unchanged, removed, rejected };
}

/**
 * The organisations and venues of the written entries (services link to them by their external ids), each written
 * once however many entries share it: many services name one organisation or hall. Where entries disagree about one,
 * the last entry's version is kept, as writing them entry by entry would leave it.
 */
async function writeOrganisationsAndVenues(tx: Sql, sourceId: string, items: Prepared[]): Promise<void> {
  const organisations = new Map<string, OrganisationInput>();
  const locations = new Map<string, LocationInput>();
  for (const { data } of items) {
    if (data.organisation) organisations.set(data.organisation.externalId, data.organisation);
    if (data.location) locations.set(data.location.externalId, data.location);
  }
  for (const chunk of chunks([...organisations.values()], BATCH))
    await upsertOrganisations(
      tx,
      sourceId,
      chunk.map((o) => ({ ...o, hash: contentHash(o) })),
    );
  for (const chunk of chunks([...locations.values()], BATCH))
    await upsertLocations(
      tx,
      sourceId,
      chunk.map((l) => ({ ...l, hash: contentHash(l) })),
    );
}

/** An entry's service row, as both write paths send it. */
function serviceRowOf({ data, hash }: Prepared): ServiceRow {
  return {
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
  };
}

/**
 * The sessions of updated entries, matched by key, so the ones still in the feed keep their ids (bookings point at
 * them) and the ones that left go.
 */
async function writeUpdatedOccurrences(
  tx: Sql,
  updated: Prepared[],
  serviceIds: ReadonlyMap<string, string>,
): Promise<void> {
  const updatedIds = updated.map((i) => serviceIds.get(i.data.externalId));
  const occurrenceRows = updated.flatMap(({ data }) =>
    data.occurrences.map(
      (o): OccurrenceRow => ({
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
      }),
    ),
  );
  // A session people have booked is kept, cancelled, so their bookings (and the history) survive.
  await dropSessionsNotIn(
    tx,
    updatedIds,
    occurrenceRows.map(({ sid, key }) => ({ sid, key })),
  );
  for (const chunk of chunks(occurrenceRows, BATCH * 5)) await upsertOccurrences(tx, chunk);
  // Updated entries may keep booked sessions that left the feed (cancelled): count what is really stored.
  await refreshSessionSummaryOf(tx, updatedIds);
}

/**
 * Sessions of entries created by this import: nothing can conflict, so they are plain inserts with ordered ids, as
 * binary COPY on both stores (measured on 245,000 sessions on a server: a third less time than parallel arrays), or
 * parallel arrays (no per-row JSON) where the seam offers no COPY.
 */
async function writeNewOccurrences(
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
  // Plain inserts of keys new to their (new) services: the unique index on (service, key) is built after as well.
  await withIndexesRebuiltAfter(
    tx,
    'occurrence',
    rows.length,
    async () => {
      // Each chunk is made while the store writes the one before (it works on its own thread or server): one
      // statement in flight at a time, as a transaction needs, but no wait for the next one's text.
      let inFlight: Promise<unknown> = Promise.resolve();
      const send = async (write: () => Promise<unknown>) => {
        await inFlight;
        inFlight = write();
        // Awaited before the next chunk or at the end; meanwhile a failure is not an unhandled rejection.
        inFlight.catch(() => {});
      };
      if (tx.copyFrom) {
        const copyFrom = tx.copyFrom.bind(tx);
        // The embedded store takes them as binary COPY: no per-row parameters, and no timestamps or ids to parse.
        const first = Number(ids.start);
        for (let offset = 0; offset < rows.length; offset += COPY_BATCH) {
          const end = Math.min(rows.length, offset + COPY_BATCH);
          const out = new BinaryCopyRows((end - offset) * 160);
          for (let n = offset; n < end; n++) {
            const { si, o } = rows[n]!;
            out
              .row(OCCURRENCE_COLUMNS.length)
              .uuid(`${ids.prefix}${(first + n + 1).toString(16).padStart(12, '0')}`)
              .uuid(services[si - 1]!)
              .text(o.key)
              .timestamptz(o.start)
              .timestamptz(o.end)
              .bool(o.allDay)
              .text(o.status)
              .int4(o.capacity)
              .timestamptz(o.bookingDeadline)
              .text(o.title)
              .text(o.note);
          }
          const bytes = out.finish();
          await send(() => copyFrom('occurrence', OCCURRENCE_COLUMNS, bytes));
        }
        await inFlight;
        return;
      }
      let offset = 0;
      for (const chunk of chunks(rows, BATCH * 10)) {
        const at = offset;
        const columns = {
          serviceIndex: chunk.map((r) => r.si),
          key: chunk.map((r) => r.o.key),
          start: chunk.map((r) => r.o.start.toISOString()),
          end: chunk.map((r) => r.o.end.toISOString()),
          allDay: chunk.map((r) => r.o.allDay),
          status: chunk.map((r) => r.o.status),
          capacity: chunk.map((r) => r.o.capacity ?? null),
          deadline: chunk.map((r) => r.o.bookingDeadline?.toISOString() ?? null),
          title: chunk.map((r) => r.o.title ?? null),
          note: chunk.map((r) => r.o.note ?? null),
        };
        await send(() =>
          insertNewOccurrences(
            tx,
            { prefix: ids.prefix, start: (ids.start + BigInt(at)).toString() },
            services,
            columns,
          ),
        );
        offset += chunk.length;
      }
      await inFlight;
    },
    { unique: true },
  );
}

/**
 * Runs `write` with foreign key checks off, when `skip`: for rows whose every reference was written or read by this
 * same transaction where nothing else can change it (the embedded store's transaction has the database to itself),
 * so the per-row check (a lookup and a row lock for each reference) proves nothing, as in a data-only restore. On
 * failure the transaction rolls back, and the setting with it.
 */
async function withoutForeignKeyChecks<T>(tx: Sql, skip: boolean, write: () => Promise<T>): Promise<T> {
  if (!skip) return write();
  await setReplicationRole(tx, 'replica');
  const result = await write();
  await setReplicationRole(tx, 'origin');
  return result;
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
