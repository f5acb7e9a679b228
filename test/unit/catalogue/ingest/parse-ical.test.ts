import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CatalogueEntryInputSchema, type CatalogueEntryInput } from '../../../../src/catalogue/model.ts';
import { parseIcal, type ParsedFeed } from '../../../../src/catalogue/ingest/parse-ical.ts';
import { refusal } from '../../../helpers/refusal.ts';

const ICAL = new URL('../../../fixtures/ical/', import.meta.url);
const FIXTURES = new URL('../../../fixtures/feeds/', import.meta.url);

const sample = (name: string) => readFileSync(new URL(name, ICAL), 'utf8');
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/** Parses and checks every entry against the domain schema, as the importer will. */
function parse(
  text: string,
  now: string,
  extra: { horizonDays?: number; lookbackDays?: number; maxPerSeries?: number } = {},
): ParsedFeed {
  const result = parseIcal(text, { now: new Date(now), ...extra });
  for (const entry of result.entries) {
    const check = CatalogueEntryInputSchema.safeParse(entry);
    if (!check.success) throw new Error(`${entry.externalId}: ${check.error.message}`);
  }
  return result;
}

const byId = (feed: ParsedFeed, id: string): CatalogueEntryInput => {
  const entry = feed.entries.find((e) => e.externalId === id);
  if (!entry) throw new Error(`no entry ${id}; have ${feed.entries.map((e) => e.externalId).join(', ')}`);
  return entry;
};
const occ = (entry: CatalogueEntryInput) => entry.occurrences ?? [];
const iso = (d: Date) => d.toISOString();
const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

