import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, KEEP_ALIVE_TIMEOUT_MS, listen } from '../../../src/http-server.ts';
import { silentLogger } from '../../../src/logger.ts';

describe('kept-alive connections to the server', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = createHttpServer(new Map([['/ping', (_req, res) => void res.writeHead(200).end('pong')]]), silentLogger);
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('stay open longer than the proxies in front keep theirs, and say so to clients that reuse them', async () => {
    // A proxy (or a client) that keeps an idle connection longer than the server does sends its next request just as
    // the server closes it: the request is lost (ECONNRESET, a 502). Node's own default is 5 s; proxies keep 60 s.
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
    expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1, timeout: 30_000 });
    const get = () =>
      new Promise<{ body: string; keepAlive: string | undefined; reused: boolean }>((resolve, reject) => {
        const req = http.get(`${base}/ping`, { agent }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () =>
            resolve({ body, keepAlive: String(res.headers['keep-alive']), reused: req.reusedSocket }),
          );
        });
        req.on('error', reject);
      });
    try {
      const first = await get();
      expect(first).toMatchObject({ body: 'pong', keepAlive: `timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}` });
      // The second request goes over the same connection.
      expect(await get()).toMatchObject({ body: 'pong', reused: true });
    } finally {
      agent.destroy();
    }
  });
});
