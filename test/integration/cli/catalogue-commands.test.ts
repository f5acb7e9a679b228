import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIcs } from '../../helpers/ics.ts';
import { cli, freshCliDatabase, heldCliDatabase } from '../../helpers/run-cli.ts';
import { STORE_KINDS } from '../../helpers/test-db.ts';

const ICAL = fileURLToDir('../../fixtures/ical/');
function fileURLToDir(rel: string) {
  return new URL(rel, import.meta.url).pathname;
}

describe.each(STORE_KINDS)('signpost CLI on %s', (kind) => {
  let url: string;
  let cleanup: () => Promise<void>;
  let dir: string;
  beforeEach(async () => {
    ({ url, dir, cleanup } = await freshCliDatabase(kind, 'signpost-cli-'));
  });
  /**
   * Swaps the new database for a migrated one held open for the test (commands run on the open store), which is
   * quicker than the CLI creating and migrating a folder and then reopening it for every command.
   */
  const migrated = async () => {
    await cleanup();
    ({ url, dir, cleanup } = await heldCliDatabase(kind, 'signpost-cli-'));
  };
  afterEach(() => cleanup());

  // This one starts on a new folder, so the CLI creating and migrating one stays tested.
  it('imports a feed and lists its occurrences and entries with the documented JSON shapes', async () => {
    const feed = path.join(dir, 'camden-partner.ics');
    fs.writeFileSync(
      feed,
      buildIcs([
        {
          uid: 'a',
          summary: 'Seated exercise',
          start: '20270302T103000',
          end: '20270302T113000',
          rrule: 'FREQ=WEEKLY;COUNT=6',
        },
        { uid: 'b', summary: 'Carers coffee morning', start: '20270329T100000', end: '20270329T120000' },
        { uid: 'c', summary: 'Spring fair', start: '20270403', end: '20270405' },
      ]),
    );
    const now = '2027-03-01T09:00:00Z';
    const imported = await cli(url, 'import', feed, '--source', 'partner', '--now', now, '--json');
    expect(imported.code).toBe(0);
    expect(imported.json()).toEqual({
      source: 'partner',
      format: 'ical',
      created: 3,
      updated: 0,
      unchanged: 0,
      removed: 0,
      rejected: [],
    });
    const again = await cli(url, 'import', feed, '--source', 'partner', '--now', now, '--json');
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 3, removed: 0 });

    const occ = await cli(url, 'occurrences', '--from', '2027-03-01', '--to', '2027-04-10', '--json', '--now', now);
    expect(occ.code).toBe(0);
    const rows = occ.json() as Record<string, unknown>[];
    expect(rows.map((r) => Object.keys(r).sort())).toEqual(
      rows.map(() => ['allDay', 'end', 'entryId', 'source', 'start', 'title']),
    );
    // Across the March clock change: 10:30 local is +00:00 before 28 March and +01:00 after.
    expect(rows.map((r) => `${r.title}@${r.start}`)).toEqual(
      [
        'Seated exercise@2027-03-02T10:30:00+00:00',
        'Seated exercise@2027-03-09T10:30:00+00:00',
        'Seated exercise@2027-03-16T10:30:00+00:00',
        'Seated exercise@2027-03-23T10:30:00+00:00',
        'Carers coffee morning@2027-03-29T10:00:00+01:00',
        'Seated exercise@2027-03-30T10:30:00+01:00',
        'Seated exercise@2027-04-06T10:30:00+01:00',
        'Spring fair@2027-04-03',
      ].sort((a, b) => a.split('@')[1]!.localeCompare(b.split('@')[1]!)),
    );
    const fair = rows.find((r) => r.title === 'Spring fair')!;
    expect(fair).toMatchObject({ allDay: true, start: '2027-04-03', end: '2027-04-05', source: 'partner' });

    const entries = await cli(url, 'entries', '--source', 'partner', '--json');
    const list = entries.json() as { id: string; title: string; kind: string; source: string }[];
    expect(list.map((e) => e.title).sort()).toEqual(['Carers coffee morning', 'Seated exercise', 'Spring fair']);
    expect(new Set(list.map((e) => e.id))).toEqual(new Set(rows.map((r) => r.entryId)));
    expect(list.every((e) => e.source === 'partner' && e.kind === 'activity')).toBe(true);

    const text = await cli(url, 'occurrences', '--from', '2027-03-01', '--to', '2027-03-03');
    expect(text.stdout).toContain('Seated exercise');
  });

  // The import command opens the store while it reads its input: a refusal that comes first still closes it.
  it('refuses a missing file while the store is still opening, and leaves the store closed and usable', async () => {
    const missing = await cli(url, 'import', path.join(dir, 'nope.ics'), '--now', '2027-03-01T00:00:00Z');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No such file');
    if (kind === 'pglite') expect(fs.existsSync(path.join(dir, 'db', 'signpost.lock'))).toBe(false);
    const good = path.join(dir, 'feed.ics');
    fs.writeFileSync(good, buildIcs([{ uid: 'x', summary: 'Knit and natter', start: '20270302T103000' }]));
    const imported = await cli(url, 'import', good, '--source', 'feed', '--now', '2027-03-01T00:00:00Z', '--json');
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({ source: 'feed', created: 1 });
    if (kind === 'pglite') expect(fs.existsSync(path.join(dir, 'db', 'signpost.lock'))).toBe(false);
  });

  it('refuses input that is not a calendar with exit code 2 and one clear line, changing nothing', async () => {
    await migrated();
    const good = path.join(dir, 'feed.ics');
    fs.writeFileSync(good, buildIcs([{ uid: 'x', summary: 'Knit and natter', start: '20270302T103000' }]));
    await cli(url, 'import', good, '--now', '2027-03-01T00:00:00Z');
    const refused = await cli(
      url,
      'import',
      path.join(ICAL, 'html-sign-in-page-not-ics.ics'),
      '--source',
      'feed',
      '--json',
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/not an iCalendar|HTML/i);
    const missing = await cli(url, 'import', path.join(dir, 'nope.ics'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No such file');
    const entries = await cli(url, 'entries', '--json');
    expect((entries.json() as unknown[]).length).toBe(1);
  });

  it('imports every sample calendar as its source describes', async () => {
    await migrated();
    const results: Record<string, { code: number; created?: number }> = {};
    // A clock near each file's own dates, so its events fall inside the import horizon.
    const nowFor = (file: string) =>
      /rdate_exdate|whole_day|date_duration/.test(file)
        ? '2024-01-01T00:00:00Z'
        : /music-school/.test(file)
          ? '2022-06-01T00:00:00Z'
          : /biweekly/.test(file)
            ? '2017-05-01T00:00:00Z'
            : /daily-count/.test(file)
              ? '2015-07-01T00:00:00Z'
              : '2012-06-01T00:00:00Z';
    for (const file of fs.readdirSync(ICAL).filter((f) => f.endsWith('.ics'))) {
      const r = await cli(url, 'import', path.join(ICAL, file), '--now', nowFor(file), '--json');
      results[file] = { code: r.code, ...(r.code === 0 ? { created: (r.json() as { created: number }).created } : {}) };
    }
    expect(results['html-sign-in-page-not-ics.ics']!.code).toBe(2);
    expect(results['placecal_empty-outlook365-calendar.ics']).toEqual({ code: 0, created: 0 });
    expect(results['pyicalendar_bom_calendar.ics']).toEqual({ code: 0, created: 0 });
    for (const [file, r] of Object.entries(results)) {
      if (!file.startsWith('html-sign-in') && !file.startsWith('placecal_empty') && !file.startsWith('pyicalendar')) {
        expect(r.code, file).toBe(0);
        expect(r.created, file).toBeGreaterThan(0);
      }
    }
    // ical.js's own expectation: DAILY;COUNT=4 with a DATE EXDATE gives exactly three instances.
    const occ = await cli(
      url,
      'occurrences',
      '--from',
      '2024-06-01',
      '--to',
      '2024-07-01',
      '--source',
      'icaljs_rdate_exdate',
      '--json',
    );
    expect((occ.json() as { start: string }[]).map((o) => o.start)).toEqual([
      '2024-06-09T04:00:00+01:00',
      '2024-06-10T04:00:00+01:00',
      '2024-06-12T04:00:00+01:00',
    ]);
  });

  it('validates --now and command flags', async () => {
    await migrated();
    expect((await cli(url, 'entries', '--now', 'next tuesday')).code).toBe(1);
    const bad = await cli(url, 'occurrences', '--from', '2027-03-01');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--to/);
    expect((await cli(url, 'frobnicate')).code).toBe(1);
    expect((await cli(url, 'entries', '--bogus')).code).toBe(1);
  });
});

describe('npm run -s cli', () => {
  it('runs as a real process and exits 2 for refused input', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-proc-'));
    try {
      const html = path.join(dir, 'page.ics');
      fs.writeFileSync(html, '<!DOCTYPE html><html><head><title>Sign in</title></head></html>');
      const run = spawnSync('npm', ['run', '-s', 'cli', '--', 'import', html, '--json'], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: 'pglite:memory' },
        timeout: 120_000,
      });
      expect(run.status).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'IMPORT.REFUSED' } });
      expect(run.stderr).toMatch(/Refused: .*Nothing was imported\./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
