import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { renderIcal } from '../../../src/catalogue/export/export-ical.ts';
import { renderOruk } from '../../../src/catalogue/export/export-oruk.ts';
import { type ExportEntry, readCatalogue } from '../../../src/catalogue/export/read-catalogue.ts';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { silentLogger } from '../../../src/logger.ts';
import { cli } from '../../helpers/run-cli.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');
const HSDS = path.resolve('test/fixtures/hsds');

type Format = 'ical' | 'oruk';

/** What each format carries: iCalendar holds dated entries (no status, audiences…); ORUK holds everything. */
function projection(e: ExportEntry, format: Format): string {
  const common = [e.title, e.kind, e.description, [...e.categories].sort(), e.url];
  if (format === 'ical') return JSON.stringify(common);
  return JSON.stringify([
    ...common,
    e.status,
    [...e.audiences].sort(),
    [...e.languages].sort(),
    e.howToJoin,
    [...e.attendingTypes].sort(),
    e.location?.postalCode ?? null,
    e.location?.ward ?? null,
    [...(e.location?.accessibility ?? [])].sort(),
    e.organisation?.name ?? null,
    e.isFree,
    e.eligibility,
    e.assuredDate,
  ]);
}

function occurrences(entries: ExportEntry[], format: Format): string[] {
  return entries
    .flatMap((e) =>
      e.occurrences
        .filter((o) => format === 'ical' || o.status !== 'cancelled')
        .map((o) =>
          [
            e.title,
            o.start.toISOString(),
            o.end.toISOString(),
            o.allDay,
            o.status,
            format === 'ical' ? (o.title ?? '') : '',
          ].join('|'),
        ),
    )
    .sort();
}

describe.each(STORE_KINDS)('export round trips on %s', (kind) => {
  let origin: TestStore;
  let dir: string;
  beforeAll(async () => {
    origin = await openTestStore(kind);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-export-'));
    await seedDemo(origin, NOW);
    await importSource(
      origin,
      { input: path.join(HSDS, 'hsds-1.1_sample-datapackage'), now: NOW, source: 'hsds-sample' },
      silentLogger,
    );
    await importSource(
      origin,
      { input: path.join(HSDS, 'oruk-3.0_uk-profile/json/service_full.json'), now: NOW, source: 'oruk-sample' },
      silentLogger,
    );
    await importSource(
      origin,
      { input: path.resolve('templates/coordinator-template.csv'), now: NOW, source: 'coordinator' },
      silentLogger,
    );
  });
  afterAll(async () => {
    await origin.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const format of ['ical', 'oruk'] as const) {
    it(`gives the same entries and occurrences after ${format} export and re-import into an empty store`, async () => {
      const { entries } = await readCatalogue(origin.sql, {});
      const file = path.join(dir, format === 'ical' ? 'catalogue.ics' : 'catalogue.json');
      fs.writeFileSync(
        file,
        format === 'ical' ? renderIcal(entries, { now: NOW }) : JSON.stringify(renderOruk(entries, { now: NOW })),
      );
      const target = await openTestStore(kind);
      try {
        const report = await importSource(target, { input: file, now: NOW, source: 'round-trip' }, silentLogger);
        const expected = format === 'ical' ? entries.filter((e) => e.occurrences.length > 0) : entries;
        expect(report.rejected).toEqual([]);
        expect(report.created).toBe(expected.length);
        const back = (await readCatalogue(target.sql, {})).entries;
        expect(back.map((e) => projection(e, format)).sort()).toEqual(
          expected.map((e) => projection(e, format)).sort(),
        );
        expect(occurrences(back, format)).toEqual(occurrences(expected, format));
        // Exporting again gives the same UIDs / ids for the same entries in the origin store.
        if (format === 'ical') {
          const uids = (t: string) => [...t.matchAll(/^UID:(.*)$/gm)].map((m) => m[1]);
          expect(uids(renderIcal(entries, { now: NOW }))).toEqual(uids(fs.readFileSync(file, 'utf8')));
        }
      } finally {
        await target.close();
      }
    });
  }

  it('writes a valid feed with VTIMEZONE, kept RRULEs and a service list whose counts match', async () => {
    const { entries } = await readCatalogue(origin.sql, { source: 'signpost-demo' });
    const ics = renderIcal(entries, { now: NOW });
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/London');
    const uids = [...ics.matchAll(/^UID:(.*)\r$/gm)].map((m) => m[1]);
    const masters = ics
      .split('BEGIN:VEVENT')
      .slice(1)
      .filter((v) => !v.includes('RECURRENCE-ID'));
    expect(new Set(masters.map((v) => /UID:(.*)\r/.exec(v)?.[1])).size).toBe(masters.length);
    expect(uids.every((u) => u?.endsWith('@signpost'))).toBe(true);
    expect(ics.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);

    const page = renderOruk(entries, { now: NOW, page: 2, perPage: 50 });
    expect(page).toMatchObject({
      total_items: entries.length,
      page_number: 2,
      size: 50,
      first_page: false,
      empty: false,
    });
    expect(page.total_pages).toBe(Math.ceil(entries.length / 50));
    expect(page.contents).toHaveLength(50);
  });

  it('exports to stdout from the command line, filtered by source', async () => {
    if (kind !== 'postgres') return;
    const ical = await cli(
      origin.url,
      'export',
      '--format',
      'ical',
      '--source',
      'coordinator',
      '--now',
      NOW.toISOString(),
    );
    expect(ical.code).toBe(0);
    expect(ical.stdout).toMatch(
      /^BEGIN:VCALENDAR\r\n[\s\S]*SUMMARY:Mental Health First Aid \(2 days\)[\s\S]*END:VCALENDAR\r\n$/,
    );
    const oruk = await cli(
      origin.url,
      'export',
      '--format',
      'oruk',
      '--source',
      'coordinator',
      '--now',
      NOW.toISOString(),
    );
    expect(oruk.json()).toMatchObject({
      total_items: 4,
      total_pages: 1,
      contents: expect.arrayContaining([expect.objectContaining({ name: 'Kentish Town Lunch Club' })]),
    });
    const bad = await cli(origin.url, 'export', '--format', 'pdf');
    expect(bad.code).toBe(1);
  });
});
