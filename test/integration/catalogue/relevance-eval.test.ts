import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetSchema, evaluateDataset, loadDataset, loadDatasets } from '../../../scripts/relevance/evaluate.ts';
import { folkestoneToCoordinatorCsv, scheduleColumns } from '../../../scripts/relevance/folkestone.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';

const RELEVANCE = fileURLToPath(new URL('../../fixtures/relevance/', import.meta.url));
const NOW = '2026-11-23T09:00:00Z';

describe('Folkestone & Hythe directory schema to a coordinator sheet', () => {
  it('reads the simple timing notes as days, times and monthly patterns, and leaves the irregular ones as words', () => {
    expect(scheduleColumns('10:30am - 12:30pm Every 2nd Sunday of the month')).toEqual({
      days: 'Sunday',
      start_time: '10:30',
      end_time: '12:30',
      frequency: 'second of the month',
    });
    expect(scheduleColumns('12:15pm-1:30pm on Tuesdays & Thursdays')).toEqual({
      days: 'Tuesday, Thursday',
      start_time: '12:15',
      end_time: '13:30',
    });
    expect(scheduleColumns('10am-12pm Monday-Friday')).toEqual({
      days: 'Monday, Tuesday, Wednesday, Thursday, Friday',
      start_time: '10:00',
      end_time: '12:00',
    });
    expect(scheduleColumns('10:00am - 2:00pm Mon, Tue, Thu & Fri').days).toBe('Monday, Tuesday, Thursday, Friday');
    for (const irregular of [
      'Every other Friday evening',
      'Annual (July)',
      '7:30pm - 9:30pm 2nd and 4th Tuesdays of the month',
      '9am-10:30am on Tuesdays (term time only)',
      'Any time',
      '',
    ]) {
      expect(scheduleColumns(irregular), irregular).toEqual({});
    }
  });

  it('keeps titles, organisations, descriptions, timing notes, categories, places and flags', () => {
    const sheet = folkestoneToCoordinatorCsv(path.join(RELEVANCE, 'folkestone-schema'));
    const [header, ...rows] = sheet.trimEnd().split('\r\n');
    expect(header).toContain('title,kind,description,organisation,venue,address,postcode');
    expect(rows).toHaveLength(4);
    expect(sheet).toContain('Harbour Repair Café');
    expect(sheet).toContain('CT20 3BN');
    expect(sheet).toContain('When: 10:30am - 12:30pm Every 2nd Sunday of the month.');
    expect(sheet).toContain('Run with Seaview Library Service.');
    expect(sheet).toContain('Community service; Zero waste; No food poverty; save money; get involved');
    expect(sheet).toContain('""free to a good home""');
  });

  describe('imported through the coordinator sheet path', () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await openTestStore('pglite');
    });
    afterEach(async () => store.close());

    it('loads every service, with its organisation, audience, cost and schedule', async () => {
      const dataset = DatasetSchema.parse({
        dataset: 'sample',
        about: 'invented rows',
        now: NOW,
        imports: [{ path: 'folkestone-schema', format: 'folkestone' }],
        questions: [],
      });
      const load = await loadDataset(store, dataset, RELEVANCE);
      expect(load).toMatchObject({ loaded: ['folkestone-schema'], missing: [], created: 4 });
      const { rows } = await store.sql.query<{
        name: string;
        org: string | null;
        audiences: string[];
        is_free: boolean | null;
        kind: string;
        sessions: number;
        attending: string[];
      }>(
        `SELECT s.name, o.name AS org, s.audiences, s.is_free, s.kind, s.attending_types AS attending,
                (SELECT count(*)::int FROM occurrence WHERE service_id = s.id) AS sessions
           FROM service s LEFT JOIN organization o ON o.id = s.organization_id ORDER BY s.external_id`,
      );
      expect(rows.map((r) => r.name)).toEqual([
        'Harbour Repair Café',
        'Knit and Natter',
        'Toddler Time',
        'Online Swap Shop',
      ]);
      expect(rows[0]).toMatchObject({ org: 'Harbour Community Hub', is_free: true, kind: 'activity' });
      expect(rows[0]!.sessions).toBeGreaterThan(0);
      expect(rows[1]!.sessions).toBe(0);
      expect(rows[2]!.audiences).toContain('parents_of_young_children');
      expect(rows[2]!.sessions).toBeGreaterThan(40);
      expect(rows[3]).toMatchObject({ kind: 'resource' });
    });
  });
});

