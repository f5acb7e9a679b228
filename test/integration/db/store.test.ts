import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../../src/db/database-url.ts';
import { runMigrations } from '../../../src/db/migrate.ts';
import { openStore, type Store } from '../../../src/db/open-store.ts';
import { SESSION_SETTINGS, StoreError } from '../../../src/db/sql.ts';
import { openTestStore, STORE_KINDS } from '../../helpers/test-db.ts';

describe('parseDatabaseUrl', () => {
  it('defaults to an embedded store in ./data', () => {
    expect(parseDatabaseUrl(undefined, '/srv/app')).toEqual({ kind: 'pglite', dir: '/srv/app/data' });
    expect(parseDatabaseUrl('  ', '/srv/app')).toEqual({ kind: 'pglite', dir: '/srv/app/data' });
  });
  it('reads pglite folders, memory and PostgreSQL URLs', () => {
    expect(parseDatabaseUrl('pglite:./db', '/srv')).toEqual({ kind: 'pglite', dir: '/srv/db' });
    expect(parseDatabaseUrl('pglite:/var/lib/signpost', '/srv')).toEqual({ kind: 'pglite', dir: '/var/lib/signpost' });
    expect(parseDatabaseUrl('pglite:memory')).toEqual({ kind: 'pglite', dir: null });
    expect(parseDatabaseUrl('postgres://u:p@db:5432/signpost')).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db:5432/signpost',
    });
    expect(parseDatabaseUrl('postgresql://db/signpost').kind).toBe('postgres');
  });
  it('refuses anything else with a clear message', () => {
    expect(() => parseDatabaseUrl('mysql://db/x')).toThrow(/DATABASE_URL must be/);
    expect(() => parseDatabaseUrl('pglite:')).toThrow(/needs a folder/);
  });
});

