import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction, webApi } from '@slack/bolt';
import { mayEditEntries } from '../../core/entries/entry-form.ts';
import { buildEntryModal, buildNoticeModal, EntryModalMetadataSchema, readEntryForm } from '../entry-modal.ts';
import { withBoundary } from '../error-boundary.ts';
import { escapeMrkdwn } from '../mrkdwn.ts';
import { type ListenerDeps, NOT_COORDINATOR } from './deps.ts';

/** Opens the entry form, prefilled with a coordinator entry, or a notice when it is gone. */
export async function openEntryModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  triggerId: string,
  externalId?: string,
): Promise<void> {
  if (!externalId) {
    await client.views.open({ trigger_id: triggerId, view: buildEntryModal() });
    return;
  }
  const entry = await deps.entries.get(externalId);
  await client.views.open({
    trigger_id: triggerId,
    view: entry
      ? buildEntryModal(entry)
      : buildNoticeModal('Entry not found', 'That entry has been removed or is not a coordinator entry.'),
  });
}

export async function openRefusal(client: webApi.WebClient, triggerId: string): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: buildNoticeModal('Coordinators only', NOT_COORDINATOR) });
}

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * Saving the form: problems go back to the form beside their fields (the ack carries them); a valid entry closes
 * the form, is saved, and the coordinator gets a direct message saying so.
 */
export function entryModalSubmit(deps: ListenerDeps) {
  const log = deps.logger.child('slack');
  return async ({ ack, body, view, client }: SubmitArgs): Promise<void> => {
    const userId = body.user.id;
    const metadata = EntryModalMetadataSchema.safeParse(safeJson(view.private_metadata));
    const form = readEntryForm(view.state.values, metadata.success ? metadata.data.externalId : undefined);
    const errors: Record<string, string> = form.ok ? {} : { ...form.problems };
    if (!mayEditEntries({ isCoordinator: await deps.isCoordinator(userId, client) })) errors.title = NOT_COORDINATOR;
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const dm = (text: string) => client.chat.postMessage({ channel: userId, text });
    await withBoundary(
      log,
      'entry form',
      async () => {
        const saved = await deps.entries.save(form.input, deps.clock.now());
        if (!saved.ok) {
          await dm(`I couldn't save that entry: ${saved.problems.map((p) => p.message).join('; ')}.`);
          return;
        }
        log.info('coordinator entry saved', { externalId: saved.externalId, created: saved.created });
        const title = escapeMrkdwn(String(form.input.title));
        await client.chat.postMessage({
          channel: userId,
          text: `${saved.created ? 'Added' : 'Updated'} “${form.input.title}”. It shows in search results now.`,
          blocks: [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: `${saved.created ? 'Added' : 'Updated'} *${title}*. It shows in search results now.`,
              },
            },
            {
              type: 'context',
              elements: [{ type: 'mrkdwn', text: `Entry ${saved.externalId} · source: coordinators` }],
            },
          ],
        });
      },
      dm,
    );
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}
