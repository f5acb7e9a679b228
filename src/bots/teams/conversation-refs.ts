import { z } from 'zod';
import type { ConversationKind } from './to-inbound.ts';

/**
 * The parts of a Bot Framework ConversationReference needed to post proactively. No user names and no message ids
 * are kept: a digest starts a new post in the channel or chat.
 */
export const StoredReferenceSchema = z.object({
  channelId: z.string(),
  serviceUrl: z.string().url(),
  bot: z.object({ id: z.string(), name: z.string().optional() }),
  conversation: z.object({
    id: z.string(),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  locale: z.string().optional(),
});
export type StoredReference = z.infer<typeof StoredReferenceSchema>;

export type TeamsConversationRecord = {
  conversationId: string;
  tenantId?: string;
  serviceUrl: string;
  channelId?: string;
  teamId?: string;
  kind: ConversationKind;
  reference: StoredReference;
};

/** Where the Teams app is installed; the bot records and forgets places, the notifier looks them up. */
export type ConversationRefs = {
  save(record: TeamsConversationRecord): Promise<void>;
  get(conversationId: string): Promise<TeamsConversationRecord | null>;
  /** Forgets one chat or channel; returns how many were removed. */
  remove(conversationId: string): Promise<number>;
  /** Forgets every channel of a team (the app was removed from it). */
  removeTeam(teamId: string): Promise<number>;
};
