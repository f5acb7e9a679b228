import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.ts';
import { backoffMinutes, refreshDueFeeds, sourceHealth } from '../../../src/scheduler/refresh-feeds.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VEVENT',
  'UID:tea-1@example.org',
  'DTSTAMP:20270301T000000Z',
  'DTSTART:20270325T140000Z',
  'DTEND:20270325T160000Z',
  'RRULE:FREQ=WEEKLY;COUNT=4',
  'SUMMARY:Tea and Chat',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

describe.each(STORE_KINDS)('feed refresh on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
    nock.disableNetConnect();
    await store.sql.query(
      `INSERT INTO source (name, format, url, refresh_minutes) VALUES ('tea-feed', 'ical', 'https://partner.example.org/tea.ics', 60)`,
    );
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    nock.enableNetConnect();
    await store?.close();
  });

  it('imports on first fetch, answers a 304 with no change, keeps the data on failure and backs off', async () => {
    const t0 = new Date('2027-03-20T09:00:00Z');
    nock('https://partner.example.org')
      .get('/tea.ics')
      .reply(200, FEED, { etag: '"v1"', 'last-modified': 'Fri, 19 Mar 2027 10:00:00 GMT' });
    const first = await refreshDueFeeds(store, t0, silentLogger);
    expect(first).toMatchObject([{ source: 'tea-feed', outcome: 'updated', events: 4 }]);

    // Not due yet: nothing is fetched (nock would refuse the connection).
    expect(await refreshDueFeeds(store, new Date(t0.getTime() + 30 * 60_000), silentLogger)).toEqual([]);

    const t1 = new Date(t0.getTime() + 61 * 60_000);
    nock('https://partner.example.org', {
      reqheaders: { 'if-none-match': '"v1"', 'if-modified-since': 'Fri, 19 Mar 2027 10:00:00 GMT' },
    })
      .get('/tea.ics')
      .reply(304);
    expect(await refreshDueFeeds(store, t1, silentLogger)).toMatchObject([{ outcome: 'not_modified' }]);

    const t2 = new Date(t1.getTime() + 61 * 60_000);
    nock('https://partner.example.org').get('/tea.ics').reply(503, 'down');
    const failed = await refreshDueFeeds(store, t2, silentLogger);
    expect(failed).toMatchObject([{ outcome: 'failed' }]);
    expect(failed[0]!.nextFetchAt.getTime() - t2.getTime()).toBe(60 * 60_000);

    const t3 = new Date(t2.getTime() + 61 * 60_000);
    nock('https://partner.example.org').get('/tea.ics').delay(500).reply(200, FEED);
    const timedOut = await refreshDueFeeds(store, t3, silentLogger, { timeoutMs: 100 });
    expect(timedOut[0]).toMatchObject({ outcome: 'failed' });
    expect(timedOut[0]!.error).toMatch(/did not answer in time/);
    expect(timedOut[0]!.nextFetchAt.getTime() - t3.getTime()).toBe(120 * 60_000);

    const [health] = (await sourceHealth(store, t3)).filter((h) => h.name === 'tea-feed');
    expect(health).toMatchObject({ events: 4, failures: 2, lastSuccess: t1 });
    expect(health!.lastError).toMatch(/did not answer in time/);
  });

  it('doubles the wait after each failure, up to a day', () => {
    expect([0, 1, 2, 3, 10].map((f) => backoffMinutes(60, f))).toEqual([60, 60, 120, 240, 1440]);
  });
});
