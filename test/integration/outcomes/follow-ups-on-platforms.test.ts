import type http from 'node:http';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { type SlackApp } from '../../../src/bots/slack/slack-app.ts';
import { importSource } from '../../../src/catalogue/ingest/import-source.ts';
import { createChatConversation } from '../../../src/chat-conversation.ts';
import { fixedClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { outcomesReport } from '../../../src/insights/outcomes-report.ts';
import { silentLogger } from '../../../src/logger.ts';
import { createDeliveryQueue } from '../../../src/scheduler/delivery-queue.ts';
import { queueDueFollowUps, tidyFollowUps } from '../../../src/scheduler/follow-ups.ts';
import { blockAction, postSlack, RESPONSE_URL_HOST } from '../../helpers/slack-request.ts';
import { type CardElement, cardElements, startTeamsChat, type TeamsChat } from '../../helpers/teams-chat.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';
import { slackPorts, startSlackServer } from '../../helpers/slack-server.ts';

const SLACK_API = 'https://slack.com';
const NOW = new Date('2027-06-15T09:00:00Z');
const DUE = new Date('2027-06-29T09:05:00Z');
const STAFF = 'U2147483697';

async function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}; pending: ${nock.pendingMocks().join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function captureResponses(): unknown[] {
  const bodies: unknown[] = [];
  nock(RESPONSE_URL_HOST)
    .post('/actions/T0001/1/abc', (body) => (bodies.push(body), true))
    .reply(200, 'ok');
  return bodies;
}

async function importSheet(store: TestStore): Promise<(externalId: string) => Promise<string>> {
  await importSource(
    store,
    {
      input: 'test/fixtures/verify/sheet-v1.csv',
      source: 'sheet',
      format: 'csv',
      now: new Date('2027-06-01T09:00:00Z'),
    },
    silentLogger,
  );
  return async (externalId) =>
    (await store.sql.query<{ id: string }>(`SELECT id::text AS id FROM service WHERE external_id = $1`, [externalId]))
      .rows[0]!.id;
}

describe('“Did it help?” in Slack (real Bolt receiver with signed requests, real store)', () => {
  let store: TestStore;
  let server: http.Server;
  let url: string;
  let slack: SlackApp;
  let idOf: (externalId: string) => Promise<string>;

  beforeAll(async () => {
    store = await openTestStore('pglite');
    idOf = await importSheet(store);
    const clock = fixedClock(NOW);
    const chat = createChatConversation({
      config: loadConfig({ DATABASE_URL: store.url }),
      store,
      clock,
      logger: silentLogger,
    });
    ({ slack, server, url } = await startSlackServer({
      conversation: chat.conversation,
      ...slackPorts(store),
      clock,
      logger: silentLogger,
    }));
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  }, 120_000);
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    nock.enableNetConnect();
    await new Promise((r) => server.close(r));
    await store?.close();
  });

  it('Share with resident → one direct message 14 days later → Went is counted, with no user id kept', async () => {
    const alpha = await idOf('alpha');
    const shared = captureResponses();
    await postSlack(url, blockAction(ACTION.share, JSON.stringify({ id: alpha })));
    await waitFor(() => shared.length === 1, 'the share text');
    expect(JSON.stringify(shared[0])).toContain('Share with resident');
    const pending = await store.sql.query<{ id: string; platform: string; user_ref: string; channel_ref: string }>(
      `SELECT id::text AS id, platform, user_ref, channel_ref FROM pending_follow_up WHERE entry_id = $1`,
      [alpha],
    );
    expect(pending.rows).toEqual([{ id: expect.any(String), platform: 'slack', user_ref: STAFF, channel_ref: STAFF }]);

    const posted: { channel: string; text: string; blocks: string }[] = [];
    nock(SLACK_API)
      .post('/api/chat.postMessage', (body) => (posted.push(body), true))
      .reply(200, { ok: true, ts: '1.1', channel: 'D9' });
    const queue = createDeliveryQueue({
      store,
      clock: fixedClock(DUE),
      logger: silentLogger,
      notifiers: { slack: slack.notifier },
    });
    await queueDueFollowUps(store, DUE, silentLogger);
    await queue.drain();
    await tidyFollowUps(store, DUE);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.channel).toBe(STAFF);
    expect(posted[0]!.text).toBe('Did the resident go to Alpha Lunch Club?');
    const blocks = typeof posted[0]!.blocks === 'string' ? posted[0]!.blocks : JSON.stringify(posted[0]!.blocks);
    expect(blocks).toContain(ACTION.followUpAnswer);
    expect(JSON.stringify((await store.sql.query(`SELECT * FROM pending_follow_up`)).rows)).not.toContain(STAFF);
    expect(JSON.stringify((await store.sql.query(`SELECT * FROM delivery_item`)).rows)).not.toContain(STAFF);

    const answered = captureResponses();
    const value = JSON.stringify({ id: pending.rows[0]!.id, o: 'went' });
    await postSlack(
      url,
      blockAction(ACTION.followUpAnswer, value, {
        container: { type: 'message', message_ts: '1.1', channel_id: 'D9' },
        channel: { id: 'D9', name: 'directmessage' },
      }),
    );
    await waitFor(() => answered.length === 1, 'the thanks');
    expect(JSON.stringify(answered[0])).toContain('glad it helped');
    const [row] = await outcomesReport(store, { from: NOW, to: DUE });
    expect(row).toMatchObject({ entryId: alpha, shared: 1, went: 1, unsuitable: 0 });
  });
});

