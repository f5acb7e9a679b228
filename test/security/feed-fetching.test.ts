import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeedAllowList, refusedAddress } from '../../src/catalogue/ingest/feed-address-policy.ts';
import { fetchFeed } from '../../src/catalogue/ingest/fetch-feed.ts';
import { importSource } from '../../src/catalogue/ingest/import-source.ts';
import { FeedRefusedError } from '../../src/catalogue/ingest/parse-ical.ts';
import { silentLogger } from '../../src/logger.ts';
import { cli, heldCliDatabase } from '../helpers/run-cli.ts';
import { openTestStore, type TestStore } from '../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'UID:secret-1',
  'SUMMARY:Internal only',
  'DTSTART:20261208T100000Z',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

/** A local server standing in for a partner (or for something on the server's own network). */
async function serve(handler: http.RequestListener): Promise<{ port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function refusal(promise: Promise<unknown>): Promise<FeedRefusedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FeedRefusedError) return error;
    throw error;
  }
  throw new Error('expected the fetch to be refused');
}

describe('attack: a partner’s URL makes the server fetch its own network', () => {
  let internal: Awaited<ReturnType<typeof serve>>;
  let redirector: Awaited<ReturnType<typeof serve>>;
  let store: TestStore;
  beforeAll(async () => {
    internal = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/calendar' }).end(ICS));
    redirector = await serve((req, res) => {
      const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '/';
      res.writeHead(302, { location: to }).end();
    });
    store = await openTestStore('pglite');
  });
  afterAll(async () => {
    await internal.close();
    await redirector.close();
    await store.close();
  });

  it('refuses a loopback address written in the URL, before connecting', async () => {
    const before = internal.hits.length;
    const error = await refusal(fetchFeed(`http://127.0.0.1:${internal.port}/feed.ics`));
    expect(error.message).toMatch(/loopback, private, link-local or reserved address \(127\.0\.0\.1\)/);
    expect(internal.hits.length).toBe(before);
  });

  it('refuses a name that resolves to loopback (checked after DNS resolution)', async () => {
    const error = await refusal(fetchFeed(`http://localhost:${internal.port}/feed.ics`));
    expect(error.message).toMatch(/^localhost:\d+ may not be fetched: localhost is a loopback/);
  });

  it('refuses cloud metadata, private, link-local and unique-local addresses, and IPv4 inside IPv6', async () => {
    for (const address of [
      '169.254.169.254',
      '10.0.0.5',
      '172.16.3.4',
      '192.168.1.1',
      '100.64.0.1',
      '0.0.0.0',
      '[::1]',
      '[fe80::1]',
      '[fd00:ec2::254]',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
    ]) {
      const error = await refusal(fetchFeed(`http://${address}/latest/meta-data/`, { timeoutMs: 2_000 }));
      expect(error.message).toMatch(/may not be fetched/);
    }
    for (const [host, address] of [
      ['partner.example', '81.2.69.160'],
      ['partner.example', '2a00:1450:4009:81f::200e'],
    ] as const) {
      expect(refusedAddress(host, address, parseFeedAllowList(''))).toBeUndefined();
    }
  });

  it('refuses schemes other than http(s) and webcal', async () => {
    for (const url of [
      'file:///etc/passwd',
      'ftp://partner.example/feed.ics',
      'gopher://127.0.0.1:11211/',
      'data:text/calendar,BEGIN:VCALENDAR',
    ]) {
      expect((await refusal(fetchFeed(url))).message).toMatch(/Only http\(s\) and webcal feeds can be fetched/);
    }
  });

  it('checks every redirect: an allowed host that redirects to loopback is refused', async () => {
    const allow = parseFeedAllowList('localhost');
    const target = `http://127.0.0.1:${internal.port}/secret.ics`;
    const error = await refusal(
      fetchFeed(`http://localhost:${redirector.port}/?to=${encodeURIComponent(target)}`, { allowPrivateHosts: allow }),
    );
    expect(error.message).toMatch(/127\.0\.0\.1 is a loopback/);
    expect(internal.hits).not.toContain('/secret.ics');
    expect(redirector.hits.length).toBeGreaterThan(0);
  });

  it('refuses a redirect to another scheme', async () => {
    const allow = parseFeedAllowList('localhost');
    const error = await refusal(
      fetchFeed(`http://localhost:${redirector.port}/?to=${encodeURIComponent('file:///etc/passwd')}`, {
        allowPrivateHosts: allow,
      }),
    );
    expect(error.message).toMatch(/Only http\(s\) and webcal/);
  });

  it('FEED_ALLOW_PRIVATE_HOSTS (a host or a CIDR range) allows an intranet feed', async () => {
    for (const allow of ['localhost', '127.0.0.0/8']) {
      const fetched = await fetchFeed(`http://localhost:${internal.port}/feed.ics`, {
        allowPrivateHosts: parseFeedAllowList(allow),
      });
      expect(fetched).not.toBe('not-modified');
    }
    expect(() => parseFeedAllowList('10.0.0.0/33')).toThrow(/not a CIDR range/);
  });

  it('a data package resource URL is checked like the package itself', async () => {
    const pkg = await serve((req, res) => {
      if (req.url === '/datapackage.json') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            name: 'p',
            resources: [{ name: 'services', path: `http://127.0.0.1:${internal.port}/services.csv` }],
          }),
        );
      } else res.writeHead(404).end();
    });
    try {
      const allow = parseFeedAllowList('localhost');
      const error = await refusal(
        importSource(
          store,
          {
            input: `http://localhost:${pkg.port}/datapackage.json`,
            format: 'hsds',
            now: NOW,
            allowPrivateHosts: allow,
          },
          silentLogger,
        ),
      );
      expect(error.message).toMatch(/127\.0\.0\.1 is a loopback/);
      expect(internal.hits).not.toContain('/services.csv');
    } finally {
      await pkg.close();
    }
  });

  it('the import command exits 2 with one line, and nothing is written', async () => {
    // A migrated store held open (not a new one migrated for this one command).
    const db = await heldCliDatabase('pglite', 'signpost-fetch-db-');
    const result = await cli(db.url, 'import', `http://127.0.0.1:${internal.port}/feed.ics`).finally(() =>
      db.cleanup(),
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(
      /^Refused: 127\.0\.0\.1:\d+ may not be fetched: 127\.0\.0\.1 is a loopback.* Nothing was imported\.$/,
    );
  });
});

