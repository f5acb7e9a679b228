import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run-cli.ts';
import { openStore, type Store } from '../../src/db/open-store.ts';
import type { StoreKind } from '../../src/db/sql.ts';
import { silentLogger } from '../../src/logger.ts';
import { createPostgresDatabase, openMigratedPgliteFolder } from './test-db.ts';

/** Stores held open by `heldCliDatabase`, by their DATABASE_URL: `cli` runs commands on them instead of reopening. */
const held = new Map<string, Store>();

export type CliResult = { code: number; stdout: string; stderr: string; json: () => unknown };

/**
 * Runs the CLI in-process, as `signpost <args>` would, against the given DATABASE_URL: the command opens (and closes)
 * the store itself, unless the URL is a `heldCliDatabase`'s, whose open store it is given (as a server gives its own to
 * a command from the CLI beside it).
 */
export async function cli(databaseUrl: string, ...args: string[]): Promise<CliResult> {
  return cliWithEnv(databaseUrl, {}, ...args);
}

/** The same, with settings (e.g. `TRAINING_VALIDITY`) in the environment. */
export async function cliWithEnv(
  databaseUrl: string,
  env: Record<string, string>,
  ...args: string[]
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t) => void (stdout += t) },
    stderr: { write: (t) => void (stderr += t) },
    stdin: new PassThrough(),
    env: { ...env, DATABASE_URL: databaseUrl },
    logger: silentLogger,
    ...(held.has(databaseUrl) ? { store: held.get(databaseUrl)! } : {}),
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as unknown };
}

export type CliDatabase = {
  /** The DATABASE_URL to run the CLI against. */
  url: string;
  /** A new temporary folder (the embedded store lives in it; tests write their files there). */
  dir: string;
  /** Drops the database and deletes the folder. */
  cleanup(): Promise<void>;
};

/** An empty database of `kind` for CLI runs: a new PostgreSQL database, or an embedded store in a new folder. */
export async function freshCliDatabase(kind: StoreKind, prefix: string): Promise<CliDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const removeDir = async () => fs.rmSync(dir, { recursive: true, force: true });
  if (kind === 'postgres') {
    const db = await createPostgresDatabase();
    return {
      url: db.url,
      dir,
      async cleanup() {
        await db.drop();
        await removeDir();
      },
    };
  }
  return { url: `pglite:${path.join(dir, 'db')}`, dir, cleanup: removeDir };
}

/**
 * A migrated database of `kind` held open until `cleanup()`: every `cli(url, …)` on it runs on the open store, as a
 * command sent to a running server does. For tests of what commands do, not of the CLI opening or creating a store
 * (a new embedded folder costs a cluster and every migration, and each reopening a second or more on a busy machine).
 * The embedded folder is filled from the run's migrated snapshot and locked while held, like a server's.
 */
export async function heldCliDatabase(kind: StoreKind, prefix: string): Promise<CliDatabase> {
  const db = await freshCliDatabase(kind, prefix);
  const store =
    kind === 'postgres'
      ? await openStore({ kind: 'postgres', url: db.url })
      : await openMigratedPgliteFolder(path.join(db.dir, 'db'));
  held.set(db.url, store);
  return {
    ...db,
    async cleanup() {
      held.delete(db.url);
      await store.close();
      await db.cleanup();
    },
  };
}
