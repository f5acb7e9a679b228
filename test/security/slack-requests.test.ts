import type http from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { createCoordinatorCheck } from '../../src/bots/slack/coordinators.ts';
import type { SlackApp } from '../../src/bots/slack/slack-app.ts';
import { fixedClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/logger.ts';
import { everyBlockReply, FakeConversation } from '../helpers/fake-conversation.ts';
import { postSlack, RESPONSE_URL_HOST, signSlack, slashCommand } from '../helpers/slack-request.ts';
import { openTestStore, type TestStore } from '../helpers/test-db.ts';
import { slackPorts, startSlackServer } from '../helpers/slack-server.ts';

describe('attack: forged, replayed and malformed Slack requests', () => {
  let store: TestStore;
  let server: http.Server;
  let url: string;
  let slack: SlackApp;
  const conversation = new FakeConversation();

  beforeAll(async () => {
    store = await openTestStore('pglite');
    ({ slack, server, url } = await startSlackServer({
      conversation,
      ...slackPorts(store),
      clock: fixedClock(new Date('2026-03-03T10:00:00Z')),
      logger: silentLogger,
      retryConfig: { retries: 0, factor: 1, minTimeout: 10, maxTimeout: 20 },
    }));
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await store.close();
    nock.enableNetConnect();
  });
  beforeEach(() => {
    nock.cleanAll();
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock(RESPONSE_URL_HOST).post(/.*/).times(10).reply(200, 'ok');
    conversation.messages = [];
    conversation.onMessage = () => everyBlockReply();
  });

  it('a correctly signed request stamped more than five minutes in the future is refused', async () => {
    const future = Math.floor(Date.now() / 1000) + 6 * 60;
    const res = await postSlack(url, { ...slashCommand('lunch club'), timestamp: future });
    expect(res.status).toBe(401);
    await slack.stop();
    expect(conversation.messages).toHaveLength(0);
  });

  it('the same signed request received twice runs once', async () => {
    const command = slashCommand('coffee morning');
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signSlack(command.body, timestamp);
    const first = await postSlack(url, { ...command, timestamp, signature });
    const second = await postSlack(url, { ...command, timestamp, signature });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    await slack.stop();
    expect(conversation.messages.map((m) => m.text)).toEqual(['coffee morning']);
  });

  it('a signed event of the wrong shape gets 400, not 500', async () => {
    for (const body of [
      '{"type":"event_callback"}',
      '{"type":"event_callback","event":"not an object"}',
      '[1,2,3]',
      '"just a string"',
      '{not json',
    ]) {
      const res = await postSlack(url, { body, contentType: 'application/json' });
      expect(res.status).toBe(400);
    }
    for (const body of ['payload=%7Bnot%20json', 'payload=%5B%5D', 'payload=%22x%22']) {
      const res = await postSlack(url, { body, contentType: 'application/x-www-form-urlencoded' });
      expect(res.status).toBe(400);
    }
  });
});

describe('attack (or accident): a slow Slack API holds a form past its three-second ack', () => {
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('the coordinator lookup answers from its cache, or gives up waiting, instead of blocking', async () => {
    nock.disableNetConnect();
    let t = Date.parse('2026-03-03T10:00:00Z');
    const clock = { now: () => new Date(t) };
    const client = new webApi.WebClient('xoxb-test', { retryConfig: { retries: 0 }, logLevel: webApi.LogLevel.ERROR });
    const check = createCoordinatorCheck({
      userIds: ['UFIXED'],
      usergroup: 'S0COORD',
      client,
      clock,
      logger: silentLogger,
      firstWaitMs: 50,
    });
    // First lookup, Slack never answering in time: only the configured ids count, and the answer comes at once.
    nock('https://slack.com')
      .post('/api/usergroups.users.list')
      .delay(20_000)
      .reply(200, { ok: true, users: ['UGROUP'] });
    expect(await check('UGROUP')).toBe(false);
    expect(await check('UFIXED')).toBe(true);
    nock.abortPendingRequests();
    nock.cleanAll();

    // Once the list is known, a slow refresh never holds an answer up: the last list is used meanwhile.
    const cached = createCoordinatorCheck({
      userIds: [],
      usergroup: 'S0COORD',
      client,
      clock,
      logger: silentLogger,
      firstWaitMs: 5_000,
    });
    nock('https://slack.com')
      .post('/api/usergroups.users.list')
      .reply(200, { ok: true, users: ['UGROUP'] });
    expect(await cached('UGROUP')).toBe(true);
    t += 10 * 60_000;
    nock('https://slack.com').post('/api/usergroups.users.list').delay(20_000).reply(200, { ok: true, users: [] });
    expect(await cached('UGROUP')).toBe(true);
    nock.abortPendingRequests();
  });
});
