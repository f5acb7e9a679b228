import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../src/db/open-store.ts';

/** A new, migrated database on the PostgreSQL server at `serverUrl` (BENCH_DATABASE_URL) for one run, dropped afterwards. */
export async function openThrowawayDatabase(
  serverUrl: string,
): Promise<{ store: Store; url: string; drop(): Promise<void> }> {
  const name = `signpost_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ kind: 'postgres', url: url.toString() });
  return {
    store,
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
