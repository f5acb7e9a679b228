import type { Sql } from './db/sql.ts';

/**
 * The server's health check: one round trip to the database, which throws when it cannot be reached. Urgent: it says
 * whether the store answers, not how many searches wait ahead of it.
 */
export async function pingDatabase(sql: Sql): Promise<void> {
  await sql.query('SELECT 1', [], { urgent: true });
}
