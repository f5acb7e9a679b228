import { DateTime } from 'luxon';
import { z } from 'zod';
import { WARDS } from '../../../catalogue/geography/camden.ts';
import { ACCESS_WORDS, AUDIENCE_WORDS, sentenceCase } from '../../../catalogue/labels.ts';
import { type ManualEntry, ManualEntryInputSchema } from '../../../catalogue/manual-entries.ts';
import {
  ACCESSIBILITY_FEATURES,
  ATTENDING_TYPES,
  AUDIENCES,
  ENTRY_KINDS,
  HOW_TO_JOIN,
} from '../../../catalogue/model.ts';
import { ZONE } from '../../../clock.ts';
import type { Actor } from '../inbound.ts';
import type { FormField, FormOption } from '../reply.ts';

/**
 * The coordinators' add / edit entry form, platform-neutral: its fields (Slack draws them as a modal, Teams as an
 * Adaptive Card, the terminal asks for them one by one), how the typed values become a catalogue entry, and who may
 * use it. Every platform reads the same values through `parseEntryForm`, so the checks cannot drift apart.
 */

/** The rule every platform applies, on opening the form and again on saving it. */
export function mayEditEntries(actor: Pick<Actor, 'isCoordinator'>): boolean {
  return actor.isCoordinator;
}

export const NOT_COORDINATOR =
  'Only Signpost coordinators can add or change catalogue entries and channel digests. If you think you should be one, ask your team’s Signpost coordinator.';

const LABELS: Record<string, string> = {
  activity: 'Activity or group',
  training: 'Training course',
  resource: 'Resource or service',
  ...Object.fromEntries(Object.entries(AUDIENCE_WORDS).map(([code, words]) => [code, sentenceCase(words)])),
  lgbtq: 'LGBTQ+',
  drop_in: 'Drop in',
  self_referral: 'Self-referral',
  referral_needed: 'Referral needed',
  booking: 'Booking needed',
  in_person: 'In person',
  online: 'Online',
  phone: 'By phone',
  free: 'Free',
  ...ACCESS_WORDS,
};

const options = (values: readonly string[]): FormOption[] =>
  values.map((value) => ({ value, label: LABELS[value] ?? value }));

/** The form's fields in the order shown; names are what the values are keyed by on every platform. */
export const ENTRY_FORM_FIELDS: readonly FormField[] = [
  { name: 'title', label: 'Title', input: 'text', required: true, max: 200 },
  { name: 'kind', label: 'Kind', input: 'choice', required: true, options: options(ENTRY_KINDS) },
  {
    name: 'description',
    label: 'Description',
    input: 'multiline',
    max: 3000,
    hint: 'What happens, who it suits, what to bring.',
  },
  { name: 'organisation', label: 'Run by', input: 'text', max: 200 },
  {
    name: 'scheduleText',
    label: 'When it runs',
    input: 'text',
    max: 300,
    hint: 'In words, e.g. "Tuesdays 12:00–14:00, not on bank holidays".',
  },
  { name: 'date', label: 'Date (one-off event)', input: 'date', hint: 'YYYY-MM-DD' },
  { name: 'startTime', label: 'Starts at', input: 'time', hint: 'HH:MM, 24-hour' },
  { name: 'endTime', label: 'Ends at', input: 'time', hint: 'HH:MM, 24-hour' },
  { name: 'venue', label: 'Venue', input: 'text', max: 200 },
  { name: 'address', label: 'Address', input: 'text', max: 300 },
  { name: 'postcode', label: 'Postcode', input: 'text', max: 10 },
  { name: 'ward', label: 'Ward', input: 'choice', options: WARDS.map((w) => ({ value: w.name, label: w.name })) },
  {
    name: 'accessibility',
    label: 'Access',
    input: 'choices',
    style: 'checkboxes',
    options: options(ACCESSIBILITY_FEATURES),
  },
  {
    name: 'attendingTypes',
    label: 'How people take part',
    input: 'choices',
    style: 'checkboxes',
    options: options(ATTENDING_TYPES),
  },
  { name: 'howToJoin', label: 'How to join', input: 'choice', options: options(HOW_TO_JOIN) },
  { name: 'audiences', label: 'Who it is for', input: 'choices', options: options(AUDIENCES) },
  {
    name: 'categories',
    label: 'Categories',
    input: 'text',
    max: 600,
    hint: 'Separated by commas, e.g. lunch club, befriending.',
  },
  {
    name: 'languages',
    label: 'Languages spoken',
    input: 'text',
    max: 300,
    hint: 'Separated by commas, e.g. English, Bengali.',
  },
  { name: 'free', label: 'Cost', input: 'choices', style: 'checkboxes', options: options(['free']) },
  { name: 'costAmount', label: 'Price in pounds (if not free)', input: 'text', max: 10 },
  { name: 'costDescription', label: 'About the cost', input: 'text', max: 300 },
  { name: 'contactName', label: 'Contact name', input: 'text', max: 200 },
  { name: 'contactPhone', label: 'Contact phone', input: 'text', max: 40 },
  { name: 'contactEmail', label: 'Contact e-mail', input: 'text', max: 320 },
  { name: 'url', label: 'Web page', input: 'text', max: 2000 },
];

