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

/** How long a reference just saved is taken to be still stored as it was, before the next message writes it again. */
export const REMEMBERED_MS = 10 * 60_000;
const REMEMBERED_MAX = 10_000;

/**
 * References as `refs` stores them, without the write every message would otherwise make when nothing about its
 * conversation changed: a record saved here within `REMEMBERED_MS` is not saved again. Forgetting a conversation (an
 * uninstall, or the notifier dropping one Teams refused) clears it here too, so the next message stores it again; a
 * reference removed by another process is stored again at most `REMEMBERED_MS` later.
 */
export function skippingUnchangedSaves(
  refs: ConversationRefs,
  now: () => number = () => performance.now(),
): ConversationRefs {
  const saved = new Map<string, { json: string; at: number; teamId?: string }>();
  return {
    async save(record) {
      const json = JSON.stringify(record);
      const last = saved.get(record.conversationId);
      if (last && last.json === json && now() - last.at < REMEMBERED_MS) return;
      saved.delete(record.conversationId);
      await refs.save(record);
      if (saved.size >= REMEMBERED_MAX) saved.delete(saved.keys().next().value!);
      saved.set(record.conversationId, { json, at: now(), ...(record.teamId ? { teamId: record.teamId } : {}) });
    },
    get: (conversationId) => refs.get(conversationId),
    async remove(conversationId) {
      saved.delete(conversationId);
      return refs.remove(conversationId);
    },
    async removeTeam(teamId) {
      for (const [id, s] of saved) if (s.teamId === teamId) saved.delete(id);
      return refs.removeTeam(teamId);
    },
  };
}
