import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { FeedRefusedError } from '../../../src/catalogue/ingest/parse-ical.ts';
import { PrismaCatalogueRepository } from '../../../src/catalogue/prisma-catalogue-repository.ts';
import { createLogger, silentLogger } from '../../../src/logger.ts';
import { cli } from '../../helpers/run-cli.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const HSDS = path.resolve('test/fixtures/hsds');
const TEMPLATE = path.resolve('templates/coordinator-template.csv');

const service = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: `Service ${id}`,
  description: '<p>Weekly&nbsp;group for <b>older people</b>.</p>',
  status: 'active',
  organization: { id: 'org-1', name: 'Camden Community Trust', description: 'Charity' },
  schedules: [{ freq: 'WEEKLY', byday: 'TU', opens_at: '10:00', closes_at: '12:00', dtstart: '2026-11-03' }],
  ...extra,
});

describe.each(STORE_KINDS)('importing Open Referral and coordinator data on %s', (kind) => {
  let store: TestStore;
  let dir: string;
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
  beforeEach(async () => {
    store = await openTestStore(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-hsds-'));
  });
  afterEach(async () => {
    nock.cleanAll();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };
  const count = async (table: string) =>
    (await store.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  it('imports every HSDS / ORUK sample as SOURCES.md describes it', async () => {
    const cases: [string, number, string[]][] = [
      // [input, services created, rejected refs]
      ['hsds-3.0_openreferral-spec/json/service_full.json', 1, []],
      ['hsds-3.0_openreferral-spec/json/service_list.json', 1, ['envelope']], // page 1 of 10, said clearly
      ['hsds-3.0_openreferral-spec/json/service_at_location_full.json', 1, []],
      ['hsds-3.0_openreferral-spec/json/organization_full.json', 1, []],
      ['hsds-3.0_openreferral-spec/json/tabular.json', 1, []],
      ['hsds-3.0_openreferral-spec/csv', 1, []],
      ['oruk-3.0_uk-profile/json/service_full.json', 1, []],
      ['oruk-3.0_uk-profile/csv/datapackage.json', 1, []], // the descriptor's tables only: no double count
      // no description, bad url/email: cleaned, and the dropped url is noted under the service's id
      ['oruk-3.0_validator-mocks/fail_service_full.json', 1, ['ac148810-d857-441c-9679-408f346de14b']],
      ['hsds-1.1_sample-datapackage', 13, []],
    ];
    for (const [input, created, refs] of cases) {
      const report = await importSource(
        store,
        { input: path.join(HSDS, input), now: NOW, source: input.replace(/[^a-z0-9]+/gi, '-').slice(0, 90) },
        silentLogger,
      );
      expect({ input, created: report.created, refs: report.rejected.map((r) => r.ref) }).toEqual({
        input,
        created,
        refs,
      });
      expect(report.format).toBe('hsds');
    }
    const repo = new PrismaCatalogueRepository(store.prisma);
    const counselling = (await repo.listEntries({ source: 'oruk-3-0-uk-profile-json-service-full-json' }))[0]!;
    expect(counselling).toMatchObject({
      title: 'Community Counselling',
      organisation: { name: 'Example Organization Inc.' },
      venue: {
        name: 'MyCity Civic Center',
        latitude: null,
        accessibility: expect.arrayContaining(['hearing_loop', 'wheelchair_accessible']),
      },
      cost: { amount: 35 },
      lastConfirmed: '2005-01-01',
    });
    // valid_from == valid_to == 2005-01-01 (a Saturday) with byday TH,FR: a standing entry with no dates.
    const occ = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM occurrence o JOIN service s ON s.id = o.service_id WHERE s.name = 'Community Counselling'`,
    );
    expect(occ.rows[0]!.n).toBe(0);
    // HSDS 1.1 regular_schedules (weekday 1–3, 09:00–17:00) become weekly occurrences in London time.
    const helpline = await repo.listOccurrences({ from: NOW, to: new Date('2026-12-08T00:00:00Z') });
    expect(helpline.filter((o) => o.title === 'Never Homeless Helpline').map((o) => o.start)).toEqual([
      '2026-12-01T09:00:00+00:00',
      '2026-12-02T09:00:00+00:00',
      '2026-12-07T09:00:00+00:00',
    ]);
  });

  it('is idempotent, refuses non-service JSON whole and leaves the store unchanged', async () => {
    const file = path.join(HSDS, 'hsds-1.1_sample-datapackage');
    await importSource(store, { input: file, now: NOW }, silentLogger);
    const again = await importSource(store, { input: file, now: NOW }, silentLogger);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 13, removed: 0 });
    const before = await count('service');
    for (const bad of [
      'hsds-3.0_openreferral-spec/json/base.json',
      'oruk-3.0_uk-profile/json/taxonomy_term_list.json',
      'oruk-3.0_validator-mocks/warn_api_details.json',
    ]) {
      await expect(
        importSource(store, { input: path.join(HSDS, bad), now: NOW, format: 'hsds' }, silentLogger),
      ).rejects.toBeInstanceOf(FeedRefusedError);
    }
    await expect(
      importSource(store, { input: write('cut.json', '{"contents": [{"id": "a", "na'), now: NOW }, silentLogger),
    ).rejects.toThrow(/not valid JSON/);
    expect(await count('service')).toBe(before);
    if (kind === 'postgres') {
      const run = await cli(
        store.url,
        'import',
        path.join(HSDS, 'hsds-3.0_openreferral-spec/json/base.json'),
        '--now',
        NOW.toISOString(),
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('not data: import its /services URL');
    }
  });

  it('cleans messy records and rejects the unusable ones with reasons', async () => {
    const file = write('messy.json', [
      service('a'),
      service('b', { name: '   ' }),
      service('a', { name: 'Duplicate of a' }),
      service('c', { organization: undefined, organization_id: 'missing' }),
      service('d', { schedules: [{ freq: 'FORTNIGHTLY', byday: 'XX' }] }),
      { name: 'No id at all', status: 'active' },
    ]);
    const report = await importSource(store, { input: file, now: NOW }, silentLogger);
    expect(report.created).toBe(3);
    expect(report.rejected).toEqual([
      { ref: 'b', reason: 'the service has an empty name' },
      { ref: 'service #6', reason: 'the service has no id' },
      { ref: 'd', reason: expect.stringContaining('schedule 1 ignored') },
      { ref: 'a', reason: 'duplicate id a: the first record with it was kept' },
    ]);
    const entries = await new PrismaCatalogueRepository(store.prisma).listEntries();
    const a = entries.find((e) => e.externalId === 'a')!;
    expect(a.description).toBe('Weekly group for older people.');
    // The record gives no audience; its description says plainly who it is for.
    expect(a.audiences).toEqual(['older_people']);
    expect(entries.find((e) => e.externalId === 'c')!.organisation).toBeNull();
  });

  it('follows every page of a paginated URL before writing, and says when the counts disagree', async () => {
    const page = (n: number, items: unknown[], extra: Record<string, unknown> = {}) => ({
      total_items: 5,
      total_pages: 3,
      page_number: n,
      size: 2,
      first_page: n === 1,
      last_page: n === 3,
      empty: false,
      contents: items,
      ...extra,
    });
    nock('https://directory.example')
      .get('/api/services')
      .reply(200, page(1, [service('p1'), service('p2')]))
      .get('/api/services')
      .query({ page: '2' })
      .reply(200, page(2, [service('p3'), service('p4')]))
      .get('/api/services')
      .query({ page: '3' })
      .reply(200, page(3, [service('p5'), service('p6'), service('p7')]));
    const report = await importSource(
      store,
      { input: 'https://directory.example/api/services', now: NOW },
      silentLogger,
    );
    expect(report.created).toBe(7);
    expect(report.rejected.map((r) => r.reason)).toEqual([
      'the envelope says size 2 but the page holds 3 items; all 3 were read',
      'the envelope says total_items 5 but its 3 pages hold 7',
    ]);

    nock('https://broken.example')
      .get('/services')
      .reply(200, page(1, [service('x1')]))
      .get('/services')
      .query({ page: '2' })
      .reply(500);
    const before = await count('service');
    await expect(
      importSource(store, { input: 'https://broken.example/services', now: NOW }, silentLogger),
    ).rejects.toThrow(/HTTP 500/);
    expect(await count('service')).toBe(before);
  });

  it('follows ORUK v1 pages numbered from 1 (Outpost) and Spring pages numbered from 0, each by its own numbering', async () => {
    const v1 = (n: number, items: unknown[]) => ({
      number: n,
      size: 2,
      totalPages: 2,
      totalElements: 4,
      first: n === 1,
      last: n === 2,
      content: items,
    });
    nock('https://outpost.example')
      .get('/api/v1/services')
      .reply(200, v1(1, [service('o1'), service('o2')]))
      .get('/api/v1/services')
      .query({ page: '2' })
      .reply(200, v1(2, [service('o3'), service('o4')]));
    const outpost = await importSource(
      store,
      { input: 'https://outpost.example/api/v1/services', now: NOW },
      silentLogger,
    );
    expect(outpost).toMatchObject({ created: 4, rejected: [] });

    const spring = (n: number, items: unknown[]) => ({ ...v1(n + 1, items), number: n });
    nock('https://spring.example')
      .get('/services')
      .reply(200, spring(0, [service('s1'), service('s2')]))
      .get('/services')
      .query({ page: '1' })
      .reply(200, spring(1, [service('s3')]));
    const zero = await importSource(store, { input: 'https://spring.example/services', now: NOW }, silentLogger);
    expect(zero.created).toBe(3);
    expect(nock.isDone()).toBe(true);
  });

  it('names the page a saved ORUK v1 page is by its own numbering', async () => {
    const file = write('page-1.json', [] as unknown[]);
    fs.writeFileSync(
      file,
      JSON.stringify({
        number: 1,
        size: 1,
        totalPages: 118,
        totalElements: 118,
        first: true,
        last: false,
        content: [service('f1')],
      }),
    );
    const report = await importSource(store, { input: file, now: NOW }, silentLogger);
    expect(report.rejected.map((r) => r.reason)).toEqual([
      "page-1.json is page 1 of 118; only this page was imported (import the directory's URL to read every page)",
    ]);
  });

  it('imports the coordinator template and rejects bad rows by row number', async () => {
    const good = await importSource(store, { input: TEMPLATE, now: NOW }, silentLogger);
    expect(good).toMatchObject({ format: 'csv', created: 4, rejected: [] });
    const entries = await new PrismaCatalogueRepository(store.prisma).listEntries({ source: 'coordinator-template' });
    expect(entries.find((e) => e.externalId === 'kt-lunch')).toMatchObject({
      audiences: ['older_people'],
      howToJoin: 'drop_in',
      cost: { amount: 3.5, isFree: false },
      venue: { postcode: 'NW5 2SP', ward: 'Kentish Town South', accessibility: ['step_free', 'accessible_toilet'] },
    });
    const occ = await new PrismaCatalogueRepository(store.prisma).listOccurrences({
      from: NOW,
      to: new Date('2027-02-01T00:00:00Z'),
    });
    expect(occ.filter((o) => o.title.startsWith('Mental Health')).map((o) => o.start)).toEqual([
      '2027-01-12T09:30:00+00:00',
      '2027-01-19T09:30:00+00:00',
    ]);
    expect(occ.filter((o) => o.title.startsWith('Bengali')).map((o) => o.start)).toEqual([
      '2026-12-10T10:30:00+00:00',
      '2027-01-14T10:30:00+00:00',
    ]);

    const header = fs.readFileSync(TEMPLATE, 'utf8').split('\n')[0];
    const sheet = write(
      'sheet.csv',
      [
        header,
        ',Walk,,,,,,,,,,,Monday,10:00,11:00,weekly',
        ',,,no title here',
        ',Chess,activity,,,Hall,,NOTAPOSTCODE',
        ',Yoga,activity,,,,,,,,,,Funday,10:00',
        ',Quiz,pub,',
        ',Walk,,,,,,,,,,,Monday,10:00,11:00,weekly',
      ].join('\n'),
    );
    const report = await importSource(store, { input: sheet, now: NOW, format: 'csv' }, silentLogger);
    expect(report.created).toBe(1);
    expect(report.rejected).toEqual([
      { ref: 'row 3', reason: 'title is empty' },
      { ref: 'row 4', reason: 'postcode "NOTAPOSTCODE" is not a UK postcode' },
      { ref: 'row 5', reason: 'days "Funday" is not a list of days such as "Tuesday, Thursday"' },
      { ref: 'row 6', reason: 'kind "pub" is not activity, training or resource' },
      {
        ref: 'row 7',
        reason: 'same activity as row 2 (same id, or same organisation and title): give each row its own id',
      },
    ]);
  });

  it('never writes staff e-mail addresses from a directory to the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'debug', destination: sink });
    const file = write('people.json', [
      service('e1', {
        contacts: [{ name: 'Jo Bloggs', email: 'jo.bloggs@partner.example' }],
        email: 'team@partner.example',
      }),
      service('e2', { name: '' }),
    ]);
    await importSource(store, { input: file, now: NOW }, logger);
    await importSource(store, { input: write('bad.json', '{"oops'), now: NOW }, logger).catch(() => {});
    const log = lines.join('');
    expect(log).toContain('import finished');
    expect(log).not.toContain('jo.bloggs@partner.example');
    expect(log).not.toContain('team@partner.example');
    expect(log).not.toContain('Jo Bloggs');
  });
});
