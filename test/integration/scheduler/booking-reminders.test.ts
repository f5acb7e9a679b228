import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingService } from '../../../src/catalogue/booking/booking-service.ts';
import { applyImport } from '../../../src/catalogue/ingest/apply-import.ts';
import { silentLogger } from '../../../src/logger.ts';
import { bookingEventsToQueue, runBookingTick } from '../../../src/scheduler/booking-reminders.ts';
import { createDeliveryQueue } from '../../../src/scheduler/delivery-queue.ts';
import { buildTraining } from '../../helpers/build-training.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';
import { FakeClock, recordingNotifier } from './fake-time.ts';

describe.each(STORE_KINDS)('booking reminders and offers on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('reminds each confirmed booker once the day before, and delivers waitlist offers and their expiry', async () => {
    const clock = new FakeClock('2027-03-26T09:00:00Z');
    const training = buildTraining('mecc-1', 'MECC: Making Every Contact Count', [
      { start: '2027-03-29T09:30:00+01:00', end: '2027-03-29T12:30:00+01:00', capacity: 1 },
    ]);
    await store.transaction((tx) =>
      applyImport(tx, { name: 'training', format: 'manual' }, [training], [], { now: clock.now() }),
    );
    const session = await store.sql.query<{ id: string }>(`SELECT id FROM occurrence LIMIT 1`);
    const sid = session.rows[0]!.id;
    const bookings = new BookingService(store, {
      offerHours: 24,
      onEvent: bookingEventsToQueue(store, clock),
      logger: silentLogger,
    });
    await bookings.book(sid, { platform: 'slack', userId: 'U1' }, clock.now());
    await bookings.book(sid, { platform: 'terminal', userId: 'pat' }, clock.now());
    await bookings.cancel(sid, { platform: 'slack', userId: 'U1' }, clock.now());

    const slack = recordingNotifier('slack', clock);
    const terminal = recordingNotifier('terminal', clock);
    const queue = createDeliveryQueue({
      store,
      clock,
      logger: silentLogger,
      notifiers: { slack, terminal },
      sleep: clock.sleep,
    });
    await queue.drain();
    expect(terminal.posted.map((p) => [p.channelRef, p.reply.blocks[0]])).toEqual([
      ['pat', { type: 'heading', text: 'A place is free for you' }],
    ]);

    // The offer lapses after 24 hours; nobody else is waiting.
    clock.set('2027-03-27T09:30:00Z');
    expect(await runBookingTick(store, bookings, clock.now(), silentLogger)).toEqual({ lapsed: 1, reminders: 0 });
    await queue.drain();
    expect(terminal.posted.map((p) => p.reply.fallbackText)).toHaveLength(2);

    // Sunday 28 March (the clock change day): tomorrow's session gets its reminder, once.
    await bookings.book(sid, { platform: 'slack', userId: 'U2' }, clock.now());
    clock.set('2027-03-28T08:00:00Z');
    expect((await runBookingTick(store, bookings, clock.now(), silentLogger)).reminders).toBe(1);
    expect((await runBookingTick(store, bookings, new Date('2027-03-28T20:00:00Z'), silentLogger)).reminders).toBe(0);
    await queue.drain();
    expect(slack.posted.map((p) => [p.channelRef, p.reply.fallbackText])).toEqual([
      ['U2', 'Reminder: MECC: Making Every Contact Count tomorrow, Monday 29 March at 09:30.'],
    ]);
  });
});
