import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation } from '../../src/bots/core/conversation.ts';
import { toPlainText } from '../../src/bots/core/reply.ts';
import { SlackNotifier } from '../../src/bots/slack/slack-notifier.ts';
import { fixedClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/logger.ts';
import { createDigestHooks } from '../../src/scheduler/digest-hooks.ts';
import { createPrismaSubscriptionRepository } from '../../src/scheduler/prisma-subscription-repository.ts';
import { createFakeSearch } from '../helpers/fake-search.ts';
import { openTestStore, type TestStore } from '../helpers/test-db.ts';

const NOW = new Date('2027-03-01T09:00:00Z');

describe('a digest subscribed in a channel the bot is not in', () => {
  let store: TestStore;
  let conversation: ReturnType<typeof createConversation>;
  beforeAll(async () => {
    nock.disableNetConnect();
    store = await openTestStore('pglite');
    const clock = fixedClock(NOW);
    const slack = new SlackNotifier({ botToken: 'xoxb-test', logger: silentLogger });
    conversation = createConversation({
      search: createFakeSearch([]),
      clock,
      logger: silentLogger,
      hooks: { digests: createDigestHooks({ store, subscriptions: createPrismaSubscriptionRepository(store), clock, logger: silentLogger, notifiers: { slack } }) },
    });
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await store.close();
  });

  const subscribe = (channelRef: string) =>
    conversation.handleMessage({ platform: 'slack', userId: 'U-COORD', isCoordinator: true, channelRef, text: 'subscribe weekly mon 09:00', isDirect: false });

  it('tells the coordinator at once', async () => {
    nock('https://slack.com').post('/api/conversations.info').reply(200, { ok: true, channel: { id: 'C-OUTSIDE', is_member: false } });
    const reply = await subscribe('C-OUTSIDE');
    expect(reply.fallbackText).toMatch(/I am not a member of this channel/);
    expect(reply.blocks.map((b) => ('text' in b ? toPlainText(b.text) : '')).join('\n')).toMatch(/add me to the channel/);
  });

  it('says nothing extra where the bot is a member', async () => {
    nock('https://slack.com').post('/api/conversations.info').reply(200, { ok: true, channel: { id: 'C-INSIDE', is_member: true } });
    const reply = await subscribe('C-INSIDE');
    expect(reply.fallbackText).not.toMatch(/not a member/);
    expect(reply.fallbackText).toMatch(/^Subscribed/);
  });
});
