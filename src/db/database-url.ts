import path from 'node:path';
import { StoreError } from './sql.ts';

export type StoreLocation =
  | { kind: 'pglite'; dir: string | null /* null = in memory */ }
  | { kind: 'postgres'; url: string };

export const DEFAULT_DATA_DIR = './data';

/**
 * `DATABASE_URL`: unset → embedded PGlite in ./data; `pglite:<folder>`; `pglite:memory`;
 * `postgres://…` or `postgresql://…` → a PostgreSQL server.
 */
export function parseDatabaseUrl(value: string | undefined, cwd = process.cwd()): StoreLocation {
  const raw = value?.trim();
  if (!raw) return { kind: 'pglite', dir: path.resolve(cwd, DEFAULT_DATA_DIR) };
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new StoreError('STORE.BAD_URL', 'DATABASE_URL looks like a PostgreSQL URL but cannot be parsed.');
    }
    return { kind: 'postgres', url: raw };
  }
  if (raw.toLowerCase().startsWith('pglite:')) {
    const rest = raw.slice('pglite:'.length).replace(/^\/\/(?=[./~]|$)/, '');
    if (rest === 'memory' || rest === ':memory:' || rest === 'memory://') return { kind: 'pglite', dir: null };
    if (!rest) throw new StoreError('STORE.BAD_URL', 'DATABASE_URL=pglite: needs a folder, e.g. pglite:./data');
    return { kind: 'pglite', dir: path.resolve(cwd, rest) };
  }
  throw new StoreError(
    'STORE.BAD_URL',
    'DATABASE_URL must be unset (embedded store in ./data), pglite:<folder>, pglite:memory, or a postgres:// URL.',
  );
}

/** A description safe to print: no password. */
export function describeLocation(location: StoreLocation): string {
  if (location.kind === 'pglite')
    return location.dir ? `embedded PGlite at ${location.dir}` : 'embedded PGlite in memory';
  const url = new URL(location.url);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}
