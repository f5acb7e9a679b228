import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { allApplied, readMigrations } from '../../../src/db/migrate.ts';
import { openStore } from '../../../src/db/open-store.ts';
import {
  discardSnapshot,
  extractSnapshot,
  readSnapshot,
  snapshotKey,
  writeSnapshot,
} from '../../../src/db/pglite-snapshot.ts';

const temporaries: string[] = [];
const temporary = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `signpost-${name}-`));
  temporaries.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temporaries.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const migrations = readMigrations();
const key = snapshotKey(migrations);

/** A migrated snapshot with a marker row (so a store can tell it came from it), changed by `alter` first. */
async function markedSnapshot(alter = ''): Promise<Uint8Array> {
  const runSnapshot = new Blob([fs.readFileSync(inject('pgliteDumpFile'))]);
  const store = await openStore({ kind: 'pglite', dir: null }, { loadDataDir: runSnapshot, migrate: false });
  await store.sql.query(`INSERT INTO source (name, format) VALUES ('from the snapshot', 'ical')`);
  if (alter) await store.sql.exec(alter);
  const dump = await store.dump!();
  await store.close();
  return new Uint8Array(await dump.arrayBuffer());
}

const sources = async (dir: string, cache: string) => {
  const store = await openStore({ kind: 'pglite', dir }, { snapshotCache: cache });
  try {
    return {
      migrated: await allApplied(store, migrations),
      names: (await store.sql.query<{ name: string }>('SELECT name FROM source ORDER BY name')).rows.map((r) => r.name),
    };
  } finally {
    await store.close();
  }
};

/** Whether the cache's snapshot for the current migrations opens as a migrated store. */
async function cacheHoldsMigratedStore(cache: string): Promise<boolean> {
  const bytes = readSnapshot(key, cache);
  if (!bytes) return false;
  const store = await openStore({ kind: 'pglite', dir: null }, { loadDataDir: new Blob([bytes]), migrate: false });
  try {
    return await allApplied(store, migrations);
  } finally {
    await store.close();
  }
}

describe('the migrated snapshot cache', () => {
  it('is named by every migration and its checksum', () => {
    const changed = migrations.map((m, i) => (i === migrations.length - 1 ? { ...m, checksum: `${m.checksum}0` } : m));
    expect(snapshotKey(changed)).not.toBe(key);
    expect(snapshotKey(migrations.slice(0, -1))).not.toBe(key);
    expect(snapshotKey([...migrations])).toBe(key);
  });

  it('reads a snapshot only when its bytes match their checksum, and deletes a damaged one', () => {
    const cache = temporary('cache');
    const bytes = new Uint8Array(4096).fill(7);
    expect(writeSnapshot(key, bytes, cache)).toBe(true);
    expect(new Uint8Array(readSnapshot(key, cache)!)).toEqual(bytes);
    const file = fs.readdirSync(cache).find((f) => f.endsWith('.tar'))!;
    const damaged = fs.readFileSync(path.join(cache, file));
    damaged[100] = 8;
    fs.writeFileSync(path.join(cache, file), damaged);
    expect(readSnapshot(key, cache)).toBeNull();
    expect(fs.readdirSync(cache)).toEqual([]);
    discardSnapshot(key, cache);
  });

  it('keeps only the snapshot of the current migrations', () => {
    const cache = temporary('cache');
    const older = snapshotKey(migrations.slice(0, -1));
    writeSnapshot(older, new Uint8Array(10), cache);
    writeSnapshot(key, new Uint8Array(10), cache);
    expect(fs.readdirSync(cache).sort()).toEqual([`pglite-migrated-${key}.sha256`, `pglite-migrated-${key}.tar`]);
  });

  it('refuses an archive whose paths leave the folder', () => {
    const header = new Uint8Array(1024);
    header.set(Buffer.from('../outside'), 0);
    header.set(Buffer.from('00000000000'), 124);
    header[156] = '0'.charCodeAt(0);
    const dir = temporary('folder');
    expect(() => extractSnapshot(header, path.join(dir, 'store'))).toThrow(/leaves/);
    expect(fs.existsSync(path.join(dir, 'outside'))).toBe(false);
  });

  it('starts new folders from the snapshot, each its own store', async () => {
    const cache = temporary('cache');
    writeSnapshot(key, await markedSnapshot(), cache);
    const first = path.join(temporary('folder'), 'a');
    const second = path.join(temporary('folder'), 'b');
    expect(await sources(first, cache)).toEqual({ migrated: true, names: ['from the snapshot'] });
    const store = await openStore({ kind: 'pglite', dir: first }, { snapshotCache: cache });
    await store.sql.query(`INSERT INTO source (name, format) VALUES ('only in a', 'ical')`);
    await store.close();
    expect(await sources(second, cache)).toEqual({ migrated: true, names: ['from the snapshot'] });
    expect(await sources(first, cache)).toEqual({ migrated: true, names: ['from the snapshot', 'only in a'] });
  });

  it('does not trust a snapshot that lacks a migration: a new cluster is migrated and its snapshot kept', async () => {
    const cache = temporary('cache');
    const last = migrations[migrations.length - 1]!.name;
    writeSnapshot(key, await markedSnapshot(`DELETE FROM "_signpost_migrations" WHERE name = '${last}'`), cache);
    const dir = temporary('folder');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'kept');
    // No marker row: the store is a new cluster, not the snapshot with a migration run over it.
    expect(await sources(dir, cache)).toEqual({ migrated: true, names: [] });
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('kept');
    expect(await cacheHoldsMigratedStore(cache)).toBe(true);
  });

  it('rebuilds a snapshot that is not a database at all', async () => {
    const cache = temporary('cache');
    const junk = new Uint8Array(2048);
    junk.set(Buffer.from('PG_VERSION'), 0);
    junk.set(Buffer.from('00000000004'), 124);
    junk[156] = '0'.charCodeAt(0);
    junk.set(Buffer.from('junk'), 512);
    writeSnapshot(key, junk, cache);
    const dir = path.join(temporary('folder'), 'store');
    expect(await sources(dir, cache)).toEqual({ migrated: true, names: [] });
    expect(await cacheHoldsMigratedStore(cache)).toBe(true);
  });
});
