import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.ts';
import { createDeliveryQueue, enqueueDelivery } from '../../../src/scheduler/delivery-queue.ts';
import { parseFeedAllowList } from '../../../src/catalogue/ingest/feed-address-policy.ts';
import { refreshDueFeeds } from '../../../src/scheduler/refresh-feeds.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';
import { FakeClock, recordingNotifier } from './fake-time.ts';

describe.each(STORE_KINDS)('stopping the delivery queue on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('finishes and records the post under way, then starts nothing more', async () => {
    const clock = new FakeClock('2027-03-21T08:00:00Z');
    for (const channel of ['team-a', 'team-b', 'team-c']) {
      const reply = { fallbackText: `digest for ${channel}`, blocks: [] };
      await enqueueDelivery(
        store.sql,
        {
          dedupeKey: `notice:${channel}`,
          kind: 'notice',
          target: { platform: 'terminal', channelRef: channel },
          reply,
        },
        clock.now(),
      );
      clock.advance(1000); // queued one after the other: sent in that order
    }
    const stopping = new AbortController();
    let posting!: () => void;
    const started = new Promise<void>((resolve) => (posting = resolve));
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    // The first post is in flight when the stop comes; it is let through afterwards.
    const notifier = recordingNotifier('terminal', clock, async (_target, call) => {
      if (call === 1) {
        posting();
        await gate;
      }
    });
    const queue = createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { terminal: notifier },
      sleep: clock.sleep,
    });
    const drained = queue.drain({ maxWaitMs: 50_000, signal: stopping.signal });
    await started;
    stopping.abort();
    finish();
    const outcomes = await drained;

    expect(outcomes.map((o) => [o.channelRef, o.outcome])).toEqual([['team-a', 'sent']]);
    expect(notifier.posted.map((p) => p.channelRef)).toEqual(['team-a']);
    const rows = await store.sql.query<{ channel_ref: string; status: string }>(
      `SELECT channel_ref, status FROM delivery_item ORDER BY channel_ref`,
    );
    expect(rows.rows).toEqual([
      { channel_ref: 'team-a', status: 'sent' },
      { channel_ref: 'team-b', status: 'pending' },
      { channel_ref: 'team-c', status: 'pending' },
    ]);
    // The lane is free again: the next start sends the rest.
    const next = createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { terminal: notifier },
      sleep: clock.sleep,
    });
    expect((await next.drain()).map((o) => o.channelRef)).toEqual(['team-b', 'team-c']);
  });

  it('drops a feed download under way without counting it against the feed, and fetches nothing more', async () => {
    // A partner's server that has taken the request and not answered yet.
    let received!: () => void;
    const asked = new Promise<void>((resolve) => (received = resolve));
    const partner = http.createServer(() => received());
    await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
    const { port } = partner.address() as { port: number };
    try {
      await store.sql.query(
        `INSERT INTO source (name, format, url, refresh_minutes, created_at)
         VALUES ('slow-feed', 'ical', $1, 60, '2027-01-01T00:00:00Z'), ('next-feed', 'ical', $2, 60, '2027-01-02T00:00:00Z')`,
        [`http://127.0.0.1:${port}/slow.ics`, `http://127.0.0.1:${port}/next.ics`],
      );
      const now = new Date('2027-03-21T08:00:00Z');
      const stopping = new AbortController();
      const refreshed = refreshDueFeeds(store, now, silentLogger, {
        signal: stopping.signal,
        allowPrivateHosts: parseFeedAllowList('127.0.0.1'),
      });
      await asked;
      stopping.abort();
      expect(await refreshed).toEqual([]);
      const rows = await store.sql.query<{
        name: string;
        consecutive_failures: number;
        last_error: string | null;
        next_fetch_at: Date | null;
        last_fetch_at: Date | null;
      }>(
        `SELECT name, consecutive_failures, last_error, next_fetch_at, last_fetch_at FROM source WHERE url IS NOT NULL ORDER BY name`,
      );
      expect(rows.rows).toEqual([
        { name: 'next-feed', consecutive_failures: 0, last_error: null, next_fetch_at: null, last_fetch_at: null },
        { name: 'slow-feed', consecutive_failures: 0, last_error: null, next_fetch_at: now, last_fetch_at: null },
      ]);
    } finally {
      partner.closeAllConnections();
      partner.close();
    }
  });
});
