import type { Sql } from '../../db/sql.ts';

/** How many sources the catalogue has (none: a new, empty store). */
export async function countSources(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM source');
  return rows[0]?.n ?? 0;
}