describe('judging a data set', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore('pglite');
  });
  afterEach(async () => store.close());

  it('scores top-1, top-3 and MRR, counts a forbidden listing in the top 3 as a miss, and reports held-out questions apart', async () => {
    const dataset = DatasetSchema.parse({
      dataset: 'demo-check',
      about: 'checks on the scoring',
      now: NOW,
      demo: true,
      questions: [
        { q: 'Knit and Natter – Belsize', expect: ['Knit and Natter – Belsize'], set: 'dev' },
        {
          q: 'Knit and Natter – Belsize',
          expect: ['knit and natter – belsize'],
          forbid: ['Knit and Natter – Belsize'],
          set: 'dev',
        },
        { q: 'Knit and Natter – Belsize', expect: ['No Such Listing Anywhere'], set: 'heldout' },
        { q: 'seated exercise', expectCategory: ['falls prevention'], set: 'heldout' },
      ],
    });
    const load = await loadDataset(store, dataset, undefined);
    const outcome = await evaluateDataset(store, dataset, load);
    expect(outcome.skipped).toEqual(['Knit and Natter – Belsize']);
    expect(outcome.unknownExpectations).toEqual(['No Such Listing Anywhere']);
    const [exact, forbidden, category] = outcome.questions;
    expect(exact).toMatchObject({ rank: 1, top1: true, top3: true, forbidden: [] });
    expect(forbidden).toMatchObject({ rank: 1, top1: false, top3: false, forbidden: ['Knit and Natter – Belsize'] });
    expect(category).toMatchObject({ set: 'heldout', rank: 1, top3: true });
    expect(outcome.figures.dev).toEqual({ count: 2, top1: 0.5, top3: 0.5, mrr: 1 });
    expect(outcome.figures.heldout).toEqual({ count: 1, top1: 1, top3: 1, mrr: 1 });
    expect(outcome.figures.all.count).toBe(3);
  });

  it('loads what the data folder has, reports the rest as missing, and reads a data package whose tables sit in data/', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-relevance-test-'));
    const pkg = path.join(RELEVANCE, 'imports/hsds/hsds-1.1_sample-datapackage');
    fs.mkdirSync(path.join(folder, 'package/data'), { recursive: true });
    fs.copyFileSync(path.join(pkg, 'datapackage.json'), path.join(folder, 'package/datapackage.json'));
    for (const f of fs.readdirSync(pkg).filter((f) => f.endsWith('.csv') && f !== 'holiday_schedules.csv')) {
      fs.copyFileSync(path.join(pkg, f), path.join(folder, 'package/data', f));
    }
    const dataset = DatasetSchema.parse({
      dataset: 'partial',
      about: 'one file present, one missing',
      now: NOW,
      imports: [{ path: 'package', format: 'hsds' }, { path: 'not-here.json' }],
      questions: [],
    });
    try {
      const load = await loadDataset(store, dataset, folder);
      expect(load.loaded).toEqual(['package']);
      expect(load.missing).toEqual(['not-here.json']);
      expect(load.created).toBeGreaterThan(0);
      // The corrected descriptor lived in a scratch folder that is gone again; the data package is untouched.
      expect(fs.readdirSync(path.join(folder, 'package')).sort()).toEqual(['data', 'datapackage.json']);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('finds every committed data set file valid, with at least 40 questions per data set but Bristol and no question twice', () => {
    const datasets = loadDatasets();
    expect(datasets.map((d) => d.dataset).sort()).toEqual([
      'demo',
      'real-bristol',
      'real-bucks',
      'real-folkestone',
      'real-miami',
      'real-placecal',
    ]);
    for (const d of datasets) {
      if (d.dataset !== 'real-bristol') expect(d.questions.length, d.dataset).toBeGreaterThanOrEqual(40);
      expect(new Set(d.questions.map((q) => q.q.toLowerCase())).size, `${d.dataset}: repeated question`).toBe(
        d.questions.length,
      );
    }
    expect(datasets.reduce((n, d) => n + d.questions.length, 0)).toBeGreaterThanOrEqual(200);
  });
});
