import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Store } from './open-store.ts';
import { StoreError } from './sql.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

/** Any fixed number: several instances starting together queue on it instead of racing. */
const MIGRATION_LOCK_KEY = 7_314_159_265;

export type Migration = { name: string; sql: string; checksum: string };

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/**
 * Applies the committed SQL migrations in order, each in its own transaction under an advisory lock, recording
 * names and checksums. The same runner serves PGlite and PostgreSQL (Prisma's own `migrate deploy` cannot reach a
 * server offline through its driver adapter).
 */
export async function runMigrations(store: Store, migrations = readMigrations()): Promise<string[]> {
  if (await allApplied(store, migrations)) return [];
  await store.sql
    .exec(`CREATE TABLE IF NOT EXISTS "_signpost_migrations" (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    .catch(async (error: unknown) => {
      // Two servers creating the table at once: one wins, the other sees a duplicate; both can go on.
      const exists = await store.sql.query(`SELECT to_regclass('_signpost_migrations') AS t`);
      if (!exists.rows[0]?.t) throw error;
    });
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await store.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const existing = await tx.query<{ checksum: string }>(
        'SELECT checksum FROM "_signpost_migrations" WHERE name = $1',
        [migration.name],
      );
      const row = existing.rows[0];
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new StoreError(
            'STORE.MIGRATION',
            `Migration ${migration.name} was changed after it was applied to this database; add a new migration instead.`,
          );
        }
        return false;
      }
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO "_signpost_migrations" (name, checksum) VALUES ($1, $2)', [
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}

/**
 * The usual case at start-up, in one read: every migration is recorded, with the checksum of the file as it is now.
 * Anything else (no table yet, a migration missing, a file changed) goes to the full runner, which applies or reports.
 */
export async function allApplied(store: Pick<Store, 'sql'>, migrations: readonly Migration[]): Promise<boolean> {
  const table = await store.sql.query<{ t: string | null }>(`SELECT to_regclass('_signpost_migrations')::text AS t`);
  if (!table.rows[0]?.t) return false;
  const recorded = await store.sql.query<{ name: string; checksum: string }>(
    'SELECT name, checksum FROM "_signpost_migrations"',
  );
  const checksums = new Map(recorded.rows.map((r) => [r.name, r.checksum]));
  return migrations.every((m) => checksums.get(m.name) === m.checksum);
}
