import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, heldCliDatabase } from '../../helpers/run-cli.ts';
import { STORE_KINDS } from '../../helpers/test-db.ts';

const FEED = new URL('../../fixtures/feeds/tea-dance-postcodes.ics', import.meta.url).pathname;
const NOW = '2027-03-01T09:00:00Z';

type Entry = {
  title: string;
  categories: string[];
  audiences: string[];
  venue: { ward: string | null; postcode: string | null; latitude: number | null; longitude: number | null } | null;
};
type SearchJson = {
  understood: { audiences: string[]; place?: { wards: string[] } };
  results: { title: string; ward: string | null }[];
};

describe.each(STORE_KINDS)('facets derived at import on %s', (kind) => {
  let url: string;
  let cleanup: () => Promise<void>;
  let dir: string;
  beforeEach(async () => {
    ({ url, dir, cleanup } = await heldCliDatabase(kind, 'signpost-facets-'));
  });
  afterEach(() => cleanup());

  it('finds a tea dance from a feed with no tags by its audience and its area', async () => {
    const imported = await cli(url, 'import', FEED, '--source', 'holborn-events', '--now', NOW, '--json');
    expect(imported.code).toBe(0);
    expect(imported.json()).toMatchObject({ created: 3, rejected: [] });

    const entries = (await cli(url, 'entries', '--json')).json() as Entry[];
    const byTitle = new Map(entries.map((e) => [e.title, e]));
    const teaDance = byTitle.get('Over 60s Tea Dance')!;
    expect(teaDance.audiences).toEqual(['older_people']);
    expect(teaDance.venue).toMatchObject({ ward: 'Holborn & Covent Garden', postcode: 'WC1R 4RL' });
    expect(teaDance.venue?.latitude).toBeTypeOf('number');
    // The feed's own category is kept; only the missing audience is read from the title.
    const knit = byTitle.get("Ladies' Knit and Natter")!;
    expect(knit.categories).toEqual(['knitting']);
    expect(knit.audiences).toEqual(['women']);
    // NW5 spans six wards: no ward is guessed, but the venue gets the district's approximate point.
    const band = byTitle.get('Swing band night')!;
    expect(band.venue).toMatchObject({ ward: null, postcode: 'NW5 1JY' });
    expect(band.venue?.latitude).toBeTypeOf('number');
    expect(band.audiences).toEqual([]);

    const search = await cli(url, 'search', 'tea dance for older people in Holborn', '--now', NOW, '--json');
    expect(search.code).toBe(0);
    const found = search.json() as SearchJson;
    expect(found.understood.place?.wards).toEqual(['Holborn & Covent Garden']);
    expect(found.results[0]).toMatchObject({ title: 'Over 60s Tea Dance', ward: 'Holborn & Covent Garden' });

    // Importing the same feed again changes nothing: derived facets are part of what is compared.
    const again = await cli(url, 'import', FEED, '--source', 'holborn-events', '--now', NOW, '--json');
    expect(again.json()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });

  it('lets a later import with real tags replace derived ones', async () => {
    await cli(url, 'import', FEED, '--source', 'holborn-events', '--now', NOW, '--json');
    const tagged = fs
      .readFileSync(FEED, 'utf8')
      .replace('SUMMARY:Over 60s Tea Dance\r\n', 'SUMMARY:Over 60s Tea Dance\r\nCATEGORIES:Ballroom\r\n');
    const file = path.join(dir, 'tagged.ics');
    fs.writeFileSync(file, tagged);
    const report = await cli(url, 'import', file, '--source', 'holborn-events', '--now', NOW, '--json');
    expect(report.json()).toMatchObject({ updated: 1, unchanged: 2 });
    const entries = (await cli(url, 'entries', '--json')).json() as Entry[];
    const teaDance = entries.find((e) => e.title === 'Over 60s Tea Dance')!;
    expect(teaDance.categories).toEqual(['ballroom']);
    expect(teaDance.audiences).toEqual(['older_people']);
  });
});
