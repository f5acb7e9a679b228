import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { seedDemo } from '../../src/catalogue/demo/seed-demo.ts';
import { createFeedRoutes, FEED_PATHS } from '../../src/catalogue/feeds/catalogue-feeds.ts';
import { createHttpServer, listen } from '../../src/http-server.ts';
import { silentLogger } from '../../src/logger.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

describe.each(STORE_KINDS)('catalogue feeds over HTTP on %s', (kind) => {
  let store: TestStore;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    store = await openTestStore(kind);
    await seedDemo(store, NOW);
    server = createHttpServer(createFeedRoutes({ store, clock: fixedClock(NOW), logger: silentLogger }), silentLogger);
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  });

  it('serves a subscribable iCalendar feed with validators and 304s', async () => {
    const res = await fetch(`${base}${FEED_PATHS.ical}?ward=Kentish%20Town%20South`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const body = await res.text();
    expect(body).toContain('BEGIN:VTIMEZONE');
    expect(body.match(/^BEGIN:VEVENT/gm)?.length).toBeGreaterThan(0);
    const etag = res.headers.get('etag')!;
    const again = await fetch(`${base}${FEED_PATHS.ical}?ward=Kentish%20Town%20South`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    const since = await fetch(`${base}${FEED_PATHS.ical}?ward=Kentish%20Town%20South`, {
      headers: { 'if-modified-since': res.headers.get('last-modified')! },
    });
    expect(since.status).toBe(304);
    const all = await (await fetch(`${base}${FEED_PATHS.ical}`)).text();
    expect(all.length).toBeGreaterThan(body.length);
  });

  it('serves ORUK service pages with filters and correct counts', async () => {
    const res = await fetch(`${base}${FEED_PATHS.oruk}?kind=training&per_page=5&page=2`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const page = (await res.json()) as {
      total_items: number;
      total_pages: number;
      page_number: number;
      contents: { attributes: { taxonomy_term: { taxonomy: string; code: string } }[] }[];
    };
    expect(page.page_number).toBe(2);
    expect(page.total_pages).toBe(Math.ceil(page.total_items / 5));
    expect(page.contents.length).toBeGreaterThan(0);
    for (const s of page.contents) {
      expect(s.attributes.find((a) => a.taxonomy_term.taxonomy === 'signpost:kind')?.taxonomy_term.code).toBe(
        'training',
      );
    }
    expect((await fetch(`${base}${FEED_PATHS.oruk}?per_page=0`)).status).toBe(400);
    expect((await fetch(`${base}${FEED_PATHS.oruk}?kind=party`)).status).toBe(400);
    expect((await fetch(`${base}${FEED_PATHS.oruk}`, { method: 'POST' })).status).toBe(405);
  });
});
