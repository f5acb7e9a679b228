import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { createDatabaseSearch } from '../../../src/catalogue/search/database-search.ts';
import type { CatalogueSearch } from '../../../src/catalogue/search/types.ts';
import { toSearchStat } from '../../../src/insights/to-search-stat.ts';
import { silentLogger } from '../../../src/logger.ts';
import { buildIcs, type TestEvent } from '../../helpers/ics.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

// Monday 23 November 2026, 09:00 in London.
const NOW = new Date('2026-11-23T09:00:00Z');
const FEED = fileURLToPath(new URL('../../fixtures/search/mixed-listings.ics', import.meta.url));

/**
 * How words count, over a feed with no categories, audiences or wards (as partners publish them): every content word
 * is searched, titles count most, synonyms less, typos only for unknown words, specific audiences after general ones.
 */
describe.each(STORE_KINDS)('search words on %s', (kind) => {
  let store: TestStore;
  let search: CatalogueSearch;
  const top = async (text: string, n = 3) =>
    (await search.search({ text, now: NOW, limit: n })).results.map((r) => r.title);
  beforeAll(async () => {
    store = await openTestStore(kind);
    const report = await importSource(store, { input: FEED, now: NOW, source: 'mixed' }, silentLogger);
    expect(report.created).toBe(16);
    search = createDatabaseSearch(store);
  });
  afterAll(async () => store?.close());

  it('puts the listing whose title is the question first, for a word the thesaurus also knows', async () => {
    expect((await top('yoga'))[0]).toBe('Yoga');
    expect((await top('keep fit'))[0]).toBe('Keep Fit Class');
    expect((await top('tea dance'))[0]).toBe('Over 60s Tea Dance');
  });

  it('keeps language and audience words as words', async () => {
    expect((await top('somali'))[0]).toBe("Somali Women's Group");
    expect((await top("ladies' knit and natter"))[0]).toBe("Ladies' Knit and Natter");
  });

  it('folds accents, apostrophes and compounds the same way on both sides', async () => {
    expect(await top('cafe creme')).toContain('Café Crème Coffee Morning');
    expect(await top("men's shed")).toContain('Mens Shed Woodwork');
    expect(await top('day centre')).toContain('Daycentre Activities');
  });

  it('finds synonyms, ranked after the words themselves', async () => {
    expect(await top('luncheon club')).toContain('Community Lunch');
    expect(await top('knitting group')).toContain("Ladies' Knit and Natter");
    const exercise = await top('exercise class');
    expect(exercise[0]).toBe('Keep Fit Class');
  });

  it('ranks listings at a street or venue named first, and reads its words as words when no venue has that name', async () => {
    const library = await search.search({ text: 'something at oakley gardens library', now: NOW });
    expect(library.understood.venue).toBe('oakley gardens library');
    expect(library.understood.topics ?? []).not.toContain('gardening');
    expect(library.results[0]!.title).toBe("Ladies' Knit and Natter");
    expect((await top('walking group on station road'))[0]).toBe('Station Road Walking Group');
    const nowhere = await search.search({ text: 'yoga on nowhere lane', now: NOW });
    expect(nowhere.understood.venue).toBeUndefined();
    expect(nowhere.results[0]!.title).toBe('Yoga');
  });

  it('never turns a known word into another, nor a street address into a topic', async () => {
    const station = await search.search({ text: 'station', now: NOW });
    expect(station.results[0]!.title).toBe('Station Road Walking Group');
    expect(station.results.map((r) => r.title)).not.toContain('Parent and Baby Yoga');
    const gardens = await search.search({ text: 'coffee morning at 12 Oakley Gardens', now: NOW });
    expect(gardens.understood.topics ?? []).not.toContain('gardening');
    const reducing = await search.search({ text: 'reducing isolation', now: NOW });
    expect(reducing.understood.place).toBeUndefined();
  });

  it('corrects a typo in a word no dictionary knows', async () => {
    const r = await search.search({ text: 'excercise clas', now: NOW });
    expect(r.results[0]!.title).toBe('Keep Fit Class');
    expect(r.results[0]!.why?.corrected).toEqual([{ typed: 'excercise clas', read: 'exercise class' }]);
  });

  it('ranks groups for a specific audience and staff training below general ones for a general question', async () => {
    const social = await top('social club', 5);
    // All three are social clubs; the one for everyone comes first, the Deaf and LD clubs are still there.
    expect(social[0]).toBe('Friday Social Club');
    expect(social).toEqual(expect.arrayContaining(['Deaf Social Club', 'Friday Friends LD Club']));
    const yoga = await top('yoga class', 3);
    expect(yoga.indexOf('Parent and Baby Yoga')).toBeGreaterThan(yoga.indexOf('Yoga'));
    const safeguarding = await top('safeguarding training for staff', 1);
    expect(safeguarding[0]).toBe('Safeguarding Training for Staff');
  });

  it('never hides an entry whose ward is unknown behind a place filter', async () => {
    const r = await search.search({ text: 'tea dance near Kentish Town', now: NOW });
    expect(r.results.map((x) => x.title)).toContain('Over 60s Tea Dance');
  });

  it('says which words found nothing and labels alternatives, counting the need as unmet', async () => {
    const r = await search.search({ text: 'zumba', now: NOW });
    expect(r.relaxed[0]).toMatch(/^no zumba is listed; these are other /);
    expect(r.results.length).toBeGreaterThan(0);
    expect(r.results[0]!.why?.wider.length).toBeGreaterThan(0);
    const stat = toSearchStat({
      at: NOW,
      platform: 'slack',
      understood: r.understood,
      total: r.total,
      relaxed: r.relaxed,
      question: 'zumba',
    });
    expect(stat).toMatchObject({ categories: ['zumba'], noResults: true });
    const swim = await search.search({ text: 'swimming for over 60s', now: NOW });
    const swimStat = toSearchStat({
      at: NOW,
      platform: 'teams',
      understood: swim.understood,
      total: swim.total,
      relaxed: swim.relaxed,
      question: '',
    });
    expect(swimStat).toMatchObject({ categories: ['swimming'], audiences: ['older_people'], noResults: true });
    const found = await search.search({ text: 'yoga', now: NOW });
    const foundStat = toSearchStat({
      at: NOW,
      platform: 'teams',
      understood: found.understood,
      total: found.total,
      relaxed: found.relaxed,
      question: '',
    });
    expect(foundStat).toMatchObject({ categories: ['yoga'], noResults: false });
  });

  it('answers bad input helpfully, never with an error', async () => {
    for (const text of [
      'x'.repeat(10_000),
      '😀🙏',
      'আমার একজন বয়স্ক ক্লায়েন্ট',
      'مساعدة كبار السن',
      'the and of it',
      '   ',
    ]) {
      const r = await search.search({ text, now: NOW });
      expect(r.results.length).toBeGreaterThan(0);
      expect(r.relaxed.length).toBeGreaterThan(0);
    }
    const other = await search.search({ text: 'আমার একজন বয়স্ক ক্লায়েন্ট', now: NOW });
    expect(other.relaxed[0]).toMatch(/only be read in English/);
    const long = await search.search({ text: `yoga ${'please '.repeat(2000)}`, now: NOW });
    expect(long.results[0]!.title).toBe('Yoga');
    expect(long.relaxed).toContain('only the first 500 characters of the question were read');
  });

  it('ranks listings at a postcode outside Camden first, and keeps one no venue has as a word', async () => {
    const outpost = fileURLToPath(
      new URL('../../fixtures/real/buckinghamshire-outpost/scout-x_cypress_services.json', import.meta.url),
    );
    await importSource(store, { input: outpost, now: NOW, source: 'outpost' }, silentLogger);
    // Two scout groups: the one in the district asked for first, whichever way round.
    for (const [district, group] of [
      ['HP5', '1st Chesham Scout Group'],
      ['HP16', '1st Kingshill Scout Group'],
    ] as const) {
      const answer = await search.search({ text: `scout group ${district}`, now: NOW });
      expect(answer.understood.place).toMatchObject({ label: district, postcode: district });
      expect(answer.results[0]!.title).toBe(group);
    }
    const full = await search.search({ text: 'basketball hp21 9pp', now: NOW });
    expect(full.results[0]!.title).toBe('Aces Wheelchair Basketball');
    const none = await search.search({ text: 'scouts ZZ9', now: NOW });
    expect(none.understood.place).toBeUndefined();
    expect(none.understood.terms).toContain('zz9');
  });
  it('finds a village named by the start of its words, not inside another word ("Ickford" is not "Rickfords Hill")', async () => {
    const knit = (uid: string, where: string, geo: string): TestEvent => ({
      uid,
      summary: 'Village Knit and Natter',
      start: '20261201T100000',
      end: '20261201T120000',
      rrule: 'FREQ=WEEKLY;COUNT=8',
      extra: [`LOCATION:${where}`, `GEO:${geo}`],
    });
    await importEvents(store, 'villages', [
      knit('knit-aylesbury', 'Friends Meeting House\\, 9 Rickfords Hill\\, Aylesbury', '51.815856;-0.814775'),
      knit('knit-ickford', 'Ickford Village Hall\\, Bridge Road\\, Ickford', '51.758374;-1.060028'),
    ]);
    const answer = await search.search({ text: 'knit and natter in ickford', now: NOW });
    expect(answer.understood.place?.latitude).toBeCloseTo(51.758, 2);
    expect(answer.results[0]!.why?.distanceKm).toBeLessThan(1);
  });

  it("leaves a calendar's placeholders out of the answers", async () => {
    const at = (uid: string, summary: string): TestEvent => ({
      ...weekly(uid, summary, '20261210T190000', '20261210T200000', 'COUNT=1'),
      extra: ['LOCATION:Quay Hall\\, 2 Example Road\\, London NW5 2AB'],
    });
    await importEvents(store, 'placeholders', [
      at('slot', 'Empty slot'),
      at('quiz', 'Quay Hall Quiz Night'),
      at('private', 'Private Event'),
    ]);
    const answer = await search.search({ text: 'thursday 10 december in the evening', now: NOW, limit: 50 });
    const titles = answer.results.map((r) => r.title);
    expect(titles).toContain('Quay Hall Quiz Night');
    expect(titles).not.toContain('Empty slot');
    expect(titles).not.toContain('Private Event');
  });

  it('ranks a group whose title is for the other sex below one for the resident described', async () => {
    const group = (uid: string, summary: string, description: string): TestEvent => ({
      ...weekly(uid, summary, '20261203T100000', '20261203T113000'),
      extra: [`DESCRIPTION:${description}`, 'LOCATION:Zebra Hall\\, 1 Example Road\\, London NW5 2AB'],
    });
    await importEvents(store, 'sexes', [
      group('dads', 'Who Let The Dads Out', 'Stay and play for dads and their babies\\, so mum gets a break.'),
      group('mums', 'Mother and Toddler Group', 'A weekly stay and play with toys and songs.'),
    ]);
    const ranksBefore = (list: string[], a: string, b: string) =>
      list.includes(a) && (!list.includes(b) || list.indexOf(a) < list.indexOf(b));
    const mum = await top('group for a mum with a newborn', 10);
    expect(ranksBefore(mum, 'Mother and Toddler Group', 'Who Let The Dads Out'), mum.join(' | ')).toBe(true);
    const dad = await top('group for a dad with a newborn', 10);
    expect(ranksBefore(dad, 'Who Let The Dads Out', 'Mother and Toddler Group'), dad.join(' | ')).toBe(true);
  });

  it('reads words no listing has but a venue does as the place asked, and a postcode alone as its listings', async () => {
    await importEvents(store, 'venues', [
      at('hook-up', 'Fishing Monthly Hook Up', 'The Lazy Shack\\, Range Road\\, Hythe CT21 6HG'),
      at('shed', 'Tuesday Tools Session', 'The Marigold Centre\\, 65 Shaftsbury Avenue\\, Folkestone CT19 4NS'),
    ]);
    const shack = await search.search({ text: 'the lazy shack', now: NOW });
    expect(shack.results[0]!.title).toBe('Fishing Monthly Hook Up');
    expect(shack.understood.place?.label).toBe('Lazy Shack');
    expect(shack.relaxed.join(' ')).not.toMatch(/nothing matches/);
    // "centre" is in other listings' words: the whole question names the venue.
    expect(await top('marigold centre', 1)).toEqual(['Tuesday Tools Session']);
    expect(await top('shaftsbury avenue', 1)).toEqual(['Tuesday Tools Session']);
    expect(await top('CT21 6HG', 1)).toEqual(['Fishing Monthly Hook Up']);
    // Words neither a listing nor a venue has are still said to match nothing.
    const none = await search.search({ text: 'zqxvy plonk', now: NOW });
    expect(none.understood.place).toBeUndefined();
    expect(none.relaxed.join(' ')).toMatch(/nothing matches/);
  });

  it('reads the town that ends an address as where a venue is, not a road named after it in another town', async () => {
    await importEvents(store, 'towns', [
      at('circle', 'Knitting Circle', 'Arts Room\\, 20 Sandgate Road\\, Folkestone', 'GEO:51.0790;1.1710'),
      at('harbour', 'Harbour Knit Group', 'Sea View Hall\\, Range Road\\, Sandgate', 'GEO:51.0735;1.1480'),
    ]);
    const answer = await search.search({ text: 'knitting in sandgate', now: NOW });
    expect(answer.understood.place?.longitude).toBeCloseTo(1.148, 3);
    expect(answer.results[0]!.title).toBe('Harbour Knit Group');
  });

  it("does not rank down a need's own audience's listing as another audience's", async () => {
    const clinic = (uid: string, summary: string, description: string): TestEvent => ({
      ...weekly(uid, summary, '20261203T140000', '20261203T160000'),
      extra: [`DESCRIPTION:${description}`],
    });
    await importEvents(store, 'clinics', [
      clinic('riverside', 'Riverside Health Centre', 'Colposcopy and blood tests on Thursdays.'),
      clinic('womens', "Women's Drop-in", 'Colposcopy and smear tests on Thursdays.'),
    ]);
    expect(await top('colposcopy', 1)).toEqual(["Women's Drop-in"]);
  });

  it('finds a listing by the initials of its title, but never reads a thesaurus word as initials', async () => {
    await importEvents(store, 'initials', [
      weekly('lwkm', 'Live Well Kent & Medway', '20261207T100000', '20261207T120000'),
      weekly('vac', 'Voluntary Action Camden', '20261207T130000', '20261207T150000'),
      weekly('send', 'Sunday Evening Nature Drop-in', '20261206T170000', '20261206T180000'),
    ]);
    const lwkm = await search.search({ text: 'LWKM', now: NOW });
    expect(lwkm.results[0]!.title).toBe('Live Well Kent & Medway');
    expect(lwkm.results[0]!.why?.words).toContainEqual({ text: 'lwkm', field: 'title' });
    expect(lwkm.relaxed).toEqual([]);
    // A word a dictionary knows is initials only when typed in capitals.
    const vac = await search.search({ text: 'VAC', now: NOW });
    expect(vac.results[0]?.title, JSON.stringify(vac.understood)).toBe('Voluntary Action Camden');
    expect((await search.search({ text: 'vac', now: NOW })).results[0]?.why?.words ?? []).not.toContainEqual({
      text: 'vac',
      field: 'title',
    });
    expect(await top('SEND support', 3)).not.toContain('Sunday Evening Nature Drop-in');
  });

  it('puts the listings at a full Camden postcode first, before the rest of its district', async () => {
    await importEvents(store, 'postcodes', [
      at('north', 'Chess Afternoon', 'North Hall\\, 3 Example Street\\, London NW5 1UH'),
      at('south', 'Board Games Club', 'South Hall\\, 8 Example Street\\, London NW5 2HX'),
      at('east', 'Scrabble Morning', 'East Hall\\, 9 Example Street\\, London NW5 4JS'),
      at('here', 'Draughts and Dominoes', 'Corner Hall\\, 5 Example Street\\, London NW5 3AQ'),
    ]);
    const answer = await search.search({ text: 'NW5 3AQ', now: NOW });
    expect(answer.results[0]?.title, JSON.stringify([answer.understood, answer.results.map((r) => r.title)])).toBe(
      'Draughts and Dominoes',
    );
  });
});

/** A weekly session on Wednesdays from 2 December, 10:00 to 12:00, at a venue given as a feed writes it. */
function at(uid: string, summary: string, where: string, ...extra: string[]): TestEvent {
  return { ...weekly(uid, summary, '20261202T100000', '20261202T120000'), extra: [`LOCATION:${where}`, ...extra] };
}

/** A weekly session (eight by default), London time. */
function weekly(uid: string, summary: string, start: string, end: string, count = 'COUNT=8'): TestEvent {
  return { uid, summary, start, end, rrule: `FREQ=WEEKLY;${count}` };
}

/** Imports these events as one calendar file, as a partner's feed arrives. */
async function importEvents(store: TestStore, source: string, events: TestEvent[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `signpost-${source}-`));
  try {
    const file = path.join(dir, `${source}.ics`);
    fs.writeFileSync(file, buildIcs(events));
    await importSource(store, { input: file, now: NOW, source }, silentLogger);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
