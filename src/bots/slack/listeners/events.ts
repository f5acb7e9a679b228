import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { ACTION } from '../../core/action-ids.ts';
import { buildHomeView } from '../app-home.ts';
import { withBoundary } from '../error-boundary.ts';
import { eventToInbound, MessageEventSchema, workspaceOf } from '../to-inbound.ts';
import { type ListenerDeps, toSlackMessage, uploadFiles } from './deps.ts';

type EventArgs<E extends string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;

/**
 * Slack re-sends an event it thinks we missed (X-Slack-Retry-Num). Bolt acks before listeners run, so a retry means
 * a slow network, not a lost event: answer each event id once.
 */
function createSeen(limit = 1000) {
  const seen = new Set<string>();
  return (id: string | undefined): boolean => {
    if (!id) return false;
    if (seen.has(id)) return true;
    seen.add(id);
    if (seen.size > limit) seen.delete(seen.values().next().value as string);
    return false;
  };
}

/**
 * Mentions in a channel and direct messages: the answer goes in the mention's thread (or the DM). A reply the core
 * marks ephemeral is shown only to the asker.
 */
export function messageListeners(deps: ListenerDeps) {
  const log = deps.logger.child('slack');
  const seen = createSeen();

  const answer = async (
    raw: unknown,
    eventId: string | undefined,
    client: AllMiddlewareArgs['client'],
    context: AllMiddlewareArgs['context'],
  ) => {
    const parsed = MessageEventSchema.safeParse(raw);
    if (!parsed.success) {
      log.warn('malformed message event ignored', { issues: parsed.error.issues.length });
      return;
    }
    const event = parsed.data;
    if (event.bot_id || event.subtype || seen(eventId)) return;
    if (event.type === 'message' && event.channel_type !== 'im') return;
    const inDm = event.type === 'message';
    const threadTs = inDm ? event.thread_ts : (event.thread_ts ?? event.ts);
    const post = (text: string, blocks?: object[]) =>
      client.chat.postMessage({
        channel: event.channel,
        text,
        ...(blocks ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
      });
    deps.queue.defer(() =>
      withBoundary(
        log,
        event.type,
        async () => {
          const workspace = workspaceOf(context);
          const who = {
            userId: event.user,
            isCoordinator: await deps.isCoordinator(event.user, client),
            ...(workspace ? { workspace } : {}),
          };
          const reply = await deps.conversation.handleMessage(eventToInbound(event, who));
          const ephemeral = !inDm && reply.ephemeral === true;
          const message = toSlackMessage(deps, reply, { ephemeral });
          if (ephemeral) {
            await client.chat.postEphemeral({
              channel: event.channel,
              user: event.user,
              text: message.text,
              blocks: message.blocks,
              ...(threadTs ? { thread_ts: threadTs } : {}),
            });
            await uploadFiles(client, message, { user: event.user });
          } else {
            await post(message.text, message.blocks);
            await uploadFiles(client, message, { channel: event.channel, ...(threadTs ? { threadTs } : {}) });
          }
        },
        (text) => post(text),
      ),
    );
  };

  return {
    appMention: async ({ event, body, client, context }: EventArgs<'app_mention'>) =>
      answer(event, body.event_id, client, context),
    directMessage: async ({ event, body, client, context }: EventArgs<'message'>) =>
      answer(event, body.event_id, client, context),
  };
}

/** The App Home tab, published each time it is opened (bookings change; coordinators see their tools). */
export function appHomeOpened(deps: ListenerDeps) {
  const log = deps.logger.child('slack');
  return async ({ event, client }: EventArgs<'app_home_opened'>): Promise<void> => {
    if (event.tab !== 'home') return;
    const userId = event.user;
    deps.queue.defer(() =>
      withBoundary(
        log,
        'app_home_opened',
        async () => {
          const isCoordinator = await deps.isCoordinator(userId, client);
          const actor = { platform: 'slack' as const, userId, isCoordinator };
          const [bookings, digests, coordinatorEntries, verify] = await Promise.all([
            deps.conversation.handleAction({
              ...actor,
              channelRef: event.channel,
              action: ACTION.myBookings,
              value: '',
            }),
            deps.homeDigests ? deps.homeDigests(actor) : Promise.resolve(undefined),
            isCoordinator ? deps.entries.list({ limit: 15 }) : Promise.resolve(undefined),
            isCoordinator && deps.homeVerify ? deps.homeVerify(actor) : Promise.resolve(undefined),
          ]);
          await client.views.publish({
            user_id: userId,
            view: buildHomeView({
              bookings,
              digests: digests ?? {
                fallbackText: 'Channel digests',
                blocks: [
                  {
                    type: 'text',
                    text: isCoordinator
                      ? 'Post new activities to a channel every week: type `/signpost subscribe weekly` in that channel.'
                      : 'Your team’s coordinator can have new activities posted to a channel every week.',
                  },
                ],
              },
              ...(coordinatorEntries ? { coordinatorEntries } : {}),
              ...(verify ? { verify } : {}),
            }),
          });
        },
        async () => undefined,
      ),
    );
  };
}

/**
 * `app_uninstalled` and `tokens_revoked` (the bot's): the workspace's installation is removed, so nothing more is
 * sent there. Bolt calls these without authorising them (the token is already gone). Without installs (one
 * workspace, SLACK_BOT_TOKEN) there is nothing to remove and the event is only logged.
 */
export function uninstallListeners(deps: ListenerDeps) {
  const log = deps.logger.child('slack');
  const remove = async (reason: string, context: AllMiddlewareArgs['context']) => {
    const workspace = workspaceOf(context);
    log.info('Slack app removed from a workspace', { reason, workspace });
    if (!deps.installations || !workspace) return;
    await deps.installations.deleteInstallation?.({
      teamId: context.teamId,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall === true,
    });
  };
  return {
    appUninstalled: async ({ context }: EventArgs<'app_uninstalled'>) => remove('app_uninstalled', context),
    tokensRevoked: async ({ event, context }: EventArgs<'tokens_revoked'>) => {
      if ((event.tokens.bot ?? []).length > 0) await remove('tokens_revoked', context);
    },
  };
}
