import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { describeLocation, type StoreLocation } from './database-url.ts';
import { allApplied, type Migration, readMigrations, runMigrations } from './migrate.ts';
import {
  discardSnapshot,
  extractSnapshot,
  readSnapshot,
  snapshotCacheDir,
  snapshotKey,
  writeSnapshot,
} from './pglite-snapshot.ts';
import { acquireFolderLock } from './pglite-lock.ts';
import { type PgliteQueryable, PgliteProxy } from './pglite-proxy.ts';
import { createPglitePrismaClient, createPostgresPrismaClient, type PrismaClient } from './prisma-client.ts';
import { copyStatement } from './bulk-load.ts';
import {
  type Database,
  type PlannerSettings,
  type QueryOptions,
  RESET_LOCAL_SQL,
  SESSION_SETTINGS,
  SET_LOCAL_SQL,
  type Sql,
  StoreError,
  type StoreKind,
} from './sql.ts';

/** An open catalogue store: the same schema and SQL on embedded PGlite or a PostgreSQL server. */
export type Store = Database & {
  kind: StoreKind;
  description: string;
  prisma: PrismaClient;
  close(): Promise<void>;
  /** PGlite only: a snapshot of the data folder (tests clone a migrated store from it). */
  dump?(): Promise<Blob>;
};

export type OpenStoreOptions = {
  /** PGlite only: start from a snapshot instead of an empty folder. */
  loadDataDir?: Blob;
  migrate?: boolean;
  /**
   * PGlite only: the folder a new store's migrated snapshot is kept in and taken from (see pglite-snapshot.ts);
   * default `node_modules/.cache/signpost`; false: none, a new store is always a new cluster.
   */
  snapshotCache?: string | false;
  /**
   * PGlite only: the niceness of the thread the embedded database runs on. Default 10 of 19, below the event loop's
   * thread: when the two want the same core, Slack's acks, Teams' turns and /healthz run first and a search statement
   * waits (the event loop's thread gets about nine tenths of a core the two share). A one-shot command (an import)
   * has no event loop anyone waits on, and passes 0: its store thread is its work.
   */
  storeThreadNiceness?: number;
};

export async function openStore(location: StoreLocation, options: OpenStoreOptions = {}): Promise<Store> {
  const migrations = options.migrate === false ? null : readMigrations();
  const niceness = options.storeThreadNiceness ?? STORE_THREAD_NICENESS;
  const cache = options.snapshotCache ?? snapshotCacheDir();
  if (location.kind === 'pglite' && migrations && cache && !options.loadDataDir && isNewPglite(location.dir)) {
    return openNewPglite(location.dir, migrations, cache, niceness);
  }
  const store = location.kind === 'pglite' ? await openPglite(location.dir, options) : await openPostgres(location.url);
  if (migrations) await migrateOrClose(store, migrations);
  return store;
}

async function migrateOrClose(store: Store, migrations: Migration[]): Promise<void> {
  try {
    await runMigrations(store, migrations);
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** An embedded store with no cluster yet: in memory, or a folder PostgreSQL has not been set up in. */
const isNewPglite = (dir: string | null) => dir === null || !fs.existsSync(path.join(dir, 'PG_VERSION'));

/**
 * A new embedded store, from the migrated snapshot when there is a sound one (see pglite-snapshot.ts); otherwise a new
 * cluster, migrated, whose snapshot is then kept for the next new store. The folder is locked before anything is
 * written into it.
 */
async function openNewPglite(
  dir: string | null,
  migrations: Migration[],
  cache: string,
  niceness: number,
): Promise<Store> {
  const release = dir ? acquireFolderLock(dir) : () => {};
  try {
    if (!isNewPglite(dir)) {
      // Another process set the folder up while this one waited for it.
      const store = pgliteStore(await startPglite(dir, null, niceness), dir, release);
      await migrateOrClose(store, migrations);
      return store;
    }
    const key = snapshotKey(migrations);
    const snapshot = readSnapshot(key, cache);
    if (snapshot) {
      const before = new Set(dir ? fs.readdirSync(dir) : []);
      let db: PgliteProxy | undefined;
      try {
        // A folder gets the files written straight in; a store in memory loads the tar itself.
        if (dir) extractSnapshot(new Uint8Array(snapshot), dir);
        db = await startPglite(dir, dir ? null : snapshot, niceness);
        if (await allApplied({ sql: new PgliteSql(db, false) }, migrations)) return pgliteStore(db, dir, release);
      } catch {
        // Falls through to a new cluster.
      }
      // Not what its name promises: forget it, and take the folder back to what it held before.
      await db?.close().catch(() => {});
      discardSnapshot(key, cache);
      for (const name of dir ? fs.readdirSync(dir) : []) {
        if (!before.has(name)) fs.rmSync(path.join(dir!, name), { recursive: true, force: true });
      }
    }
    const store = pgliteStore(await startPglite(dir, null, niceness), dir, release);
    await migrateOrClose(store, migrations);
    try {
      await store.sql.exec('CHECKPOINT');
      const dump = await store.dump!();
      writeSnapshot(key, new Uint8Array(await dump.arrayBuffer()), cache);
    } catch {
      // Only a cache: the next new store builds its own.
    }
    return store;
  } catch (error) {
    release();
    throw error;
  }
}

async function openPglite(dir: string | null, options: OpenStoreOptions): Promise<Store> {
  const release = dir ? acquireFolderLock(dir) : () => {};
  try {
    const snapshot = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : null;
    return pgliteStore(
      await startPglite(dir, snapshot, options.storeThreadNiceness ?? STORE_THREAD_NICENESS),
      dir,
      release,
    );
  } catch (error) {
    release();
    throw error;
  }
}

/** See OpenStoreOptions.storeThreadNiceness. */
const STORE_THREAD_NICENESS = 10;

async function startPglite(
  dir: string | null,
  loadDataDir: ArrayBuffer | null,
  niceness: number,
): Promise<PgliteProxy> {
  try {
    return await PgliteProxy.start({ dataDir: dir, loadDataDir, niceness });
  } catch (error) {
    throw new StoreError('STORE.UNAVAILABLE', `Could not open the embedded database${dir ? ` at ${dir}` : ''}.`, {
      cause: error,
    });
  }
}

/** The store over a started database; closing it closes the database, then lets the folder go. */
function pgliteStore(db: PgliteProxy, dir: string | null, release: () => void): Store {
  const wrap = (q: PgliteQueryable, exclusive = false): Sql => new PgliteSql(q, exclusive);
  const prisma = createPglitePrismaClient(db);
  return {
    kind: 'pglite',
    description: describeLocation({ kind: 'pglite', dir }),
    sql: wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx, true))),
    prisma,
    async close() {
      await prisma.$disconnect().catch(() => {});
      try {
        await db.close();
      } finally {
        release();
      }
    },
    async dump() {
      return db.dumpDataDir();
    },
  };
}

