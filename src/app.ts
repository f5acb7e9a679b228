import type { Clock } from './clock.ts';
import type { Config } from './config.ts';
import type { Store } from './db/open-store.ts';
import type { HttpRoutes } from './http-server.ts';
import type { Logger } from './logger.ts';

export type AppDeps = { config: Config; store: Store; clock: Clock; logger: Logger };

export type App = {
  routes: HttpRoutes;
  /** Lines for the start-up banner: which platforms are on, and how to reach them. */
  banner: string[];
  /** Background work (schedulers) started after the server listens. */
  start(): Promise<void>;
  stop(): Promise<void>;
};

/**
 * Builds the whole application from its settings: the catalogue, the conversation core, and whichever platform
 * adapters are configured. Objects are built here and in main.ts only.
 */
export async function createApp(deps: AppDeps): Promise<App> {
  const { store, clock } = deps;
  const routes: HttpRoutes = new Map();
  const banner: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  const starts: (() => Promise<void>)[] = [];

  const startedAt = clock.now();
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

  // Platform adapters and feeds register here (each in its own block).
  if (banner.length === 0) {
    banner.push(
      'Slack and Teams are not configured. In another terminal you can list the catalogue with:',
      '  npm run -s cli -- entries',
      '(The embedded store is used by this server; stop it first, or set DATABASE_URL to PostgreSQL to share it.)',
    );
  }

  return {
    routes,
    banner,
    async start() {
      for (const start of starts) await start();
    },
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    },
  };
}
