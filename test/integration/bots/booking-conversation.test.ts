import type http from 'node:http';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInviteRoute, INVITE_PATH_PREFIX } from '../../../src/catalogue/booking/booking-invite.ts';
import { BookingService } from '../../../src/catalogue/booking/booking-service.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { applyImport } from '../../../src/catalogue/ingest/apply-import.ts';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { createBookingHooks } from '../../../src/bots/core/bookings/booking-hooks.ts';
import { createConversation } from '../../../src/bots/core/conversation.ts';
import type { InboundAction } from '../../../src/bots/core/inbound.ts';
import type { Reply, ReplyButton } from '../../../src/bots/core/reply.ts';
import { fixedClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { buildResult } from '../../helpers/build-result.ts';
import { buildTraining } from '../../helpers/build-training.ts';
import { createFakeSearch } from '../../helpers/fake-search.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2027-03-01T09:00:00Z');

function buttons(reply: Reply): ReplyButton[] {
  return reply.blocks.flatMap((b) =>
    b.type === 'actions'
      ? b.buttons
      : b.type === 'list'
        ? b.items.flatMap((i) => i.buttons)
        : b.type === 'more'
          ? [b.button]
          : [],
  );
}

describe('booking training from the conversation', () => {
  let store: TestStore;
  let entryId: string;
  let conversation: ReturnType<typeof createConversation>;
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    store = await openTestStore('pglite');
    server = createHttpServer(new Map([[INVITE_PATH_PREFIX, createInviteRoute(store, fixedClock(NOW))]]), silentLogger);
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
    await store.transaction((tx) =>
      applyImport(
        tx,
        { name: 'training', format: 'manual' },
        [
          buildTraining('mecc', 'Making Every Contact Count (MECC): half-day introduction', [
            {
              start: '2027-03-10T09:30:00Z',
              end: '2027-03-10T13:00:00Z',
              capacity: 1,
              deadline: '2027-03-08T17:00:00Z',
            },
            { start: '2027-04-14T08:30:00Z', end: '2027-04-14T12:00:00Z', capacity: 10 },
          ]),
        ],
        [],
        { now: NOW },
      ),
    );
    entryId = (await store.sql.query<{ id: string }>(`SELECT id FROM service WHERE external_id = 'mecc'`)).rows[0]!.id;
    const search = createFakeSearch([
      buildResult({
        id: entryId,
        kind: 'training',
        title: 'Making Every Contact Count (MECC): half-day introduction',
        venue: 'Crowndale Centre',
      }),
    ]);
    const clock = fixedClock(NOW);
    const bookings = new BookingService(store);
    conversation = createConversation({
      search,
      clock,
      logger: silentLogger,
      hooks: {
        bookings: createBookingHooks({
          bookings,
          search,
          clock,
          offerHours: 24,
          inviteUrl: (id) => `${base}${INVITE_PATH_PREFIX}${id}.ics`,
        }),
      },
    });
  });
  afterAll(async () => {
    server.close();
    await store.close();
  });

  const actor = (userId: string) => ({
    platform: 'slack' as const,
    userId,
    displayName: userId,
    isCoordinator: false,
    channelRef: 'D1',
  });
  const press = (userId: string, button: ReplyButton): Promise<Reply> =>
    conversation.handleAction({ ...actor(userId), action: button.action, value: button.value } satisfies InboundAction);

  it('offers the dates, books one with a calendar invite, waitlists the next person, and lists bookings', async () => {
    const choose = await press('U1', { label: 'Book', action: ACTION.book, value: JSON.stringify({ id: entryId }) });
    const dates = buttons(choose).filter((b) => b.action === ACTION.book);
    expect(dates).toHaveLength(2);
    expect(choose.fallbackText).toMatch(/Wed 10 Mar 2027, 09:30–13:00/);

    const booked = await press('U1', dates[0]!);
    expect(booked.blocks[0]).toEqual({ type: 'heading', text: 'Booked ✓' });
    const invite = booked.blocks.find((b) => b.type === 'attachment');
    expect(invite).toMatchObject({ mimeType: 'text/calendar' });
    const event = new ICAL.Event(
      new ICAL.Component(ICAL.parse((invite as { content: string }).content)).getFirstSubcomponent('vevent')!,
    );
    expect(event.summary).toBe('Making Every Contact Count (MECC): half-day introduction');

    // Platforms that take links (Teams) get the same invite from the server.
    const link = (invite as { url?: string }).url!;
    expect(link).toMatch(new RegExp(`^${base}/invites/[0-9a-f-]{36}\\.ics$`));
    const fetched = await fetch(link);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toMatch(/^text\/calendar/);
    const linked = new ICAL.Event(new ICAL.Component(ICAL.parse(await fetched.text())).getFirstSubcomponent('vevent')!);
    expect(linked.uid).toBe(event.uid);
    expect((await fetch(`${base}/invites/00000000-0000-4000-8000-000000000000.ics`)).status).toBe(404);
    expect((await fetch(`${base}/invites/nonsense`)).status).toBe(404);

    const full = await press('U2', dates[0]!);
    expect(full.fallbackText).toMatch(/full\. You're number 1 on the waitlist/);

    const mine = await conversation.handleMessage({ ...actor('U2'), text: 'my bookings', isDirect: true });
    expect(mine.fallbackText).toMatch(/On the waitlist/);

    // U1 cancels: U2 is offered the place and accepts it from their bookings list.
    const cancel = buttons(booked).find((b) => b.action === ACTION.cancelBooking)!;
    expect((await press('U1', cancel)).fallbackText).toMatch(/is cancelled/);
    const offered = await conversation.handleMessage({ ...actor('U2'), text: 'my bookings', isDirect: true });
    const accept = buttons(offered).find((b) => b.action === ACTION.acceptOffer)!;
    const accepted = await press('U2', accept);
    expect(accepted.blocks[0]).toEqual({ type: 'heading', text: 'Booked ✓' });
  });

  it('refuses a forged button value politely', async () => {
    const reply = await press('U3', { label: 'x', action: ACTION.cancelBooking, value: '{"sid":"not-a-uuid"}' });
    expect(reply.fallbackText).toBeTruthy();
    expect(reply.blocks.some((b) => b.type === 'attachment')).toBe(false);
  });
});
