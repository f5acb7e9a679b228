import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { buildDemoCatalogue } from '../../../../src/catalogue/demo/seed-demo.ts';
import {
  ACCESSIBILITY_FEATURES,
  AUDIENCES,
  CatalogueEntryInputSchema,
  ENTRY_KINDS,
} from '../../../../src/catalogue/model.ts';
import {
  WARDS,
  findPostcodeDistrict,
  normalisePostcode,
  wardForPoint,
} from '../../../../src/catalogue/geography/camden.ts';

const NOW = new Date('2025-03-10T09:00:00Z');
const entries = await buildDemoCatalogue(NOW);
const parsed = entries.map((e) => CatalogueEntryInputSchema.parse(e));
const DAY = 86_400_000;

describe('buildDemoCatalogue', () => {
  it('has at least 170 entries of every kind', () => {
    expect(entries.length).toBeGreaterThanOrEqual(170);
    for (const kind of ENTRY_KINDS)
      expect(
        entries.some((e) => e.kind === kind),
        kind,
      ).toBe(true);
    expect(entries.filter((e) => e.kind === 'training').length).toBeGreaterThanOrEqual(18);
    expect(entries.filter((e) => e.kind === 'resource').length).toBeGreaterThanOrEqual(14);
  });

  it('parses every entry with the schema', () => {
    for (const e of entries) {
      const r = CatalogueEntryInputSchema.safeParse(e);
      expect(r.success, `${e.externalId}: ${r.success ? '' : r.error.message}`).toBe(true);
    }
  });

  it('uses unique, stable, slug-like externalIds and unique titles', () => {
    const ids = entries.map((e) => e.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^demo-[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(ids).toContain('demo-kentish-town-lunch-club');
    const titles = entries.map((e) => e.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('is deterministic for the same now', async () => {
    expect(await buildDemoCatalogue(new Date(NOW))).toEqual(entries);
    const later = await buildDemoCatalogue(new Date(NOW.getTime() + 7 * DAY));
    expect(later.map((e) => e.externalId)).toEqual(entries.map((e) => e.externalId));
  });

  it('covers every ward with at least three entries, using official ward names', () => {
    const names = new Set(WARDS.map((w) => w.name));
    const counts = new Map<string, number>();
    for (const e of parsed) {
      const ward = e.location?.ward;
      if (ward === undefined) continue;
      expect(names.has(ward), `${e.externalId}: ${ward}`).toBe(true);
      counts.set(ward, (counts.get(ward) ?? 0) + 1);
    }
    for (const w of WARDS) expect(counts.get(w.name) ?? 0, w.name).toBeGreaterThanOrEqual(3);
  });

  it('places physical venues in Camden, near their ward, with a postcode in the right district', () => {
    for (const e of parsed) {
      const l = e.location;
      if (!l || l.locationType !== 'physical') continue;
      expect(l.latitude, e.externalId).toBeDefined();
      const lat = l.latitude!;
      const lon = l.longitude!;
      expect(lat).toBeGreaterThan(51.51);
      expect(lat).toBeLessThan(51.58);
      expect(lon).toBeGreaterThan(-0.22);
      expect(lon).toBeLessThan(-0.1);
      expect(wardForPoint(lat, lon).name, e.externalId).toBe(l.ward);
      expect(normalisePostcode(l.postalCode ?? ''), e.externalId).toBe(l.postalCode);
      expect(findPostcodeDistrict(l.postalCode!)?.wards, `${e.externalId} ${l.postalCode}`).toContain(l.ward);
    }
  });

  it('gives training dated, bookable future sessions over the next three months', () => {
    const training = parsed.filter((e) => e.kind === 'training');
    for (const t of training) {
      expect(t.providedBy, t.externalId).toBeTruthy();
      expect(t.howToJoin).toBe('booking');
      expect(t.occurrences.length, t.externalId).toBeGreaterThan(0);
      for (const o of t.occurrences) {
        expect(o.start.getTime()).toBeGreaterThan(NOW.getTime());
        expect(o.start.getTime()).toBeLessThan(NOW.getTime() + 95 * DAY);
        expect(o.capacity).toBeGreaterThanOrEqual(12);
        expect(o.capacity).toBeLessThanOrEqual(20);
        expect(o.bookingDeadline!.getTime()).toBeLessThan(o.start.getTime());
        expect(o.key).toBe(o.start.toISOString());
        const day = DateTime.fromJSDate(o.start, { zone: 'Europe/London' });
        expect(day.weekday, `${t.externalId} ${o.key}`).toBeLessThanOrEqual(5);
      }
    }
    const titles = training.map((t) => t.title).join('\n');
    expect(titles).toMatch(/Making Every Contact Count/);
    expect(titles).toMatch(/Mental Health First Aid \(2-day/);
    expect(titles).toMatch(/Dementia Friends/);
    expect(titles).toMatch(/Suicide Prevention/);
    const refresher = training.find((t) => /Refresher/.test(t.title));
    expect(refresher?.prerequisites).toContain('Mental Health First Aid');
  });

  it('gives resources no occurrences', () => {
    for (const r of parsed.filter((e) => e.kind === 'resource')) expect(r.occurrences, r.externalId).toEqual([]);
    expect(parsed.some((e) => e.kind === 'resource' && e.organisation?.name === 'Ageing Better in Camden')).toBe(true);
  });

  it('gives standing activities a schedule and sessions over the next eight weeks in London time', () => {
    const activities = parsed.filter((e) => e.kind === 'activity');
    expect(activities.length).toBeGreaterThanOrEqual(130);
    for (const a of activities) {
      expect(a.schedule?.description, a.externalId).toBeTruthy();
      for (const o of a.occurrences) {
        expect(o.start.getTime()).toBeGreaterThan(NOW.getTime());
        expect(o.start.getTime()).toBeLessThan(NOW.getTime() + 56 * DAY);
        expect(o.end.getTime()).toBeGreaterThan(o.start.getTime());
        expect(o.key).toBe(o.start.toISOString());
        if (a.schedule?.opensAt) {
          expect(DateTime.fromJSDate(o.start, { zone: 'Europe/London' }).toFormat('HH:mm')).toBe(a.schedule.opensAt);
        }
      }
    }
    const withSessions = activities.filter((a) => a.occurrences.length > 0);
    expect(withSessions.length).toBeGreaterThanOrEqual(130);
    expect(activities.some((a) => a.schedule?.rrule?.includes('INTERVAL=2'))).toBe(true);
    expect(activities.some((a) => a.schedule?.rrule === 'FREQ=MONTHLY;BYDAY=1FR')).toBe(true);
    expect(activities.some((a) => a.schedule?.description?.startsWith('First Friday of the month'))).toBe(true);
  });

  it('keeps weekly sessions on the same local time across the clocks changing', () => {
    const lunch = parsed.find((e) => e.externalId === 'demo-belsize-park-lunch-club')!;
    expect(lunch.schedule?.rrule).toBe('FREQ=WEEKLY;BYDAY=WE');
    expect(lunch.schedule?.description).toBe('Wednesdays 12:00\u201314:00');
    const utcHours = new Set(lunch.occurrences.map((o) => o.start.getUTCHours()));
    expect(utcHours).toEqual(new Set([12, 11])); // GMT in March, BST from 30 March 2025
    expect(lunch.occurrences).toHaveLength(8);
  });

  it('lists fortnightly and monthly sessions on the right days', () => {
    for (const a of parsed) {
      const rule = a.schedule?.rrule;
      if (!rule) continue;
      const days = a.occurrences.map((o) => DateTime.fromJSDate(o.start, { zone: 'Europe/London' }));
      if (rule.includes('INTERVAL=2')) {
        for (let i = 1; i < days.length; i++) expect(days[i]!.diff(days[i - 1]!, 'days').days).toBeCloseTo(14, 0);
      }
      const first = /^FREQ=MONTHLY;BYDAY=1(\w\w)$/.exec(rule);
      if (first) for (const d of days) expect(d.day, a.externalId).toBeLessThanOrEqual(7);
      const last = /^FREQ=MONTHLY;BYDAY=-1(\w\w)$/.exec(rule);
      if (last) for (const d of days) expect(d.plus({ days: 7 }).month, a.externalId).not.toBe(d.month);
    }
  });

  it('includes paused entries and one-off cancellations with alerts', () => {
    const paused = parsed.filter((e) => e.status === 'temporarily_closed');
    expect(paused.length).toBeGreaterThanOrEqual(3);
    for (const p of paused) expect(p.alert, p.externalId).toMatch(/Paused/);
    const cancelled = parsed.filter(
      (e) => e.status === 'active' && e.occurrences.some((o) => o.status === 'cancelled'),
    );
    expect(cancelled.length).toBeGreaterThanOrEqual(3);
    for (const c of cancelled) expect(c.alert).toMatch(/^No session on/);
  });

  it('varies cost, joining, attendance, audiences, languages and accessibility', () => {
    const activities = parsed.filter((e) => e.kind === 'activity');
    expect(activities.some((e) => e.cost.isFree === true)).toBe(true);
    expect(activities.some((e) => (e.cost.amount ?? 0) >= 2 && (e.cost.amount ?? 0) <= 5)).toBe(true);
    expect(activities.some((e) => /pay what you can/i.test(e.cost.description ?? ''))).toBe(true);
    for (const h of ['drop_in', 'self_referral', 'referral_needed', 'booking'] as const) {
      expect(
        activities.some((e) => e.howToJoin === h),
        h,
      ).toBe(true);
    }
    for (const t of ['in_person', 'online', 'phone'] as const) {
      expect(
        activities.some((e) => e.attendingTypes.includes(t)),
        t,
      ).toBe(true);
    }
    const audiences = new Set(parsed.flatMap((e) => e.audiences));
    for (const a of AUDIENCES) expect(audiences.has(a), a).toBe(true);
    const languages = new Set(parsed.flatMap((e) => e.languages));
    for (const l of [
      'english',
      'bengali',
      'somali',
      'arabic',
      'sylheti',
      'cantonese',
      'kurdish',
      'portuguese',
      'spanish',
      'polish',
      'bsl',
    ]) {
      expect(languages.has(l), l).toBe(true);
    }
    for (const l of languages) expect(l).toBe(l.toLowerCase());
    const features = new Set(parsed.flatMap((e) => e.location?.accessibility ?? []));
    for (const f of features) expect(ACCESSIBILITY_FEATURES).toContain(f);
    expect(features.size).toBeGreaterThanOrEqual(7);
    for (const c of [
      'lunch club',
      'befriending',
      'exercise',
      'walking',
      'digital skills',
      'carers',
      'dementia',
      'mental health',
      'arts',
      'music',
      'gardening',
      'social',
      'advice',
      'training',
      'bereavement',
      'language',
    ]) {
      expect(
        parsed.some((e) => e.categories.includes(c)),
        c,
      ).toBe(true);
    }
  });

  it('names the organisations from the strategy and uses only fictional contact details', () => {
    const orgs = new Set(parsed.map((e) => e.organisation?.name));
    for (const n of [
      'Age UK Camden',
      'Voluntary Action Camden',
      'Ageing Better in Camden',
      'Camden Carers Service',
      'Mind in Camden',
      'Camden Community Champions',
    ]) {
      expect(orgs.has(n), n).toBe(true);
    }
    for (const e of parsed) {
      for (const p of [e.contact.phone, e.organisation?.phone]) {
        if (p !== undefined) expect(p, e.externalId).toMatch(/^020 7946 0\d{3}$/);
      }
      for (const m of [e.contact.email, e.organisation?.email]) {
        if (m !== undefined) expect(m, e.externalId).toMatch(/@([a-z0-9-]+\.)*example\.org$/);
      }
      for (const u of [e.url, e.organisation?.url, e.location?.url]) {
        if (u !== undefined) expect(u, e.externalId).toMatch(/^https:\/\/example\.org\//);
      }
    }
  });

  it('has mostly recent assured dates, with some stale ones', () => {
    const ages = parsed.map((e) => (NOW.getTime() - e.assuredDate!.getTime()) / DAY);
    for (const a of ages) expect(a).toBeGreaterThanOrEqual(0);
    const stale = ages.filter((a) => a > 14 * 30).length;
    expect(stale).toBeGreaterThanOrEqual(5);
    expect(stale).toBeLessThan(ages.length / 4);
    for (const a of ages) expect(a).toBeLessThan(20 * 31);
  });

  it.each([
    '2025-10-24T22:30:00Z', // the clocks go back that weekend
    '2025-12-28T12:00:00Z', // over New Year
    '2026-03-27T23:59:00Z', // the clocks go forward that weekend
    '2024-02-29T08:00:00Z', // a leap day
  ])('holds its invariants when now is %s', async (iso) => {
    const now = new Date(iso);
    const list = (await buildDemoCatalogue(now)).map((e) => CatalogueEntryInputSchema.parse(e));
    expect(list.length).toBeGreaterThanOrEqual(170);
    for (const e of list) {
      for (const o of e.occurrences) {
        expect(o.start.getTime(), e.externalId).toBeGreaterThan(now.getTime());
        if (e.kind === 'training') expect(o.capacity).toBeGreaterThan(0);
        if (e.schedule?.opensAt) {
          expect(DateTime.fromJSDate(o.start, { zone: 'Europe/London' }).toFormat('HH:mm')).toBe(e.schedule.opensAt);
        }
      }
    }
    for (const t of list.filter((e) => e.kind === 'training')) expect(t.occurrences.length).toBeGreaterThan(0);
  });
});
