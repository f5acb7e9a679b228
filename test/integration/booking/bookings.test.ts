import { spawn } from 'node:child_process';
import path from 'node:path';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBookingInvite } from '../../../src/catalogue/booking/booking-invite.ts';
import { type BookingEvent, BookingService } from '../../../src/catalogue/booking/booking-service.ts';
import { applyImport } from '../../../src/catalogue/ingest/apply-import.ts';
import type { Store } from '../../../src/db/open-store.ts';
import { buildTraining } from '../../helpers/build-training.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2027-03-01T09:00:00Z');
const HOUR = 3_600_000;

async function load(store: Store, entries: ReturnType<typeof buildTraining>[]) {
  await store.transaction((tx) => applyImport(tx, { name: 'training', format: 'manual' }, entries, [], { now: NOW }));
}

async function sessionIds(store: Store, externalId: string): Promise<string[]> {
  const { rows } = await store.sql.query<{ id: string }>(
    `SELECT o.id FROM occurrence o JOIN service s ON s.id = o.service_id WHERE s.external_id = $1 ORDER BY o.start`,
    [externalId],
  );
  return rows.map((r) => r.id);
}

const mecc = buildTraining('mecc', 'Making Every Contact Count (MECC): half-day introduction', [
  { start: '2027-03-10T09:30:00Z', end: '2027-03-10T13:00:00Z', capacity: 2, deadline: '2027-03-08T17:00:00Z' },
  // After the March clock change: 09:30 in London is 08:30 UTC.
  { start: '2027-04-14T08:30:00Z', end: '2027-04-14T12:00:00Z', capacity: 10, deadline: '2027-04-12T16:00:00Z' },
]);
const mhfa = buildTraining('mhfa', 'Mental Health First Aid (2-day course)', [
  { start: '2027-03-03T09:00:00Z', end: '2027-03-04T17:00:00Z', capacity: 12 },
]);
const refresher = buildTraining(
  'mhfa-refresher',
  'Mental Health First Aid Refresher',
  [{ start: '2027-05-05T08:00:00Z', end: '2027-05-05T12:00:00Z', capacity: 12 }],
  { prerequisites: ['Mental Health First Aid'] },
);

