import http from 'node:http';
import type { Logger } from './logger.ts';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** Routes by exact path prefix; the Slack and Teams adapters mount their handlers here. */
export type HttpRoutes = Map<string, RouteHandler>;

export function createHttpServer(routes: HttpRoutes, logger: Logger): http.Server {
  const log = logger.child('http');
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler = routes.get(path) ?? [...routes].find(([prefix]) => prefix.endsWith('/') && path.startsWith(prefix))?.[1];
    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
      return;
    }
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      log.error('request failed', { path, error });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error' }));
    });
  });
}

export function listen(server: http.Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
