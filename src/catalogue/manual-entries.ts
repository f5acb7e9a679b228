import type { Database } from '../db/sql.ts';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { normalisePostcode, WARDS } from './geography/camden.ts';
import { applyImport, describeIssues } from './ingest/apply-import.ts';
import {
  AccessibilityFeatureSchema,
  AttendingTypeSchema,
  AudienceSchema,
  type CatalogueEntryInput,
  EntryKindSchema,
  HowToJoinSchema,
} from './model.ts';
import {
  COORDINATOR_SOURCE,
  selectManualEntries,
  selectManualEntry,
  selectManualEntryId,
} from './manual-entry-queries.ts';
import { isWebUrl } from './web-url.ts';

export { COORDINATOR_SOURCE } from './manual-entry-queries.ts';

const optional = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.string().trim().max(max).optional(),
  );

const WARD_NAMES = WARDS.map((w) => w.name) as [string, ...string[]];

/**
 * What a coordinator fills in (Slack modal, Teams card): one standing service, or a one-off event when `start` is
 * given. Messages are written for the coordinator, never echoing the value back.
 */
export const ManualEntryInputSchema = z
  .object({
    /** Absent for a new entry; `coord-…` to edit one. */
    externalId: z
      .string()
      .regex(/^coord-[a-z0-9-]{4,80}$/, 'not a coordinator entry id')
      .optional(),
    kind: EntryKindSchema,
    title: z
      .string()
      .trim()
      .min(3, 'Give the entry a title (at least 3 characters)')
      .max(200, 'Keep the title under 200 characters'),
    description: z.string().trim().max(3000, 'Keep the description under 3,000 characters').default(''),
    organisation: optional(200),
    venue: optional(200),
    address: optional(300),
    postcode: optional(10).refine(
      (p) => p === undefined || normalisePostcode(p) !== undefined,
      'Enter a full UK postcode, e.g. NW5 2AB',
    ),
    ward: z.enum(WARD_NAMES, { error: 'Choose one of Camden’s 20 wards' }).optional(),
    categories: z.array(z.string().trim().min(1).max(60)).max(10, 'At most 10 categories').default([]),
    audiences: z.array(AudienceSchema).default([]),
    languages: z.array(z.string().trim().toLowerCase().min(1).max(40)).max(10).default([]),
    free: z.boolean().default(false),
    costAmount: z
      .number({ error: 'Enter the cost in pounds, e.g. 3.50' })
      .nonnegative('The cost cannot be negative')
      .max(10_000)
      .optional(),
    costDescription: optional(300),
    howToJoin: HowToJoinSchema.optional(),
    attendingTypes: z.array(AttendingTypeSchema).default(['in_person']),
    accessibility: z.array(AccessibilityFeatureSchema).default([]),
    contactName: optional(200),
    contactPhone: optional(40).refine(
      (p) => p === undefined || /^[+\d][\d ()-]{5,}$/.test(p),
      'Enter a phone number, e.g. 020 7974 4444',
    ),
    contactEmail: optional(320).refine(
      (e) => e === undefined || z.email().safeParse(e).success,
      'Enter an e-mail address',
    ),
    url: optional(2000).refine((u) => u === undefined || isWebUrl(u), 'Enter a web address starting with https://'),
    /** When it runs, in words ("Tuesdays 12:00–14:00"). */
    scheduleText: optional(300),
    /** A one-off event's start and end. */
    start: z.date().optional(),
    end: z.date().optional(),
  })
  .superRefine((e, ctx) => {
    if (e.end && !e.start) ctx.addIssue({ code: 'custom', path: ['start'], message: 'Give a start as well as an end' });
    if (e.start && e.end && e.end.getTime() <= e.start.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'The end must be after the start' });
    }
  });
export type ManualEntryInput = z.input<typeof ManualEntryInputSchema>;
export type ManualEntry = z.output<typeof ManualEntryInputSchema>;

export type SaveResult =
  | { ok: true; externalId: string; id: string; created: boolean }
  | { ok: false; problems: { field: string; message: string }[] };

/**
 * Adds or edits one coordinator entry: validated, then written by the importer in `merge` mode (other coordinator
 * entries are left alone) with today as the date it was last confirmed.
 */
