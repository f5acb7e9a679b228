import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation } from '../../src/bots/core/conversation.ts';
import { toPlainText } from '../../src/bots/core/reply.ts';
import { SlackNotifier } from '../../src/bots/slack/slack-notifier.ts';
import { fixedClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/logger.ts';
import { createDeliveryQueue } from '../../src/scheduler/delivery-queue.ts';
import { createDigestHooks, createHomeDigests } from '../../src/scheduler/digest-hooks.ts';
import { createPrismaSubscriptionRepository } from '../../src/scheduler/prisma-subscription-repository.ts';
import { runDueDigests } from '../../src/scheduler/run-due-digests.ts';
import { FakeClock } from '../integration/scheduler/fake-time.ts';
import { createFakeSearch } from '../helpers/fake-search.ts';
import { openTestStore, type TestStore } from '../helpers/test-db.ts';

const NOW = new Date('2027-03-01T09:00:00Z');

describe('a digest subscribed in a channel the bot is not in', () => {
  let store: TestStore;
  let conversation: ReturnType<typeof createConversation>;
  let slack: SlackNotifier;
  beforeAll(async () => {
    nock.disableNetConnect();
    store = await openTestStore('pglite');
    const clock = fixedClock(NOW);
    slack = new SlackNotifier({ botToken: 'xoxb-test', logger: silentLogger });
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
          notifiers: { slack },
        }),
      },
    });
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await store.close();
  });

  const subscribe = (channelRef: string) =>
    conversation.handleMessage({
      platform: 'slack',
      userId: 'U-COORD',
      isCoordinator: true,
      channelRef,
      text: 'subscribe weekly mon 09:00',
      isDirect: false,
    });

  it('tells the coordinator at once', async () => {
    nock('https://slack.com')
      .post('/api/conversations.info')
      .reply(200, { ok: true, channel: { id: 'C-OUTSIDE', is_member: false } });
    const reply = await subscribe('C-OUTSIDE');
    expect(reply.fallbackText).toMatch(/I am not a member of this channel/);
    expect(reply.blocks.map((b) => ('text' in b ? toPlainText(b.text) : '')).join('\n')).toMatch(
      /add me to the channel/,
    );
  });

  it('says nothing extra where the bot is a member', async () => {
    nock('https://slack.com')
      .post('/api/conversations.info')
      .reply(200, { ok: true, channel: { id: 'C-INSIDE', is_member: true } });
    const reply = await subscribe('C-INSIDE');
    expect(reply.fallbackText).not.toMatch(/not a member/);
    expect(reply.fallbackText).toMatch(/^Subscribed/);
  });

  it('a not_in_channel delivery marks the subscription failing and tells the coordinator again, directly', async () => {
    const posted: { channel: string; text: string }[] = [];
    nock('https://slack.com')
      .post('/api/chat.postMessage')
      .times(3)
      .reply((_uri, body) => {
        const fields = Object.fromEntries(new URLSearchParams(String(body))) as { channel: string; text: string };
        posted.push(fields);
        return [
          200,
          fields.channel === 'C-OUTSIDE'
            ? { ok: false, error: 'not_in_channel' }
            : { ok: true, ts: '1.1', channel: fields.channel },
        ];
      });
    // Both subscriptions above are weekly on Monday at 09:00: the next Monday's digests are due.
    const clock = new FakeClock('2027-03-08T09:00:30Z');
    const subscriptions = createPrismaSubscriptionRepository(store);
    await runDueDigests({ store, subscriptions, logger: silentLogger }, clock.now());
    const queue = createDeliveryQueue({ store, clock, logger: silentLogger, notifiers: { slack }, sleep: clock.sleep });
    const outcomes = await queue.drain({ maxWaitMs: 10_000 });

    expect(outcomes.find((o) => o.channelRef === 'C-OUTSIDE')).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(/not_in_channel/),
    });
    expect(outcomes.find((o) => o.channelRef === 'U-COORD')).toMatchObject({ kind: 'notice', outcome: 'sent' });
    const notice = posted.find((p) => p.channel === 'U-COORD');
    expect(notice?.text).toMatch(/could not post the digest in channel C-OUTSIDE: I am not a member of it/);
    const [outside] = await subscriptions.list({ activeOnly: true, platform: 'slack', channelRef: 'C-OUTSIDE' });
    expect(outside?.consecutiveFailures).toBeGreaterThanOrEqual(2);
    expect(outside?.lastError).toMatch(/not_in_channel/);
    const [inside] = await subscriptions.list({ activeOnly: true, platform: 'slack', channelRef: 'C-INSIDE' });
    expect(inside?.consecutiveFailures).toBe(0);

    // The coordinator's App Home list of digests says so too.
    const home = await createHomeDigests(subscriptions)({ platform: 'slack', userId: 'U-COORD', isCoordinator: true });
    expect(home?.fallbackText).toMatch(/C-OUTSIDE: .*failing/);
  });
});