describe('parseIcal on real-world files', () => {
  it('icaljs_rdate_exdate: a DATE EXDATE removes the DATE-TIME instance, leaving exactly 3', () => {
    // The file has no SUMMARY (optional in RFC 5545): it is kept under a placeholder title.
    const feed = parse(sample('icaljs_rdate_exdate.ics'), '2024-06-01T00:00:00Z');
    expect(feed.rejected).toEqual([]);
    expect(byId(feed, '123').title).toBe('Untitled event');
    expect(occ(byId(feed, '123')).map((o) => iso(o.start))).toEqual([
      '2024-06-09T03:00:00.000Z',
      '2024-06-10T03:00:00.000Z',
      '2024-06-12T03:00:00.000Z',
    ]);
  });

  it('icaljs_recur_instances: RDATEs, EXDATEs and two overrides (one keyed in UTC)', () => {
    const feed = parse(sample('icaljs_recur_instances.ics'), '2012-10-01T00:00:00Z');
    expect(feed.vevents).toBe(3);
    expect(feed.rejected).toEqual([]);
    expect(feed.entries).toHaveLength(1);
    const entry = byId(feed, '623c13c0-6c2b-45d6-a12b-c33ad61c4868');
    const keys = occ(entry)
      .map((o) => o.key)
      .sort();
    expect(keys.slice(0, 6)).toEqual([
      '2012-10-02T17:00:00.000Z',
      '2012-11-05T18:00:00.000Z',
      '2012-11-06T18:00:00.000Z',
      '2012-11-10T18:00:00.000Z',
      '2012-11-30T18:00:00.000Z',
      '2013-01-01T18:00:00.000Z',
    ]);
    expect(keys).not.toContain('2012-12-04T18:00:00.000Z');
    expect(keys).not.toContain('2013-02-05T18:00:00.000Z');
    expect(keys).not.toContain('2013-04-02T17:00:00.000Z');
    expect(keys).toContain('2013-03-05T18:00:00.000Z');
    // The 2023 RDATEs lie beyond the 365-day horizon.
    expect(keys.some((k) => k.startsWith('2023'))).toBe(false);

    const first = occ(entry).find((o) => o.key === '2012-10-02T17:00:00.000Z')!;
    expect(local(first.start, 'America/Los_Angeles')).toBe('2012-10-02T15:00');
    expect(local(first.end, 'America/Los_Angeles')).toBe('2012-10-02T15:30');
    const moved = occ(entry).find((o) => o.key === '2012-11-05T18:00:00.000Z')!;
    expect(local(moved.start, 'America/Los_Angeles')).toBe('2012-11-06T20:00');
    expect(moved.title).toBeUndefined(); // same SUMMARY as the series

    expect(entry.title).toBe('Crazy Event Thingy!');
    expect(entry.description).toBe('IAM FOO');
    expect(entry.contact).toEqual({ email: 'jlal@mozilla.com', name: 'James Lal' });
    expect(entry.schedule).toMatchObject({
      rrule: 'FREQ=MONTHLY;INTERVAL=1;BYDAY=1TU',
      timezone: 'America/Los_Angeles',
    });
  });

  it('icaljs_recur_instances: reaches the 2023 RDATEs (start of the PERIOD) when the window covers them', () => {
    const feed = parse(sample('icaljs_recur_instances.ics'), '2023-11-01T00:00:00Z', {
      lookbackDays: 30,
      horizonDays: 60,
    });
    const entry = occ(feed.entries[0]!);
    const period = entry.find((o) => o.key === '2023-11-25T09:00:00.000Z')!;
    expect(iso(period.end)).toBe('2023-11-25T12:30:00.000Z');
    expect(entry.map((o) => o.key)).toContain('2023-11-23T09:00:00.000Z');
  });

  it('icaljs_duration_instead_of_dtend: DURATION P1D ends at 2012-07-01 06:00 Los Angeles', () => {
    const feed = parse(sample('icaljs_duration_instead_of_dtend.ics'), '2012-06-01T00:00:00Z');
    expect(feed.calendarName).toBe('calmozilla1@example.com');
    const [o] = occ(byId(feed, 'dn4vrfmfn5p05roahsopg57h48@example.com'));
    expect(local(o!.start, 'America/Los_Angeles')).toBe('2012-06-30T06:00');
    expect(local(o!.end, 'America/Los_Angeles')).toBe('2012-07-01T06:00');
    expect(byId(feed, 'dn4vrfmfn5p05roahsopg57h48@example.com').location).toBeUndefined(); // empty LOCATION
  });

  it('nodeical_daily-count-exdate-recurrence-id: LA without VTIMEZONE, 2 EXDATEs, an override ending before it starts', () => {
    const feed = parse(sample('nodeical_daily-count-exdate-recurrence-id.ics'), '2015-07-01T00:00:00Z');
    expect(feed.rejected).toEqual([]);
    const list = occ(byId(feed, '0000001'));
    expect(list).toHaveLength(8);
    const days = list.map((o) => o.key.slice(0, 10));
    expect(days).not.toContain('2015-07-08');
    expect(days).not.toContain('2015-07-10');
    const override = list.find((o) => o.key === '2015-07-07T19:00:00.000Z')!;
    expect(override.title).toBe('More Treasure Hunting');
    expect(local(override.start, 'America/Los_Angeles')).toBe('2015-07-09T15:00');
    expect(override.end.getTime()).toBe(override.start.getTime()); // clamped, kept
    expect(override.note).toMatch(/The other island/);
    expect(local(list[0]!.start, 'America/Los_Angeles')).toBe('2015-07-06T12:00');
  });

  it('nodeical_biweekly-exdate-until: folded EXDATE lists, US/Central, floating and DATE EXDATEs on a UTC series', () => {
    const feed = parse(sample('nodeical_biweekly-exdate-until.ics'), '2017-12-01T00:00:00Z');
    expect(feed.rejected).toEqual([]);
    const first = occ(byId(feed, '98765432-ABCD-DCBB-999A-987765432123')).map((o) => local(o.start, 'America/Chicago'));
    for (const gone of ['2017-07-06', '2017-07-17', '2017-07-20', '2017-08-03']) {
      expect(first.some((d) => d.startsWith(gone))).toBe(false);
    }
    expect(first).toContain('2017-07-03T09:00');
    expect(first).toContain('2017-07-31T09:00');
    expect(first.at(-1)).toBe('2017-07-31T09:00'); // UNTIL 2017-08-14T04:59:59Z excludes 14 August
    expect(first[0]).toBe('2017-02-16T09:00');

    const second = occ(byId(feed, '1234567-ABCD-ABCD-ABCD-123456789012')).map((o) => o.key.slice(0, 10));
    expect(second).not.toContain('2017-12-18');
    expect(second).not.toContain('2017-12-19');
    expect(second).toContain('2017-12-04');
    expect(second).toContain('2018-01-01');
  });

  it('nodeical_whole_day_moved_over_dst_change_berlin: the moved all-day instance is on 30 October and lasts one day', () => {
    const feed = parse(sample('nodeical_whole_day_moved_over_dst_change_berlin.ics'), '2024-10-20T00:00:00Z');
    const list = occ(byId(feed, '14nv8jl8d6dvdbl477lod4fftf@google.com'));
    expect(list.map((o) => o.key).sort()).toEqual(['2024-10-27', '2024-10-28', '2024-10-29']);
    for (const o of list) {
      expect(o.allDay).toBe(true);
      const start = DateTime.fromJSDate(o.start, { zone: 'Europe/London' });
      const end = DateTime.fromJSDate(o.end, { zone: 'Europe/London' });
      expect(start.toFormat('HH:mm')).toBe('00:00');
      expect(end.diff(start, 'days').days).toBe(1);
    }
    const moved = list.find((o) => o.key === '2024-10-28')!;
    expect(local(moved.start, 'Europe/London')).toBe('2024-10-30T00:00');
    expect(local(moved.end, 'Europe/London')).toBe('2024-10-31T00:00');
    const first = list.find((o) => o.key === '2024-10-27')!;
    expect(local(first.start, 'Europe/London')).toBe('2024-10-27T00:00'); // the DST day: no shift to the 26th
  });

  it('nodeical_test_date_duration: a bare DATE DTSTART with DURATION PT1W runs 15 to 22 February', () => {
    const feed = parse(sample('nodeical_test_date_duration.ics'), '2024-02-01T00:00:00Z');
    const [o] = occ(byId(feed, '20240215T101655-b6e4bbe9@192.168.178.100'));
    expect(o!.allDay).toBe(true);
    expect(o!.key).toBe('2024-02-15');
    expect(local(o!.start, 'Europe/London')).toBe('2024-02-15T00:00');
    expect(local(o!.end, 'Europe/London')).toBe('2024-02-22T00:00');
  });

  it('nodeical_music-school-weekly-until: "(GMT +01:00)" and a floating UNTIL give weekly Tuesdays', () => {
    const feed = parse(sample('nodeical_music-school-weekly-until.ics'), '2022-10-01T00:00:00Z');
    const entry = byId(feed, '0000021');
    expect(entry.title).toBe('Music School');
    const list = occ(entry);
    expect(list).toHaveLength(9);
    for (const o of list) {
      expect(o.start.getUTCDay()).toBe(2);
      expect(o.start.toISOString().slice(11, 16)).toBe('13:00'); // 14:00 at +01:00
      expect(o.end.getTime() - o.start.getTime()).toBe(3_600_000);
    }
    expect(list[0]!.key).toBe('2022-10-04T13:00:00.000Z');
    expect(list.at(-1)!.key).toBe('2022-11-29T13:00:00.000Z');
  });

  it('placecal_empty-outlook365-calendar and pyicalendar_bom_calendar: valid, zero entries, no error', () => {
    const outlook = parse(sample('placecal_empty-outlook365-calendar.ics'), '2022-11-08T00:00:00Z');
    expect(outlook).toEqual({ calendarName: "Zion Centre What's on Guide", entries: [], rejected: [], vevents: 0 });
    const bom = sample('pyicalendar_bom_calendar.ics');
    expect(bom.charCodeAt(0)).toBe(0xfeff);
    expect(parse(bom, '2024-01-01T00:00:00Z')).toEqual({ entries: [], rejected: [], vevents: 0 });
  });

  it('html-sign-in-page-not-ics: an HTML sign-in page is refused', () => {
    const e = refusal(() => parseIcal(sample('html-sign-in-page-not-ics.ics'), { now: new Date() }));
    expect(e.message).toMatch(/^This is not an iCalendar feed: it looks like an HTML page/);
  });
});

