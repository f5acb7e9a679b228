import http from 'node:http';
import type { Logger } from './logger.ts';

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** Routes by exact path prefix; the Slack and Teams adapters mount their handlers here. */
export type HttpRoutes = Map<string, RouteHandler>;

/** Responses being written, per server, so that a stop can let them finish and then close their connections. */
const inFlight = new WeakMap<http.Server, Set<http.ServerResponse>>();
const closing = new WeakSet<http.Server>();

/**
 * How long an idle keep-alive connection is kept open: longer than the idle timeouts of the proxies and load balancers
 * that sit in front (60 s is common), so this server never closes a connection just as one of them sends the next
 * request on it (the request is lost: a 502 from the proxy, ECONNRESET at a client). Node's own default is 5 s.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createHttpServer(routes: HttpRoutes, logger: Logger): http.Server {
  const log = logger.child('http');
  const responses = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    responses.add(res);
    res.once('close', () => responses.delete(res));
    if (closing.has(server)) res.setHeader('connection', 'close');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handler =
      routes.get(path) ?? [...routes].find(([prefix]) => prefix.endsWith('/') && path.startsWith(prefix))?.[1];
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
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node checks the two apart; the time allowed for a request's headers must not end before the connection's.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  inFlight.set(server, responses);
  return server;
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

/**
 * Stops accepting connections and resolves once the requests under way have been answered: each is sent with
 * `Connection: close` (or its connection is ended once it is written), idle keep-alive connections are closed at once,
 * and whatever is still open after `graceMs` is cut.
 */
export function closeServer(server: http.Server, graceMs: number): Promise<void> {
  closing.add(server);
  for (const res of inFlight.get(server) ?? []) {
    if (!res.headersSent) res.setHeader('connection', 'close');
    else {
      const socket = res.socket;
      res.once('finish', () => socket?.end());
    }
  }
  return new Promise((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections();
  });
}
