import { copyField } from '../../db/bulk-load.ts';
import { orderedIdBatch } from '../../db/ids.ts';
import type { Sql } from '../../db/sql.ts';
import {
  insertNewServices,
  type NewServiceColumns,
  type ServiceRow,
  selectLocationIds,
  selectOrganisationIds,
} from './import-queries.ts';

/** Services per COPY on the embedded store, and per multi-row insert on a server. */
const COPY_BATCH = 10_000;
const INSERT_BATCH = 5_000;

/** The service table's columns a new entry fills, in COPY order (`removed_at` and the rest keep their defaults). */
const SERVICE_COLUMNS = [
  'id',
  'source_id',
  'external_id',
  'kind',
  'name',
  'description',
  'url',
  'status',
  'alert',
  'organization_id',
  'location_id',
  'categories',
  'audiences',
  'languages',
  'is_free',
  'cost_amount',
  'fees_description',
  'application_process',
  'attending_types',
  'contact_name',
  'contact_email',
  'contact_phone',
  'eligibility_description',
  'minimum_age',
  'maximum_age',
  'assured_date',
  'provided_by',
  'prerequisites',
  'schedule',
  'has_sessions',
  'sessions_until',
  'session_slots',
  'content_hash',
  'created_at',
  'updated_at',
] as const;

/**
 * Services new to the source (none of them is in the table: the import holds the source's lock and has read its
 * services), as plain inserts with ordered ids made here: COPY text, or parallel arrays where the seam offers no
 * COPY. No JSON to unpack, no conflict to check, and no id to wait for: the sessions can be written straight
 * after. Organisations and venues must already be written. Returns each service's id by external id.
 */
export async function writeNewServices(
  tx: Sql,
  sourceId: string,
  rows: readonly ServiceRow[],
  now: Date,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (rows.length === 0) return ids;
  const orgIds = await selectOrganisationIds(tx, sourceId, distinct(rows.map((r) => r.org)));
  const locIds = await selectLocationIds(tx, sourceId, distinct(rows.map((r) => r.loc)));
  const batch = orderedIdBatch();
  const first = Number(batch.start);
  const idOf = (n: number) => `${batch.prefix}${(first + n + 1).toString(16).padStart(12, '0')}`;
  for (let n = 0; n < rows.length; n++) ids.set(rows[n]!.externalId, idOf(n));
  const at = now.toISOString();
  if (tx.copyFrom) {
    for (let offset = 0; offset < rows.length; offset += COPY_BATCH) {
      let text = '';
      const end = Math.min(rows.length, offset + COPY_BATCH);
      for (let n = offset; n < end; n++) {
        const r = rows[n]!;
        const org = r.org === null ? undefined : orgIds.get(r.org);
        const loc = r.loc === null ? undefined : locIds.get(r.loc);
        text += `${idOf(n)}\t${sourceId}\t${copyField(r.externalId)}\t${copyField(r.kind)}\t${copyField(r.name)}\t${copyField(r.description)}\t${copyField(r.url)}\t${copyField(r.status)}\t${copyField(r.alert)}\t${copyField(org)}\t${copyField(loc)}\t${copyField(textArray(r.categories))}\t${copyField(textArray(r.audiences))}\t${copyField(textArray(r.languages))}\t${copyField(r.isFree)}\t${copyField(r.costAmount)}\t${copyField(r.fees)}\t${copyField(r.howToJoin)}\t${copyField(textArray(r.attendingTypes))}\t${copyField(r.contactName)}\t${copyField(r.contactEmail)}\t${copyField(r.contactPhone)}\t${copyField(r.eligibility)}\t${copyField(r.minimumAge)}\t${copyField(r.maximumAge)}\t${copyField(r.assuredDate)}\t${copyField(r.providedBy)}\t${copyField(textArray(r.prerequisites))}\t${copyField(jsonOf(r.schedule))}\t${r.hasSessions ? 't' : 'f'}\t${copyField(r.sessionsUntil)}\t{${r.sessionSlots.join(',')}}\t${copyField(r.hash)}\t${at}\t${at}\n`;
      }
      await tx.copyFrom('service', SERVICE_COLUMNS, text);
    }
    return ids;
  }
  for (let offset = 0; offset < rows.length; offset += INSERT_BATCH) {
    const chunk = rows.slice(offset, offset + INSERT_BATCH);
    const c: NewServiceColumns = {
      id: chunk.map((_, i) => idOf(offset + i)),
      externalId: [],
      kind: [],
      name: [],
      description: [],
      url: [],
      status: [],
      alert: [],
      organizationId: [],
      locationId: [],
      categories: [],
      audiences: [],
      languages: [],
      isFree: [],
      costAmount: [],
      fees: [],
      howToJoin: [],
      attendingTypes: [],
      contactName: [],
      contactEmail: [],
      contactPhone: [],
      eligibility: [],
      minimumAge: [],
      maximumAge: [],
      assuredDate: [],
      providedBy: [],
      prerequisites: [],
      schedule: [],
      hasSessions: [],
      sessionsUntil: [],
      sessionSlots: [],
      hash: [],
    };
    for (const r of chunk) {
      c.externalId.push(r.externalId);
      c.kind.push(r.kind);
      c.name.push(r.name);
      c.description.push(r.description);
      c.url.push(r.url);
      c.status.push(r.status);
      c.alert.push(r.alert);
      c.organizationId.push((r.org === null ? undefined : orgIds.get(r.org)) ?? null);
      c.locationId.push((r.loc === null ? undefined : locIds.get(r.loc)) ?? null);
      c.categories.push(textArray(r.categories));
      c.audiences.push(textArray(r.audiences));
      c.languages.push(textArray(r.languages));
      c.isFree.push(r.isFree);
      c.costAmount.push(r.costAmount === null ? null : String(r.costAmount));
      c.fees.push(r.fees);
      c.howToJoin.push(r.howToJoin);
      c.attendingTypes.push(textArray(r.attendingTypes));
      c.contactName.push(r.contactName);
      c.contactEmail.push(r.contactEmail);
      c.contactPhone.push(r.contactPhone);
      c.eligibility.push(r.eligibility);
      c.minimumAge.push(r.minimumAge);
      c.maximumAge.push(r.maximumAge);
      c.assuredDate.push(r.assuredDate);
      c.providedBy.push(r.providedBy);
      c.prerequisites.push(textArray(r.prerequisites));
      c.schedule.push(jsonOf(r.schedule));
      c.hasSessions.push(r.hasSessions);
      c.sessionsUntil.push(r.sessionsUntil);
      c.sessionSlots.push(`{${r.sessionSlots.join(',')}}`);
      c.hash.push(r.hash);
    }
    await insertNewServices(tx, sourceId, c, now);
  }
  return ids;
}

/** A text array as PostgreSQL's array literal: every element quoted, `"` and `\` escaped. */
export function textArray(values: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out += `${i ? ',' : ''}"${/["\\]/.test(v) ? v.replace(/["\\]/g, '\\$&') : v}"`;
  }
  return `${out}}`;
}

/** JSON text as the JSON parameter of the row-by-row path would have carried it (undefined and null as SQL null). */
function jsonOf(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function distinct(values: readonly (string | null)[]): string[] {
  const out = new Set<string>();
  for (const v of values) if (v !== null) out.add(v);
  return [...out];
}
