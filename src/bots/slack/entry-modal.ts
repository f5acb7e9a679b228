import type { types as SlackTypes } from '@slack/bolt';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { ZONE } from '../../clock.ts';
import { WARDS } from '../../catalogue/geography/camden.ts';
import { ACCESS_WORDS, AUDIENCE_WORDS, sentenceCase } from '../../catalogue/labels.ts';
import type { ManualEntry } from '../../catalogue/manual-entries.ts';
import { ACCESSIBILITY_FEATURES, ATTENDING_TYPES, AUDIENCES, ENTRY_KINDS, HOW_TO_JOIN } from '../../catalogue/model.ts';
import { ENTRY_MODAL_CALLBACK } from './slack-action-ids.ts';

type View = SlackTypes.ModalView;
type Block = SlackTypes.KnownBlock;
type Option = SlackTypes.PlainTextOption;

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
  ...ACCESS_WORDS,
};

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const option = (value: string): Option => ({ text: plain(LABELS[value] ?? value), value });

/** The private metadata the modal carries: which entry is being edited (none when adding). */
export const EntryModalMetadataSchema = z.object({ externalId: z.string().max(100).optional() });

/** The add / edit modal, prefilled when editing. Block ids are the form's field names. */
export function buildEntryModal(entry?: ManualEntry): View {
  const text = (id: string, label: string, initial: string | undefined, opts: { optional?: boolean; multiline?: boolean; max?: number; hint?: string } = {}): Block => ({
    type: 'input',
    block_id: id,
    optional: opts.optional ?? true,
    label: plain(label),
    ...(opts.hint ? { hint: plain(opts.hint) } : {}),
    element: {
      type: 'plain_text_input',
      action_id: 'v',
      multiline: opts.multiline ?? false,
      ...(opts.max ? { max_length: opts.max } : {}),
      ...(initial ? { initial_value: initial } : {}),
    },
  });
  const select = (id: string, label: string, values: readonly string[], initial: string | undefined, optional = true): Block => ({
    type: 'input',
    block_id: id,
    optional,
    label: plain(label),
    element: { type: 'static_select', action_id: 'v', options: values.map(option), ...(initial ? { initial_option: option(initial) } : {}) },
  });
  const checks = (id: string, label: string, values: readonly string[], initial: readonly string[]): Block => ({
    type: 'input',
    block_id: id,
    optional: true,
    label: plain(label),
    element: { type: 'checkboxes', action_id: 'v', options: values.map(option), ...(initial.length ? { initial_options: initial.map(option) } : {}) },
  });
  const start = entry?.start ? DateTime.fromJSDate(entry.start, { zone: ZONE }) : undefined;
  const end = entry?.end ? DateTime.fromJSDate(entry.end, { zone: ZONE }) : undefined;
  const blocks: Block[] = [
    text('title', 'Title', entry?.title, { optional: false, max: 200 }),
    select('kind', 'Kind', ENTRY_KINDS, entry?.kind ?? 'activity', false),
    text('description', 'Description', entry?.description, { multiline: true, max: 3000, hint: 'What happens, who it suits, what to bring.' }),
    text('organisation', 'Run by', entry?.organisation, { max: 200 }),
    text('scheduleText', 'When it runs', entry?.scheduleText, { max: 300, hint: 'In words, e.g. "Tuesdays 12:00–14:00, not on bank holidays".' }),
    {
      type: 'input',
      block_id: 'date',
      optional: true,
      label: plain('Date (one-off event)'),
      element: { type: 'datepicker', action_id: 'v', ...(start ? { initial_date: start.toISODate()! } : {}) },
    },
    {
      type: 'input',
      block_id: 'startTime',
      optional: true,
      label: plain('Starts at'),
      element: { type: 'timepicker', action_id: 'v', ...(start ? { initial_time: start.toFormat('HH:mm') } : {}) },
    },
    {
      type: 'input',
      block_id: 'endTime',
      optional: true,
      label: plain('Ends at'),
      element: { type: 'timepicker', action_id: 'v', ...(end ? { initial_time: end.toFormat('HH:mm') } : {}) },
    },
    text('venue', 'Venue', entry?.venue, { max: 200 }),
    text('address', 'Address', entry?.address, { max: 300 }),
    text('postcode', 'Postcode', entry?.postcode, { max: 10 }),
    select('ward', 'Ward', WARDS.map((w) => w.name), entry?.ward),
    checks('accessibility', 'Access', ACCESSIBILITY_FEATURES, entry?.accessibility ?? []),
    checks('attendingTypes', 'How people take part', ATTENDING_TYPES, entry?.attendingTypes ?? ['in_person']),
    select('howToJoin', 'How to join', HOW_TO_JOIN, entry?.howToJoin),
    {
      type: 'input',
      block_id: 'audiences',
      optional: true,
      label: plain('Who it is for'),
      element: {
        type: 'multi_static_select',
        action_id: 'v',
        options: AUDIENCES.map(option),
        ...(entry?.audiences.length ? { initial_options: entry.audiences.map(option) } : {}),
      },
    },
    text('categories', 'Categories', entry?.categories.join(', '), { max: 600, hint: 'Separated by commas, e.g. lunch club, befriending.' }),
    text('languages', 'Languages spoken', entry?.languages.join(', '), { max: 300, hint: 'Separated by commas, e.g. English, Bengali.' }),
    checks('free', 'Cost', ['free'], entry?.free ? ['free'] : []),
    text('costAmount', 'Price in pounds (if not free)', entry?.costAmount?.toFixed(2), { max: 10 }),
    text('costDescription', 'About the cost', entry?.costDescription, { max: 300 }),
    text('contactName', 'Contact name', entry?.contactName, { max: 200 }),
    text('contactPhone', 'Contact phone', entry?.contactPhone, { max: 40 }),
    text('contactEmail', 'Contact e-mail', entry?.contactEmail, { max: 320 }),
    text('url', 'Web page', entry?.url, { max: 2000 }),
  ];
  return {
    type: 'modal',
    callback_id: ENTRY_MODAL_CALLBACK,
    private_metadata: JSON.stringify(entry?.externalId ? { externalId: entry.externalId } : {}),
    title: plain(entry ? 'Edit entry' : 'Add an entry'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks,
  };
}
LABELS.free = 'Free';

/** One input's state as Slack sends it in view_submission. */
const InputStateSchema = z.object({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
  selected_date: z.string().nullish(),
  selected_time: z.string().nullish(),
});
export const ViewStateSchema = z.record(z.string(), z.record(z.string(), InputStateSchema));

/**
 * The submitted form as input for saveManualEntry (still unvalidated), or a problem per block id for the parts that
 * cannot even be read (a price that is not a number, a time without a date).
 */
export function readEntryForm(state: unknown, externalId: string | undefined): { input: Record<string, unknown>; problems: Record<string, string> } {
  const values = ViewStateSchema.parse(state);
  const get = (id: string) => values[id]?.v;
  const str = (id: string) => get(id)?.value ?? undefined;
  const list = (id: string) =>
    (str(id) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const problems: Record<string, string> = {};
  const input: Record<string, unknown> = {
    externalId,
    kind: get('kind')?.selected_option?.value,
    title: str('title') ?? '',
    description: str('description') ?? '',
    organisation: str('organisation'),
    scheduleText: str('scheduleText'),
    venue: str('venue'),
    address: str('address'),
    postcode: str('postcode'),
    ward: get('ward')?.selected_option?.value,
    accessibility: get('accessibility')?.selected_options?.map((o) => o.value) ?? [],
    attendingTypes: get('attendingTypes')?.selected_options?.map((o) => o.value) ?? [],
    howToJoin: get('howToJoin')?.selected_option?.value,
    audiences: get('audiences')?.selected_options?.map((o) => o.value) ?? [],
    categories: list('categories'),
    languages: list('languages'),
    free: (get('free')?.selected_options ?? []).some((o) => o.value === 'free'),
    costDescription: str('costDescription'),
    contactName: str('contactName'),
    contactPhone: str('contactPhone'),
    contactEmail: str('contactEmail'),
    url: str('url'),
  };
  const price = str('costAmount')?.replace(/^£/, '').trim();
  if (price) {
    const amount = Number(price);
    if (Number.isFinite(amount)) input.costAmount = amount;
    else problems.costAmount = 'Enter the price in pounds, e.g. 3.50';
  }
  const date = get('date')?.selected_date ?? undefined;
  const startTime = get('startTime')?.selected_time ?? undefined;
  const endTime = get('endTime')?.selected_time ?? undefined;
  if (date) {
    const at = (time: string) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toJSDate();
    input.start = at(startTime ?? '00:00');
    if (endTime) input.end = at(endTime);
    else if (!startTime) input.end = DateTime.fromISO(date, { zone: ZONE }).plus({ days: 1 }).toJSDate();
  } else if (startTime || endTime) {
    problems.date = 'Pick the date of the event, or clear the times';
  }
  return { input, problems };
}

/** Maps a validation problem's field to the block that shows it. */
export function blockIdForField(field: string): string {
  const top = field.split('.')[0] ?? '';
  if (top === 'start') return 'date';
  if (top === 'end') return 'endTime';
  if (['title', 'kind', 'description', 'organisation', 'scheduleText', 'venue', 'address', 'postcode', 'ward', 'accessibility', 'attendingTypes', 'howToJoin', 'audiences', 'categories', 'languages', 'costAmount', 'costDescription', 'contactName', 'contactPhone', 'contactEmail', 'url'].includes(top)) return top;
  return 'title';
}

/** A small modal that just says something (refusals, "entry not found"). */
export function buildNoticeModal(title: string, body: string): View {
  return {
    type: 'modal',
    title: plain(title.slice(0, 24)),
    close: plain('Close'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: body } }],
  };
}