export async function saveManualEntry(store: Database, input: unknown, now: Date): Promise<SaveResult> {
  const parsed = ManualEntryInputSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) => ({
        field: i.path.map(String).join('.') || 'entry',
        message: i.message,
      })),
    };
  }
  const entry = parsed.data;
  if (entry.externalId && !(await getManualEntry(store, entry.externalId))) {
    return { ok: false, problems: [{ field: 'externalId', message: 'That entry no longer exists' }] };
  }
  const externalId = entry.externalId ?? `coord-${randomUUID().slice(0, 13)}`;
  const record = toEntryInput({ ...entry, externalId }, now);
  const report = await store.transaction((tx) =>
    applyImport(tx, { name: COORDINATOR_SOURCE, format: 'manual' }, [record], [], { now, mode: 'merge' }),
  );
  const rejected = report.rejected[0];
  if (rejected) return { ok: false, problems: [{ field: 'entry', message: rejected.reason }] };
  const id = await selectManualEntryId(store.sql, externalId);
  return { ok: true, externalId, id: id!, created: !entry.externalId };
}

function toEntryInput(e: ManualEntry & { externalId: string }, now: Date): CatalogueEntryInput {
  const postcode = e.postcode ? normalisePostcode(e.postcode) : undefined;
  const hasPlace = e.venue || e.address || postcode || e.ward || e.accessibility.length > 0;
  return {
    externalId: e.externalId,
    kind: e.kind,
    title: e.title,
    description: e.description,
    url: e.url,
    organisation: e.organisation ? { externalId: `org:${slug(e.organisation)}`, name: e.organisation } : undefined,
    location: hasPlace
      ? {
          externalId: `loc:${e.externalId}`,
          name: e.venue,
          address1: e.address,
          postalCode: postcode,
          ward: e.ward,
          accessibility: e.accessibility,
        }
      : undefined,
    categories: e.categories,
    audiences: e.audiences,
    languages: e.languages,
    cost: { isFree: e.free || undefined, amount: e.free ? 0 : e.costAmount, description: e.costDescription },
    howToJoin: e.howToJoin,
    attendingTypes: e.attendingTypes,
    contact: { name: e.contactName, phone: e.contactPhone, email: e.contactEmail },
    assuredDate: now,
    schedule: e.scheduleText ? { description: e.scheduleText } : undefined,
    occurrences: e.start
      ? [{ key: e.start.toISOString(), start: e.start, end: e.end ?? new Date(e.start.getTime() + 60 * 60_000) }]
      : [],
  };
}

/** A coordinator entry as its form shows it, for editing. */
export async function getManualEntry(store: Database, externalId: string): Promise<ManualEntry | undefined> {
  const row = await selectManualEntry(store.sql, externalId);
  if (!row) return undefined;
  const parsed = ManualEntryInputSchema.safeParse({
    externalId: row.external_id,
    kind: row.kind,
    title: row.name,
    description: row.description,
    organisation: row.organisation ?? undefined,
    venue: row.venue ?? undefined,
    address: row.address ?? undefined,
    postcode: row.postcode ?? undefined,
    ward: row.ward ?? undefined,
    categories: row.categories,
    audiences: row.audiences,
    languages: row.languages,
    free: row.is_free === true,
    costAmount: row.is_free || row.cost_amount === null ? undefined : Number(row.cost_amount),
    costDescription: row.fees_description ?? undefined,
    howToJoin: row.application_process ?? undefined,
    attendingTypes: row.attending_types,
    accessibility: row.accessibility ?? [],
    contactName: row.contact_name ?? undefined,
    contactPhone: row.contact_phone ?? undefined,
    contactEmail: row.contact_email ?? undefined,
    url: row.url ?? undefined,
    scheduleText: row.schedule?.description ?? undefined,
    start: row.start ? new Date(row.start) : undefined,
    end: row.end ? new Date(row.end) : undefined,
  });
  if (!parsed.success)
    throw new Error(
      `stored coordinator entry ${externalId} no longer validates: ${describeIssues(parsed.error.issues)}`,
    );
  return parsed.data;
}

/** The coordinator entries over a store: get one to edit, list them, save one. */
export function coordinatorEntries(db: Database): {
  get(externalId: string): Promise<ManualEntry | undefined>;
  list(options: { text?: string; limit?: number }): Promise<ManualEntrySummary[]>;
  save(input: unknown, now: Date): Promise<SaveResult>;
} {
  return {
    get: (externalId) => getManualEntry(db, externalId),
    list: (options) => listManualEntries(db, options),
    save: (input, now) => saveManualEntry(db, input, now),
  };
}

export type ManualEntrySummary = { externalId: string; title: string; kind: string; updatedAt: Date };

/** Coordinator entries, most recently changed first; `text` narrows by title. */
export async function listManualEntries(
  store: Database,
  options: { text?: string; limit?: number } = {},
): Promise<ManualEntrySummary[]> {
  const rows = await selectManualEntries(store.sql, options);
  return rows.map((r) => ({
    externalId: r.external_id,
    title: r.name,
    kind: r.kind,
    updatedAt: new Date(r.updated_at),
  }));
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'organisation'
  );
}
