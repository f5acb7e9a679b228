import type { Sql } from '../../db/sql.ts';

/** A listing's title, status, removal and venue coordinates, whatever became of it. */
export type ListingStateRow = {
  name: string;
  status: string;
  removed_at: Date | string | null;
  latitude: number | null;
  longitude: number | null;
};

/** The listing with this id (a UUID), listed or not; undefined when it was never in the catalogue. */
export async function selectListingState(sql: Sql, id: string): Promise<ListingStateRow | undefined> {
  const { rows } = await sql.query<ListingStateRow>(
    `SELECT s.name, s.status, s.removed_at, l.latitude::float8 AS latitude, l.longitude::float8 AS longitude
     FROM service s LEFT JOIN location l ON l.id = s.location_id
     WHERE s.id = $1`,
    [id],
  );
  return rows[0];
}
