import { parseDatabaseUrl, type StoreLocation } from '../db/database-url.ts';
import { forwardToServer } from './beside-server.ts';
import { runCli } from './run-cli.ts';

const argv = process.argv.slice(2);
let location: StoreLocation | undefined;
try {
  location = parseDatabaseUrl(process.env.DATABASE_URL);
} catch {
  location = undefined; // runCli reports it
}

// While a server holds the embedded folder, the command runs in that server, against the same catalogue.
let code: number | null = null;
if (location?.kind === 'pglite' && location.dir && argv[0] && !['help', '--help', '-h'].includes(argv[0])) {
  code = await forwardToServer(location.dir, argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
  }).catch((error: Error) => {
    process.stderr.write(`Could not run the command in the server that holds ${location.dir}: ${error.message}\n`);
    return 1;
  });
  if (code !== null) process.stdin.destroy();
}
process.exitCode =
  code ??
  (await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  }));
