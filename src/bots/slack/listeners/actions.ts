import type {
  AllMiddlewareArgs,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
} from '@slack/bolt';
import { ACTION, ACTION_IDS, isActionId } from '../../core/action-ids.ts';
import type { Reply } from '../../core/reply.ts';
import { withBoundary } from '../error-boundary.ts';
import { baseActionId, SLACK_ACTION } from '../slack-action-ids.ts';
import { actionToInbound, BlockActionBodySchema, workspaceOf } from '../to-inbound.ts';
import { type ListenerDeps, NOT_COORDINATOR, toSlackMessage, uploadFiles } from './deps.ts';
import { openEntryModal, openRefusal } from './entry-modal-flow.ts';
import { postSharedListing } from './share.ts';

type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** Every action id the dispatcher answers (core ids go to the conversation; slack.* ones are handled here). */
export const HANDLED_ACTIONS: readonly string[] = [...ACTION_IDS, ...Object.values(SLACK_ACTION)];

const COORDINATOR_ACTIONS = new Set<string>([
  ACTION.subscribe,
  ACTION.unsubscribe,
  SLACK_ACTION.addEntry,
  SLACK_ACTION.editEntry,
  ACTION.addEntry,
  ACTION.editEntry,
]);
/** Buttons that open the entry form: Slack shows it as a modal (the core's entry.* buttons too, e.g. a chooser's Edit). */
const OPENS_FORM = new Set<string>([SLACK_ACTION.addEntry, SLACK_ACTION.editEntry, ACTION.addEntry, ACTION.editEntry]);
const EDITS = new Set<string>([SLACK_ACTION.editEntry, ACTION.editEntry]);

/**
 * Buttons. Acknowledged first; the answer goes back through response_url, privately unless the core made it public
 * (Post to channel). From the App Home, which has no response_url, answers arrive as a direct message.
 */
export function blockActions(deps: ListenerDeps) {
  const log = deps.logger.child('slack');
  return async ({ ack, body, respond, client, context }: ActionArgs): Promise<void> => {
    await ack();
    const parsed = BlockActionBodySchema.safeParse(body);
    if (!parsed.success) {
      log.warn('malformed block action ignored', { issues: parsed.error.issues.length });
      return;
    }
    const b = parsed.data;
    const first = b.actions[0]!;
    const id = baseActionId(first.action_id);
    const value = first.value ?? '';
    const userId = b.user.id;
    const fromView = b.container?.type === 'view' || !b.response_url;
    const send = async (reply: Reply, options: { public?: boolean } = {}) => {
      const isPublic = options.public ?? reply.ephemeral === false;
      if (fromView) {
        const message = toSlackMessage(deps, reply, { ephemeral: false });
        await client.chat.postMessage({
          channel: userId,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
        });
        await uploadFiles(client, message, { user: userId });
        return;
      }
      const message = toSlackMessage(deps, reply, { ephemeral: !isPublic });
      await respond({
        response_type: isPublic ? 'in_channel' : 'ephemeral',
        replace_original: false,
        text: message.text,
        blocks: message.blocks,
      });
      await uploadFiles(client, message, isPublic && b.channel?.id ? { channel: b.channel.id } : { user: userId });
    };
    const sayText = (text: string) => send({ fallbackText: text, blocks: [{ type: 'text', text }] });

    deps.queue.defer(() =>
      withBoundary(
        log,
        `action ${id}`,
        async () => {
          if (id === SLACK_ACTION.link) return;
          if (id === SLACK_ACTION.sharePost && deps.listings && b.response_url) {
            const workspace = workspaceOf(context);
            await postSharedListing(deps.listings, value, respond, workspace ? { workspace } : {});
            return;
          }
          const isCoordinator = await deps.isCoordinator(userId, client);
          if (COORDINATOR_ACTIONS.has(id) && !isCoordinator) {
            if (OPENS_FORM.has(id) && b.trigger_id) await openRefusal(client, b.trigger_id);
            else await sayText(NOT_COORDINATOR);
            return;
          }
          if (OPENS_FORM.has(id)) {
            await openEntryModal(deps, client, b.trigger_id ?? '', EDITS.has(id) && value ? value : undefined);
            return;
          }
          if (id === SLACK_ACTION.overflow) {
            const rest = deps.stash.take(value);
            await (rest ? send(rest) : sayText('Those results have expired. Please ask again.'));
            return;
          }
          if (!isActionId(id)) {
            log.warn('unknown action ignored', { actionId: id.slice(0, 100) });
            return;
          }
          const workspace = workspaceOf(context);
          const who = {
            userId,
            ...(b.user.name ? { displayName: b.user.name } : {}),
            isCoordinator,
            ...(workspace ? { workspace } : {}),
          };
          const reply = await deps.conversation.handleAction(actionToInbound(b, id, value, who));
          await send(reply, id === ACTION.postToChannel ? { public: reply.ephemeral === false } : {});
        },
        sayText,
      ),
    );
  };
}

type ShortcutArgs = SlackShortcutMiddlewareArgs & AllMiddlewareArgs;

/** The global "Add a catalogue entry" shortcut. */
export function addEntryShortcut(deps: ListenerDeps) {
  const log = deps.logger.child('slack');
  return async ({ ack, shortcut, client }: ShortcutArgs): Promise<void> => {
    await ack();
    // Not deferred: the trigger id expires three seconds after the click.
    await withBoundary(
      log,
      'shortcut',
      async () => {
        if (!(await deps.isCoordinator(shortcut.user.id, client))) await openRefusal(client, shortcut.trigger_id);
        else await openEntryModal(deps, client, shortcut.trigger_id);
      },
      async (text) => client.chat.postMessage({ channel: shortcut.user.id, text }),
    );
  };
}
