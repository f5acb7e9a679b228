import {
  type Activity,
  ActivityTypes,
  type AppBasedLinkQuery,
  type MessagingExtensionQuery,
  type MessagingExtensionResponse,
  TeamsActivityHandler,
  TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../logger.ts';
import { ACTION } from '../core/action-ids.ts';
import type { Conversation } from '../core/ports.ts';
import { text } from '../core/reply.ts';
import { BUSY_TEXT, type WorkQueue } from '../core/work-queue.ts';
import type { ConversationRefs, TeamsConversationRecord } from './conversation-refs.ts';
import type { MessageExtension } from './message-extension.ts';
import { toTeamsMessage } from './render-card.ts';
import { toChannelRef, toConversationKind, toInbound } from './to-inbound.ts';

export type TeamsBotDeps = {
  conversation: Conversation;
  refs: ConversationRefs;
  logger: Logger;
  /** Users (AAD object ids or Teams user ids) who may manage digests and see coordinator reports. */
  coordinators?: ReadonlySet<string>;
  /** Service URLs a stored reference may point at; others never replace one. Default: any. */
  serviceUrlAllowed?: (serviceUrl: string | undefined) => boolean;
  /** Where searches wait their turn (shared with Slack's). */
  queue: WorkQueue;
  /** The message extension (search command and listing-page link previews); without it those invokes answer 501. */
  extension?: MessageExtension;
};

const ChannelDataSchema = z
  .object({
    tenant: z.object({ id: z.string() }).optional(),
    team: z.object({ id: z.string() }).optional(),
    channel: z.object({ id: z.string() }).optional(),
  })
  .loose();

/**
 * The Teams edge: each turn goes activity → `toInbound` → conversation core → Adaptive Card → reply. It also keeps the
 * stored conversation references in step with installs and uninstalls, for proactive digests.
 */
export class SignpostTeamsBot extends TeamsActivityHandler {
  private readonly log: Logger;
  constructor(private readonly deps: TeamsBotDeps) {
    super();
    this.log = deps.logger.child('teams');
  }

  protected override async onMessageActivity(context: TurnContext): Promise<void> {
    // Saved on every message (one upsert): it keeps the serviceUrl current and restores a reference the notifier
    // dropped after Teams refused a post.
    await this.remember(context.activity);
    const inbound = this.withRole(toInbound(context.activity));
    if (inbound.kind === 'ignored' && inbound.reason === 'not-mentioned') return;
    if (inbound.kind === 'ignored') {
      const reply =
        inbound.reason === 'empty'
          ? await this.deps.conversation.handleAction({ ...actorOf(context.activity), action: ACTION.help, value: '' })
          : {
              fallbackText: 'That button is out of date. Please ask again.',
              blocks: [text('That button is out of date. Please ask again.')],
            };
      await context.sendActivity(toTeamsMessage(reply));
      return;
    }
    // The typing indicator goes out while the search waits its turn, not before it joins the queue; the answer
    // follows it. One that cannot be sent costs nothing but itself.
    const typing = context
      .sendActivity({ type: ActivityTypes.Typing })
      .catch((error: unknown) => this.log.debug('typing indicator not sent', { error: String(error) }));
    // The search waits its turn in the queue Slack's searches use, so a burst of turns cannot starve everyone else.
    const reply = await this.deps.queue.run(
      () =>
        inbound.kind === 'message'
          ? this.deps.conversation.handleMessage(inbound.message)
          : this.deps.conversation.handleAction(inbound.action),
      async () => {
        this.log.warn('turn answered busy: it waited too long for its turn');
        return { fallbackText: BUSY_TEXT, blocks: [text(BUSY_TEXT)] };
      },
    );
    await typing;
    await context.sendActivity(toTeamsMessage(reply));
  }

  protected override async handleTeamsMessagingExtensionQuery(
    context: TurnContext,
    query: MessagingExtensionQuery,
  ): Promise<MessagingExtensionResponse> {
    return this.deps.extension
      ? this.deps.extension.query(query)
      : super.handleTeamsMessagingExtensionQuery(context, query);
  }

  protected override async handleTeamsAppBasedLinkQuery(
    context: TurnContext,
    query: AppBasedLinkQuery,
  ): Promise<MessagingExtensionResponse> {
    return this.deps.extension
      ? this.deps.extension.queryLink(query)
      : super.handleTeamsAppBasedLinkQuery(context, query);
  }

  /** Teams sends both conversationUpdate and installationUpdate on install; only the first one says hello. */
  protected override async dispatchConversationUpdateActivity(context: TurnContext): Promise<void> {
    const a = context.activity;
    const botId = a.recipient?.id;
    if (a.membersAdded?.some((m) => m.id === botId)) {
      await this.remember(a);
      const help = await this.deps.conversation.handleAction({ ...actorOf(a), action: ACTION.help, value: '' });
      await context.sendActivity(toTeamsMessage(help));
    } else if (a.membersRemoved?.some((m) => m.id === botId)) {
      await this.forget(a);
    }
    // Other people joining or leaving, and channel or team renames, need nothing from us.
  }

  protected override async dispatchInstallationUpdateActivity(context: TurnContext): Promise<void> {
    const action = context.activity.action ?? '';
    if (action === 'add' || action === 'add-upgrade') await this.remember(context.activity);
    else if (action === 'remove' || action === 'remove-upgrade') await this.forget(context.activity);
  }

  private withRole(inbound: ReturnType<typeof toInbound>): ReturnType<typeof toInbound> {
    const coordinators = this.deps.coordinators;
    if (!coordinators || coordinators.size === 0) return inbound;
    if (inbound.kind === 'message') {
      return { ...inbound, message: { ...inbound.message, isCoordinator: coordinators.has(inbound.message.userId) } };
    }
    if (inbound.kind === 'action') {
      return { ...inbound, action: { ...inbound.action, isCoordinator: coordinators.has(inbound.action.userId) } };
    }
    return inbound;
  }

  private async remember(activity: Activity): Promise<void> {
    if (this.deps.serviceUrlAllowed && !this.deps.serviceUrlAllowed(activity.serviceUrl)) {
      this.log.warn('conversation reference not stored: its serviceUrl is not a Bot Framework one', {
        host: hostOf(activity.serviceUrl),
      });
      return;
    }
    const record = toConversationRecord(activity);
    await this.deps.refs.save(record);
    this.log.debug('conversation reference stored', { kind: record.kind, tenantId: record.tenantId });
  }

  private async forget(activity: Activity): Promise<void> {
    const record = toConversationRecord(activity);
    let removed = await this.deps.refs.remove(record.conversationId);
    if (record.teamId) removed += await this.deps.refs.removeTeam(record.teamId);
    this.log.info('app removed from a conversation', { kind: record.kind, removed });
  }
}

function hostOf(url: string | undefined): string {
  try {
    return new URL(url ?? '').host;
  } catch {
    return 'not a URL';
  }
}

function actorOf(activity: Partial<Activity>) {
  const from = activity.from;
  return {
    platform: 'teams' as const,
    userId: from?.aadObjectId ?? from?.id ?? 'unknown',
    ...(from?.name ? { displayName: from.name } : {}),
    isCoordinator: false,
    channelRef: toChannelRef(activity.conversation?.id ?? ''),
  };
}

/** What to keep of a turn to post there later: no user, no message id, the channel rather than the thread. */
export function toConversationRecord(activity: Activity): TeamsConversationRecord {
  const ref = TurnContext.getConversationReference(activity);
  const channelData = ChannelDataSchema.safeParse(activity.channelData ?? {});
  const data = channelData.success ? channelData.data : {};
  const conversation = activity.conversation;
  const conversationId = toChannelRef(conversation.id);
  const tenantId = data.tenant?.id ?? conversation.tenantId;
  const kind = toConversationKind(conversation);
  return {
    conversationId,
    serviceUrl: activity.serviceUrl,
    kind,
    ...(tenantId ? { tenantId } : {}),
    ...(data.team?.id ? { teamId: data.team.id } : {}),
    ...(data.channel?.id ? { channelId: data.channel.id } : kind === 'channel' ? { channelId: conversationId } : {}),
    reference: {
      channelId: ref.channelId ?? activity.channelId,
      serviceUrl: activity.serviceUrl,
      bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) },
      conversation: {
        id: conversationId,
        ...(conversation.conversationType ? { conversationType: conversation.conversationType } : {}),
        ...(tenantId ? { tenantId } : {}),
        ...(conversation.isGroup !== undefined ? { isGroup: conversation.isGroup } : {}),
      },
      ...(activity.locale ? { locale: activity.locale } : {}),
    },
  };
}
