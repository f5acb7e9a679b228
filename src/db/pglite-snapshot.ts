import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Migration } from './migrate.ts';

/**
 * A new embedded store starts from a migrated snapshot instead of a new cluster: PGlite's initdb and every migration
 * cost seconds of CPU, loading a snapshot a fraction of that. The first new store a checkout creates builds the
 * snapshot (`dumpDataDir` right after migrating) and keeps it in `node_modules/.cache/signpost/`, named by a key
 * over PGlite's version and every migration's name and checksum, so a changed or added migration, or another PGlite,
 * never loads an old one. Each snapshot is written with the SHA-256 of its bytes and read only when they match; the
 * store opened from it is checked like any other (every migration recorded with its checksum, see migrate.ts), and a
 * snapshot that fails either check is deleted and rebuilt.
 */

/** Bump when what a snapshot holds changes for a reason the key does not see. */
const FORMAT = 2;
const PREFIX = 'pglite-migrated-';

const requireHere = createRequire(import.meta.url);

function pgliteVersion(): string {
  const main = requireHere.resolve('@electric-sql/pglite');
  // …/node_modules/@electric-sql/pglite/dist/index.cjs → the package's own package.json.
  const manifest = path.join(path.dirname(main), '..', 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The folder snapshots are kept in: the cache folder of the node_modules PGlite is installed in. */
export function snapshotCacheDir(): string {
  const main = requireHere.resolve('@electric-sql/pglite');
  const nodeModules = main.slice(0, main.lastIndexOf(`${path.sep}node_modules${path.sep}`) + '/node_modules'.length);
  return path.join(nodeModules, '.cache', 'signpost');
}

export function snapshotKey(migrations: readonly Migration[]): string {
  const hash = createHash('sha256').update(`format ${FORMAT}\npglite ${pgliteVersion()}\n`);
  for (const m of migrations) hash.update(`${m.name} ${m.checksum}\n`);
  return hash.digest('hex').slice(0, 32);
}

const files = (dir: string, key: string) => ({
  tar: path.join(dir, `${PREFIX}${key}.tar`),
  sum: path.join(dir, `${PREFIX}${key}.sha256`),
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The snapshot for `key`, or null when there is none or it is damaged (then it is deleted). */
export function readSnapshot(key: string, dir: string): ArrayBuffer | null {
  const { tar, sum } = files(dir, key);
  let bytes: Buffer;
  let expected: string;
  try {
    expected = fs.readFileSync(sum, 'utf8').trim();
    bytes = fs.readFileSync(tar);
  } catch {
    return null;
  }
  if (sha256(bytes) !== expected) {
    discardSnapshot(key, dir);
    return null;
  }
  // A Buffer this size has its own ArrayBuffer; copy only if it shares one.
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}

/**
 * Keeps `bytes` as the snapshot for `key` and drops snapshots of other keys (older migrations). Written under
 * temporary names and renamed, checksum last, so a reader never takes a half-written file; best effort: a cache that
 * cannot be written only means the next new store builds its own.
 */
export function writeSnapshot(key: string, bytes: Uint8Array, dir: string): boolean {
  const { tar, sum } = files(dir, key);
  const temporary = `.${process.pid}.${Date.now()}`;
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tar + temporary, bytes);
    fs.writeFileSync(sum + temporary, `${sha256(bytes)}\n`);
    fs.renameSync(tar + temporary, tar);
    fs.renameSync(sum + temporary, sum);
  } catch {
    fs.rmSync(tar + temporary, { force: true });
    fs.rmSync(sum + temporary, { force: true });
    return false;
  }
  // Older keys go; so do temporary files a writer killed midway left an hour or more ago.
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    const kept = /^pglite-migrated-[0-9a-f]+\.(tar|sha256)$/.test(name);
    if (kept ? !name.startsWith(`${PREFIX}${key}.`) : name.startsWith(PREFIX) && isOld(file)) {
      fs.rmSync(file, { force: true });
    }
  }
  return true;
}

const isOld = (file: string) =>
  Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 3_600_000;

/**
 * Writes a snapshot's files into the folder `dir` with plain file writes: many times cheaper than PGlite loading the
 * tar through its emulated file system, which dominates a new folder's start otherwise. Takes the tar PGlite's
 * `dumpDataDir` writes (ustar: regular files and folders, paths from the data folder's root); anything else, or a path
 * leaving the folder, is refused.
 */
export function extractSnapshot(tar: Uint8Array, dir: string): void {
  const text = (from: number, length: number) => {
    const field = tar.subarray(from, from + length);
    const end = field.indexOf(0);
    return Buffer.from(end < 0 ? field : field.subarray(0, end)).toString('utf8');
  };
  const octal = (from: number, length: number) => Number.parseInt(text(from, length).trim() || '0', 8);
  const root = path.resolve(dir);
  const made = new Set<string>();
  const folder = (at: string) => {
    if (made.has(at)) return;
    fs.mkdirSync(at, { recursive: true });
    made.add(at);
  };
  folder(root);
  for (let at = 0; at + 512 <= tar.length; ) {
    if (tar[at] === 0) break; // the two empty blocks that end the archive
    const prefix = text(at + 345, 155);
    const name = (prefix ? `${prefix}/` : '') + text(at, 100);
    const size = octal(at + 124, 12);
    const type = String.fromCharCode(tar[at + 156] ?? 0);
    const target = path.resolve(root, `.${path.posix.sep}${name.replace(/^\/+/, '')}`);
    if (target !== root && !target.startsWith(`${root}${path.sep}`))
      throw new Error(`snapshot path ${name} leaves ${dir}`);
    const body = at + 512;
    if (body + size > tar.length) throw new Error('snapshot is truncated');
    // The folder's own files (its lock, the CLI endpoint, the log) belong to the process that made the snapshot.
    if (/^\/*signpost\.[^/]*$/.test(name)) {
      at = body + Math.ceil(size / 512) * 512;
      continue;
    }
    if (type === '5') folder(target);
    else if (type === '0' || type === '\0') {
      folder(path.dirname(target));
      fs.writeFileSync(target, tar.subarray(body, body + size));
    } else throw new Error(`snapshot entry ${name} is neither a file nor a folder`);
    at = body + Math.ceil(size / 512) * 512;
  }
}

export function discardSnapshot(key: string, dir: string): void {
  const { tar, sum } = files(dir, key);
  fs.rmSync(sum, { force: true });
  fs.rmSync(tar, { force: true });
}
