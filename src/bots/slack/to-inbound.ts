import { z } from 'zod';
import type { ActionId } from '../core/action-ids.ts';
import type { InboundAction, InboundMessage } from '../core/inbound.ts';

/**
 * The workspace a request belongs to, from Bolt's context: the enterprise for an org-wide install, else the team.
 * It is the installation's key and the delivery lane of digests set up there.
 */
export function workspaceOf(context: {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}): string | undefined {
  return (context.isEnterpriseInstall ? context.enterpriseId : context.teamId) || undefined;
}

/** The slash-command fields we read (Slack sends more; see docs.slack.dev "Implementing slash commands"). */
export const SlashCommandSchema = z.object({
  user_id: z.string().min(1),
  user_name: z.string().optional(),
  channel_id: z.string().min(1),
  channel_name: z.string().optional(),
  team_id: z.string().optional(),
  text: z.string().default(''),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
});
export type SlashCommand = z.infer<typeof SlashCommandSchema>;

/** app_mention and message.im events. */
export const MessageEventSchema = z.object({
  type: z.enum(['app_mention', 'message']),
  user: z.string().min(1),
  text: z.string().default(''),
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  ts: z.string(),
  thread_ts: z.string().optional(),
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});
export type MessageEvent = z.infer<typeof MessageEventSchema>;

export const BlockActionBodySchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({
    id: z.string().min(1),
    name: z.string().optional(),
    username: z.string().optional(),
    team_id: z.string().optional(),
  }),
  channel: z.object({ id: z.string() }).nullish(),
  container: z
    .object({
      type: z.string().optional(),
      channel_id: z.string().optional(),
      is_ephemeral: z.boolean().optional(),
      message_ts: z.string().optional(),
    })
    .optional(),
  trigger_id: z.string().optional(),
  response_url: z.string().optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })).min(1),
});
export type BlockActionBody = z.infer<typeof BlockActionBodySchema>;

export type Who = { userId: string; displayName?: string; isCoordinator: boolean; workspace?: string };

/**
 * Slack's message text with its markup undone: the bot's @mention removed, other mentions and links reduced to
 * their labels, and `&amp;`/`&lt;`/`&gt;` unescaped. See docs.slack.dev "Formatting text" (retrieving messages).
 */
export function fromSlackText(text: string): string {
  return text
    .replace(/<@[UW][A-Z0-9]+(\|[^>]*)?>/g, ' ')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(?:subteam\^[A-Z0-9]+\|)?([^>|]*)>/g, '@$1')
    .replace(/<(?:mailto:)?([^>|]+)\|([^>]+)>/g, '$2')
    .replace(/<([^>|]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function commandToInbound(command: SlashCommand, who: Who, text: string): InboundMessage {
  return {
    platform: 'slack',
    ...who,
    channelRef: command.channel_id,
    text,
    isDirect: command.channel_id.startsWith('D') || command.channel_name === 'directmessage',
  };
}

export function eventToInbound(event: MessageEvent, who: Who): InboundMessage {
  return {
    platform: 'slack',
    ...who,
    channelRef: event.channel,
    text: fromSlackText(event.text),
    isDirect: event.channel_type === 'im' || event.channel.startsWith('D'),
  };
}

export function actionToInbound(body: BlockActionBody, action: ActionId, value: string, who: Who): InboundAction {
  return {
    platform: 'slack',
    ...who,
    channelRef: body.channel?.id ?? body.container?.channel_id ?? body.user.id,
    action,
    value,
  };
}
