import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.ts';
import { renderIcal, type SkippedEntry } from '../../src/catalogue/export/export-ical.ts';
import { readCatalogue } from '../../src/catalogue/export/read-catalogue.ts';
import { createFeedRoutes, FEED_PATHS } from '../../src/catalogue/feeds/catalogue-feeds.ts';
import { escapeText, foldLine, paramValue } from '../../src/catalogue/ical/write-ical.ts';
import { importSource } from '../../src/catalogue/ingest/import-source.ts';
import { parseIcal } from '../../src/catalogue/ingest/parse-ical.ts';
import { createHttpServer, listen } from '../../src/http-server.ts';
import { toCsv } from '../../src/insights/csv.ts';
import { silentLogger } from '../../src/logger.ts';
import { createCaptureLogger } from '../helpers/capture-logger.ts';
import { openTestStore, type TestStore } from '../helpers/test-db.ts';

const NOW = new Date('2026-12-01T09:00:00Z');

/** The content lines of an iCalendar text, unfolded. */
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '').split('\r\n');

describe('attack: one odd value takes the calendar feed down', () => {
  let store: TestStore;
  let server: http.Server;
  let base: string;
  const logged = createCaptureLogger();
  beforeAll(async () => {
    store = await openTestStore('pglite');
    await importSource(
      store,
      { input: 'test/fixtures/security/odd-values.csv', source: 'odd', format: 'csv', now: NOW },
      silentLogger,
    );
    server = createHttpServer(createFeedRoutes({ store, clock: fixedClock(NOW), logger: logged }), silentLogger);
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  });

  it('a line break and quotes in a contact name: /feeds/catalogue.ics still answers 200 with every entry', async () => {
    const res = await fetch(`${base}${FEED_PATHS.ical}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    const lines = unfold(body);
    const organizer = lines.find((l) => l.startsWith('ORGANIZER') && l.includes('lunch@example.org'));
    expect(organizer).toBe(`ORGANIZER;CN="Maya 'M' Jones Reception desk":mailto:lunch@example.org`);
    // Every physical line is at most 75 octets and none holds a bare control character.
    for (const physical of body.split('\r\n')) {
      expect(Buffer.byteLength(physical, 'utf8')).toBeLessThanOrEqual(75);
      expect(physical).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f]/);
    }
    // It reads back: both entries, with the description as it was written.
    const parsed = parseIcal(body, { now: NOW });
    expect(parsed.rejected).toEqual([]);
    expect(parsed.entries.map((e) => e.title).sort()).toEqual([
      '=HYPERLINK("https://evil.example","Lunch")',
      'Tea and Chat',
    ]);
    const lunch = parsed.entries.find((e) => e.title.startsWith('='));
    expect(lunch?.description).toBe('Soup; bread, and a\\backslash\nsecond line');
    expect(lines).toContain('DESCRIPTION:Soup\\; bread\\, and a\\\\backslash\\nsecond line');
  });

  it('the ORUK feed answers 200 with the name as data', async () => {
    const res = await fetch(`${base}${FEED_PATHS.oruk}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { contents: { name: string; contacts?: { name?: string }[] }[] };
    expect(page.contents.map((s) => s.name)).toContain('=HYPERLINK("https://evil.example","Lunch")');
    expect(logged.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });

  it('an entry that still cannot be written is left out and logged, and the rest of the feed is served', async () => {
    const { entries } = await readCatalogue(store.sql, {});
    const broken = entries.map((e) => (e.title === 'Tea and Chat' ? { ...e, updatedAt: new Date(Number.NaN) } : e));
    const skipped: SkippedEntry[] = [];
    const ics = renderIcal(broken, { now: NOW, onSkip: (s) => skipped.push(s) });
    expect(skipped).toEqual([
      { entryId: entries.find((e) => e.title === 'Tea and Chat')!.id, reason: expect.any(String) },
    ]);
    const parsed = parseIcal(ics, { now: NOW });
    expect(parsed.entries.map((e) => e.title)).toEqual(['=HYPERLINK("https://evil.example","Lunch")']);
  });
});

describe('escaping for each export format', () => {
  it('iCalendar TEXT: backslash, ; , and line breaks escaped; other control characters dropped', () => {
    expect(escapeText('a\\b;c,d\r\ne\rf\ng\u0000\u001b[2J')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng[2J');
  });

  it('iCalendar parameter values: always quoted, never holding a quote or a line break', () => {
    expect(paramValue('Maya "M"\nJones;x:y')).toBe(`"Maya 'M' Jones;x:y"`);
  });

  it('iCalendar lines fold at 75 octets without splitting a character', () => {
    const folded = foldLine(`SUMMARY:${'é'.repeat(100)}`);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'é'.repeat(100)}`);
  });

  it('CSV: quotes and line breaks quoted, and formula prefixes (= + - @) neutralised', () => {
    const csv = toCsv([{ a: '=HYPERLINK("x")', b: '+1', c: '-2', d: '@SUM(A1)', e: 'two\nlines', f: 'say "hi"' }]);
    expect(csv).toBe(`a,b,c,d,e,f\r\n"'=HYPERLINK(""x"")",'+1,'-2,'@SUM(A1),"two\nlines","say ""hi"""\r\n`);
  });
});
