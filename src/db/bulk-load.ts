import type { Sql } from './sql.ts';

/**
 * Runs a bulk insert into `table` with its secondary indexes dropped first and built again afterwards, when that is
 * cheaper and safe. On the embedded store, inside its exclusive transaction (nobody else can read the table
 * meanwhile), when the new rows are at least as many as the rows already there (building an index over the whole
 * table then costs less than updating it row by row). On a server, only into an empty table (a first load) that this
 * transaction can lock at once for itself: a reader arriving meanwhile waits for the commit (there was nothing for
 * it to read), and a table anyone else is using at that moment keeps its indexes (the lock is never waited for, so
 * two imports cannot deadlock on it). Primary keys and constraints stay. Unique indexes stay too unless `unique` is
 * set, for an insert that never relies on them (no `ON CONFLICT` on the table): built again afterwards they still
 * refuse duplicates, by failing the whole transaction. Everything is one transaction: if anything fails, the
 * indexes are back as they were.
 */
export async function withIndexesRebuiltAfter<T>(
  tx: Sql,
  table: string,
  newRows: number,
  insert: () => Promise<T>,
  options: RebuildOptions = {},
): Promise<T> {
  if (newRows < (options.minRows ?? MIN_ROWS)) return insert();
  if (tx.exclusive) {
    const existing = (await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quoteIdent(table)}`)).rows[0]!.n;
    if (existing > newRows) return insert();
  } else if (!(await isEmpty(tx, table)) || !(await lockAtOnce(tx, table))) {
    return insert();
  }
  const indexes = (
    await tx.query<{ name: string; definition: string }>(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = $1::regclass AND ($2 OR NOT i.indisunique) AND NOT i.indisprimary
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
       ORDER BY c.relname`,
      [table, options.unique === true],
    )
  ).rows;
  for (const index of indexes) await tx.exec(`DROP INDEX ${quoteIdent(index.name)}`);
  const result = await insert();
  for (const index of indexes) await tx.exec(index.definition);
  return result;
}

export type RebuildOptions = {
  /** Below this many rows the bookkeeping is not worth it (GIN indexes, costly per row, pay off sooner). */
  minRows?: number;
  /** Unique indexes are dropped and built again too: the insert has no `ON CONFLICT` on the table. */
  unique?: boolean;
};

async function isEmpty(tx: Sql, table: string): Promise<boolean> {
  const { rows } = await tx.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table)}) AS any`);
  return rows[0]?.any === false;
}

/** Takes the table for this transaction alone if nobody else holds any lock on it now; never waits. */
async function lockAtOnce(tx: Sql, table: string): Promise<boolean> {
  await tx.exec('SAVEPOINT signpost_bulk_lock');
  try {
    await tx.exec(`LOCK TABLE ${quoteIdent(table)} IN ACCESS EXCLUSIVE MODE NOWAIT`);
  } catch {
    await tx.exec('ROLLBACK TO SAVEPOINT signpost_bulk_lock');
    return false;
  }
  await tx.exec('RELEASE SAVEPOINT signpost_bulk_lock');
  return true;
}

/** Below this many rows the bookkeeping is not worth it. */
const MIN_ROWS = 20_000;

/** A COPY into `table`: from PGlite's blob sent with the query, or from the client's stream on a server. */
export function copyStatement(
  table: string,
  columns: readonly string[],
  format: 'text' | 'binary' = 'text',
  from: 'blob' | 'STDIN' = 'blob',
): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${from === 'blob' ? `'/dev/blob'` : 'STDIN'}${format === 'binary' ? ' WITH (FORMAT binary)' : ''}`;
}

/** One field in COPY's text format: null as `\N`; backslash, tab, newline and carriage return escaped. */
export function copyField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (c) => ESCAPES[c]!) : value;
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The tables whose GIN indexes search reads: their pending entries are merged when an import has written to them. */
export const SEARCHED_TABLES = ['service', 'location', 'organization'] as const;

/**
 * Merges what the tables' GIN indexes hold in their pending lists (rows written while the index existed) into the
 * indexes themselves, so that searches stop reading those lists in full. Imports call it on the embedded store, at
 * the end of their own transaction: it has no autovacuum to do it, and the import holds the database anyway. A
 * server's autovacuum does it there.
 */
export async function mergePendingIndexEntries(sql: Sql, tables: readonly string[]): Promise<void> {
  await sql.query(
    `SELECT gin_clean_pending_list(i.indexrelid)
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
     WHERE a.amname = 'gin' AND i.indrelid = ANY($1::regclass[])`,
    [tables],
  );
}