describe('“Did it help?” in Teams (real Bot Framework endpoint, real store)', () => {
  let store: TestStore;
  let chat: TeamsChat;
  let idOf: (externalId: string) => Promise<string>;
  const STAFF_AAD = '6b2a7c1e-3f0d-4a8e-9b52-1c4d5e6f7a80';
  const submits = (els: CardElement[]) =>
    els.filter((e) => e.type === 'Action.Submit') as (CardElement & {
      title: string;
      data: { action: string; value: string };
    })[];
  const textOf = (els: CardElement[]) =>
    els
      .filter((e) => e.type === 'TextBlock')
      .map((e) => String(e.text))
      .join('\n');

  beforeAll(async () => {
    store = await openTestStore('pglite');
    idOf = await importSheet(store);
    chat = await startTeamsChat(store, { coordinator: '00000000-0000-4000-8000-000000000001', now: NOW });
  }, 120_000);
  afterAll(async () => {
    await chat?.close();
    await store?.close();
  });

  it('a share from a card is asked about in the same personal chat; Wasn’t suitable then a reason is counted', async () => {
    const bravo = await idOf('bravo');
    const share = await chat.turn(
      { value: { action: ACTION.share, value: JSON.stringify({ id: bravo }), msteams: {} } },
      STAFF_AAD,
    );
    expect(textOf(share)).toContain('Share with resident');
    const pending = await store.sql.query<{ id: string; channel_ref: string; user_ref: string }>(
      `SELECT id::text AS id, channel_ref, user_ref FROM pending_follow_up WHERE entry_id = $1`,
      [bravo],
    );
    expect(pending.rows).toHaveLength(1);
    expect(pending.rows[0]!.channel_ref).toMatch(/^a:/);

    chat.connector.reset();
    const queue = createDeliveryQueue({
      store,
      clock: fixedClock(DUE),
      logger: silentLogger,
      notifiers: { teams: chat.notifier },
    });
    await queueDueFollowUps(store, DUE, silentLogger);
    const outcomes = await queue.drain();
    expect(outcomes.map((o) => o.outcome)).toEqual(['sent']);
    const sent = chat.connector.messages();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.path).toContain(encodeURIComponent(pending.rows[0]!.channel_ref));
    expect(JSON.stringify(sent[0]!.activity)).toContain('Did the resident go to');

    const unsuitable = submits(cardElements(sent[0]!.activity)).find((b) => b.title === 'Wasn’t suitable')!;
    const reasons = submits(await chat.turn({ value: { ...unsuitable.data, msteams: {} } }, STAFF_AAD));
    expect(reasons.map((b) => b.title)).toContain('Getting there');
    const thanks = await chat.turn(
      { value: { ...reasons.find((b) => b.title === 'Getting there')!.data, msteams: {} } },
      STAFF_AAD,
    );
    expect(textOf(thanks)).toContain('getting there');
    const [row] = await outcomesReport(store, { from: NOW, to: DUE });
    expect(row).toMatchObject({ entryId: bravo, shared: 1, unsuitable: 1, reasons: { getting_there: 1 } });
  });
});
