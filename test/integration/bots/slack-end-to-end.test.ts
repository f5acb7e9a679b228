import type http from 'node:http';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { createConversation } from '../../../src/bots/core/conversation.ts';
import { DeliveryError } from '../../../src/bots/core/ports.ts';
import { createSlackApp, SLACK_EVENTS_PATH } from '../../../src/bots/slack/slack-app.ts';
import { SlackNotifier } from '../../../src/bots/slack/slack-notifier.ts';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { createDatabaseSearch } from '../../../src/catalogue/search/database-search.ts';
import { fixedClock } from '../../../src/clock.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { silentLogger } from '../../../src/logger.ts';
import {
  blockAction,
  postSlack,
  RESPONSE_URL_HOST,
  slashCommand,
  TEST_SIGNING_SECRET,
} from '../../helpers/slack-request.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';
import { slackPorts } from '../../helpers/slack-server.ts';

const NOW = new Date('2026-03-03T10:00:00Z');

type Posted = {
  response_type: string;
  text: string;
  blocks: { type: string; elements?: { action_id: string; value?: string }[] }[];
};

describe('Slack over the real conversation and the demo catalogue', () => {
  let store: TestStore;
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    store = await openTestStore('pglite');
    await seedDemo(store, NOW);
    const clock = fixedClock(NOW);
    const conversation = createConversation({ search: createDatabaseSearch(store), clock, logger: silentLogger });
    const slack = createSlackApp({
      config: {
        botToken: 'xoxb-test',
        signingSecret: TEST_SIGNING_SECRET,
        appToken: null,
        apiUrl: null,
        coordinatorUserIds: [],
        coordinatorUsergroup: null,
      },
      conversation,
      ...slackPorts(store),
      clock,
      logger: silentLogger,
      identity: { botId: 'B0BOT', botUserId: 'UBOT' },
    });
    server = createHttpServer(new Map([[SLACK_EVENTS_PATH, slack.route!]]), silentLogger);
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${SLACK_EVENTS_PATH}`;
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await new Promise((r) => server.close(r));
    await store.close();
  });
  afterEach(() => nock.cleanAll());

  const answer = async (post: ReturnType<typeof slashCommand>, path: string): Promise<Posted> => {
    let body: Posted | undefined;
    nock(RESPONSE_URL_HOST)
      .post(path, (b) => ((body = b as Posted), true))
      .reply(200, 'ok');
    const res = await postSlack(url, post);
    expect(res.status).toBe(200);
    const until = Date.now() + 10_000;
    while (!body && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    if (!body) throw new Error('no answer through response_url');
    return body;
  };

  it('answers /signpost with demo results, then details and share for the first one', async () => {
    const results = await answer(slashCommand('lunch club in Kentish Town'), '/commands/1234/5678');
    expect(results.response_type).toBe('ephemeral');
    expect(results.blocks.length).toBeLessThanOrEqual(50);
    const buttons = results.blocks.flatMap((b) => b.elements ?? []);
    const details = buttons.find((e) => e.action_id.startsWith(ACTION.details));
    expect(details?.value).toBeTruthy();
    expect(buttons.some((e) => e.action_id.startsWith(ACTION.postToChannel))).toBe(true);

    const detail = await answer(blockAction(details!.action_id, details!.value!), '/actions/T0001/1/abc');
    expect(detail.response_type).toBe('ephemeral');
    expect(detail.blocks[0]?.type).toBe('header');

    const share = buttons.find((e) => e.action_id.startsWith(ACTION.share));
    const shared = await answer(blockAction(share!.action_id, share!.value!), '/actions/T0001/1/abc');
    expect(shared.text.length).toBeGreaterThan(20);

    const post = buttons.find((e) => e.action_id.startsWith(ACTION.postToChannel));
    const posted = await answer(blockAction(post!.action_id, post!.value!), '/actions/T0001/1/abc');
    expect(posted.response_type).toBe('in_channel');
    // The public post is the entry alone, never the question that found it.
    expect(JSON.stringify(posted).toLowerCase()).not.toContain('lunch club in kentish town');
    expect(posted.blocks[0]?.type).toBe('header');
  });
});

describe('SlackNotifier', () => {
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('posts a reply and turns 429 into a retryable DeliveryError with Retry-After', async () => {
    nock.disableNetConnect();
    const notifier = new SlackNotifier({
      botToken: 'xoxb-test',
      apiUrl: 'https://slack.test/api/',
      logger: silentLogger,
    });
    let posted: Record<string, string> | undefined;
    nock('https://slack.test')
      .post('/api/chat.postMessage', (b) => ((posted = b as Record<string, string>), true))
      .reply(200, { ok: true, ts: '1.1' });
    await notifier.post(
      { platform: 'slack', channelRef: 'C1' },
      { fallbackText: 'Digest', blocks: [{ type: 'heading', text: 'New this week' }] },
    );
    expect(posted).toMatchObject({ channel: 'C1', text: 'Digest' });

    nock('https://slack.test')
      .post('/api/chat.postMessage')
      .reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '7' });
    const error = await notifier
      .post({ platform: 'slack', channelRef: 'C1' }, { fallbackText: 'x', blocks: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000 });

    nock('https://slack.test').post('/api/chat.postMessage').reply(200, { ok: false, error: 'channel_not_found' });
    const gone = await notifier
      .post({ platform: 'slack', channelRef: 'C404' }, { fallbackText: 'x', blocks: [] })
      .catch((e: unknown) => e);
    expect(gone).toMatchObject({ retryable: false });
  });
});
