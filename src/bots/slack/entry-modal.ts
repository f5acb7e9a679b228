import type { types as SlackTypes } from '@slack/bolt';
import { z } from 'zod';
import {
  buildEntryFormFields,
  type EntryFormValues,
  NEW_ENTRY_VALUES,
  type ParsedEntryForm,
  parseEntryForm,
  toEntryFormValues,
} from '../core/entries/entry-form.ts';
import type { ManualEntry } from '../../catalogue/manual-entries.ts';
import type { FormField, FormOption } from '../core/reply.ts';
import { ENTRY_MODAL_CALLBACK } from './slack-action-ids.ts';

type View = SlackTypes.ModalView;
type Block = SlackTypes.KnownBlock;
type Option = SlackTypes.PlainTextOption;

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const option = (o: FormOption): Option => ({ text: plain(o.label), value: o.value });

/** The private metadata the modal carries: which entry is being edited (none when adding). */
export const EntryModalMetadataSchema = z.object({ externalId: z.string().max(100).optional() });

/** One field of the core's entry form as a modal input; the block id is the field's name, the action id "v". */
function toInputBlock(field: FormField): Block {
  const values = Array.isArray(field.value) ? field.value : field.value ? [field.value] : [];
  const chosen = (field.options ?? []).filter((o) => values.includes(o.value)).map(option);
  // Slack's date and time pickers need no format hint.
  const hint = field.hint && field.input !== 'date' && field.input !== 'time' ? { hint: plain(field.hint) } : {};
  const base = {
    type: 'input' as const,
    block_id: field.name,
    optional: !field.required,
    label: plain(field.label),
    ...hint,
  };
  const options = (field.options ?? []).map(option);
  switch (field.input) {
    case 'text':
    case 'multiline':
      return {
        ...base,
        element: {
          type: 'plain_text_input',
          action_id: 'v',
          multiline: field.input === 'multiline',
          ...(field.max ? { max_length: field.max } : {}),
          ...(values[0] ? { initial_value: values[0] } : {}),
        },
      };
    case 'choice':
      return {
        ...base,
        element: {
          type: 'static_select',
          action_id: 'v',
          options,
          ...(chosen[0] ? { initial_option: chosen[0] } : {}),
        },
      };
    case 'choices': {
      const initial = chosen.length ? { initial_options: chosen } : {};
      return field.style === 'checkboxes'
        ? { ...base, element: { type: 'checkboxes', action_id: 'v', options, ...initial } }
        : { ...base, element: { type: 'multi_static_select', action_id: 'v', options, ...initial } };
    }
    case 'date':
      return {
        ...base,
        element: { type: 'datepicker', action_id: 'v', ...(values[0] ? { initial_date: values[0] } : {}) },
      };
    case 'time':
      return {
        ...base,
        element: { type: 'timepicker', action_id: 'v', ...(values[0] ? { initial_time: values[0] } : {}) },
      };
  }
}

/** The add / edit modal from the core's entry form, prefilled when editing. */
export function buildEntryModal(entry?: ManualEntry): View {
  const values: EntryFormValues = entry ? toEntryFormValues(entry) : NEW_ENTRY_VALUES;
  return {
    type: 'modal',
    callback_id: ENTRY_MODAL_CALLBACK,
    private_metadata: JSON.stringify(entry?.externalId ? { externalId: entry.externalId } : {}),
    title: plain(entry ? 'Edit entry' : 'Add an entry'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: buildEntryFormFields(values).map(toInputBlock),
  };
}

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

/** The submitted modal read as the core's form values, then checked by the core (problems keyed by block id). */
export function readEntryForm(state: unknown, externalId: string | undefined): ParsedEntryForm {
  const values: EntryFormValues = {};
  for (const [blockId, inputs] of Object.entries(ViewStateSchema.parse(state))) {
    const input = inputs.v;
    if (!input) continue;
    const value =
      input.selected_options?.map((o) => o.value) ??
      input.selected_option?.value ??
      input.selected_date ??
      input.selected_time ??
      input.value ??
      undefined;
    if (value !== undefined) values[blockId] = value;
  }
  return parseEntryForm(values, externalId);
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
