import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeafletLinks } from '../../../src/catalogue/shortlist/leaflet-links.ts';
import {
  createLeafletStore,
  createShortlistStore,
  MAX_SHORTLIST,
  SHORTLIST_TTL_MS,
} from '../../../src/catalogue/shortlist/shortlist-store.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe.each(STORE_KINDS)('lists for residents and leaflet records on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('keeps one list per staff member and conversation, at most eight ids, forgotten a day after its last change', async () => {
    const lists = createShortlistStore(store);
    const mine = { platform: 'slack', channelRef: 'C1', userId: 'U1' };
    const ids = Array.from({ length: 10 }, (_, i) => `id-${i}`);
    await lists.set(mine, ids, NOW);
    expect(await lists.get(mine, NOW)).toEqual(ids.slice(0, MAX_SHORTLIST));
    expect(await lists.get({ ...mine, userId: 'U2' }, NOW)).toEqual([]);
    expect(await lists.get({ ...mine, channelRef: 'C2' }, NOW)).toEqual([]);
    await lists.set(mine, ['id-1'], later(1000));
    expect(await lists.get(mine, later(SHORTLIST_TTL_MS))).toEqual(['id-1']);
    expect(await lists.get(mine, later(SHORTLIST_TTL_MS + 1000))).toEqual([]);
    await lists.set(mine, [], later(2000));
    const { rows } = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM shortlist WHERE user_id = 'U1'`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('finds a leaflet until it expires, and removes expired ones when the next is made', async () => {
    const leaflets = createLeafletStore(store);
    const made = await leaflets.create({ entryIds: ['a', 'b'], largePrint: true, now: NOW, expiresAt: later(60_000) });
    expect(await leaflets.get(made.id, later(59_000))).toMatchObject({
      id: made.id,
      entryIds: ['a', 'b'],
      largePrint: true,
    });
    expect(await leaflets.get(made.id, later(60_000))).toBeUndefined();
    expect(await leaflets.get('not-a-uuid', NOW)).toBeUndefined();
    await leaflets.create({ entryIds: ['c'], largePrint: false, now: later(120_000), expiresAt: later(180_000) });
    const { rows } = await store.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM leaflet WHERE id = $1`, [
      made.id,
    ]);
    expect(rows[0]!.n).toBe(0);
  });

  it('signs leaflet links for their id and expiry with the server’s key only', async () => {
    const leaflets = createLeafletStore(store);
    const settings = { days: 7, publicUrl: 'https://signpost.example.org/' };
    const links = createLeafletLinks(leaflets, { ...settings, secret: 'one-long-random-secret-for-tests' });
    const link = await links.create({ entryIds: ['a'], largePrint: false, now: NOW });
    const url = new URL(link.url);
    expect(url.origin + url.pathname).toBe(`https://signpost.example.org/leaflets/${link.id}.pdf`);
    expect(link.expiresAt).toEqual(later(7 * 24 * 60 * 60 * 1000));
    const [expires, signature] = [url.searchParams.get('expires'), url.searchParams.get('signature')];
    expect(links.verify(link.id, expires, signature, later(1000))).toBe(true);
    expect(links.verify(link.id, expires, signature, link.expiresAt)).toBe(false);
    expect(links.verify(link.id, String(Number(expires) + 1), signature, NOW)).toBe(false);
    expect(
      links.verify(
        link.id.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
        expires,
        signature,
        NOW,
      ),
    ).toBe(false);
    expect(links.verify(link.id, expires, null, NOW)).toBe(false);
    const other = createLeafletLinks(leaflets, { ...settings, secret: 'another-long-random-secret-12345' });
    expect(other.verify(link.id, expires, signature, NOW)).toBe(false);
    const random = createLeafletLinks(leaflets, { ...settings, secret: null });
    expect(random.verify(link.id, expires, signature, NOW)).toBe(false);
  });
});
