import { z } from 'zod';
import type { ManualEntry, ManualEntrySummary, SaveResult } from '../../../catalogue/manual-entries.ts';
import type { Clock } from '../../../clock.ts';
import type { Logger } from '../../../logger.ts';
import { ACTION } from '../action-ids.ts';
import type { Actor, InboundAction, InboundMessage } from '../inbound.ts';
import { context, heading, type Reply, text } from '../reply.ts';
import {
  buildEntryFormFields,
  type EntryFormValues,
  EntryFormValuesSchema,
  mayEditEntries,
  NEW_ENTRY_VALUES,
  NOT_COORDINATOR,
  parseEntryForm,
  toEntryFormValues,
} from './entry-form.ts';

/**
 * The coordinator entries the form reads and writes: the port chat's entry form and Slack's entry modal are given
 * (`coordinatorEntries` in src/catalogue/manual-entries.ts, built once in chat-conversation.ts).
 */
export type CoordinatorEntries = {
  get(externalId: string): Promise<ManualEntry | undefined>;
  list(options: { text?: string; limit?: number }): Promise<ManualEntrySummary[]>;
  save(input: unknown, now: Date): Promise<SaveResult>;
};

/** Adding and editing entries from chat: the words ("add entry", "edit <title or id>") and the form's buttons. */
export type EntryHooks = {
  /** The reply to an entry command, or undefined when the message is not one. */
  command(message: InboundMessage): Promise<Reply | undefined>;
  /** `entry.add`, `entry.edit` (value: the entry id) and `entry.save` (value: the submitted form). */
  handleAction(action: InboundAction): Promise<Reply>;
};

const ADD = /^(?:add|add entry|add an entry|new entry|add a catalogue entry)$/;
const EDIT = /^edit(?:\s+(?:entry|an entry))?(?:\s+(.+))?$/;
const COORD_ID = /^coord-[a-z0-9-]{4,80}$/;

/** What the form's Save button sends back: the entry being edited ('' for a new one) and the typed values. */
export const SaveEntryValueSchema = z.object({ ctx: z.string().max(100).default(''), fields: EntryFormValuesSchema });

export function createEntryHooks(deps: { entries: CoordinatorEntries; clock: Clock; logger: Logger }): EntryHooks {
  const log = deps.logger.child('entries');

  const refused = (): Reply => ({ fallbackText: NOT_COORDINATOR, blocks: [text(NOT_COORDINATOR)] });

  const form = (options: {
    externalId?: string;
    values?: EntryFormValues;
    problems?: Record<string, string>;
  }): Reply => {
    const title = options.externalId ? 'Edit entry' : 'Add an entry';
    const problems = Object.keys(options.problems ?? {}).length;
    const intro = problems
      ? `Please check ${problems === 1 ? 'the field marked below' : `the ${problems} fields marked below`}; nothing has been saved yet.`
      : options.externalId
        ? 'Change what needs changing and save. It counts as confirmed today.'
        : 'A group, course or service the partner feeds don’t cover. Only the title and kind are needed.';
    return {
      fallbackText: `${title}: ${intro}`,
      blocks: [
        heading(title),
        text(intro),
        {
          type: 'form',
          form: {
            title,
            fields: buildEntryFormFields(options.values ?? NEW_ENTRY_VALUES, options.problems),
            submit: { label: 'Save', action: ACTION.saveEntry, value: options.externalId ?? '', style: 'primary' },
          },
        },
      ],
    };
  };

  const openEdit = async (externalId: string): Promise<Reply> => {
    const entry = await deps.entries.get(externalId);
    if (!entry) {
      const body = 'That entry has been removed or is not a coordinator entry.';
      return { fallbackText: body, blocks: [heading('Entry not found'), text(body)] };
    }
    return form({ externalId, values: toEntryFormValues(entry) });
  };

  const chooser = async (words: string): Promise<Reply> => {
    if (COORD_ID.test(words)) return openEdit(words);
    const found = await deps.entries.list({ text: words, limit: 10 });
    const only = found[0];
    if (words && found.length === 1 && only) return openEdit(only.externalId);
    if (found.length === 0) {
      const body = words
        ? `No coordinator entry has “${words}” in its title. Entries from partner feeds are changed at their source.`
        : 'There are no coordinator entries yet. Say “add entry” to add one.';
      return { fallbackText: body, blocks: [text(body)] };
    }
    return {
      fallbackText: 'Which entry do you want to edit?',
      blocks: [
        heading('Which entry do you want to edit?'),
        {
          type: 'list',
          items: found.map((e) => ({
            title: e.title,
            lines: [`${e.kind}, updated ${e.updatedAt.toISOString().slice(0, 10)} · ${e.externalId}`],
            buttons: [{ label: 'Edit', action: ACTION.editEntry, value: e.externalId }],
          })),
        },
      ],
    };
  };

  const save = async (actor: Actor, raw: string): Promise<Reply> => {
    const value = safeJson(raw);
    const parsed = SaveEntryValueSchema.safeParse(value);
    if (!parsed.success || (parsed.data.ctx && !COORD_ID.test(parsed.data.ctx))) {
      log.warn('entry form submission refused', { platform: actor.platform, length: raw.length });
      const body = 'That form could not be read. Please open it again with “add entry” or “edit <title>”.';
      return { fallbackText: body, blocks: [text(body)] };
    }
    const externalId = parsed.data.ctx || undefined;
    const values = parsed.data.fields;
    const checked = parseEntryForm(values, externalId);
    if (!checked.ok) return form({ ...(externalId ? { externalId } : {}), values, problems: checked.problems });
    const saved = await deps.entries.save(checked.input, deps.clock.now());
    if (!saved.ok) {
      const body = `I couldn't save that entry: ${saved.problems.map((p) => p.message).join('; ')}.`;
      return { fallbackText: body, blocks: [text(body)] };
    }
    log.info('coordinator entry saved', {
      platform: actor.platform,
      externalId: saved.externalId,
      created: saved.created,
    });
    const title = String(checked.input.title);
    const verb = saved.created ? 'Added' : 'Updated';
    return {
      fallbackText: `${verb} “${title}”. It shows in search results now.`,
      blocks: [
        text(`${verb} “${title}”. It shows in search results now.`),
        context(`Entry ${saved.externalId} · source: coordinators`),
      ],
    };
  };

  return {
    async command(message) {
      const words = message.text.replace(/\s+/g, ' ').trim();
      const lower = words.toLowerCase().replace(/[.!]+$/, '');
      const edit = EDIT.exec(lower);
      if (!ADD.test(lower) && !edit) return undefined;
      if (!mayEditEntries(message)) return refused();
      if (!edit) return form({});
      // The title part keeps its case for the reply; ids are lower case anyway.
      const rest = words.replace(/^edit(?:\s+(?:entry|an entry))?\s*/i, '').trim();
      return chooser(rest);
    },
    async handleAction(action) {
      if (!mayEditEntries(action)) return refused();
      if (action.action === ACTION.addEntry) return form({});
      if (action.action === ACTION.editEntry) return COORD_ID.test(action.value) ? openEdit(action.value) : chooser('');
      return save(action, action.value);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
