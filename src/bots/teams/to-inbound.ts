import type { Activity } from 'botbuilder';
import { z } from 'zod';
import { ACTION, type ActionId, isActionId } from '../core/action-ids.ts';
import type { InboundAction, InboundMessage } from '../core/inbound.ts';
import { decodeEntities } from '../../catalogue/ingest/clean-text.ts';

/** What a Teams message turn means to the core. */
export type TeamsInbound =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'action'; action: InboundAction }
  | { kind: 'ignored'; reason: 'empty' | 'bad-submit' | 'not-mentioned' };

export type ConversationKind = 'personal' | 'channel' | 'groupChat';

const AccountSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  aadObjectId: z.string().optional(),
});

/** The fields of a message activity we read; everything else Teams sends is ignored. */
const MessageActivitySchema = z.object({
  text: z.string().optional(),
  value: z.unknown().optional(),
  from: AccountSchema,
  recipient: AccountSchema,
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  entities: z.array(z.object({ type: z.string() }).loose()).optional(),
});

const MentionSchema = z.object({
  type: z.literal('mention'),
  text: z.string().optional(),
  mentioned: z.object({ id: z.string(), name: z.string().optional() }),
});
type Mention = z.infer<typeof MentionSchema>;

/**
 * An Adaptive Card `Action.Submit` comes back as a message whose `value` is the button's data. Teams adds its own keys
 * (`msteams`), which are dropped.
 */
export const CardSubmitSchema = z.object({
  action: z.string().refine(isActionId, 'unknown action'),
  value: z.string().max(2000).default(''),
});

/** Form inputs come back beside `action` and `value`, keyed by the field name after this prefix (render-card.ts). */
const FORM_INPUT_PREFIX = 'f.';
const FormInputsSchema = z
  .record(z.string().max(60), z.unknown())
  .refine((r) => Object.keys(r).length <= 80, 'too many inputs');
const FormInputValueSchema = z.string().max(5000);

/**
 * A submitted form (the entry form's Save): its inputs, as the core's `{ctx, fields}` value; undefined when an input
 * is not text or is too long.
 */
function toFormValue(data: Record<string, unknown>, ctx: string): string | undefined {
  const inputs = FormInputsSchema.safeParse(data);
  if (!inputs.success) return undefined;
  const fields: Record<string, string> = {};
  for (const [key, raw] of Object.entries(inputs.data)) {
    if (!key.startsWith(FORM_INPUT_PREFIX)) continue;
    const value = FormInputValueSchema.safeParse(raw);
    if (!value.success) return undefined;
    fields[key.slice(FORM_INPUT_PREFIX.length)] = value.data;
  }
  return JSON.stringify({ ctx, fields });
}

export function toConversationKind(conversation: { conversationType?: string; isGroup?: boolean }): ConversationKind {
  if (conversation.conversationType === 'channel') return 'channel';
  if (conversation.conversationType === 'groupChat') return 'groupChat';
  if (conversation.conversationType === 'personal') return 'personal';
  return conversation.isGroup ? 'groupChat' : 'personal';
}

/**
 * Replies in a channel thread arrive with `;messageid=…` on the conversation id; the channel itself is the part
 * before it (what digests and stored references are keyed by).
 */
export function toChannelRef(conversationId: string): string {
  return conversationId.split(';messageid=')[0] ?? conversationId;
}

