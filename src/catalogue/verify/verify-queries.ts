import type { Sql } from '../../db/sql.ts';

/** One listing as the verification queue sees it. `lastConfirmed` is a London date, YYYY-MM-DD, or null. */
export type VerifyRow = {
  id: string;
  externalId: string;
  title: string;
  source: string;
  sourceFormat: string;
  status: string;
  lastConfirmed: string | null;
};

/**
 * A listing's last-confirmed date (SQL, a `date`; `s` is the service and `src` its source), the latest of: the
 * source's HSDS `assured_date`, a coordinator's confirmation, and the last successful fetch of the feed that still
 * lists it (a source with a URL; a listing gone from its feed is marked removed, so one still here was in the feed's
 * last good download).
 */
export const LAST_CONFIRMED_SQL = `GREATEST(
    s.assured_date,
    (s.confirmed_at AT TIME ZONE 'Europe/London')::date,
    CASE WHEN src.url IS NOT NULL THEN (src.last_success_at AT TIME ZONE 'Europe/London')::date END
  )`;

const SELECT = `SELECT s.id::text AS id, s.external_id, s.name, src.name AS source, src.format, s.status,
    to_char(${LAST_CONFIRMED_SQL}, 'YYYY-MM-DD') AS last_confirmed
  FROM service s JOIN source src ON src.id = s.source_id`;

/** Listings still shown to staff whose last confirmation is before `before` (YYYY-MM-DD) or never was. */
const DUE = `s.removed_at IS NULL AND s.status <> 'closed'
  AND (${LAST_CONFIRMED_SQL} IS NULL OR ${LAST_CONFIRMED_SQL} < $1::date)`;

type Row = {
  id: string;
  external_id: string;
  name: string;
  source: string;
  format: string;
  status: string;
  last_confirmed: string | null;
};

const toRow = (r: Row): VerifyRow => ({
  id: r.id,
  externalId: r.external_id,
  title: r.name,
  source: r.source,
  sourceFormat: r.format,
  status: r.status,
  lastConfirmed: r.last_confirmed,
});

/** The queue, never confirmed first, then oldest first; ties by title and id so pages are stable. */
export async function selectDueListings(
  sql: Sql,
  before: string,
  page: { limit?: number; offset?: number } = {},
): Promise<VerifyRow[]> {
  const { rows } = await sql.query<Row>(
    `${SELECT} WHERE ${DUE}
     ORDER BY ${LAST_CONFIRMED_SQL} ASC NULLS FIRST, s.name, s.id
     ${page.limit !== undefined ? 'LIMIT $2 OFFSET $3' : ''}`,
    page.limit !== undefined ? [before, page.limit, page.offset ?? 0] : [before],
  );
  return rows.map(toRow);
}

export async function countDueListings(sql: Sql, before: string): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM service s JOIN source src ON src.id = s.source_id WHERE ${DUE}`,
    [before],
  );
  return rows[0]?.n ?? 0;
}

/** A listing still in the catalogue (not removed from its source), closed or not. */
export async function selectListing(sql: Sql, id: string): Promise<VerifyRow | undefined> {
  const { rows } = await sql.query<Row>(`${SELECT} WHERE s.id = $1::uuid AND s.removed_at IS NULL`, [id]);
  const row = rows[0];
  return row ? toRow(row) : undefined;
}

/**
 * Records a coordinator's confirmation. A listing a coordinator had closed is open again (a confirmation says it
 * runs); one its own source marks closed stays as the source says.
 */
export async function recordConfirmation(sql: Sql, id: string, at: Date, role: string): Promise<boolean> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE service s SET confirmed_at = $2, confirmed_by_role = $3,
       status = CASE WHEN s.closed_at IS NOT NULL THEN 'active' ELSE s.status END,
       closed_at = NULL, closed_by_role = NULL
     WHERE s.id = $1::uuid AND s.removed_at IS NULL
     RETURNING s.id`,
    [id, at, role],
  );
  // A coordinator's "still running" answers staff's "has closed" reports about it.
  if (rows.length > 0) await resolveReports(sql, id, at, ['closed']);
  return rows.length > 0;
}

async function resolveReports(sql: Sql, id: string, at: Date, kinds: string[]): Promise<void> {
  await sql.query(
    `UPDATE entry_flag SET status = 'resolved', resolved_at = $2 WHERE entry_id = $1::uuid AND status = 'open' AND kind = ANY($3::text[])`,
    [id, at, kinds],
  );
}

/** Closes a listing for search (status 'closed') and records when and by which role; imports keep it closed. */
export async function recordClosure(sql: Sql, id: string, at: Date, role: string): Promise<boolean> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE service s SET status = 'closed', closed_at = $2, closed_by_role = $3
     WHERE s.id = $1::uuid AND s.removed_at IS NULL
     RETURNING s.id`,
    [id, at, role],
  );
  if (rows.length > 0) await resolveReports(sql, id, at, ['closed', 'wrong_details']);
  return rows.length > 0;
}

/** A listing with open staff reports ("has closed", "details wrong"), for the top of the queue. */
export type ReportedRow = VerifyRow & { closedReports: number; wrongReports: number };

/** Listings still shown with open staff reports: "has closed" ones first, then the oldest report first. */
export async function selectReportedListings(
  sql: Sql,
  limit: number,
): Promise<{ items: ReportedRow[]; total: number }> {
  const { rows } = await sql.query<Row & { closed_reports: number; wrong_reports: number; total: number }>(
    `SELECT * FROM (
       ${SELECT.replace(
         'FROM service s',
         `, (SELECT count(*)::int FROM entry_flag f WHERE f.entry_id = s.id AND f.status = 'open' AND f.kind = 'closed') AS closed_reports,
         (SELECT count(*)::int FROM entry_flag f WHERE f.entry_id = s.id AND f.status = 'open' AND f.kind = 'wrong_details') AS wrong_reports,
         (SELECT min(f.created_at) FROM entry_flag f WHERE f.entry_id = s.id AND f.status = 'open') AS first_report,
         count(*) OVER ()::int AS total
       FROM service s`,
       )}
       WHERE s.removed_at IS NULL AND s.status <> 'closed'
         AND EXISTS (SELECT 1 FROM entry_flag f WHERE f.entry_id = s.id AND f.status = 'open')
     ) x
     ORDER BY (x.closed_reports > 0) DESC, x.first_report, x.name, x.id
     LIMIT $1`,
    [limit],
  );
  return {
    items: rows.map((r) => ({ ...toRow(r), closedReports: r.closed_reports, wrongReports: r.wrong_reports })),
    total: rows[0]?.total ?? 0,
  };
}

/** A listing a coordinator closed (still in its source): its title and the London date it was closed. */
export async function selectClosure(sql: Sql, id: string): Promise<{ title: string; closedOn: string } | undefined> {
  const { rows } = await sql.query<{ name: string; closed_on: string }>(
    `SELECT s.name, to_char(s.closed_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS closed_on FROM service s
     WHERE s.id = $1::uuid AND s.removed_at IS NULL AND s.status = 'closed' AND s.closed_at IS NOT NULL`,
    [id],
  );
  const row = rows[0];
  return row ? { title: row.name, closedOn: row.closed_on } : undefined;
}
