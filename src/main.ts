import path from 'node:path';
import { createApp } from './app.ts';
import { offerTerminalChat } from './bots/terminal/offer-chat.ts';
import { openCliEndpoint } from './cli/beside-server.ts';
import { ensureDemoCatalogue } from './catalogue/demo/seed-demo.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openStore } from './db/open-store.ts';
import { StoreError } from './db/sql.ts';
import { closeServer, createHttpServer, listen } from './http-server.ts';
import { createLogger, createLogSink } from './logger.ts';

// Composition root: config → store → app → server. No logic of its own.
const logSink = createLogSink();
const logger = createLogger({ destination: logSink });
/** A stop that takes longer than this is cut short (exit code 1); service managers wait about 10 s. */
const STOP_WITHIN_MS = 8_000;
// Until the server is up a signal just ends the process (work half done is rolled back; the lock goes on exit).
let shutdown = async (signal: string): Promise<void> => {
  logger.info('stopped while starting', { signal });
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
try {
  const config = loadConfig();
  const store = await openStore(config.store);
  logger.info('catalogue store open', { store: store.description });
  if (config.isDefaultStore) {
    const seeded = await ensureDemoCatalogue(store, systemClock.now());
    if (seeded) logger.info('first run: demo catalogue loaded', { entries: seeded.created });
  }
  const app = await createApp({ config, store, clock: systemClock, logger });
  const server = createHttpServer(app.routes, logger);
  const port = await listen(server, config.port);
  await app.start();
  // The embedded folder is this process's: the CLI sends its commands here (a loopback port named in the folder).
  const cliEndpoint =
    config.store.kind === 'pglite' && config.store.dir
      ? await openCliEndpoint({ store, dir: config.store.dir, logger })
      : null;
  logger.info('Signpost is listening', { port });
  // The terminal chat takes over the terminal: log lines go to a file in the store's folder, or only warnings stay.
  const chatHere = app.offerTerminalChat && process.stdin.isTTY === true;
  const logFile =
    chatHere && config.store.kind === 'pglite' && config.store.dir ? path.join(config.store.dir, 'signpost.log') : null;
  process.stderr.write(
    [
      '',
      `Signpost is running on http://localhost:${port} (health: /healthz), catalogue: ${store.description}.`,
      ...app.banner,
      ...(cliEndpoint ? ['The CLI (`npm run -s cli -- <command>`) works beside it, on this catalogue.'] : []),
      ...(chatHere ? [logFile ? `Log: ${logFile}` : 'Log: warnings only, while the chat runs here.'] : []),
      'Stop it with Ctrl-C (or SIGTERM).',
      '',
    ].join('\n') + '\n',
  );
  if (logFile) logSink.toFile(logFile);
  else if (chatHere) logSink.warningsOnly();

  // Stop: no new connections, the requests and the delivery under way finish, then the store closes (its lock goes).
  let stopping = false;
  shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const closed = closeServer(server, STOP_WITHIN_MS / 2); // no new connections from here on
    logger.info('shutting down', { signal });
    setTimeout(() => {
      logger.error('could not stop in time; exiting anyway', { signal, withinMs: STOP_WITHIN_MS });
      process.exit(1);
    }, STOP_WITHIN_MS).unref();
    try {
      await Promise.all([closed, cliEndpoint?.close(), app.stop()]);
      await store.close();
      logger.info('stopped', { signal });
      process.exit(0);
    } catch (error) {
      logger.error('stopping failed', { signal, error });
      process.exit(1);
    }
  };
  if (chatHere) {
    offerTerminalChat({
      conversation: app.conversation,
      stdin: process.stdin,
      stdout: process.stdout,
      stderr: process.stderr,
      onInterrupt: () => void shutdown('SIGINT'),
    });
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof StoreError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
