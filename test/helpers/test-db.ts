import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type Store } from '../../src/db/open-store.ts';
import { SESSION_SETTINGS, type StoreKind } from '../../src/db/sql.ts';

/** The stores every repository test runs on; PostgreSQL only when the test script started a server. */
export const STORE_KINDS: StoreKind[] = inject('postgresTemplateUrl') ? ['pglite', 'postgres'] : ['pglite'];

export type TestStore = Store & { url: string };

/** The migrated template database's name, from its URL. */
const templateName = (url: string) => new URL(url).pathname.slice(1);

/**
 * A fresh, migrated store: PGlite cloned from the run's snapshot, or a new PostgreSQL database copied from the
 * migrated template. `close()` also drops the PostgreSQL database.
 */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'pglite') return lendPgliteStore();
  const template = inject('postgresTemplateUrl');
  if (!template) throw new Error('No PostgreSQL server for tests');
  const name = `signpost_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: template.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName(template)}`);
  await admin.end();
  const url = template.replace(/\/[^/]*$/, `/${name}`);
  const store = await openStore({ kind: 'postgres', url });
  const close = store.close;
  return Object.assign(store, {
    url,
    async close() {
      await close();
      const drop = new pg.Client({ connectionString: template.replace(/\/[^/]*$/, '/postgres') });
      await drop.connect();
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    },
  });
}

/**
 * Embedded stores given back by the tests before, emptied to the migrated state, for the next tests of this worker
 * (files share a worker): a new one costs a thread, a WebAssembly build and a 40 MB snapshot (about 0.8 s of CPU),
 * emptying one about 0.1 s.
 */
const spares: Store[] = [];
const MAX_SPARES = 2;
/** Rows the migrations themselves write, kept when a store is emptied. */
const MIGRATION_TABLES = ['_signpost_migrations'];

async function lendPgliteStore(): Promise<TestStore> {
  const store =
    spares.pop() ??
    (await openStore(
      { kind: 'pglite', dir: null },
      { loadDataDir: new Blob([fs.readFileSync(inject('pgliteDumpFile'))]) },
    ));
  let returned = false;
  // A store of its own for the test: its own object (what a test sets on it stays there), the same database.
  return {
    ...store,
    url: 'pglite:memory',
    async close() {
      if (returned) return;
      returned = true;
      try {
        await emptyStore(store);
      } catch {
        // Left mid-transaction or broken by its test: not lent again.
        await store.close().catch(() => {});
        return;
      }
      if (spares.length < MAX_SPARES) spares.push(store);
      else await store.close();
    },
  };
}

/**
 * Back to the migrated snapshot's state: every table emptied (identities restarted), the planner's statistics of
 * the rows gone forgotten, session settings as a new store's.
 */
async function emptyStore(store: Store): Promise<void> {
  const { rows } = await store.sql.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
      WHERE schemaname = 'public' AND NOT tablename = ANY($1::text[])`,
    [MIGRATION_TABLES],
  );
  await store.sql.exec(
    `TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE;
     DELETE FROM pg_statistic WHERE starelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace);
     DELETE FROM pg_statistic_ext_data WHERE stxoid IN (SELECT oid FROM pg_statistic_ext WHERE stxnamespace = 'public'::regnamespace);
     RESET ALL;`,
  );
  for (const [name, value] of SESSION_SETTINGS)
    await store.sql.query('SELECT set_config($1, $2, false)', [name, value]);
}

/**
 * Fills the embedded folder `dir` (which must not exist yet) from the run's migrated snapshot, so a test that hands
 * the folder to the CLI or a process does not first wait for a new cluster and every migration.
 */
export async function migratedPgliteFolder(dir: string): Promise<string> {
  const store = await openMigratedPgliteFolder(dir);
  await store.close();
  return dir;
}

/** The same, left open (and the folder locked) until the store is closed. */
export async function openMigratedPgliteFolder(dir: string): Promise<Store> {
  const dump = new Blob([fs.readFileSync(inject('pgliteDumpFile'))]);
  return openStore({ kind: 'pglite', dir }, { loadDataDir: dump });
}

/** A new empty database on the test server (for processes that must share one PostgreSQL database). */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const template = inject('postgresTemplateUrl');
  if (!template) throw new Error('No PostgreSQL server for tests');
  const name = `signpost_t_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const adminUrl = template.replace(/\/[^/]*$/, '/postgres');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateName(template)}`);
  await admin.end();
  return {
    url: template.replace(/\/[^/]*$/, `/${name}`),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
