import { ensureDemoCatalogue } from './catalogue/demo/seed-demo.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openStore } from './db/open-store.ts';
import { StoreError } from './db/sql.ts';
import { createHttpServer, type HttpRoutes, listen } from './http-server.ts';
import { createLogger } from './logger.ts';

// Composition root: config → store → routes → server. No logic of its own.
const logger = createLogger();
try {
  const config = loadConfig();
  const store = await openStore(config.store);
  logger.info('catalogue store open', { store: store.description });
  if (config.isDefaultStore) {
    const seeded = await ensureDemoCatalogue(store, systemClock.now());
    if (seeded) logger.info('first run: demo catalogue loaded', { entries: seeded.created });
  }

  const startedAt = systemClock.now();
  const routes: HttpRoutes = new Map();
  routes.set('/healthz', async (_req, res) => {
    let database = 'ok';
    try {
      await store.sql.query('SELECT 1');
    } catch {
      database = 'unavailable';
    }
    res
      .writeHead(database === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify({ status: database === 'ok' ? 'ok' : 'degraded', database, store: store.kind, startedAt }));
  });

  const server = createHttpServer(routes, logger);
  const port = await listen(server, config.port);
  logger.info('Signpost is listening', { port, healthz: `http://localhost:${port}/healthz` });
  process.stderr.write(
    `\nSignpost is running on http://localhost:${port} (health: /healthz), catalogue: ${store.description}.\n` +
      'Slack and Teams are not configured. In another terminal you can list the catalogue with:\n' +
      '  npm run -s cli -- entries\n' +
      '(The embedded store is used by this server; stop it first, or set DATABASE_URL to PostgreSQL to share it.)\n\n',
  );

  const shutdown = async (signal: string) => {
    logger.info('shutting down', { signal });
    server.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof ConfigError || error instanceof StoreError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
