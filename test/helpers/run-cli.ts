import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run-cli.ts';
import { silentLogger } from '../../src/logger.ts';

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
