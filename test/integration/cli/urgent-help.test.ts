import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, heldCliDatabase } from '../../helpers/run-cli.ts';
import { STORE_KINDS } from '../../helpers/test-db.ts';

const FEED = new URL('../../fixtures/feeds/tea-dance-postcodes.ics', import.meta.url).pathname;
const NOW = '2027-03-01T09:00:00Z';

type SearchJson = {
  understood: unknown;
  relaxed: string[];
  results: { title: string }[];
  urgent?: { lines: { name: string; phone: string }[] };
};

describe.each(STORE_KINDS)('search command: urgent help on %s', (kind) => {
  let url: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ url, cleanup } = await heldCliDatabase(kind, 'signpost-urgent-'));
    expect((await cli(url, 'import', FEED, '--source', 'holborn-events', '--now', NOW, '--json')).code).toBe(0);
  });
  afterEach(() => cleanup());

  it('puts the numbers to call first, in JSON and in text, then the listings', async () => {
    const question = 'older man feeling suicidal since his wife died, tea dance or something social';
    const json = (await cli(url, 'search', question, '--now', NOW, '--json')).json() as SearchJson;
    expect(json.urgent).toEqual({
      lines: [
        { name: 'Emergency services, if anyone is in immediate danger', phone: '999' },
        { name: 'Samaritans, any time, free', phone: '116 123' },
        { name: 'NHS 111, option 2 for a mental health crisis', phone: '111' },
      ],
    });
    expect(json.results.map((r) => r.title)).toContain('Over 60s Tea Dance');

    const text = (await cli(url, 'search', question, '--now', NOW)).stdout;
    expect(text.split('\n')[0]).toBe('If someone is at risk right now, get help first:');
    expect(text.indexOf('116 123')).toBeLessThan(text.indexOf('Over 60s Tea Dance'));

    const abuse = (await cli(url, 'search', 'she is not safe at home', '--now', NOW, '--json')).json() as SearchJson;
    expect(abuse.urgent?.lines.map((l) => l.phone)).toEqual(['999', '0808 2000 247', '116 123']);
  });

  it('leaves the JSON as it was for ordinary questions', async () => {
    const json = (
      await cli(url, 'search', 'tea dance, not a crisis loan', '--now', NOW, '--json')
    ).json() as SearchJson;
    expect(json).not.toHaveProperty('urgent');
    expect(json.results.map((r) => r.title)).toContain('Over 60s Tea Dance');
  });
});
