import { z } from 'zod';

/**
 * The catalogue's domain model. Field names follow HSDS / Open Referral UK where the standard has one
 * (`assured_date` → `assuredDate`, `application_process` → `howToJoin`, `attending_type` → `attendingTypes`).
 */

export const ENTRY_KINDS = ['activity', 'training', 'resource'] as const;
export const EntryKindSchema = z.enum(ENTRY_KINDS);
export type EntryKind = z.infer<typeof EntryKindSchema>;

/** HSDS `status`, narrowed to what a signposter needs to know. */
export const ENTRY_STATUSES = ['active', 'temporarily_closed', 'closed'] as const;
export const EntryStatusSchema = z.enum(ENTRY_STATUSES);
export type EntryStatus = z.infer<typeof EntryStatusSchema>;

export const AUDIENCES = [
  'older_people',
  'learning_disabilities',
  'ethnic_minorities',
  'carers',
  'lgbtq',
  'young_people',
  'parents_of_young_children',
  'men',
  'women',
  'everyone',
] as const;
export const AudienceSchema = z.enum(AUDIENCES);
export type Audience = z.infer<typeof AudienceSchema>;

export const HOW_TO_JOIN = ['drop_in', 'self_referral', 'referral_needed', 'booking'] as const;
export const HowToJoinSchema = z.enum(HOW_TO_JOIN);
export type HowToJoin = z.infer<typeof HowToJoinSchema>;

export const ATTENDING_TYPES = ['in_person', 'online', 'phone'] as const;
export const AttendingTypeSchema = z.enum(ATTENDING_TYPES);
export type AttendingType = z.infer<typeof AttendingTypeSchema>;

/** Controlled accessibility vocabulary; free text goes in `accessibilityNote`. */
export const ACCESSIBILITY_FEATURES = [
  'step_free',
  'wheelchair_accessible',
  'accessible_toilet',
  'hearing_loop',
  'quiet_space',
  'large_print',
  'easy_read',
  'carer_free',
  'parking',
] as const;
export const AccessibilityFeatureSchema = z.enum(ACCESSIBILITY_FEATURES);
export type AccessibilityFeature = z.infer<typeof AccessibilityFeatureSchema>;

export const SOURCE_FORMATS = ['ical', 'hsds', 'csv', 'demo', 'manual'] as const;
export const SourceFormatSchema = z.enum(SOURCE_FORMATS);
export type SourceFormat = z.infer<typeof SourceFormatSchema>;

const text = (max: number) => z.string().trim().max(max);

export const OrganisationInputSchema = z.object({
  externalId: text(500).min(1),
  name: text(500).min(1),
  description: text(20_000).optional(),
  email: z.string().trim().max(320).optional(),
  url: z.string().trim().max(2000).optional(),
  phone: text(100).optional(),
});
export type OrganisationInput = z.infer<typeof OrganisationInputSchema>;

export const LocationInputSchema = z.object({
  externalId: text(500).min(1),
  name: text(500).optional(),
  locationType: z.enum(['physical', 'virtual', 'postal']).default('physical'),
  address1: text(500).optional(),
  address2: text(500).optional(),
  city: text(200).optional(),
  postalCode: text(20).optional(),
  /** One of Camden's 20 wards (2022 boundaries), by name; null when outside Camden or unknown. */
  ward: text(100).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  accessibility: z.array(AccessibilityFeatureSchema).default([]),
  accessibilityNote: text(5000).optional(),
  url: z.string().trim().max(2000).optional(),
});
export type LocationInput = z.infer<typeof LocationInputSchema>;

