import type { Clock } from '../../clock.ts';
import type { PrismaClient } from '../../db/prisma-client.ts';
import type { TeamsConversationRef } from '../../generated/prisma/client.ts';
import { type ConversationRefs, StoredReferenceSchema, type TeamsConversationRecord } from './conversation-refs.ts';
import type { ConversationKind } from './to-inbound.ts';

const KINDS: readonly ConversationKind[] = ['personal', 'channel', 'groupChat'];

/** ConversationRefs on the `teams_conversation_ref` table (PGlite or PostgreSQL). */
export function createPrismaConversationRefs(prisma: PrismaClient, clock: Clock): ConversationRefs {
  return {
    async save(record) {
      const now = clock.now();
      const data = {
        tenantId: record.tenantId ?? null,
        serviceUrl: record.serviceUrl,
        channelId: record.channelId ?? null,
        teamId: record.teamId ?? null,
        kind: record.kind,
        reference: record.reference,
        updatedAt: now,
      };
      await prisma.teamsConversationRef.upsert({
        where: { conversationId: record.conversationId },
        create: { conversationId: record.conversationId, installedAt: now, ...data },
        update: data,
      });
    },
    async get(conversationId) {
      const row = await prisma.teamsConversationRef.findUnique({ where: { conversationId } });
      return row ? toRecord(row) : null;
    },
    async remove(conversationId) {
      const { count } = await prisma.teamsConversationRef.deleteMany({ where: { conversationId } });
      return count;
    },
    async removeTeam(teamId) {
      const { count } = await prisma.teamsConversationRef.deleteMany({ where: { teamId } });
      return count;
    },
  };
}

function toRecord(row: TeamsConversationRef): TeamsConversationRecord {
  const kind = KINDS.find((k) => k === row.kind) ?? 'personal';
  return {
    conversationId: row.conversationId,
    serviceUrl: row.serviceUrl,
    kind,
    reference: StoredReferenceSchema.parse(row.reference),
    ...(row.tenantId ? { tenantId: row.tenantId } : {}),
    ...(row.channelId ? { channelId: row.channelId } : {}),
    ...(row.teamId ? { teamId: row.teamId } : {}),
  };
}
