import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureSms } from '../../../src/catalogue/shortlist/gsm7.ts';
import { renderLeaflet } from '../../../src/catalogue/shortlist/leaflet-pdf.ts';
import type { ListingEssentials } from '../../../src/catalogue/shortlist/listing-essentials.ts';
import { listingPageUrl } from '../../../src/catalogue/pages/listing-url.ts';
import { type CliDatabase, cli, heldCliDatabase } from '../../helpers/run-cli.ts';
import { pdfPageSize, pdfPages, pdfQrCodes, pdfText, pdfTextSizes } from '../../helpers/read-pdf.ts';

const NOW = '2026-12-01T09:00:00Z';
const PUBLIC_URL = 'http://localhost:3978';

type Hit = { id: string; title: string };

describe('signpost leaflet and signpost sms over the demo catalogue, read back as a person would', () => {
  let db: CliDatabase;
  let dir: string;
  let url: string;
  let hits: Hit[];

  beforeAll(async () => {
    db = await heldCliDatabase('pglite', 'signpost-leaflet-');
    ({ dir, url } = db);
    expect((await cli(url, 'seed-demo', '--now', NOW)).code).toBe(0);
    const search = await cli(url, 'search', 'lunch club', '--json', '--limit', '6', '--now', NOW);
    hits = (search.json() as { results: Hit[] }).results;
    expect(hits.length).toBeGreaterThanOrEqual(5);
  }, 120_000);
  afterAll(() => db.cleanup());

  const title = (id: string) => hits.find((h) => h.id === id)!.title;

  it('writes a one-page A4 PDF holding every title on it, each with a QR code that opens its listing page', async () => {
    const ids = hits.slice(0, 3).map((h) => h.id);
    const out = path.join(dir, 'leaflet.pdf');
    const run = await cli(url, 'leaflet', '--entries', ids.join(','), '--out', out, '--json', '--now', NOW);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = run.json() as { out: string; print: string; bytes: number; entries: string[]; omitted: string[] };
    expect(report).toMatchObject({ out, print: 'normal', entries: ids, omitted: [] });

    const pdf = fs.readFileSync(out);
    expect(report.bytes).toBe(pdf.length);
    expect(pdfPages(pdf)).toBe(1);
    const size = pdfPageSize(pdf);
    expect(Math.round(size.width)).toBe(595);
    expect(Math.round(size.height)).toBe(842);
    const text = pdfText(pdf);
    for (const id of ids) expect(text).toContain(title(id));
    expect(text).toContain('When:');
    expect(text).toContain('Phone:');
    expect(pdfQrCodes(pdf).sort()).toEqual(ids.map((id) => listingPageUrl(PUBLIC_URL, id)).sort());
    // Normal print is clear print: nothing under 12 pt.
    expect(Math.min(...pdfTextSizes(pdf).map((t) => t.size))).toBeGreaterThanOrEqual(12);
  });

  it('prints a large-print leaflet with every piece of text at 16 pt or more, keeping the listings that fit on the page', async () => {
    const ids = hits.slice(0, 5).map((h) => h.id);
    const out = path.join(dir, 'large.pdf');
    const run = await cli(
      url,
      'leaflet',
      '--entries',
      ids.join(','),
      '--large-print',
      '--out',
      out,
      '--json',
      '--now',
      NOW,
    );
    expect(run.code).toBe(0);
    const report = run.json() as { print: string; entries: string[]; omitted: string[] };
    expect(report.print).toBe('large');
    expect([...report.entries, ...report.omitted]).toEqual(ids);
    expect(report.entries.length).toBeGreaterThanOrEqual(2);

    const pdf = fs.readFileSync(out);
    expect(pdfPages(pdf)).toBe(1);
    const sizes = pdfTextSizes(pdf);
    expect(sizes.length).toBeGreaterThan(10);
    for (const run of sizes) expect(run.size, run.text).toBeGreaterThanOrEqual(16);
    const text = pdfText(pdf);
    for (const id of report.entries) expect(text).toContain(title(id));
    for (const id of report.omitted) expect(text).not.toContain(title(id));
    expect(pdfQrCodes(pdf).sort()).toEqual(report.entries.map((id) => listingPageUrl(PUBLIC_URL, id)).sort());

    const plain = await cli(url, 'leaflet', '--entries', ids.join(','), '--large-print', '--out', out, '--now', NOW);
    if (report.omitted.length) expect(plain.stdout).toContain(`Did not fit on one page: ${report.omitted[0]}`);
  });

  it('prints the text message, and with --json {segments, characters, text}, within three segments', async () => {
    const ids = hits.slice(0, 2).map((h) => h.id);
    const run = await cli(url, 'sms', '--entries', ids.join(','), '--json', '--now', NOW);
    expect(run.code).toBe(0);
    const sms = run.json() as { segments: number; characters: number; text: string; omitted: string[] };
    expect(Object.keys(sms)).toEqual(['segments', 'characters', 'text', 'omitted']);
    expect(measureSms(sms.text)).toEqual({ characters: sms.characters, segments: sms.segments });
    expect(sms.segments).toBeLessThanOrEqual(3);
    expect(sms.characters).toBeLessThanOrEqual(459);
    for (const id of ids) {
      expect(sms.text).toContain(title(id));
      expect(sms.text).toContain(listingPageUrl(PUBLIC_URL, id));
    }
    const plain = await cli(url, 'sms', '--entries', ids.join(','), '--now', NOW);
    expect(plain.stdout).toBe(`${sms.text}\n`);
  });

  it('says which listings a text message too long for three segments leaves out', async () => {
    const ids = hits.slice(0, 5).map((h) => h.id);
    const run = await cli(url, 'sms', '--entries', ids.join(','), '--json', '--now', NOW);
    expect(run.code).toBe(0);
    const sms = run.json() as { segments: number; characters: number; text: string; omitted: string[] };
    expect(sms.omitted.length).toBeGreaterThan(0);
    expect(sms.characters).toBeLessThanOrEqual(459);
    expect(run.stderr).toContain('Too long for three SMS segments');
    expect(run.stderr).toContain(sms.omitted[0]!);
    for (const id of sms.omitted) expect(sms.text).not.toContain(id);
  });

  it('refuses ids that are not listings, writing nothing', async () => {
    const out = path.join(dir, 'never.pdf');
    const run = await cli(
      url,
      'leaflet',
      '--entries',
      `${hits[0]!.id},00000000-0000-4000-8000-000000000000`,
      '--out',
      out,
      '--now',
      NOW,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Not a listing in the catalogue now');
    expect(fs.existsSync(out)).toBe(false);
    const usage = await cli(url, 'sms', '--now', NOW);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('Usage: signpost sms --entries');
  });
});

describe('leaflet text outside the PDF fonts', () => {
  it('keeps curly quotes and accents, and the QR code still decodes', async () => {
    const listing: ListingEssentials = {
      id: '00000000-0000-4000-8000-000000000001',
      title: 'St Mary’s “Café Ñandú” – Łódź Knit & Natter',
      when: 'Tue 1 Dec, 12 noon to 2pm',
      schedule: null,
      place: 'Église Hall, NW5 1LB',
      address: 'Église Hall, 1 Rue Street, NW5 1LB',
      phone: '020 7946 0010',
      email: null,
      cost: '£2',
      howToJoin: 'You can just turn up',
      pageUrl: 'https://signpost.example.org/l/00000000-0000-4000-8000-000000000001',
      paused: true,
    };
    const leaflet = await renderLeaflet([listing], { print: 'normal', now: new Date(NOW) });
    const text = pdfText(leaflet.pdf);
    expect(text).toContain('St Mary’s “Café Ñandú” – Lódz Knit & Natter');
    expect(text).toContain('Closed for now: please call before going.');
    expect(text).toContain('Cost: £2');
    expect(pdfQrCodes(leaflet.pdf)).toEqual([listing.pageUrl]);
  });
});