const FIELD_NAMES = new Set(ENTRY_FORM_FIELDS.map((f) => f.name));

/** Typed form values by field name: one string, or a list for multiple choices (a comma-separated string also does). */
export const EntryFormValuesSchema = z.record(
  z.string().max(40),
  z.union([z.string().max(5000), z.array(z.string().max(200)).max(40)]),
);
export type EntryFormValues = z.infer<typeof EntryFormValuesSchema>;

/** What a new entry's form starts with. */
export const NEW_ENTRY_VALUES: EntryFormValues = { kind: 'activity', attendingTypes: ['in_person'] };

/** The values a form shows for an entry being edited. */
export function toEntryFormValues(entry: ManualEntry): EntryFormValues {
  const start = entry.start ? DateTime.fromJSDate(entry.start, { zone: ZONE }) : undefined;
  const end = entry.end ? DateTime.fromJSDate(entry.end, { zone: ZONE }) : undefined;
  const values: Record<string, string | string[] | undefined> = {
    title: entry.title,
    kind: entry.kind,
    description: entry.description,
    organisation: entry.organisation,
    scheduleText: entry.scheduleText,
    date: start?.toISODate() ?? undefined,
    startTime: start && end && !isWholeDays(start, end) ? start.toFormat('HH:mm') : undefined,
    endTime: start && end && !isWholeDays(start, end) ? end.toFormat('HH:mm') : undefined,
    venue: entry.venue,
    address: entry.address,
    postcode: entry.postcode,
    ward: entry.ward,
    accessibility: [...entry.accessibility],
    attendingTypes: [...entry.attendingTypes],
    howToJoin: entry.howToJoin,
    audiences: [...entry.audiences],
    categories: entry.categories.join(', '),
    languages: entry.languages.join(', '),
    free: entry.free ? ['free'] : [],
    costAmount: entry.costAmount?.toFixed(2),
    costDescription: entry.costDescription,
    contactName: entry.contactName,
    contactPhone: entry.contactPhone,
    contactEmail: entry.contactEmail,
    url: entry.url,
  };
  return Object.fromEntries(
    Object.entries(values).filter((kv): kv is [string, string | string[]] => kv[1] !== undefined),
  );
}

function isWholeDays(start: DateTime, end: DateTime): boolean {
  return start.toFormat('HH:mm') === '00:00' && end.toFormat('HH:mm') === '00:00';
}

/** The fields with their current values and problems, ready to render. */
export function buildEntryFormFields(values: EntryFormValues = {}, problems: Record<string, string> = {}): FormField[] {
  return ENTRY_FORM_FIELDS.map((field) => {
    const value = values[field.name];
    const problem = problems[field.name];
    return { ...field, ...(value !== undefined ? { value } : {}), ...(problem ? { problem } : {}) };
  });
}