describe.each(STORE_KINDS)('training bookings on %s', (kind) => {
  let store: TestStore;
  let events: BookingEvent[];
  let service: BookingService;
  let small: string;
  let april: string;
  beforeAll(async () => {
    store = await openTestStore(kind);
    await load(store, [mecc, mhfa, refresher]);
    [small, april] = (await sessionIds(store, 'mecc')) as [string, string];
    events = [];
    service = new BookingService(store, { onEvent: async (e) => void events.push(e) });
  });
  afterAll(async () => store.close());

  const ana = { platform: 'slack', userId: 'U-ANA', displayName: 'Ana' };
  const ben = { platform: 'teams', userId: 'aad-ben', displayName: 'Ben' };
  const cat = { platform: 'slack', userId: 'U-CAT', displayName: 'Cat' };
  const dev = { platform: 'terminal', userId: 'dev', displayName: 'Dev' };

  it('confirms until the session is full, then waitlists in order; a second click is the same booking', async () => {
    expect(await service.book(small, ana, NOW)).toMatchObject({ status: 'confirmed' });
    expect(await service.book(small, ana, NOW)).toMatchObject({ status: 'already_booked', current: 'confirmed' });
    expect(await service.book(small, ben, NOW)).toMatchObject({ status: 'confirmed' });
    expect(await service.book(small, cat, NOW)).toMatchObject({ status: 'waitlisted', position: 1 });
    expect(await service.book(small, dev, NOW)).toMatchObject({ status: 'waitlisted', position: 2 });
    expect(await service.book(small, dev, NOW)).toMatchObject({
      status: 'already_booked',
      current: 'waitlisted',
      position: 2,
    });
    const summary = (await service.listSessions({ from: NOW })).find((s) => s.id === small)!;
    expect(summary).toMatchObject({
      capacity: 2,
      confirmed: 2,
      waitlisted: 2,
      course: 'MECC (Making Every Contact Count)',
    });
  });

  it('offers a freed place to the next person for 24 hours, and moves on when the offer lapses', async () => {
    events.length = 0;
    expect(await service.cancel(small, ana, new Date(NOW.getTime() + HOUR))).toEqual({
      status: 'cancelled',
      late: false,
    });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'offered',
        booker: expect.objectContaining({ userId: 'U-CAT' }),
        expiresAt: new Date(NOW.getTime() + 25 * HOUR),
      }),
    ]);
    // Nobody else can take the held place meanwhile.
    expect(
      await service.book(small, { platform: 'slack', userId: 'U-EVE' }, new Date(NOW.getTime() + 2 * HOUR)),
    ).toMatchObject({
      status: 'waitlisted',
      position: 2,
    });
    events.length = 0;
    expect(await service.expireDueOffers(new Date(NOW.getTime() + 26 * HOUR))).toBe(1);
    expect(events.map((e) => [e.type, e.booker.userId])).toEqual([
      ['offer_expired', 'U-CAT'],
      ['offered', 'dev'],
    ]);
    expect(await service.answerOffer(small, cat, true, new Date(NOW.getTime() + 27 * HOUR))).toEqual({
      status: 'no_offer',
    });
    expect(await service.answerOffer(small, dev, true, new Date(NOW.getTime() + 27 * HOUR))).toEqual({
      status: 'confirmed',
    });
    expect(events.at(-1)).toMatchObject({
      type: 'confirmed',
      sessionId: small,
      booker: { userId: 'dev' },
      entryId: expect.any(String),
    });
    const list = await service.bookingsForSession(small);
    expect(
      list
        .filter((b) => b.status === 'confirmed')
        .map((b) => b.userId)
        .sort(),
    ).toEqual(['aad-ben', 'dev']);
    expect(list.find((b) => b.userId === 'U-EVE')).toMatchObject({ status: 'waitlisted', position: 1 });
  });

  it('lets anyone leave a waitlist, records late cancellations, and closes booking at the deadline', async () => {
    expect(await service.cancel(small, { platform: 'slack', userId: 'U-EVE' }, NOW)).toEqual({
      status: 'left_waitlist',
    });
    const afterDeadline = new Date('2027-03-09T10:00:00Z');
    expect(await service.book(small, { platform: 'slack', userId: 'U-LATE' }, afterDeadline)).toEqual({
      status: 'closed',
      reason: 'the booking deadline has passed',
    });
    expect(await service.cancel(small, ben, afterDeadline)).toEqual({ status: 'cancelled', late: true });
    expect(await service.cancel(small, ben, afterDeadline)).toEqual({ status: 'not_booked' });
    expect(await service.cancel(small, dev, new Date('2027-03-10T10:00:00Z'))).toMatchObject({ status: 'closed' });
  });

  it('needs an earlier Mental Health First Aid before the refresher', async () => {
    const [refresherId] = await sessionIds(store, 'mhfa-refresher');
    const [mhfaId] = await sessionIds(store, 'mhfa');
    expect(await service.book(refresherId!, ana, NOW)).toEqual({
      status: 'closed',
      reason: 'needs Mental Health First Aid first',
    });
    expect(await service.book(mhfaId!, ana, new Date('2027-03-01T09:00:00Z'))).toMatchObject({ status: 'confirmed' });
    // Booked but the course has not happened yet: still not eligible.
    expect(await service.book(refresherId!, ana, new Date('2027-03-02T09:00:00Z'))).toMatchObject({ status: 'closed' });
    expect(await service.markAttendance(mhfaId!, ana, true, new Date('2027-03-04T18:00:00Z'))).toEqual({
      status: 'marked',
    });
    expect(await service.book(refresherId!, ana, new Date('2027-03-05T09:00:00Z'))).toMatchObject({
      status: 'confirmed',
    });
  });

  it('counts people trained per course against the MECC target of 200', async () => {
    await service.book(april, cat, NOW);
    await service.book(april, dev, NOW);
    await service.markAttendance(april, cat, true, new Date('2027-04-14T13:00:00Z'));
    await service.markAttendance(april, dev, false, new Date('2027-04-14T13:00:00Z'));
    const report = await service.trainingReport(new Date('2027-05-01T00:00:00Z'));
    const meccRow = report.find((r) => r.course.startsWith('MECC'))!;
    // dev attended the March session (confirmed from the waitlist, not marked) and missed April's: still trained once.
    expect(meccRow).toMatchObject({ target: 200, trained: 2, sessions: 2 });
    expect(meccRow.attendanceRate).toBe(0.5);
    expect(report.find((r) => r.course === 'Mental Health First Aid')).toMatchObject({ trained: 1, target: null });
  });

  it('keeps a booked session, cancelled, when it disappears from its source', async () => {
    const moved = buildTraining('mecc', mecc.title, [
      { start: '2027-04-21T08:30:00Z', end: '2027-04-21T12:00:00Z', capacity: 10 },
    ]);
    await load(store, [moved, mhfa, refresher]);
    const sessions = await service.listSessions();
    expect(sessions.find((s) => s.id === april)).toMatchObject({ status: 'cancelled', confirmed: 2 });
    expect((await service.bookingsForSession(april)).length).toBe(2);
  });
});

