import type { Clock } from '../../clock.ts';
import type { PrismaClient } from '../../db/prisma-client.ts';
import type { Sql } from '../../db/sql.ts';
import type { TeamsConversationRef } from '../../generated/prisma/client.ts';
import { upsertConversationRef } from './conversation-ref-queries.ts';
import { type ConversationRefs, StoredReferenceSchema, type TeamsConversationRecord } from './conversation-refs.ts';
import type { ConversationKind } from './to-inbound.ts';

const KINDS: readonly ConversationKind[] = ['personal', 'channel', 'groupChat'];

/** ConversationRefs on the `teams_conversation_ref` table (PGlite or PostgreSQL). */
export function createPrismaConversationRefs(
  store: { prisma: PrismaClient; sql: Sql },
  clock: Clock,
): ConversationRefs {
  const { prisma } = store;
  return {
    async save(record) {
      await upsertConversationRef(store.sql, record, clock.now());
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