/** Maps a Teams message activity to an InboundMessage (mention stripped) or, for a card submission, an InboundAction. */
export function toInbound(activity: Partial<Activity>): TeamsInbound {
  const a = MessageActivitySchema.parse(activity);
  const actor = {
    platform: 'teams' as const,
    userId: a.from.aadObjectId ?? a.from.id,
    ...(a.from.name ? { displayName: a.from.name } : {}),
    isCoordinator: false,
  };
  const channelRef = toChannelRef(a.conversation.id);
  if (a.value !== undefined && a.value !== null && !a.text?.trim()) {
    const submit = CardSubmitSchema.safeParse(a.value);
    if (!submit.success) return { kind: 'ignored', reason: 'bad-submit' };
    let value = submit.data.value;
    if (submit.data.action === ACTION.saveEntry) {
      const form = toFormValue(a.value as Record<string, unknown>, value);
      if (form === undefined) return { kind: 'ignored', reason: 'bad-submit' };
      value = form;
    }
    return { kind: 'action', action: { ...actor, channelRef, action: submit.data.action as ActionId, value } };
  }
  const mentions = (a.entities ?? []).flatMap((e) => {
    const m = MentionSchema.safeParse(e);
    return m.success ? [m.data] : [];
  });
  // In a channel the bot answers only when @mentioned (Teams delivers such messages only with RSC permissions,
  // and then delivers every message of the channel).
  if (toConversationKind(a.conversation) === 'channel' && !mentions.some((m) => m.mentioned.id === a.recipient.id)) {
    return { kind: 'ignored', reason: 'not-mentioned' };
  }
  const text = stripBotMention(a.text ?? '', mentions, a.recipient);
  if (!text) return { kind: 'ignored', reason: 'empty' };
  return {
    kind: 'message',
    message: { ...actor, channelRef, text, isDirect: toConversationKind(a.conversation) === 'personal' },
  };
}

const AT_TAG = /<at(?:\s[^>]*)?>([\s\S]*?)<\/at>/gi;

/**
 * Removes the bot's @mention and returns clean text. The mention entity's `text` often differs from what is in the
 * message (`<at>Signpost</at>` in the entity, `<at>Signpost Bot</at>` in the text; non-breaking spaces; HTML
 * entities), so spans are matched to mention entities by position first, then by normalised name. Mentions of other
 * people keep their names.
 */
export function stripBotMention(raw: string, mentions: Mention[], bot: { id: string; name?: string }): string {
  const spans = [...raw.matchAll(AT_TAG)];
  const botNames = new Set(
    [bot.name, ...mentions.filter((m) => m.mentioned.id === bot.id).flatMap((m) => [m.mentioned.name, innerOf(m.text)])]
      .filter((n): n is string => !!n)
      .map(normaliseName),
  );
  const positional = spans.length === mentions.length;
  let index = 0;
  const stripped = raw.replace(AT_TAG, (_whole, inner: string) => {
    const mention = positional ? mentions[index] : undefined;
    index += 1;
    const isBot = mention ? mention.mentioned.id === bot.id : matchesBotName(normaliseName(inner), botNames);
    return isBot ? ' ' : inner;
  });
  let text = toPlain(stripped);
  // Some clients send the mention entity but no <at> tags in the text: drop a leading "@Signpost" / "Signpost".
  const untagged = spans.length === 0 && mentions.some((m) => m.mentioned.id === bot.id);
  for (const name of untagged ? botNames : []) {
    if (!name) continue;
    const lead = new RegExp(`^@?${escapeRegExp(name)}\\b[\\s,:]*`, 'i');
    text = text.replace(lead, '');
  }
  return text.replace(/\s+/g, ' ').trim();
}

function innerOf(mentionText: string | undefined): string | undefined {
  if (!mentionText) return undefined;
  const m = /<at(?:\s[^>]*)?>([\s\S]*?)<\/at>/i.exec(mentionText);
  return m?.[1] ?? mentionText;
}

function normaliseName(name: string): string {
  return toPlain(name).replace(/^@/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** "signpost bot" matches "signpost" and the other way round: Teams shortens or lengthens display names. */
function matchesBotName(name: string, botNames: Set<string>): boolean {
  for (const bot of botNames) {
    if (!bot) continue;
    if (name === bot || name.startsWith(`${bot} `) || bot.startsWith(`${name} `)) return true;
  }
  return false;
}

/** Teams may send text with a little HTML (`<p>`, `&nbsp;`); the core wants plain text. */
function toPlain(text: string): string {
  const withoutTags = text.replace(/<br\s*\/?>/gi, ' ').replace(/<\/?[a-z][^>]*>/gi, ' ');
  return decodeEntities(withoutTags).replace(/\u00a0|\u202f/g, ' ');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
