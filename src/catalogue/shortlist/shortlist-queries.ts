import type { Sql } from '../../db/sql.ts';

/** The SQL of staff's lists for a resident (`shortlist`) and the leaflets behind signed links (`leaflet`). */

type Owner = { platform: string; channelRef: string; userId: string };

/** The entry ids on one list, if it has not expired. */
export async function selectShortlist(sql: Sql, key: Owner, now: Date): Promise<string[] | undefined> {
  const { rows } = await sql.query<{ entry_ids: string[] }>(
    `SELECT entry_ids FROM shortlist WHERE platform = $1 AND channel_ref = $2 AND user_id = $3 AND expires_at > $4`,
    [key.platform, key.channelRef, key.userId, now],
  );
  return rows[0]?.entry_ids;
}

export async function deleteExpiredShortlists(sql: Sql, now: Date): Promise<void> {
  await sql.query(`DELETE FROM shortlist WHERE expires_at <= $1`, [now]);
}

export async function deleteShortlist(sql: Sql, key: Owner): Promise<void> {
  await sql.query(`DELETE FROM shortlist WHERE platform = $1 AND channel_ref = $2 AND user_id = $3`, [
    key.platform,
    key.channelRef,
    key.userId,
  ]);
}

/** Writes the list whole, changed at `now`, kept until `expiresAt`. */
export async function upsertShortlist(
  sql: Sql,
  key: Owner,
  entryIds: string[],
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await sql.query(
    `INSERT INTO shortlist (platform, channel_ref, user_id, entry_ids, updated_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (platform, channel_ref, user_id) DO UPDATE SET entry_ids = EXCLUDED.entry_ids, updated_at = EXCLUDED.updated_at, expires_at = EXCLUDED.expires_at`,
    [key.platform, key.channelRef, key.userId, entryIds, now, expiresAt],
  );
}

export async function deleteExpiredLeaflets(sql: Sql, now: Date): Promise<void> {
  await sql.query(`DELETE FROM leaflet WHERE expires_at <= $1`, [now]);
}

export async function insertLeaflet(
  sql: Sql,
  leaflet: { id: string; entryIds: string[]; largePrint: boolean; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await sql.query(
    `INSERT INTO leaflet (id, entry_ids, large_print, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
    [leaflet.id, leaflet.entryIds, leaflet.largePrint, leaflet.createdAt, leaflet.expiresAt],
  );
}

/** A leaflet whose link has not expired. */
export async function selectLeaflet(
  sql: Sql,
  id: string,
  now: Date,
): Promise<{ entry_ids: string[]; large_print: boolean; expires_at: Date } | undefined> {
  const { rows } = await sql.query<{ entry_ids: string[]; large_print: boolean; expires_at: Date }>(
    `SELECT entry_ids, large_print, expires_at FROM leaflet WHERE id = $1 AND expires_at > $2`,
    [id, now],
  );
  return rows[0];
}