describe('parseIcal refusals', () => {
  it('refuses empty and whitespace-only input', () => {
    expect(refusal(() => parseIcal('', { now: new Date() })).message).toBe('Source returned empty iCalendar data');
    expect(refusal(() => parseIcal(' \r\n\t', { now: new Date() })).message).toBe(
      'Source returned empty iCalendar data',
    );
  });

  it('refuses text that is not iCalendar', () => {
    const e = refusal(() => parseIcal('{"events": []}', { now: new Date() }));
    expect(e.message).toMatch(/^This is not an iCalendar feed: it does not begin with BEGIN:VCALENDAR/);
  });

  it('refuses a truncated download', () => {
    const e = refusal(() => parseIcal(fixture('truncated.ics'), { now: new Date() }));
    expect(e.message).toMatch(/^The iCalendar data is truncated or malformed: /);
  });

  it('refuses a body ical.js cannot parse (unclosed component, junk line)', () => {
    const unclosed = 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nEND:VCALENDAR\n';
    expect(refusal(() => parseIcal(unclosed, { now: new Date() })).message).toMatch(
      /^The iCalendar data is truncated or malformed: /,
    );
    const junk = 'BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nthis line has no colon\nEND:VEVENT\nEND:VCALENDAR\n';
    expect(refusal(() => parseIcal(junk, { now: new Date() })).message).toMatch(
      /^The iCalendar data is truncated or malformed: /,
    );
  });
});

