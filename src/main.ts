import { createApp } from './app.ts';
import { offerTerminalChat } from './bots/terminal/offer-chat.ts';
import { ensureDemoCatalogue } from './catalogue/demo/seed-demo.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openStore } from './db/open-store.ts';
import { StoreError } from './db/sql.ts';
import { createHttpServer, listen } from './http-server.ts';
import { createLogger } from './logger.ts';

// Composition root: config → store → app → server. No logic of its own.
const logger = createLogger();
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
  logger.info('Signpost is listening', { port });
  process.stderr.write(
    [
      '',
      `Signpost is running on http://localhost:${port} (health: /healthz), catalogue: ${store.description}.`,
      ...app.banner,
      '',
    ].join('\n') + '\n',
  );

  const shutdown = async (signal: string) => {
    logger.info('shutting down', { signal });
    server.close();
    await app.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  if (app.offerTerminalChat) {
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