/** The recurrence a standing entry follows, kept as the source gave it (RRULE text and HSDS fields). */
export const ScheduleInputSchema = z.object({
  rrule: text(2000).optional(),
  freq: z.enum(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']).optional(),
  interval: z.number().int().positive().optional(),
  byday: text(200).optional(),
  bymonthday: text(200).optional(),
  dtstart: z.date().optional(),
  until: z.date().optional(),
  count: z.number().int().positive().optional(),
  opensAt: text(20).optional(),
  closesAt: text(20).optional(),
  timezone: text(100).optional(),
  description: text(2000).optional(),
});
export type ScheduleInput = z.infer<typeof ScheduleInputSchema>;

export const OccurrenceStatusSchema = z.enum(['scheduled', 'cancelled']);
export type OccurrenceStatus = z.infer<typeof OccurrenceStatusSchema>;

/**
 * One dated occurrence. Timed ones are instants; all-day ones start at 00:00 Europe/London of their first day and
 * end at 00:00 of the day after their last (exclusive), with `allDay: true`.
 */
export const OccurrenceInputSchema = z
  .object({
    /** Stable key within the entry: the RECURRENCE-ID (or start) as UTC ISO text, or a date for all-day ones. */
    key: text(100).min(1),
    start: z.date(),
    end: z.date(),
    allDay: z.boolean().default(false),
    status: OccurrenceStatusSchema.default('scheduled'),
    /** Places on a training session; null for open events. */
    capacity: z.number().int().nonnegative().optional(),
    bookingDeadline: z.date().optional(),
    /** An override's own title (RECURRENCE-ID with a new SUMMARY). */
    title: text(500).optional(),
    note: text(2000).optional(),
  })
  .refine((o) => o.end.getTime() >= o.start.getTime(), { message: 'occurrence ends before it starts' });
export type OccurrenceInput = z.infer<typeof OccurrenceInputSchema>;

export const CostSchema = z.object({
  isFree: z.boolean().optional(),
  /** Pounds, e.g. 3.5 for £3.50; the lowest price when there are several. */
  amount: z.number().nonnegative().optional(),
  description: text(1000).optional(),
});
export type Cost = z.infer<typeof CostSchema>;

export const ContactSchema = z.object({
  name: text(200).optional(),
  email: z.string().trim().max(320).optional(),
  phone: text(100).optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

/** What every importer produces and the repository upserts, keyed by (source, externalId). */
export const CatalogueEntryInputSchema = z.object({
  externalId: text(1000).min(1),
  kind: EntryKindSchema,
  title: text(500).min(1, 'empty title'),
  description: text(20_000).default(''),
  url: z.string().trim().max(2000).optional(),
  status: EntryStatusSchema.default('active'),
  /** Short-term notice, e.g. "no session on 26 December" (HSDS `alert`). */
  alert: text(2000).optional(),
  organisation: OrganisationInputSchema.optional(),
  location: LocationInputSchema.optional(),
  categories: z.array(text(100).min(1)).default([]),
  audiences: z.array(AudienceSchema).default([]),
  /** Lower-case language names, e.g. "english", "bengali". */
  languages: z.array(text(100).min(1)).default([]),
  cost: CostSchema.default({}),
  howToJoin: HowToJoinSchema.optional(),
  attendingTypes: z.array(AttendingTypeSchema).default(['in_person']),
  contact: ContactSchema.default({}),
  eligibility: text(2000).optional(),
  minimumAge: z.number().int().nonnegative().optional(),
  maximumAge: z.number().int().nonnegative().optional(),
  /** When the listing was last confirmed (HSDS `assured_date`). */
  assuredDate: z.date().optional(),
  schedule: ScheduleInputSchema.optional(),
  occurrences: z.array(OccurrenceInputSchema).default([]),
  /** Training: who runs it and what must be done first. */
  providedBy: text(500).optional(),
  prerequisites: z.array(text(200)).default([]),
});
export type CatalogueEntryInput = z.input<typeof CatalogueEntryInputSchema>;
export type CatalogueEntryData = z.output<typeof CatalogueEntryInputSchema>;

export const SourceInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:/@-]*$/u, 'source names use letters, digits, spaces and . _ : / @ -'),
  format: SourceFormatSchema,
  url: z.string().max(2000).optional(),
  isDemo: z.boolean().default(false),
});
export type SourceInput = z.input<typeof SourceInputSchema>;

export type Rejection = { ref: string; reason: string };

/** The outcome of one import, as the `import` command prints it. */
export type ImportReport = {
  source: string;
  format: SourceFormat;
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
  rejected: Rejection[];
};
