import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { createDatabaseSearch } from '../../../src/catalogue/search/database-search.ts';
import type { CatalogueSearch } from '../../../src/catalogue/search/types.ts';
import { type CliDatabase, cli, heldCliDatabase } from '../../helpers/run-cli.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-11-23T09:00:00Z');
const NOW_ISO = '2026-11-23T09:00:00Z';

describe.each(STORE_KINDS)('database search on %s', (kind) => {
  let store: TestStore;
  let search: CatalogueSearch;
  beforeAll(async () => {
    store = await openTestStore(kind);
    await seedDemo(store, NOW);
    search = createDatabaseSearch(store);
  });
  afterAll(async () => store?.close());

  it('answers the issue example with the Tuesday lunch club in Kentish Town, saying what it relaxed', async () => {
    const r = await search.search({ text: 'free lunch club near Kentish Town on Tuesdays, step-free', now: NOW });
    expect(r.understood).toMatchObject({
      free: true,
      weekdays: [2],
      access: ['step_free'],
      place: { label: 'Kentish Town' },
    });
    expect(r.relaxed).toEqual([
      'nothing on Tuesdays in Kentish Town, step-free, free; showing things that may cost something',
    ]);
    const top = r.results[0]!;
    expect(top).toMatchObject({
      title: 'Kentish Town Lunch Club',
      kind: 'activity',
      ward: 'Kentish Town North',
      postcode: 'NW5 1LB',
      organisation: 'Age UK Camden',
      cost: '£3.50 for a two-course lunch',
      howToJoin: 'self_referral',
      status: 'active',
      isDemo: true,
    });
    expect(top.access).toContain('step_free');
    expect(top.next).toEqual({ start: '2026-11-24T12:00:00+00:00', end: '2026-11-24T14:00:00+00:00', allDay: false });
    expect(top.upcoming.map((o) => o.start)).toEqual([
      '2026-11-24T12:00:00+00:00',
      '2026-12-01T12:00:00+00:00',
      '2026-12-08T12:00:00+00:00',
    ]);
    expect(top.scheduleText).toBe('Tuesdays 12:00–14:00');
    expect(top.contact.phone).toMatch(/^020 7946 0/);
    expect(top.lastConfirmed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(top.distanceKm).toBeLessThan(1);
  });

  it('skips cancelled sessions when giving the next ones', async () => {
    const r = await search.search({ text: 'Belsize Park Lunch Club', now: NOW, limit: 1 });
    const lunch = r.results[0]!;
    expect(lunch.title).toBe('Belsize Park Lunch Club');
    expect(lunch.alert).toMatch(/^No session on Wednesday 9 December/);
    expect(lunch.upcoming.map((o) => o.start)).toEqual([
      '2026-11-25T12:00:00+00:00',
      '2026-12-02T12:00:00+00:00',
      '2026-12-16T12:00:00+00:00',
    ]);
  });

  it('ranks paused entries lower and carries their alert', async () => {
    const r = await search.search({ text: 'digital skills in Camden Town', now: NOW, limit: 10 });
    const titles = r.results.map((x) => x.title);
    const paused = r.results.find((x) => x.title === 'Digital Skills Drop-in – Camden Town');
    expect(paused).toMatchObject({ status: 'temporarily_closed' });
    expect(paused?.alert).toMatch(/^Paused while the meeting room is being refurbished/);
    expect(titles.indexOf('Digital Skills Drop-in – Mornington Crescent')).toBeLessThan(titles.indexOf(paused!.title));
  });

  it('never shows closed or removed entries', async () => {
    await store.sql.query(`UPDATE service SET status = 'closed' WHERE name = 'Highgate Newtown Men''s Shed'`);
    await store.sql.query(`UPDATE service SET removed_at = $1 WHERE name = 'Chalk Farm Men''s Shed'`, [NOW]);
    try {
      const r = await search.search({ text: "men's shed", now: NOW, limit: 20 });
      const titles = r.results.map((x) => x.title);
      expect(titles).toContain("Somers Town Men's Shed");
      expect(titles).not.toContain("Highgate Newtown Men's Shed");
      expect(titles).not.toContain("Chalk Farm Men's Shed");
    } finally {
      await store.sql.query(`UPDATE service SET status = 'active' WHERE name = 'Highgate Newtown Men''s Shed'`);
      await store.sql.query(`UPDATE service SET removed_at = NULL WHERE name = 'Chalk Farm Men''s Shed'`);
    }
  });

  it('relaxes to nearby wards and says so in plain words', async () => {
    const r = await search.search({ text: 'tai chi in Kilburn on Saturday', now: NOW });
    expect(r.relaxed).toEqual(['nothing on Saturdays in Kilburn; showing on Saturdays in nearby wards']);
    expect(r.results[0]).toMatchObject({ title: 'Tai Chi for Beginners – Swiss Cottage', ward: 'South Hampstead' });
    expect(r.results[0]!.next?.start).toBe('2026-11-28T10:00:00+00:00');
  });

  it('never gives an empty answer, even for words it does not know', async () => {
    const r = await search.search({ text: 'zumba', now: NOW });
    // Zumba is a known activity (OpenActive): the answer says nothing is listed and offers its broader activities.
    expect(r.relaxed[0]).toMatch(/^no zumba is listed; these are other dance fitness/);
    expect(r.understood.unmet).toEqual(['oa:zumba']);
    expect(r.results.length).toBeGreaterThan(0);
    const unknown = await search.search({ text: 'xqzvy', now: NOW });
    expect(unknown.relaxed[0]).toBe('nothing matches "xqzvy"; showing other things');
    expect(r.results.length).toBeGreaterThan(0);
  });

  it('pages through results with offset, limit and total', async () => {
    const first = await search.search({ text: 'lunch club', now: NOW, limit: 3 });
    const second = await search.search({ text: 'lunch club', now: NOW, limit: 3, offset: 3 });
    expect(first.total).toBeGreaterThan(6);
    expect(second.total).toBe(first.total);
    expect(first.results).toHaveLength(3);
    const ids = [...first.results, ...second.results].map((x) => x.id);
    expect(new Set(ids).size).toBe(6);
    expect(first.results[0]!.score).toBeGreaterThanOrEqual(second.results[0]!.score);
  });

  it('gives the next session on the day asked for', async () => {
    const r = await search.search({ text: 'bengali lunch in Somers Town on Wednesdays', now: NOW });
    const top = r.results[0]!;
    expect(top.title).toBe("Bengali Elders' Lunch and Social (Somers Town)");
    expect(top.next?.start).toBe('2026-11-25T12:00:00+00:00');
  });

  it('returns one entry by id for details, and nothing for unknown or malformed ids', async () => {
    const r = await search.search({ text: 'Chatterbox', now: NOW, limit: 1 });
    const hit = r.results[0]!;
    const one = await search.getResult(hit.id, NOW);
    expect(one).toMatchObject({
      id: hit.id,
      title: 'Chatterbox Telephone Group',
      attendingTypes: ['phone'],
      next: hit.next,
    });
    expect(await search.getResult('00000000-0000-4000-8000-000000000000', NOW)).toBeUndefined();
    expect(await search.getResult("x'; DROP TABLE service; --", NOW)).toBeUndefined();
  });
});

describe.each(STORE_KINDS)('signpost search command on %s', (kind) => {
  let url: string;
  let db: CliDatabase;
  beforeAll(async () => {
    db = await heldCliDatabase(kind, 'signpost-search-');
    url = db.url;
    const seeded = await cli(url, 'seed-demo', '--now', NOW_ISO, '--json');
    expect(seeded.code).toBe(0);
  });
  afterAll(() => db.cleanup());

  it('prints the documented JSON shape', async () => {
    const out = await cli(url, 'search', 'dementa cafe this week', '--now', NOW_ISO, '--limit', '2', '--json');
    expect(out.code).toBe(0);
    const json = out.json() as {
      understood: Record<string, unknown>;
      relaxed: string[];
      results: Record<string, unknown>[];
      total: number;
    };
    expect(Object.keys(json)).toEqual(['understood', 'relaxed', 'results', 'total']);
    expect(json.total).toBeGreaterThanOrEqual(json.results.length);
    expect(json.understood).toMatchObject({ categories: ['dementia'], when: { label: 'this week' } });
    expect(json.results.length).toBeGreaterThan(0);
    expect(Object.keys(json.results[0]!)).toEqual([
      'id',
      'kind',
      'title',
      'organisation',
      'next',
      'venue',
      'ward',
      'postcode',
      'cost',
      'access',
      'howToJoin',
      'contact',
      'url',
      'lastConfirmed',
      'why',
    ]);
    // Why: the typo read as a thesaurus phrase, and the words found in the listing.
    expect(json.results[0]!.why).toMatchObject({
      corrected: [{ typed: 'dementa cafe', read: 'dementia cafe' }],
      words: [{ text: 'dementia cafe' }],
    });
    expect(json.results[0]).toMatchObject({
      title: 'South Hampstead Memory Café',
      next: { start: '2026-11-27T14:00:00+00:00', end: '2026-11-27T16:00:00+00:00' },
      ward: 'South Hampstead',
      cost: 'Free',
    });
  });

  it('prints plain text for people, and refuses a search without words', async () => {
    const out = await cli(url, 'search', 'xqzvy in Kilburn', '--now', NOW_ISO);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Looking for: "xqzvy" · in Kilburn/);
    expect(out.stdout).toContain('(nothing matches "xqzvy"; showing other things in Kilburn)');
    expect(out.stdout).toMatch(/\n1\. /);
    const bad = await cli(url, 'search', '--now', NOW_ISO);
    expect(bad.code).toBe(1);
  });
});
