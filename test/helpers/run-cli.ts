import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run-cli.ts';
import type { StoreKind } from '../../src/db/sql.ts';
import { silentLogger } from '../../src/logger.ts';
import { createPostgresDatabase } from './test-db.ts';

export type CliResult = { code: number; stdout: string; stderr: string; json: () => unknown };

/** Runs the CLI in-process, as `signpost <args>` would, against the given DATABASE_URL. */
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
