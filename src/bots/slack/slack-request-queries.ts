import type { Sql } from '../../db/sql.ts';

/** Forgets requests whose replay window has passed. */
export async function deleteExpiredRequests(sql: Sql, now: Date): Promise<void> {
  await sql.query('DELETE FROM slack_request_seen WHERE expires_at < $1', [now]);
}

/** Records the keys; returns how many were new (one statement, so two servers cannot both win a key). */
export async function insertSeenRequests(sql: Sql, keys: string[], expires: Date[]): Promise<number> {
  const { rows } = await sql.query<{ key: string }>(
    `INSERT INTO slack_request_seen (key, expires_at) SELECT * FROM unnest($1::text[], $2::timestamptz[])
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    [keys, expires],
  );
  return rows.length;
}

/** The requests still within their replay window: what an embedded store's only server starts from. */
export async function unexpiredRequests(sql: Sql, now: Date): Promise<{ key: string; expires_at: Date }[]> {
  const { rows } = await sql.query<{ key: string; expires_at: Date }>(
    'SELECT key, expires_at FROM slack_request_seen WHERE expires_at >= $1',
    [now],
  );
  return rows;
}
