import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { ACTION } from '../../core/action-ids.ts';
import { parseIntent } from '../../core/intents.ts';
import type { Reply } from '../../core/reply.ts';
import { BUSY_TEXT } from '../../core/work-queue.ts';
import { buildEntryModal } from '../entry-modal.ts';
import { withBoundary } from '../error-boundary.ts';
import { escapeMrkdwn } from '../mrkdwn.ts';
import { SLACK_ACTION } from '../slack-action-ids.ts';
import { commandToInbound, fromSlackText, SlashCommandSchema, workspaceOf } from '../to-inbound.ts';
import { type ListenerDeps, NOT_COORDINATOR, toSlackMessage, uploadFiles } from './deps.ts';
import { openEntryModal } from './entry-modal-flow.ts';
import { answerShareCommand } from './share.ts';

type Args = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * `/signpost <question>`: acknowledged at once with nothing, then answered through response_url, always privately
 * (the question may describe a resident, and a public answer would show the command). `add` and `edit <title>` open
 * the coordinators' entry form; an empty command or `help` shows how to ask.
 */
/** What a command gets when it waited too long for its turn (beyond capacity). */

export function signpostCommand(deps: ListenerDeps) {
  const log = deps.logger.child('slack');
  return async ({ command, ack, respond, client, context }: Args): Promise<void> => {
    await ack();
    const apologise = (text: string) => respond({ response_type: 'ephemeral', text });
    deps.queue.defer(
      () =>
        withBoundary(
          log,
          'command',
          async () => {
            const parsed = SlashCommandSchema.safeParse(command);
            if (!parsed.success) {
              log.warn('malformed slash command ignored', { issues: parsed.error.issues.length });
              return;
            }
            const cmd = parsed.data;
            const text = fromSlackText(cmd.text);
            const [first = '', ...rest] = text.split(' ');
            const word = first.toLowerCase();
            const workspace = workspaceOf(context);
            const who = {
              userId: cmd.user_id,
              ...(cmd.user_name ? { displayName: cmd.user_name } : {}),
              isCoordinator: false,
              ...(workspace ? { workspace } : {}),
            };

            // `/signpost share 2` (with the resident) stays the conversation's; `/signpost share <words>` posts a listing.
            if (word === 'share' && deps.listings && parseIntent(text).kind !== 'share') {
              await answerShareCommand(deps.listings, rest.join(' '), respond);
              return;
            }

            if (word === 'add' || word === 'edit') {
              if (!(await deps.isCoordinator(cmd.user_id, client))) {
                await respond({ response_type: 'ephemeral', text: NOT_COORDINATOR });
                return;
              }
              if (word === 'add' || rest.length === 0) {
                if (word === 'edit') {
                  await respond({ response_type: 'ephemeral', ...(await editChooser(deps, '')) });
                  return;
                }
                await client.views.open({ trigger_id: cmd.trigger_id ?? '', view: buildEntryModal() });
                return;
              }
              const matches = await deps.entries.list({ text: rest.join(' '), limit: 10 });
              const only = matches[0];
              if (matches.length === 1 && only && cmd.trigger_id) {
                await openEntryModal(deps, client, cmd.trigger_id, only.externalId);
                return;
              }
              await respond({ response_type: 'ephemeral', ...(await editChooser(deps, rest.join(' '))) });
              return;
            }

            who.isCoordinator = await deps.isCoordinator(cmd.user_id, client);
            const reply: Reply =
              text === '' || word === 'help'
                ? await deps.conversation.handleAction({
                    platform: 'slack',
                    ...who,
                    channelRef: cmd.channel_id,
                    action: ACTION.help,
                    value: '',
                  })
                : await deps.conversation.handleMessage(commandToInbound(cmd, who, text));
            const message = toSlackMessage(deps, reply, { ephemeral: true });
            await respond({
              response_type: 'ephemeral',
              replace_original: false,
              text: message.text,
              blocks: message.blocks,
            });
            await uploadFiles(client, message, { user: cmd.user_id });
          },
          apologise,
        ),
      async () => {
        log.warn('command answered busy: it waited too long for its turn');
        await apologise(BUSY_TEXT).catch(() => undefined);
      },
      typeof context.receivedAt === 'number' ? context.receivedAt : undefined,
    );
  };
}

async function editChooser(deps: ListenerDeps, text: string): Promise<{ text: string; blocks: object[] }> {
  const entries = await deps.entries.list({ text, limit: 10 });
  if (entries.length === 0) {
    const body = text
      ? `No coordinator entry has “${escapeMrkdwn(text)}” in its title. Entries from partner feeds are changed at their source.`
      : 'There are no coordinator entries yet. Use `/signpost add` to add one.';
    return { text: body, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: body } }] };
  }
  return {
    text: 'Which entry do you want to edit?',
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: '*Which entry do you want to edit?*' } },
      ...entries.map((e) => ({
        type: 'section',
        text: { type: 'mrkdwn', text: `${escapeMrkdwn(e.title)} (${e.kind})` },
        accessory: {
          type: 'button',
          action_id: SLACK_ACTION.editEntry,
          text: { type: 'plain_text', text: 'Edit' },
          value: e.externalId,
        },
      })),
    ],
  };
}
