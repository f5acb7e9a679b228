import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeenRequests } from '../../../src/bots/slack/request-guard.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-03-03T10:00:00Z');
const inFiveMinutes = (now: Date) => new Date(now.getTime() + 5 * 60_000);

describe('Slack requests seen, on the embedded store (this process its only server)', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore('pglite');
  });
  afterAll(async () => {
    await store.close();
  });

  it('answers from memory, shared by every app on the store, and writes the record behind', async () => {
    const first = createSeenRequests(store.sql, { exclusive: true });
    const second = createSeenRequests(store.sql, { exclusive: true });
    expect(await first.claim(['sig:a', 'event:E1'], [inFiveMinutes(NOW), inFiveMinutes(NOW)], NOW)).toBe(true);
    // The same request at a second Slack app on this store, or the same event newly signed: a repeat.
    expect(await second.claim(['sig:a'], [inFiveMinutes(NOW)], NOW)).toBe(false);
    expect(await second.claim(['sig:b', 'event:E1'], [inFiveMinutes(NOW), inFiveMinutes(NOW)], NOW)).toBe(false);
    expect(await second.claim(['sig:c'], [inFiveMinutes(NOW)], NOW)).toBe(true);
    const { rows } = await store.sql.query<{ key: string }>('SELECT key FROM slack_request_seen ORDER BY key');
    expect(rows.map((r) => r.key)).toEqual(['event:E1', 'sig:a', 'sig:c']);
  });

  it('starts from what the database kept (a restart), and forgets what expired', async () => {
    // Another handle on the same database stands for the next process: its memory starts empty.
    const restarted = createSeenRequests({ ...store.sql }, { exclusive: true });
    expect(await restarted.claim(['sig:a'], [inFiveMinutes(NOW)], NOW)).toBe(false);
    expect(await restarted.claim(['sig:d'], [inFiveMinutes(NOW)], NOW)).toBe(true);
    const later = new Date(NOW.getTime() + 6 * 60_000);
    expect(await restarted.claim(['sig:a'], [inFiveMinutes(later)], later)).toBe(true);
  });
});
