import type { Sql } from '../db/sql.ts';

/** The SQL of staff's reports about listings (`entry_flag`); see flags.ts. */

export type FlagRow = {
  id: string;
  entry_id: string;
  kind: string;
  note: string | null;
  reporter_platform: string;
  status: string;
  created_at: Date;
  resolved_at: Date | null;
  title: string | null;
  organisation: string | null;
  contact: string | null;
  source: string | null;
};

export async function entryExists(sql: Sql, entryId: string): Promise<boolean> {
  const { rows } = await sql.query(`SELECT 1 FROM service WHERE id = $1`, [entryId]);
  return rows.length > 0;
}

/** The oldest open flag of this kind on the listing, locked until the transaction ends. */
export async function lockOpenFlag(tx: Sql, entryId: string, kind: string): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM entry_flag WHERE entry_id = $1 AND kind = $2 AND status = 'open' ORDER BY created_at LIMIT 1 FOR UPDATE`,
    [entryId, kind],
  );
  return rows[0]?.id;
}

/** Adds a note to a flag's notes, after ` | `. */
export async function appendFlagNote(tx: Sql, id: string, note: string): Promise<void> {
  await tx.query(`UPDATE entry_flag SET note = coalesce(note || ' | ', '') || $2 WHERE id = $1`, [id, note]);
}

export async function insertFlag(
  tx: Sql,
  flag: { entryId: string; kind: string; note: string | null; platform: string },
  now: Date,
): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO entry_flag (entry_id, kind, note, reporter_platform, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [flag.entryId, flag.kind, flag.note, flag.platform, now],
  );
  return rows[0]!.id;
}

/** Flags with their listing, organisation, contact and source: open first, newest first. */
export async function selectFlags(sql: Sql, status: 'open' | 'resolved' | 'all'): Promise<FlagRow[]> {
  const { rows } = await sql.query<FlagRow>(
    `SELECT f.id, f.entry_id, f.kind, f.note, f.reporter_platform, f.status, f.created_at, f.resolved_at,
            s.name AS title, o.name AS organisation, coalesce(s.contact_email, s.contact_phone, o.email, o.phone) AS contact,
            src.name AS source
     FROM entry_flag f
     LEFT JOIN service s ON s.id = f.entry_id
     LEFT JOIN organization o ON o.id = s.organization_id
     LEFT JOIN source src ON src.id = s.source_id
     WHERE ($1 = 'all' OR f.status = $1)
     ORDER BY f.status, f.created_at DESC`,
    [status],
  );
  return rows;
}

/** Resolves an open flag; returns its listing's id, or undefined when there is no open flag with that id. */
export async function markFlagResolved(sql: Sql, id: string, now: Date): Promise<string | undefined> {
  const { rows } = await sql.query<{ entry_id: string }>(
    `UPDATE entry_flag SET status = 'resolved', resolved_at = $2 WHERE id = $1 AND status = 'open' RETURNING entry_id`,
    [id, now],
  );
  return rows[0]?.entry_id;
}

/** Marks every open flag nobody was told about as told at `now`; returns their ids. */
export async function markFlagsNotified(sql: Sql, now: Date): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE entry_flag SET notified_at = $1 WHERE status = 'open' AND notified_at IS NULL RETURNING id`,
    [now],
  );
  return rows.map((r) => r.id);
}
