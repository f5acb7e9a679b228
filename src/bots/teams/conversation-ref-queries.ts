import type { Sql } from '../../db/sql.ts';
import type { TeamsConversationRecord } from './conversation-refs.ts';

/** A reference saved again unchanged within this long leaves its row as it is (no write; `updated_at` may lag by it). */
export const UNCHANGED_REF_REWRITE_MINUTES = 10;

/**
 * Stores one conversation reference in one statement: a new row, a changed one updated in place (its installed_at
 * kept), an unchanged one left alone unless its updated_at is older than UNCHANGED_REF_REWRITE_MINUTES. Every Teams
 * message saves its reference, so this is on each turn's path: plain SQL, one round trip.
 */
export async function upsertConversationRef(sql: Sql, record: TeamsConversationRecord, now: Date): Promise<void> {
  await sql.query(
    `INSERT INTO teams_conversation_ref AS r
       (conversation_id, tenant_id, service_url, channel_id, team_id, kind, reference, installed_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8)
     ON CONFLICT (conversation_id) DO UPDATE SET
       tenant_id = EXCLUDED.tenant_id, service_url = EXCLUDED.service_url, channel_id = EXCLUDED.channel_id,
       team_id = EXCLUDED.team_id, kind = EXCLUDED.kind, reference = EXCLUDED.reference, updated_at = EXCLUDED.updated_at
     WHERE (r.tenant_id, r.service_url, r.channel_id, r.team_id, r.kind, r.reference)
         IS DISTINCT FROM (EXCLUDED.tenant_id, EXCLUDED.service_url, EXCLUDED.channel_id, EXCLUDED.team_id, EXCLUDED.kind,
           EXCLUDED.reference)
       OR r.updated_at < EXCLUDED.updated_at - make_interval(mins => ${UNCHANGED_REF_REWRITE_MINUTES})`,
    [
      record.conversationId,
      record.tenantId ?? null,
      record.serviceUrl,
      record.channelId ?? null,
      record.teamId ?? null,
      record.kind,
      JSON.stringify(record.reference),
      now,
    ],
  );
}
