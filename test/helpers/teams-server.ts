import type http from 'node:http';
import nock from 'nock';
import { createApp } from '../../src/app.ts';
import { seedDemo } from '../../src/catalogue/demo/seed-demo.ts';
import { fixedClock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config.ts';
import { createHttpServer, listen } from '../../src/http-server.ts';
import { silentLogger } from '../../src/logger.ts';
import { type BotConnector, startBotConnector } from './bot-connector.ts';
import { openTestStore, type TestStore } from './test-db.ts';

export type TeamsTestServer = {
  connector: BotConnector;
  store: TestStore;
  server: http.Server;
  /** The Teams endpoint, /api/messages. */
  url: string;
  close(): Promise<void>;
};

/**
 * The whole server (createApp) over the demo catalogue at `now`, on loopback, with Teams in emulator mode and a
 * local Bot Connector to answer to; nothing else may leave the machine until `close`.
 */
export async function startTeamsServer(now: Date, env: Record<string, string> = {}): Promise<TeamsTestServer> {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const connector = await startBotConnector();
  const store = await openTestStore('pglite');
  await seedDemo(store, now);
  const config = { ...loadConfig({ DATABASE_URL: 'pglite:memory', TEAMS_EMULATOR: 'true', ...env }), teams: null };
  const app = await createApp({ config, store, clock: fixedClock(now), logger: silentLogger });
  const server = createHttpServer(app.routes, silentLogger);
  const url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}/api/messages`;
  return {
    connector,
    store,
    server,
    url,
    async close() {
      server.close();
      await connector.close();
      await store.close();
      nock.enableNetConnect();
    },
  };
}