describe('parseIcal on hand-written fixtures', () => {
  it('uses a VTIMEZONE that comes after the events, for a TZID no zone database knows', () => {
    const feed = parse(fixture('vtimezone-after-events.ics'), '2024-06-01T00:00:00Z');
    expect(occ(byId(feed, 'custom-zone@signpost.test')).map((o) => iso(o.start))).toEqual([
      '2024-07-01T09:00:00.000Z',
      '2024-07-08T09:00:00.000Z',
      '2024-07-15T09:00:00.000Z',
    ]);
    expect(iso(occ(byId(feed, 'winter@signpost.test'))[0]!.start)).toBe('2024-01-15T10:00:00.000Z');
    expect(byId(feed, 'custom-zone@signpost.test').schedule?.timezone).toBe('Camden Local Time');
  });

  it('maps Windows zone names (Outlook) to IANA zones', () => {
    const feed = parse(fixture('windows-zone-names.ics'), '2024-06-01T00:00:00Z');
    expect(feed.calendarName).toBe('Outlook export');
    expect(iso(occ(byId(feed, 'gmt-standard@signpost.test'))[0]!.start)).toBe('2024-07-01T09:00:00.000Z');
    expect(byId(feed, 'gmt-standard@signpost.test').schedule?.timezone).toBe('Europe/London');
    expect(iso(occ(byId(feed, 'w-europe@signpost.test'))[0]!.start)).toBe('2024-07-01T08:00:00.000Z');
    expect(iso(occ(byId(feed, 'pacific@signpost.test'))[0]!.start)).toBe('2024-01-15T17:00:00.000Z');
  });

  it('reads TZID=Europe/London without a VTIMEZONE, keeping local time across the March clock change', () => {
    const feed = parse(fixture('london-no-vtimezone.ics'), '2024-03-01T00:00:00Z');
    const entry = byId(feed, 'knit@signpost.test');
    expect(occ(entry).map((o) => iso(o.start))).toEqual([
      '2024-03-21T10:00:00.000Z',
      '2024-03-28T10:00:00.000Z',
      '2024-04-04T09:00:00.000Z',
      '2024-04-11T09:00:00.000Z',
    ]);
    expect(entry.location).toEqual({
      externalId: 'loc:kentish town community centre, 17 busby place, london nw5 2sp',
      name: 'Kentish Town Community Centre',
      address1: 'Kentish Town Community Centre, 17 Busby Place, London NW5 2SP',
      postalCode: 'NW5 2SP',
      accessibility: [],
    });
    expect(entry.schedule).toMatchObject({
      freq: 'WEEKLY',
      byday: 'TH',
      opensAt: '10:00',
      closesAt: '12:00',
      timezone: 'Europe/London',
    });
  });

  it('expands BYSETPOS=-1, BYDAY ordinals and fortnightly rules', () => {
    const feed = parse(fixture('rules-setpos-ordinals.ics'), '2024-01-05T00:00:00Z');
    const days = (id: string) => occ(byId(feed, id)).map((o) => local(o.start, 'Europe/London'));
    expect(days('last-weekday@signpost.test')).toEqual([
      '2024-01-31T14:00',
      '2024-02-29T14:00',
      '2024-03-29T14:00',
      '2024-04-30T14:00',
    ]);
    expect(days('last-friday@signpost.test')).toEqual([
      '2024-01-26T19:00',
      '2024-02-23T19:00',
      '2024-03-29T19:00',
      '2024-04-26T19:00',
      '2024-05-31T19:00',
    ]);
    expect(days('second-fourth-tuesday@signpost.test')).toEqual([
      '2024-01-09T10:30',
      '2024-01-23T10:30',
      '2024-02-13T10:30',
      '2024-02-27T10:30',
      '2024-03-12T10:30',
      '2024-03-26T10:30',
    ]);
    const fortnightly = days('fortnightly@signpost.test');
    expect(fortnightly.slice(0, 5)).toEqual([
      '2024-01-08T18:00',
      '2024-01-10T18:00',
      '2024-01-22T18:00',
      '2024-01-24T18:00',
      '2024-02-05T18:00',
    ]);
    expect(fortnightly).toContain('2024-04-01T18:00'); // after the clock change, still 18:00 local
    expect(fortnightly.at(-1)! < '2025-01-05').toBe(true); // stops at the 365-day horizon
  });

  it('marks a cancelled series and a cancelled override as cancelled occurrences', () => {
    const feed = parse(fixture('cancelled.ics'), '2024-06-01T00:00:00Z');
    const series = byId(feed, 'cancelled-series@signpost.test');
    expect(series.status).toBe('active');
    expect(occ(series).map((o) => o.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const lunch = occ(byId(feed, 'one-off-cancelled@signpost.test'));
    expect(lunch.map((o) => [o.key, o.status])).toEqual([
      ['2024-06-04T09:00:00.000Z', 'scheduled'],
      ['2024-06-05T09:00:00.000Z', 'cancelled'],
      ['2024-06-06T09:00:00.000Z', 'scheduled'],
    ]);
  });

  it('spans multi-day all-day events to 00:00 London of the exclusive end date, across the clock change', () => {
    const feed = parse(fixture('multi-day-all-day.ics'), '2024-03-01T00:00:00Z');
    const [easter] = occ(byId(feed, 'easter@signpost.test'));
    expect(easter).toMatchObject({ key: '2024-03-29', allDay: true });
    expect(local(easter!.start, 'Europe/London')).toBe('2024-03-29T00:00');
    expect(local(easter!.end, 'Europe/London')).toBe('2024-04-02T00:00');
    expect(iso(easter!.end)).toBe('2024-04-01T23:00:00.000Z');
    const [oneDay] = occ(byId(feed, 'one-day@signpost.test'));
    expect(iso(oneDay!.start)).toBe('2024-03-30T00:00:00.000Z');
    expect(iso(oneDay!.end)).toBe('2024-03-31T00:00:00.000Z'); // a DATE with no end lasts one day
  });

  it('keeps one VEVENT per duplicate UID: highest SEQUENCE, then latest change, then the last one', () => {
    const feed = parse(fixture('duplicate-uids.ics'), '2024-06-01T00:00:00Z');
    expect(feed.entries.map((e) => [e.externalId, e.title])).toEqual([
      ['dup-seq@signpost.test', 'Newest title'],
      ['dup-modified@signpost.test', 'Later change'],
      ['dup-same@signpost.test', 'Second copy'],
    ]);
    expect(feed.rejected.map((r) => r.ref)).toEqual([
      'dup-seq@signpost.test',
      'dup-seq@signpost.test',
      'dup-modified@signpost.test',
      'dup-same@signpost.test',
    ]);
    for (const r of feed.rejected) expect(r.reason).toMatch(/^duplicate UID/);
  });

  it('cleans HTML descriptions and maps location, categories, URL, organiser e-mail and training kind', () => {
    const feed = parse(fixture('html-description.ics'), '2024-09-01T00:00:00Z');
    expect(feed.calendarName).toBe('Camden Wellbeing');
    const mhfa = byId(feed, 'mhfa@signpost.test');
    expect(mhfa.title).toBe('Mental Health First Aid & wellbeing');
    expect(mhfa.kind).toBe('training');
    expect(mhfa.description).toBe(
      "A one-day introduction for volunteers.\n\nBring lunch & a pen.\nFree of charge – it's funded.\n\n• Talk\n• Practice",
    );
    expect(mhfa.categories).toEqual(['training', 'mental health', 'volunteering']);
    expect(mhfa.url).toBe('https://example.org/mhfa');
    expect(mhfa.contact).toEqual({ email: 'learning@example.org', name: 'Camden Learning' });
    expect(mhfa.location).toMatchObject({ name: 'Swiss Cottage Library', postalCode: 'NW3 3HA' });
    const online = byId(feed, 'online@signpost.test');
    expect(online.kind).toBe('activity');
    expect(online.location).toMatchObject({ locationType: 'virtual', url: 'https://meet.example.org/abc' });
    expect(online.attendingTypes).toEqual(['online']);
  });

  it("reads GEO as the venue's point, and ignores one out of range", () => {
    const vevent = (uid: string, geo: string, location = 'Ickford Village Hall\\, Bridge Road\\, Ickford') =>
      `BEGIN:VEVENT\nUID:${uid}\nDTSTAMP:20261101T000000Z\nDTSTART:20261201T100000Z\nSUMMARY:Knit and Natter\nLOCATION:${location}\nGEO:${geo}\nEND:VEVENT`;
    const text = [
      'BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//geo//EN',
      vevent('a', '51.758374;-1.060028'),
      vevent('b', '123;456', 'Elsewhere Hall'),
      vevent('c', '51.5;-0.1', 'https://meet.example.org/x'),
      'END:VCALENDAR',
    ].join('\n');
    const feed = parse(text, '2026-11-23T09:00:00Z');
    expect(byId(feed, 'a').location).toMatchObject({
      name: 'Ickford Village Hall',
      latitude: 51.758374,
      longitude: -1.060028,
    });
    expect(byId(feed, 'b').location?.latitude).toBeUndefined();
    expect(byId(feed, 'c').location).toMatchObject({ locationType: 'virtual' });
    expect(byId(feed, 'c').location?.latitude).toBeUndefined();
  });

  it('unfolds folded lines (space and tab) and reads CRLF and LF alike', () => {
    const crlf = fixture('folded-crlf.ics');
    expect(crlf).toContain('\r\n');
    const a = parse(crlf, '2024-07-01T00:00:00Z');
    const b = parse(crlf.replace(/\r\n/g, '\n'), '2024-07-01T00:00:00Z');
    expect(b).toEqual(a);
    const entry = byId(a, 'folded@signpost.test');
    expect(entry.title).toBe('Gardening club at the Camden community allotment');
    expect(entry.description).toBe(
      'Line one\nLine two with a long tail that is folded with a tab and café accents, split across lines',
    );
    expect(entry.schedule?.rrule).toBe('FREQ=WEEKLY;BYDAY=TU;COUNT=2');
    expect(occ(entry).map((o) => iso(o.start))).toEqual(['2024-07-02T13:00:00.000Z', '2024-07-09T13:00:00.000Z']);
  });

  it('rejects bad VEVENTs one by one and imports the rest; an event without UID gets a stable one', () => {
    const feed = parse(fixture('bad-events.ics'), '2024-06-01T00:00:00Z');
    expect(feed.vevents).toBe(6);
    expect(feed.rejected).toEqual([
      { ref: 'no-dtstart@signpost.test', reason: expect.stringMatching(/DTSTART/) },
      { ref: 'bad-date@signpost.test', reason: expect.stringMatching(/unparsable DTSTART/) },
      { ref: 'bad-rrule@signpost.test', reason: expect.stringMatching(/invalid RRULE/) },
    ]);
    // An empty SUMMARY is kept under a placeholder title rather than lost.
    expect(feed.entries.map((e) => e.title)).toEqual(['Untitled event', 'Choir with no UID', 'Good event']);
    const noUid = feed.entries.find((e) => e.title === 'Choir with no UID')!.externalId;
    expect(noUid).toMatch(/^nouid:[0-9a-f]+$/);
    expect(parse(fixture('bad-events.ics'), '2024-06-01T00:00:00Z').entries[1]!.externalId).toBe(noUid);
  });

  it('reads floating times (and a floating UNTIL) in X-WR-TIMEZONE, and unknown TZIDs likewise', () => {
    const feed = parse(fixture('floating-x-wr-timezone.ics'), '2024-03-01T00:00:00Z');
    const weekly = occ(byId(feed, 'floating@signpost.test')).map((o) => local(o.start, 'America/New_York'));
    expect(weekly).toEqual(['2024-03-01T09:00', '2024-03-08T09:00', '2024-03-15T09:00', '2024-03-22T09:00']);
    expect(local(occ(byId(feed, 'unknown-zone@signpost.test'))[0]!.start, 'America/New_York')).toBe('2024-03-01T09:00');
  });

  it('floating times default to Europe/London without X-WR-TIMEZONE', () => {
    const text = fixture('floating-x-wr-timezone.ics').replace('X-WR-TIMEZONE:America/New_York\n', '');
    const feed = parse(text, '2024-03-01T00:00:00Z');
    expect(local(occ(byId(feed, 'floating@signpost.test'))[0]!.start, 'Europe/London')).toBe('2024-03-01T09:00');
  });

  it('turns an override whose series is missing into a dated occurrence', () => {
    const feed = parse(fixture('orphan-override.ics'), '2024-06-01T00:00:00Z');
    const [o] = occ(byId(feed, 'orphan@signpost.test'));
    expect(o).toMatchObject({ key: '2024-06-17T09:00:00.000Z', status: 'scheduled' });
    expect(iso(o!.start)).toBe('2024-06-18T09:00:00.000Z');
    expect(iso(o!.end)).toBe('2024-06-18T10:00:00.000Z');
  });
});

describe('parseIcal expansion window', () => {
  const series = (rule: string, dtstart = '20150105T100000') =>
    [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'UID:s@signpost.test',
      'SUMMARY:Series',
      `DTSTART;TZID=Europe/London:${dtstart}`,
      'DURATION:PT1H',
      `RRULE:${rule}`,
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');

  it('an infinite series started years ago keeps only instances within lookback and horizon', () => {
    const feed = parse(series('FREQ=WEEKLY;BYDAY=MO'), '2024-06-01T00:00:00Z', { lookbackDays: 30, horizonDays: 60 });
    const starts = occ(feed.entries[0]!).map((o) => o.start.getTime());
    expect(starts.length).toBe(13);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(Date.parse('2024-05-02T00:00:00Z'));
    expect(Math.max(...starts)).toBeLessThan(Date.parse('2024-07-31T00:00:00Z'));
    for (const o of occ(feed.entries[0]!)) expect(local(o.start, 'Europe/London').slice(11)).toBe('10:00');
  });

  it('a finite series keeps its past instances', () => {
    const feed = parse(series('FREQ=WEEKLY;COUNT=5'), '2024-06-01T00:00:00Z');
    expect(occ(feed.entries[0]!).map((o) => o.key.slice(0, 10))).toEqual([
      '2015-01-05',
      '2015-01-12',
      '2015-01-19',
      '2015-01-26',
      '2015-02-02',
    ]);
  });

  it('DTSTART is always the first instance and counts towards COUNT, even off the rule', () => {
    const feed = parse(series('FREQ=WEEKLY;BYDAY=TU;COUNT=3', '20240101T100000'), '2024-01-01T00:00:00Z');
    expect(occ(feed.entries[0]!).map((o) => o.key.slice(0, 10))).toEqual(['2024-01-01', '2024-01-02', '2024-01-09']);
  });

  it('caps a series at maxPerSeries, keeping the ones around now', () => {
    const feed = parse(series('FREQ=DAILY'), '2024-06-01T00:00:00Z', { maxPerSeries: 20 });
    const list = occ(feed.entries[0]!);
    expect(list).toHaveLength(20);
    expect(list.some((o) => o.start.getTime() >= Date.parse('2024-06-01T00:00:00Z'))).toBe(true);
  });

  it('the fast MONTHLY path agrees with ical.js’s general iterator', () => {
    const rules = [
      'FREQ=MONTHLY;BYDAY=1MO',
      'FREQ=MONTHLY;BYDAY=-1FR',
      'FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU,4TU',
      'FREQ=MONTHLY;BYDAY=TU',
      'FREQ=MONTHLY;BYMONTHDAY=15',
      'FREQ=MONTHLY;BYMONTHDAY=31',
      'FREQ=MONTHLY;BYMONTHDAY=1,15;UNTIL=20240801T000000Z',
      'FREQ=MONTHLY',
      'FREQ=MONTHLY;INTERVAL=3',
    ];
    for (const rule of rules) {
      for (const dtstart of ['20240131T100000', '20240313T183000', '20210720T090000']) {
        const opts = { lookbackDays: 200, horizonDays: 400 };
        const fast = parse(series(rule, dtstart), '2024-03-01T00:00:00Z', opts);
        const general = parse(series(`${rule};BYSECOND=0`, dtstart), '2024-03-01T00:00:00Z', opts);
        const keys = (f: ParsedFeed) => occ(f.entries[0]!).map((o) => o.key);
        // ical.js yields DTSTART even when it does not match the rule; so does the fast path.
        expect(keys(fast), `${rule} from ${dtstart}`).toEqual(keys(general));
      }
    }
    // COUNT with a DTSTART on the rule: the first Monday, six times.
    const counted = parse(series('FREQ=MONTHLY;BYDAY=1MO;COUNT=6', '20240101T100000'), '2024-01-01T00:00:00Z');
    expect(occ(counted.entries[0]!).map((o) => o.key.slice(0, 10))).toEqual([
      '2024-01-01',
      '2024-02-05',
      '2024-03-04',
      '2024-04-01',
      '2024-05-06',
      '2024-06-03',
    ]);
  });

  it('the fast DAILY/WEEKLY path agrees with ical.js’s general iterator', () => {
    // BYSECOND=0 changes nothing for these start times but sends the rule through ical.js. (COUNT rules use
    // DTSTARTs that match the rule: for one that does not, RFC 5545 counts DTSTART as the first instance,
    // which the fast path does and ical.js does not.)
    const rules = [
      'FREQ=WEEKLY',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH',
      'FREQ=WEEKLY;INTERVAL=3;BYDAY=SU,SA;WKST=SU',
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR;WKST=TH',
      'FREQ=WEEKLY;BYDAY=MO,WE,TH;COUNT=7',
      'FREQ=WEEKLY;BYDAY=WE,TH;UNTIL=20240501T090000Z',
      'FREQ=WEEKLY;BYDAY=MO,WE;BYMONTH=3,4',
      'FREQ=DAILY;INTERVAL=3',
      'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=30',
      'FREQ=DAILY;INTERVAL=2;UNTIL=20240420',
      'FREQ=DAILY;BYMONTH=3;INTERVAL=5',
    ];
    for (const rule of rules) {
      for (const dtstart of ['20240101T100000', '20240313T183000', '20230720T090000']) {
        const opts = { lookbackDays: 200, horizonDays: 200 };
        const fast = parse(series(rule, dtstart), '2024-03-01T00:00:00Z', opts);
        const general = parse(series(`${rule};BYSECOND=0`, dtstart), '2024-03-01T00:00:00Z', opts);
        const keys = (f: ParsedFeed) => occ(f.entries[0]!).map((o) => o.key);
        expect(keys(fast), `${rule} from ${dtstart}`).toEqual(keys(general));
        expect(keys(fast).length).toBeGreaterThan(0);
      }
    }
  });
});
