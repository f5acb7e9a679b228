import type http from 'node:http';
import { get as httpGet } from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { renderIcal } from '../../src/catalogue/export/export-ical.ts';
import { readCatalogue } from '../../src/catalogue/export/read-catalogue.ts';
import { createFeedRoutes, FEED_PATHS } from '../../src/catalogue/feeds/catalogue-feeds.ts';
import { importSource } from '../../src/catalogue/ingest/import-source.ts';
import { createHttpServer, listen } from '../../src/http-server.ts';
import { silentLogger } from '../../src/logger.ts';
import { createCaptureLogger } from '../helpers/capture-logger.ts';
import { openTestStore, type TestStore } from '../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const TOKEN = 'feeds-token-for-tests';

describe('public feeds under load and without their token', () => {
  let store: TestStore;
  const servers: http.Server[] = [];
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await importSource(
      store,
      { input: 'test/fixtures/security/odd-values.csv', source: 'odd', format: 'csv', now: NOW },
      silentLogger,
    );
  });
  afterAll(async () => {
    for (const s of servers) await new Promise((resolve) => s.close(resolve));
    await store.close();
  });
  async function start(options: { token?: string; perClientPerMinute?: number; pageSize?: number } = {}) {
    const logger = createCaptureLogger();
    const server = createHttpServer(
      createFeedRoutes({ store, clock: fixedClock(NOW), logger, ...options }),
      silentLogger,
    );
    servers.push(server);
    const base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    const renders = () => logger.lines.filter((l) => l.msg === 'feed rendered').length;
    return { base, renders };
  }

  it('with FEEDS_TOKEN set, a request without it gets 401; ?token= and a Bearer header work', async () => {
    const { base } = await start({ token: TOKEN });
    expect((await fetch(`${base}${FEED_PATHS.ical}`)).status).toBe(401);
    expect((await fetch(`${base}${FEED_PATHS.ical}?token=wrong-token-entirely`)).status).toBe(401);
    expect((await fetch(`${base}${FEED_PATHS.ical}?token=${TOKEN}`)).status).toBe(200);
    expect((await fetch(`${base}${FEED_PATHS.oruk}`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
      200,
    );
  });

  it('one client beyond its rate gets 429 with Retry-After, and is never rendered for', async () => {
    const { base, renders } = await start({ perClientPerMinute: 5 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await fetch(`${base}${FEED_PATHS.ical}`);
      await response.arrayBuffer(); // the feed streams: its render is logged once the body has been written
      statuses.push(response.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const limited = await fetch(`${base}${FEED_PATHS.ical}`);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(renders()).toBe(1);
  });

  it('ten concurrent requests share one render, and repeats (304 or 200) are served without rendering again', async () => {
    const { base, renders } = await start({ perClientPerMinute: 100 });
    const responses = await Promise.all(Array.from({ length: 10 }, () => fetch(`${base}${FEED_PATHS.ical}`)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const bodies = new Set(await Promise.all(responses.map((r) => r.text())));
    expect(bodies.size).toBe(1);
    expect(renders()).toBe(1);
    const etag = responses[0]!.headers.get('etag')!;
    expect((await fetch(`${base}${FEED_PATHS.ical}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${base}${FEED_PATHS.ical}`)).status).toBe(200);
    expect(renders()).toBe(1);
  });

  it('a whole-catalogue feed is made a page at a time, gzipped once, and reads the same as the whole export', async () => {
    const { base, renders } = await start({ perClientPerMinute: 100, pageSize: 1 });
    const { entries } = await readCatalogue(store.sql, {});
    expect(entries.length).toBeGreaterThan(1);
    const whole = renderIcal(entries, { now: NOW });
    const zipped = await getRaw(`${base}${FEED_PATHS.ical}`, { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(zipped.body).toString('utf8')).toBe(whole);
    const plain = await getRaw(`${base}${FEED_PATHS.ical}`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(whole);
    expect(renders()).toBe(1);
  });

  it('a HEAD or a conditional repeat never makes the feed', async () => {
    const { base, renders } = await start({ perClientPerMinute: 100 });
    const head = await fetch(`${base}${FEED_PATHS.ical}?kind=activity`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const etag = head.headers.get('etag')!;
    expect(
      (await fetch(`${base}${FEED_PATHS.ical}?kind=activity`, { headers: { 'if-none-match': etag } })).status,
    ).toBe(304);
    expect(renders()).toBe(0);
    const full = await fetch(`${base}${FEED_PATHS.ical}?kind=activity`);
    expect(full.headers.get('etag')).toBe(etag);
    await full.text();
    expect(renders()).toBe(1);
  });
});

/** A GET that leaves the body as sent (fetch would unzip it). */
function getRaw(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}
