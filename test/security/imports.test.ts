import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSource } from '../../src/catalogue/ingest/import-source.ts';
import type { ImportReport } from '../../src/catalogue/model.ts';
import { silentLogger } from '../../src/logger.ts';
import { openTestStore, type TestStore } from '../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

describe('imports: what a partner’s feed cannot slip in', () => {
  let store: TestStore;
  let dir: string;
  let ical: ImportReport;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-hostile-'));
    ical = await importSource(
      store,
      { input: 'test/fixtures/security/hostile-partner.ics', source: 'hostile', now: NOW },
      silentLogger,
    );
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const reasonsFor = (report: ImportReport, ref: string) =>
    report.rejected.filter((r) => r.ref === ref).map((r) => r.reason);
  const service = async (source: string, externalId: string) =>
    (
      await store.sql.query<{ id: string; name: string; url: string | null }>(
        'SELECT s.id, s.name, s.url FROM service s JOIN source o ON o.id = s.source_id WHERE o.name = $1 AND s.external_id = $2',
        [source, externalId],
      )
    ).rows[0];
  const dates = async (serviceId: string) =>
    (
      await store.sql.query<{ start: Date }>('SELECT start FROM occurrence WHERE service_id = $1 ORDER BY start', [
        serviceId,
      ])
    ).rows.map((r) => new Date(r.start).toISOString().slice(0, 10));

  it('attack: javascript: and data: web addresses are dropped at import, with a note; the event is kept', async () => {
    expect(reasonsFor(ical, 'js-link@hostile')).toEqual([
      expect.stringMatching(/web address "javascript:…" was dropped: only http and https/),
    ]);
    expect(reasonsFor(ical, 'data-link@hostile')).toEqual([expect.stringMatching(/"data:…" was dropped/)]);
    expect((await service('hostile', 'js-link@hostile'))?.url).toBeNull();
    expect((await service('hostile', 'data-link@hostile'))?.url).toBeNull();
    expect((await service('hostile', 'good-link@hostile'))?.url).toBe('https://example.org/yoga');
  });

  it('a broken VTIMEZONE rejects only the event that uses it', async () => {
    expect(reasonsFor(ical, 'broken-zone@hostile')).toEqual([
      expect.stringMatching(/time zone "Camden Local" has a broken VTIMEZONE/),
    ]);
    expect(await service('hostile', 'broken-zone@hostile')).toBeUndefined();
    expect(ical.created).toBe(7);
  });

  it('BYMONTHDAY=30 skips February instead of moving to 2 March', async () => {
    const s = await service('hostile', 'day-30@hostile');
    expect(await dates(s!.id)).toEqual(['2027-01-30', '2027-03-30']);
  });

  it('COUNT counts a DTSTART the rule does not match as the first instance', async () => {
    const s = await service('hostile', 'count@hostile');
    expect(await dates(s!.id)).toEqual(['2027-01-04', '2027-01-05', '2027-02-02']);
  });

  it('the per-event session limit and the title limit are reported, not silent', async () => {
    expect(reasonsFor(ical, 'hourly@hostile')).toEqual([
      expect.stringMatching(
        /^kept, but only the 2,000 sessions nearest today of its 2,\d{3} \(the limit for one event\)$/,
      ),
    ]);
    expect(reasonsFor(ical, 'long-title@hostile')).toEqual([
      'kept, but its title was cut to 500 characters (it had 639)',
    ]);
    expect((await service('hostile', 'long-title@hostile'))?.name.length).toBe(500);
  });

  it('Open Referral: a file: web address is dropped with a note, and list items that are not services are reported', async () => {
    const file = path.join(dir, 'services.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        total_items: 2,
        total_pages: 1,
        page_number: 1,
        size: 2,
        contents: [
          {
            id: 'svc-1',
            name: 'Befriending',
            status: 'active',
            url: 'file:///etc/passwd',
            organization: { id: 'org-1', name: 'Friends', website: 'javascript:alert(1)' },
          },
          'not a record',
        ],
      }),
    );
    const report = await importSource(
      store,
      { input: file, source: 'oruk-hostile', format: 'hsds', now: NOW },
      silentLogger,
    );
    expect(reasonsFor(report, 'svc-1')).toEqual([
      expect.stringMatching(/its web address "file:…" was dropped/),
      expect.stringMatching(/its organisation's web address "javascript:…" was dropped/),
    ]);
    expect(reasonsFor(report, 'envelope')).toEqual([
      expect.stringMatching(/^1 item is not a service .* not imported$/),
    ]);
    expect((await service('oruk-hostile', 'svc-1'))?.url).toBeNull();
  });

  it('Open Referral tables: rows naming a service the package lacks are reported', async () => {
    const file = path.join(dir, 'tabular.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        'services.csv': [{ id: 'svc-1', name: 'Lunch club', status: 'active' }],
        'schedules.csv': [
          { id: 'sch-1', service_id: 'svc-1', freq: 'WEEKLY', byday: 'TU', opens_at: '12:00', closes_at: '14:00' },
          { id: 'sch-2', service_id: 'ghost', freq: 'WEEKLY', byday: 'WE', opens_at: '12:00', closes_at: '14:00' },
        ],
        'contacts.csv': [{ id: 'con-1', service_id: 'ghost', name: 'Nobody' }],
      }),
    );
    const report = await importSource(
      store,
      { input: file, source: 'tabular-hostile', format: 'hsds', now: NOW },
      silentLogger,
    );
    expect(report.rejected).toEqual(
      expect.arrayContaining([
        {
          ref: 'schedules table',
          reason: '1 row names a service the package does not have, so it was not imported (sch-2)',
        },
        {
          ref: 'contacts table',
          reason: '1 row names a service the package does not have, so it was not imported (con-1)',
        },
      ]),
    );
    expect(report.created).toBe(1);
  });

  it('coordinator sheet: a file: address keeps its row and is dropped with a note', async () => {
    const file = path.join(dir, 'sheet.csv');
    fs.writeFileSync(file, 'id,title,kind,url\r\nrow-1,Tea and chat,activity,file:///etc/passwd\r\n');
    const report = await importSource(
      store,
      { input: file, source: 'sheet-hostile', format: 'csv', now: NOW },
      silentLogger,
    );
    expect(report.created).toBe(1);
    expect(report.rejected).toEqual([
      { ref: expect.any(String), reason: expect.stringMatching(/"file:…" was dropped/) },
    ]);
    expect((await service('sheet-hostile', 'row-1'))?.url).toBeNull();
  });
});