describe('attack: a feed too large or too slow', () => {
  const allow = parseFeedAllowList('127.0.0.1');

  it('stops reading past the size limit while streaming, without a Content-Length', async () => {
    let sent = 0;
    const big = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/calendar' });
      const chunk = Buffer.alloc(64 * 1024, 0x41);
      const pump = () => {
        while (sent < 64 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    try {
      const error = await refusal(
        fetchFeed(`http://127.0.0.1:${big.port}/huge.ics`, { allowPrivateHosts: allow, maxBytes: 1024 * 1024 }),
      );
      expect(error.message).toBe('The feed is larger than 1 MB.');
      expect(sent).toBeLessThan(64 * 1024 * 1024);
    } finally {
      await big.close();
    }
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const big = await serve((_req, res) =>
      res.writeHead(200, { 'content-length': String(600 * 1024 * 1024) }).write('BEGIN'),
    );
    try {
      expect((await refusal(fetchFeed(`http://127.0.0.1:${big.port}/`, { allowPrivateHosts: allow }))).message).toBe(
        'The feed is larger than 50 MB.',
      );
    } finally {
      await big.close();
    }
  });

  it('gives headers and body each a time limit', async () => {
    const silent = await serve(() => {});
    const stalls = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/calendar' }).write('BEGIN:VCALENDAR\r\n'),
    );
    try {
      expect(
        (await refusal(fetchFeed(`http://127.0.0.1:${silent.port}/`, { allowPrivateHosts: allow, timeoutMs: 200 })))
          .message,
      ).toMatch(/did not answer in time/);
      expect(
        (await refusal(fetchFeed(`http://127.0.0.1:${stalls.port}/`, { allowPrivateHosts: allow, bodyTimeoutMs: 200 })))
          .message,
      ).toMatch(/did not finish arriving in time/);
    } finally {
      await silent.close();
      await stalls.close();
    }
  });
});
