import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingService } from '../../../src/catalogue/booking/booking-service.ts';
import { coursesFromSettings } from '../../../src/catalogue/booking/courses.ts';
import { applyImport } from '../../../src/catalogue/ingest/apply-import.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createDeliveryQueue } from '../../../src/scheduler/delivery-queue.ts';
import { queueRefresherReminders } from '../../../src/scheduler/training-refreshers.ts';
import { buildTraining } from '../../helpers/build-training.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';
import { FakeClock, recordingNotifier } from './fake-time.ts';

describe.each(STORE_KINDS)('training that stays in date on %s', (kind) => {
  let store: TestStore;
  let bookings: BookingService;
  let sessions: Record<string, string[]>;
  const clock = new FakeClock('2024-09-01T09:00:00Z');

  beforeAll(async () => {
    store = await openTestStore(kind);
    const entries = [
      buildTraining('mhfa-crowndale', 'Mental Health First Aid (Crowndale Centre)', [
        { start: '2024-09-09T08:00:00Z', end: '2024-09-10T16:00:00Z', capacity: 12 },
      ]),
      buildTraining('mhfa-refresher', 'Mental Health First Aid Refresher', [
        { start: '2027-08-02T08:00:00Z', end: '2027-08-02T12:00:00Z', capacity: 12 },
      ]),
      buildTraining(
        'safeguarding-kilburn',
        'Safeguarding Adults (Kilburn Library)',
        [{ start: '2024-09-12T09:00:00Z', end: '2024-09-12T12:00:00Z', capacity: 10 }],
        {
          location: {
            externalId: 'kilburn-library',
            name: 'Kilburn Library',
            address1: '12 Cotleigh Road',
            postalCode: 'NW6 2NP',
            accessibility: [],
          },
        },
      ),
      buildTraining('safeguarding-online', 'Safeguarding Adults – online', [
        { start: '2024-09-19T09:00:00Z', end: '2024-09-19T12:00:00Z', capacity: 30 },
      ]),
    ];
    await store.transaction((tx) =>
      applyImport(tx, { name: 'training', format: 'manual' }, entries, [], { now: clock.now() }),
    );
    const { rows } = await store.sql.query<{ external_id: string; id: string }>(
      `SELECT s.external_id, o.id FROM occurrence o JOIN service s ON s.id = o.service_id ORDER BY o.start`,
    );
    sessions = {};
    for (const r of rows) (sessions[r.external_id] ??= []).push(r.id);
    bookings = new BookingService(store, {
      courses: coursesFromSettings({ trainingValidity: 'Mental Health First Aid=3y;Safeguarding Adults=1y' }),
      logger: silentLogger,
    });
  });
  afterAll(async () => store?.close());

  const ana = { platform: 'slack', userId: 'U-ANA' };
  const ben = { platform: 'teams', userId: 'aad-ben' };

  it('refuses attendance before a session starts, and records it once it has', async () => {
    const [mhfa] = sessions['mhfa-crowndale']!;
    expect(await bookings.book(mhfa!, ana, clock.now())).toMatchObject({ status: 'confirmed' });
    expect(await bookings.book(mhfa!, ben, clock.now())).toMatchObject({ status: 'confirmed' });
    expect(await bookings.markAttendance(mhfa!, ana, true, clock.now())).toEqual({
      status: 'not_started',
      start: new Date('2024-09-09T08:00:00Z'),
    });
    expect((await bookings.bookingsForSession(mhfa!)).every((b) => b.attended === null)).toBe(true);
    const during = new Date('2024-09-10T15:00:00Z');
    expect(await bookings.markAttendance(mhfa!, ana, true, during)).toEqual({ status: 'marked' });
    expect(await bookings.markAttendance(mhfa!, ben, true, during)).toEqual({ status: 'marked' });
    expect(await bookings.markAttendance(mhfa!, { platform: 'slack', userId: 'U-NOBODY' }, true, during)).toEqual({
      status: 'not_booked',
    });
  });

  it('counts one course across venues, and only people in date as trained', async () => {
    await bookings.book(sessions['safeguarding-kilburn']![0]!, ana, clock.now());
    await bookings.book(sessions['safeguarding-online']![0]!, ben, clock.now());
    const inDate = await bookings.trainingReport(new Date('2025-01-01T09:00:00Z'));
    expect(inDate.find((r) => r.course === 'Safeguarding Adults')).toMatchObject({
      trained: 2,
      sessions: 2,
      validity: '1 year',
      lapsed: 0,
    });
    const later = await bookings.trainingReport(new Date('2026-01-01T09:00:00Z'));
    expect(later.find((r) => r.course === 'Safeguarding Adults')).toMatchObject({ trained: 0, lapsed: 2 });
    expect(later.find((r) => r.course === 'Mental Health First Aid')).toMatchObject({
      trained: 2,
      lapsed: 0,
      validity: '3 years',
    });
  });

  it('sends each person a refresher reminder 6 and 3 months before their training lapses, exactly once each', async () => {
    const slack = recordingNotifier('slack', clock);
    const teams = recordingNotifier('teams', clock);
    const queue = createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { slack, teams },
      sleep: clock.sleep,
    });
    const run = async (at: string) => {
      clock.set(at);
      const queued = await queueRefresherReminders(store, bookings, clock.now(), silentLogger);
      await queue.drain();
      return queued;
    };
    // Safeguarding (1 year) lapses 12 and 19 September 2025: 6-month reminders in March, 3-month ones in June.
    expect(await run('2025-03-13T09:00:00Z')).toBe(1);
    expect(await run('2025-03-20T09:00:00Z')).toBe(1);
    expect(await run('2025-03-21T09:00:00Z')).toBe(0);
    expect(await run('2025-06-20T09:00:00Z')).toBe(2);
    expect(await run('2025-06-21T09:00:00Z')).toBe(0);
    expect(slack.posted.map((p) => [p.channelRef, p.reply.fallbackText])).toEqual([
      ['U-ANA', 'Your Safeguarding Adults training lapses on 12 September 2025: book a refresher.'],
      ['U-ANA', 'Your Safeguarding Adults training lapses on 12 September 2025: book a refresher.'],
    ]);
    expect(teams.posted.map((p) => p.reply.blocks[0])).toEqual([
      { type: 'heading', text: 'Training refresher due' },
      { type: 'heading', text: 'Training lapses in 3 months' },
    ]);

    // Mental Health First Aid (3 years) lapses 10 September 2027. Ben books the refresher first: only Ana is reminded.
    await run('2027-03-01T09:00:00Z');
    const [refresher] = sessions['mhfa-refresher']!;
    expect(await bookings.book(refresher!, ben, clock.now())).toMatchObject({ status: 'confirmed' });
    slack.posted.length = 0;
    teams.posted.length = 0;
    expect(await run('2027-03-11T09:00:00Z')).toBe(1);
    expect(await run('2027-03-11T09:05:00Z')).toBe(0);
    expect(slack.posted.map((p) => p.reply.fallbackText)).toEqual([
      'Your Mental Health First Aid training lapses on 10 September 2027: book a refresher.',
    ]);
    expect(teams.posted).toEqual([]);
  });
});
