import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { createConversation } from '../../../src/bots/core/conversation.ts';
import type { Reply } from '../../../src/bots/core/reply.ts';
import { fixedClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createDigestHooks, createHomeDigests, parseSubscribeText } from '../../../src/scheduler/digest-hooks.ts';
import { createPrismaSubscriptionRepository } from '../../../src/scheduler/prisma-subscription-repository.ts';
import { createFakeSearch } from '../../helpers/fake-search.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2027-03-01T09:00:00Z');

describe('parseSubscribeText', () => {
  it('reads the schedule, the topic, the place and the audience', () => {
    const parsed = parseSubscribeText('weekly fri 16:00 new lunch clubs in Kentish Town for older people', NOW);
    expect(parsed.when).toBe('weekly fri 16:00');
    expect(parsed.mode).toBe('new');
    expect(parsed.filters.wards).toEqual(expect.arrayContaining(['Kentish Town North', 'Kentish Town South']));
    expect(parsed.filters.audiences).toEqual(['older_people']);
    expect(parsed.filters.categories).toContain('lunch club');
    expect(parseSubscribeText('', NOW)).toMatchObject({ when: 'weekly mon 09:00', mode: 'both', filterText: null });
    expect(parseSubscribeText('daily 8am training', NOW)).toMatchObject({
      when: 'daily 8am',
      filters: { kinds: ['training'] },
    });
  });
});

describe.each(STORE_KINDS)('digests from chat on %s', (kind) => {
  let store: TestStore;
  let conversation: ReturnType<typeof createConversation>;
  beforeAll(async () => {
    store = await openTestStore(kind);
    const clock = fixedClock(NOW);
    conversation = createConversation({
      search: createFakeSearch([]),
      clock,
      logger: silentLogger,
      hooks: {
        digests: createDigestHooks({
          store,
          subscriptions: createPrismaSubscriptionRepository(store),
          clock,
          logger: silentLogger,
        }),
      },
    });
  });
  afterAll(async () => store.close());

  const say = (text: string, isCoordinator = true): Promise<Reply> =>
    conversation.handleMessage({
      platform: 'slack',
      userId: 'U-COORD',
      isCoordinator,
      channelRef: 'C-KENTISH',
      text,
      isDirect: false,
    });

  it('lets a coordinator subscribe the channel, shows health, and stop it; others are refused', async () => {
    expect((await say('subscribe weekly mon 09:00', false)).fallbackText).toMatch(/Only coordinators/);
    const reply = await say('subscribe weekly fri 16:00 lunch clubs in Kentish Town');
    expect(reply.fallbackText).toMatch(
      /^Subscribed\. This channel will get .* every Friday at 16:00\. First digest: Friday 5 March at 16:00\./,
    );
    const subs = await createPrismaSubscriptionRepository(store).list({ activeOnly: true });
    expect(subs).toHaveLength(1);
    expect(subs[0]).toMatchObject({ platform: 'slack', channelRef: 'C-KENTISH', createdBy: 'slack:U-COORD' });
    expect(subs[0]!.filters.wards.length).toBeGreaterThan(0);

    expect((await say('digest status')).fallbackText).toMatch(/every Friday at 16:00: not sent yet/);
    const home = createHomeDigests(createPrismaSubscriptionRepository(store));
    const coordinatorHome = await home({ platform: 'slack', userId: 'U-COORD', isCoordinator: true });
    expect(coordinatorHome?.fallbackText).toMatch(/1 channel digests: • channel C-KENTISH: every Friday at 16:00/);
    expect((await home({ platform: 'slack', userId: 'U-OTHER', isCoordinator: false }))?.fallbackText).toMatch(
      /Ask a coordinator/,
    );

    const unsubscribe = reply.blocks
      .flatMap((b) => (b.type === 'actions' ? b.buttons : []))
      .find((b) => b.action === ACTION.unsubscribe)!;
    const other = await conversation.handleAction({
      platform: 'slack',
      userId: 'U-COORD',
      isCoordinator: true,
      channelRef: 'C-ELSEWHERE',
      action: unsubscribe.action,
      value: unsubscribe.value,
    });
    expect(other.fallbackText).toMatch(/another channel/);
    const stopped = await conversation.handleAction({
      platform: 'slack',
      userId: 'U-COORD',
      isCoordinator: true,
      channelRef: 'C-KENTISH',
      action: unsubscribe.action,
      value: unsubscribe.value,
    });
    expect(stopped.fallbackText).toMatch(/Digest stopped/);
    expect(await createPrismaSubscriptionRepository(store).list({ activeOnly: true })).toHaveLength(0);
    expect((await say('unsubscribe')).fallbackText).toMatch(/no digest/);
  });

  it('explains a schedule it cannot read', async () => {
    const reply = await say('subscribe weekly mon 25:00');
    expect(reply.fallbackText).toMatch(/Couldn't set up the digest/);
  });
});