describe('calendar invite', () => {
  it('parses back with ical.js to the same instants, in Europe/London across the clock change', () => {
    const start = new Date('2027-04-14T08:30:00Z');
    const end = new Date('2027-04-14T12:00:00Z');
    const text = buildBookingInvite({
      bookingId: '6f1c1a8e-0000-4000-8000-000000000001',
      title: 'Making Every Contact Count (MECC): half-day introduction; Crowndale',
      start,
      end,
      venue: 'Crowndale Centre',
      address: '218 Eversholt Street, NW1 1BD',
      onlineUrl: null,
      description: 'Bring a pen.',
      organiser: 'Camden Council Public Health',
      now: NOW,
    });
    const calendar = new ICAL.Component(ICAL.parse(text));
    for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.startDate.toJSDate().toISOString()).toBe(start.toISOString());
    expect(event.endDate.toJSDate().toISOString()).toBe(end.toISOString());
    expect(event.startDate.zone?.tzid).toBe('Europe/London');
    expect(event.summary).toBe('Making Every Contact Count (MECC): half-day introduction; Crowndale');
    expect(event.location).toBe('Crowndale Centre, 218 Eversholt Street, NW1 1BD');
    expect(text.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });
});

describe.runIf(STORE_KINDS.includes('postgres'))('many people booking the last places at once', () => {
  let store: TestStore;
  afterAll(async () => store?.close());

  it('ends with exactly capacity confirmed across several processes, the rest waitlisted in a single order', async () => {
    store = await openTestStore('postgres');
    await load(store, [
      buildTraining('rush', 'Mental Health First Aid Champion (1 day)', [
        { start: '2027-06-01T08:00:00Z', end: '2027-06-01T16:00:00Z', capacity: 5 },
      ]),
    ]);
    const [session] = await sessionIds(store, 'rush');
    const worker = path.resolve('test/helpers/book-worker.ts');
    const tsx = path.resolve('node_modules/tsx/dist/cli.mjs');
    const runs = await Promise.all(
      ['a', 'b', 'c', 'd'].map(
        (prefix) =>
          new Promise<string[]>((resolve, reject) => {
            const child = spawn(process.execPath, [tsx, worker, store.url, session!, prefix, '10', NOW.toISOString()]);
            let out = '';
            let err = '';
            child.stdout.on('data', (c) => (out += c));
            child.stderr.on('data', (c) => (err += c));
            child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(err))));
          }),
      ),
    );
    expect(runs.flat()).toHaveLength(80);
    const service = new BookingService(store);
    const list = await service.bookingsForSession(session!);
    expect(list).toHaveLength(40);
    expect(list.filter((b) => b.status === 'confirmed')).toHaveLength(5);
    const waiting = list.filter((b) => b.status === 'waitlisted').map((b) => b.position);
    expect(waiting.sort((x, y) => x! - y!)).toEqual(Array.from({ length: 35 }, (_, i) => i + 1));
    expect(new Set(list.map((b) => b.userId)).size).toBe(40);
  });
});