describe.each(STORE_KINDS)('store on %s', (kind) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('is migrated, with the full-text and trigram indexes in the database', async () => {
    store = await openTestStore(kind);
    const indexes = await store.sql.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'service' ORDER BY indexname`,
    );
    const names = indexes.rows.map((r) => r.indexname);
    expect(names).toContain('service_search_vector_idx');
    expect(names).toContain('service_name_trgm_idx');
    const ext = await store.sql.query<{ extname: string }>(
      `SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'`,
    );
    expect(ext.rows).toHaveLength(1);
    // Running the runner again applies nothing.
    expect(await runMigrations(store)).toEqual([]);
  });

  it('rolls a failed transaction back completely', async () => {
    store = await openTestStore(kind);
    await expect(
      store.transaction(async (tx) => {
        await tx.query(`INSERT INTO source (name, format) VALUES ('half', 'ical')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await store.sql.query(`SELECT * FROM source WHERE name = 'half'`);
    expect(rows.rows).toHaveLength(0);
  });

  it('runs every session with the search settings, on every connection', async () => {
    store = await openTestStore(kind);
    const open = store;
    const settings = async () =>
      (await open.sql.query<{ value: string }>('SELECT current_setting($1) AS value', [SESSION_SETTINGS[0]![0]]))
        .rows[0]!.value;
    // Several at once: a server's pool opens more than one connection.
    expect(await Promise.all([settings(), settings(), settings()])).toEqual(Array(3).fill(SESSION_SETTINGS[0]![1]));
  });

  it('serves Prisma and raw SQL from the same database', async () => {
    store = await openTestStore(kind);
    await store.prisma.source.create({ data: { name: 'feed-a', format: 'ical' } });
    const rows = await store.sql.query<{ name: string }>('SELECT name FROM source');
    expect(rows.rows.map((r) => r.name)).toEqual(['feed-a']);
  });

  it('ranks full-text matches with the generated search vector', async () => {
    store = await openTestStore(kind);
    await store.sql.query(`INSERT INTO source (name, format) VALUES ('s', 'manual')`);
    await store.sql.query(
      `INSERT INTO service (source_id, external_id, kind, name, description, categories, content_hash)
       SELECT id, x.eid, 'activity', x.name, x.descr, x.cats, 'h' FROM source,
       (VALUES ('a', 'Kentish Town lunch club', 'A hot meal and company', ARRAY['lunch club']),
               ('b', 'Chair-based exercise', 'Gentle seated exercise', ARRAY['exercise'])) AS x(eid, name, descr, cats)`,
    );
    const hits = await store.sql.query<{ name: string }>(
      `SELECT name FROM service WHERE search_vector @@ websearch_to_tsquery('english', 'lunch')`,
    );
    expect(hits.rows.map((r) => r.name)).toEqual(['Kentish Town lunch club']);
    const fuzzy = await store.sql.query<{ name: string }>(`SELECT name FROM service WHERE name % 'chair excercise'`);
    expect(fuzzy.rows.map((r) => r.name)).toEqual(['Chair-based exercise']);
  });
});

describe.each(STORE_KINDS)('values and errors on %s', (kind) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('gives dates, bytes, JSON and arrays back as sent, and PostgreSQL errors with their code, raw and through Prisma', async () => {
    store = await openTestStore(kind);
    const at = new Date('2027-03-28T01:30:00.000Z');
    const { rows } = await store.sql.query<{ at: Date; bytes: Uint8Array; doc: unknown; words: string[]; n: number }>(
      'SELECT $1::timestamptz AS at, $2::bytea AS bytes, $3::jsonb AS doc, $4::text[] AS words, 2::int AS n',
      [at, new Uint8Array([0, 1, 255]), JSON.stringify({ a: [1, 'é'] }), ['x', 'y']],
    );
    expect(rows[0]!.at).toBeInstanceOf(Date);
    expect(rows[0]!.at.toISOString()).toBe(at.toISOString());
    expect([...rows[0]!.bytes]).toEqual([0, 1, 255]);
    expect(rows[0]!.doc).toEqual({ a: [1, 'é'] });
    expect(rows[0]!.words).toEqual(['x', 'y']);
    expect(rows[0]!.n).toBe(2);

    await store.sql.query(`INSERT INTO source (name, format) VALUES ('dup', 'ical')`);
    const raw = await store.sql
      .query(`INSERT INTO source (name, format) VALUES ('dup', 'ical')`)
      .catch((e: unknown) => e);
    expect(raw).toBeInstanceOf(Error);
    expect(raw).toMatchObject({ code: '23505', message: expect.stringContaining('source_name_key') });
    const viaPrisma = await store.prisma.source
      .create({ data: { name: 'dup', format: 'ical' } })
      .catch((e: unknown) => e);
    expect(String(viaPrisma)).toContain('source_name_key');
    // Nothing was half written, and the store still answers.
    expect(await store.prisma.source.count()).toBe(1);
  });

  it('commits Prisma transactions and rolls back the ones that throw', async () => {
    store = await openTestStore(kind);
    await store.prisma.$transaction(async (p) => {
      await p.source.create({ data: { name: 'kept', format: 'ical' } });
    });
    await expect(
      store.prisma.$transaction(async (p) => {
        await p.source.create({ data: { name: 'dropped', format: 'ical' } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await store.prisma.source.findMany({ select: { name: true } })).map((r) => r.name)).toEqual(['kept']);
  });

  it('plans one statement under its own settings and leaves the next ones as they were, in a transaction or not', async () => {
    store = await openTestStore(kind);
    const setting = `SELECT current_setting('enable_seqscan') AS v`;
    const value = async (sql: Store['sql'], off: boolean) =>
      (await (off ? sql.queryWith({ enable_seqscan: 'off' }, setting) : sql.query<{ v: string }>(setting))).rows[0];
    expect(await value(store.sql, true)).toEqual({ v: 'off' });
    expect(await value(store.sql, false)).toEqual({ v: 'on' });
    const inside = await store.transaction(async (tx) => [await value(tx, true), await value(tx, false)]);
    expect(inside).toEqual([{ v: 'off' }, { v: 'on' }]);
    // Parameters and errors behave as in any statement; a failed one leaves nothing set.
    expect((await store.sql.queryWith({ enable_seqscan: 'off' }, 'SELECT $1::int + 1 AS n', [41])).rows).toEqual([
      { n: 42 },
    ]);
    await expect(store.sql.queryWith({ enable_seqscan: 'off' }, 'SELECT * FROM no_such_table')).rejects.toMatchObject({
      code: '42P01',
    });
    expect(await value(store.sql, false)).toEqual({ v: 'on' });
  });
});

describe('embedded store on its own thread', () => {
  it('keeps the event loop free while a long query runs: a loopback HTTP exchange finishes first', async () => {
    const store = await openTestStore('pglite');
    const server = http.createServer((_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const order: string[] = [];
      const slow = store.sql.query('SELECT pg_sleep(1.5)').then(() => order.push('query'));
      const { port } = server.address() as { port: number };
      const answer = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
      order.push('http');
      await slow;
      expect(answer).toBe('ok');
      expect(order).toEqual(['http', 'query']);
      // A transaction has the database to itself: a query from outside waits until it ends.
      const seen: string[] = [];
      const tx = store.transaction(async (t) => {
        await t.query(`INSERT INTO source (name, format) VALUES ('inside', 'ical')`);
        await new Promise((r) => setTimeout(r, 50));
        seen.push('transaction done');
      });
      const outside = store.sql
        .query<{ n: number }>('SELECT count(*)::int AS n FROM source')
        .then((r) => seen.push(`outside saw ${r.rows[0]!.n}`));
      await Promise.all([tx, outside]);
      expect(seen).toEqual(['transaction done', 'outside saw 1']);
    } finally {
      await new Promise((r) => server.close(r));
      await store.close();
    }
  });

  it('runs an urgent statement before those still waiting, never inside a transaction or before one under way', async () => {
    const store = await openTestStore('pglite');
    try {
      const order: string[] = [];
      const running = store.sql.query('SELECT pg_sleep(0.3)').then(() => order.push('running'));
      await new Promise((r) => setTimeout(r, 100));
      const waiting = [1, 2, 3].map((n) => store.sql.query(`SELECT ${n}`).then(() => order.push(`waiting ${n}`)));
      const urgent = store.sql.query('SELECT 1', [], { urgent: true }).then(() => order.push('urgent'));
      await Promise.all([running, ...waiting, urgent]);
      expect(order).toEqual(['running', 'urgent', 'waiting 1', 'waiting 2', 'waiting 3']);

      // An open transaction still has the database to itself: an urgent statement waits for it to end.
      const seen: string[] = [];
      const tx = store.transaction(async (t) => {
        await t.query(`INSERT INTO source (name, format) VALUES ('inside', 'ical')`);
        await new Promise((r) => setTimeout(r, 50));
        await t.query(`INSERT INTO source (name, format) VALUES ('inside too', 'ical')`);
        seen.push('transaction done');
      });
      const outside = store.sql
        .query<{ n: number }>('SELECT count(*)::int AS n FROM source', [], { urgent: true })
        .then((r) => seen.push(`outside saw ${r.rows[0]!.n}`));
      await Promise.all([tx, outside]);
      expect(seen).toEqual(['transaction done', 'outside saw 2']);
    } finally {
      await store.close();
    }
  });

  it('snapshots and restores a store through the thread (tests clone stores this way)', async () => {
    const store = await openTestStore('pglite');
    await store.sql.query(`INSERT INTO source (name, format) VALUES ('in the snapshot', 'ical')`);
    const snapshot = await store.dump!();
    await store.close();
    const copy = await openStore({ kind: 'pglite', dir: null }, { loadDataDir: snapshot, migrate: false });
    try {
      expect((await copy.sql.query<{ name: string }>('SELECT name FROM source')).rows).toEqual([
        { name: 'in the snapshot' },
      ]);
    } finally {
      await copy.close();
    }
    await expect(copy.sql.query('SELECT 1')).rejects.toMatchObject({ code: 'STORE.UNAVAILABLE' });
  });
});

describe('embedded folder', () => {
  it('persists across reopen and refuses a second process with a clear message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-store-'));
    try {
      const first = await openStore({ kind: 'pglite', dir });
      await first.sql.query(`INSERT INTO source (name, format) VALUES ('kept', 'ical')`);
      const child = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `
          const { openStore } = await import(${JSON.stringify(path.resolve('src/db/open-store.ts'))});
          try { await openStore({ kind: 'pglite', dir: ${JSON.stringify(dir)} }); process.exit(0); }
          catch (e) { process.stdout.write(String(e.code) + ' ' + e.message); process.exit(3); }`,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(child.status).toBe(3);
      expect(child.stdout).toContain('STORE.IN_USE');
      expect(child.stdout).toContain('in use by another Signpost process');
      await first.close();
      const again = await openStore({ kind: 'pglite', dir });
      const rows = await again.sql.query<{ name: string }>('SELECT name FROM source');
      expect(rows.rows.map((r) => r.name)).toEqual(['kept']);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports an unreachable PostgreSQL server as a StoreError', async () => {
    await expect(openStore({ kind: 'postgres', url: 'postgresql://nobody@127.0.0.1:1/none' })).rejects.toBeInstanceOf(
      StoreError,
    );
  });
});

describe.runIf(process.platform === 'linux')('the embedded store thread', () => {
  const threads = () => fs.readdirSync('/proc/self/task').map(Number);
  /**
   * The niceness of each thread of this process started since `before` (the store's thread is among them; stores
   * other tests left open, lent stores among them, have threads of their own).
   */
  const threadNiceness = (before: Set<number>) =>
    threads()
      .filter((tid) => tid !== process.pid && !before.has(tid))
      .map((tid) => os.getPriority(tid));

  it('runs below the event loop by default, and at the normal priority when a one-shot command asks', async () => {
    const base = os.getPriority(process.pid);
    const before = new Set(threads());
    const server = await openStore({ kind: 'pglite', dir: null });
    try {
      expect(threadNiceness(before)).toContain(Math.max(base, 10));
    } finally {
      await server.close();
    }
    const command = await openStore({ kind: 'pglite', dir: null }, { storeThreadNiceness: 0 });
    try {
      await command.sql.query('SELECT 1');
      // (The first store's thread may take a moment to end after it closed.)
      await expect.poll(() => threadNiceness(before).every((n) => n === base)).toBe(true);
    } finally {
      await command.close();
    }
  });
});