export type ParsedEntryForm =
  | { ok: true; input: Record<string, unknown> }
  | { ok: false; input: Record<string, unknown>; problems: Record<string, string> };

/**
 * Typed values → the input saveManualEntry takes, checked with the same schema it uses. Problems are keyed by the
 * field that shows them, in words for the coordinator (never echoing the value).
 */
export function parseEntryForm(values: EntryFormValues, externalId: string | undefined): ParsedEntryForm {
  const problems: Record<string, string> = {};
  const one = (name: string): string | undefined => {
    const v = values[name];
    const s = (Array.isArray(v) ? v[0] : v)?.trim();
    return s ? s : undefined;
  };
  const many = (name: string): string[] => {
    const v = values[name];
    const list = Array.isArray(v) ? v : (v ?? '').split(',');
    return list.map((s) => s.trim()).filter(Boolean);
  };
  for (const field of ENTRY_FORM_FIELDS) {
    if (field.input !== 'choice' && field.input !== 'choices') continue;
    const allowed = new Set(field.options?.map((o) => o.value));
    const chosen = field.input === 'choice' ? [one(field.name)].filter((v): v is string => !!v) : many(field.name);
    if (chosen.some((v) => !allowed.has(v)))
      problems[field.name] = `Choose from the ${field.label.toLowerCase()} options`;
  }
  const input: Record<string, unknown> = {
    ...(externalId ? { externalId } : {}),
    kind: one('kind'),
    title: one('title') ?? '',
    description: one('description') ?? '',
    organisation: one('organisation'),
    scheduleText: one('scheduleText'),
    venue: one('venue'),
    address: one('address'),
    postcode: one('postcode'),
    ward: one('ward'),
    accessibility: many('accessibility'),
    attendingTypes: many('attendingTypes'),
    howToJoin: one('howToJoin'),
    audiences: many('audiences'),
    categories: many('categories'),
    languages: many('languages'),
    free: many('free').includes('free'),
    costDescription: one('costDescription'),
    contactName: one('contactName'),
    contactPhone: one('contactPhone'),
    contactEmail: one('contactEmail'),
    url: one('url'),
  };
  const price = one('costAmount')?.replace(/^£/, '').trim();
  if (price) {
    const amount = Number(price);
    if (Number.isFinite(amount)) input.costAmount = amount;
    else problems.costAmount = 'Enter the price in pounds, e.g. 3.50';
  }
  const date = one('date');
  const startTime = one('startTime');
  const endTime = one('endTime');
  const at = (time: string) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE });
  if (date && !DateTime.fromISO(date, { zone: ZONE }).isValid)
    problems.date = 'Enter the date as YYYY-MM-DD, e.g. 2027-03-30';
  else if (startTime && !/^\d{1,2}:\d{2}$/.test(startTime)) problems.startTime = 'Enter the time as HH:MM, e.g. 10:30';
  else if (endTime && !/^\d{1,2}:\d{2}$/.test(endTime)) problems.endTime = 'Enter the time as HH:MM, e.g. 12:00';
  else if (date) {
    input.start = at(startTime?.padStart(5, '0') ?? '00:00').toJSDate();
    if (endTime) input.end = at(endTime.padStart(5, '0')).toJSDate();
    else if (!startTime) input.end = DateTime.fromISO(date, { zone: ZONE }).plus({ days: 1 }).toJSDate();
  } else if (startTime || endTime) {
    problems.date = 'Pick the date of the event, or clear the times';
  }
  const checked = ManualEntryInputSchema.safeParse(input);
  if (!checked.success) {
    for (const issue of checked.error.issues)
      problems[fieldForPath(issue.path.map(String).join('.'))] ??= issue.message;
  }
  return Object.keys(problems).length > 0 ? { ok: false, input, problems } : { ok: true, input };
}

/** Maps a validation problem's path to the field that shows it. */
export function fieldForPath(path: string): string {
  const top = path.split('.')[0] ?? '';
  if (top === 'start') return 'date';
  if (top === 'end') return 'endTime';
  return FIELD_NAMES.has(top) ? top : 'title';
}