/**
 * The embedded store's SQL seam. `copyFrom` is a method of the class, not an own property: a copy made by spreading
 * the seam (a wrapper that watches or changes `query`) does not carry it, so such a wrapper sees every write as a
 * query.
 */
class PgliteSql implements Sql {
  readonly #q: PgliteQueryable;
  readonly exclusive: boolean;
  constructor(q: PgliteQueryable, exclusive: boolean) {
    this.#q = q;
    this.exclusive = exclusive;
    // Own properties, so that spreading the seam keeps them.
    this.query = async <Row>(text: string, params?: unknown[], options?: QueryOptions) => ({
      rows: (await q.query<Row>(text, params, options?.urgent ? { urgent: true } : undefined)).rows,
    });
    this.queryWith = async <Row>(settings: PlannerSettings, text: string, params?: unknown[]) => ({
      rows: (await q.query<Row>(text, params, { settings })).rows,
    });
    this.exec = async (text: string) => {
      await q.exec(text);
    };
  }
  query: Sql['query'];
  queryWith: Sql['queryWith'];
  exec: Sql['exec'];
  async copyFrom(table: string, columns: readonly string[], rows: string | Uint8Array): Promise<number> {
    const format = typeof rows === 'string' ? 'text' : 'binary';
    const result = await this.#q.query(copyStatement(table, columns, format), [], { blob: new Blob([rows]) });
    return result.affectedRows ?? 0;
  }
}

async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 10_000,
    options: SESSION_SETTINGS.map(([name, value]) => `-c ${name}=${value}`).join(' '),
  });
  // An idle client that loses its server must not crash the process; the next query reports the problem.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StoreError(
      'STORE.UNAVAILABLE',
      `Could not connect to ${describeLocation({ kind: 'postgres', url })}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const sql: Sql = {
    async query<Row>(text: string, params?: unknown[]) {
      const result = await pool.query(text, params as unknown[]);
      return { rows: result.rows as Row[] };
    },
    async queryWith<Row>(settings: PlannerSettings, text: string, params?: unknown[]) {
      const client = await pool.connect();
      try {
        const result = await inOrder(client, ['BEGIN', ...setLocal(settings)], [text, params], ['COMMIT']);
        return { rows: result.rows as Row[] };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(text: string) {
      await pool.query(text);
    },
  };
  const prisma = createPostgresPrismaClient(pool);
  return {
    kind: 'postgres',
    description: describeLocation({ kind: 'postgres', url }),
    sql,
    async transaction(fn) {
      const client = await pool.connect();
      const tx: Sql = {
        async query<Row>(text: string, params?: unknown[]) {
          const result = await client.query(text, params as unknown[]);
          return { rows: result.rows as Row[] };
        },
        async queryWith<Row>(settings: PlannerSettings, text: string, params?: unknown[]) {
          const result = await inOrder(
            client,
            setLocal(settings),
            [text, params],
            [[RESET_LOCAL_SQL, [Object.keys(settings)]]],
          );
          return { rows: result.rows as Row[] };
        },
        async exec(text: string) {
          await client.query(text);
        },
        async copyFrom(table: string, columns: readonly string[], rows: string | Uint8Array) {
          const format = typeof rows === 'string' ? 'text' : 'binary';
          const stream = client.query(copyFromStdin(copyStatement(table, columns, format, 'STDIN')));
          await pipeline(Readable.from([typeof rows === 'string' ? Buffer.from(rows) : rows]), stream);
          return stream.rowCount;
        },
      };
      try {
        await client.query('BEGIN');
        const value = await fn(tx);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    prisma,
    async close() {
      await prisma.$disconnect().catch(() => {});
      await pool.end();
    },
  };
}

type Statement = string | [string, unknown[] | undefined];

function setLocal(settings: PlannerSettings): Statement[] {
  return Object.entries(settings).map(([name, value]) => [SET_LOCAL_SQL, [name, value]]);
}

/**
 * Statements run one after another on one connection (node-postgres no longer takes a query while one is under way);
 * resolves with the main one's result. A failure stops the run: in a transaction nothing after it could run anyway.
 */
async function inOrder(client: pg.PoolClient, before: Statement[], main: Statement, after: Statement[]) {
  const send = (s: Statement) => (typeof s === 'string' ? client.query(s) : client.query(s[0], s[1] as unknown[]));
  for (const s of before) await send(s);
  const result = await send(main);
  for (const s of after) await send(s);
  return result;
}
