import { describe, expect, it } from 'vitest';
import { describeGap } from '../../../src/insights/chat-insights.ts';
import { toCsv } from '../../../src/insights/csv.ts';
import { askedDays, toHourBucket, toSearchStat } from '../../../src/insights/to-search-stat.ts';
import { buildUnderstood } from '../../helpers/build-result.ts';

describe('toSearchStat', () => {
  it('keeps only controlled vocabulary: no question, terms, place labels or postcodes', () => {
    const stat = toSearchStat({
      at: new Date('2027-03-02T10:41:27Z'),
      platform: 'slack',
      question: 'lunch club for Mrs Patel at 12 Leighton Road NW5 2QE',
      total: 0,
      relaxed: ['nothing on Tuesdays in Kentish Town'],
      understood: buildUnderstood({
        terms: ['patel', 'leighton'],
        place: {
          label: 'NW5 2QE',
          wards: ['Kentish Town South', 'Not A Ward'],
          postcode: 'NW5 2QE',
          latitude: 51.55,
          longitude: -0.14,
        },
        categories: ['lunch club', 'Patel’s <script>'],
        audiences: ['older_people', 'made_up'],
        access: ['step_free', 'teleport'],
        languages: ['bengali'],
        weekdays: [2, 2, 9],
        timeOfDay: 'morning',
      }),
    });
    expect(stat).toEqual({
      hour: new Date('2027-03-02T10:00:00Z'),
      wards: ['Kentish Town South'],
      categories: ['lunch club'],
      audiences: ['older_people'],
      access: ['step_free'],
      languages: ['bengali'],
      days: [2],
      timeOfDay: 'morning',
      resultCount: 0,
      relaxed: true,
      noResults: true,
      platform: 'slack',
    });
    expect(JSON.stringify(stat)).not.toMatch(/Patel|Leighton|2QE|NW5/);
  });

  it('drops an unknown platform and clamps counts', () => {
    const stat = toSearchStat({
      at: new Date('2027-03-02T10:00:00Z'),
      platform: 'fax',
      total: 3.7,
      relaxed: [],
      understood: buildUnderstood(),
    });
    expect(stat).toMatchObject({ platform: null, resultCount: 3, relaxed: false, noResults: false });
  });
});

describe('askedDays and hour buckets', () => {
  it('reads named weekdays, short windows in London time, and treats long windows as any day', () => {
    expect(askedDays({ weekdays: [5, 1, 5] })).toEqual([1, 5]);
    // "this weekend" across the March clock change: Saturday and Sunday in London.
    expect(
      askedDays({
        when: { from: '2027-03-27T00:00:00+00:00', to: '2027-03-29T00:00:00+01:00', label: 'this weekend' },
      }),
    ).toEqual([6, 7]);
    expect(
      askedDays({ when: { from: '2027-03-01T00:00:00Z', to: '2027-03-08T00:00:00Z', label: 'next week' } }),
    ).toEqual([]);
    expect(askedDays({})).toEqual([]);
  });

  it('truncates to the hour', () => {
    expect(toHourBucket(new Date('2027-10-31T01:59:59.999Z')).toISOString()).toBe('2027-10-31T01:00:00.000Z');
  });
});

describe('describeGap', () => {
  it('says an unmet need in plain words', () => {
    expect(
      describeGap({
        ward: 'Kilburn',
        audience: 'older_people',
        category: 'lunch club',
        day: 'Tuesday',
        timeOfDay: 'morning',
        searches: 4,
        noResults: 3,
        relaxed: 1,
      }),
    ).toBe('lunch club for older people in Kilburn on Tuesdays in the morning');
    expect(
      describeGap({
        ward: null,
        audience: null,
        category: null,
        day: null,
        timeOfDay: null,
        searches: 1,
        noResults: 1,
        relaxed: 0,
      }),
    ).toBe('anything anywhere');
  });
});

describe('toCsv', () => {
  it('quotes, joins arrays and defuses spreadsheet formulas', () => {
    const csv = toCsv([{ ward: "King's Cross, N1C", count: 3, tags: ['a', 'b'], note: '=HYPERLINK("x")' }]);
    expect(csv).toBe('ward,count,tags,note\r\n"King\'s Cross, N1C",3,a; b,"\'=HYPERLINK(""x"")"\r\n');
  });
});
