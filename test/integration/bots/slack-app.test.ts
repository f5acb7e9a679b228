import type http from 'node:http';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import type { Reply } from '../../../src/bots/core/reply.ts';
import { createSlackApp, SLACK_EVENTS_PATH, type SlackApp } from '../../../src/bots/slack/slack-app.ts';
import { ENTRY_MODAL_CALLBACK, SLACK_ACTION } from '../../../src/bots/slack/slack-action-ids.ts';
import { listManualEntries } from '../../../src/catalogue/manual-entries.ts';
import { fixedClock } from '../../../src/clock.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import type { Logger } from '../../../src/logger.ts';
import { everyBlockReply, FakeConversation } from '../../helpers/fake-conversation.ts';
import {
  blockAction,
  eventCallback,
  interaction,
  postSlack,
  RESPONSE_URL_HOST,
  signSlack,
  slashCommand,
  TEST_SIGNING_SECRET,
} from '../../helpers/slack-request.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';
import { slackPorts } from '../../helpers/slack-server.ts';

const SLACK_API = 'https://slack.com';
const COORDINATOR = 'UCOORD1';

type LogLine = { level: string; msg: string; fields?: Record<string, unknown> };
function captureLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, msg, ...(fields ? { fields } : {}) });
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: () => logger,
  };
  return logger;
}

async function waitFor(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}; pending: ${nock.pendingMocks().join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Captures the JSON bodies posted to one response_url path. */
function captureResponses(path: string, times = 1): unknown[] {
  const bodies: unknown[] = [];
  nock(RESPONSE_URL_HOST)
    .post(path, (body) => {
      bodies.push(body);
      return true;
    })
    .times(times)
    .reply(200, 'ok');
  return bodies;
}

function captureApi(method: string, times = 1, reply: object = { ok: true }): unknown[] {
  const bodies: unknown[] = [];
  nock(SLACK_API)
    .post(`/api/${method}`, (body) => {
      bodies.push(body);
      return true;
    })
    .times(times)
    .reply(200, reply);
  return bodies;
}

describe('Slack app over the real Bolt receiver', () => {
  let store: TestStore;
  let server: http.Server;
  let url: string;
  let slack: SlackApp;
  const conversation = new FakeConversation();
  const logs: LogLine[] = [];

  beforeAll(async () => {
    store = await openTestStore('pglite');
    slack = createSlackApp({
      config: {
        botToken: 'xoxb-test',
        signingSecret: TEST_SIGNING_SECRET,
        appToken: null,
        apiUrl: null,
        coordinatorUserIds: [COORDINATOR],
        coordinatorUsergroup: null,
      },
      conversation,
      ...slackPorts(store),
      clock: fixedClock(new Date('2026-03-03T10:00:00Z')),
      logger: captureLogger(logs),
      identity: { botId: 'B0BOT', botUserId: 'UBOT' },
      retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
    });
    server = createHttpServer(new Map([[SLACK_EVENTS_PATH, slack.route!]]), captureLogger([]));
    const port = await listen(server, 0, '127.0.0.1');
    url = `http://127.0.0.1:${port}${SLACK_EVENTS_PATH}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await store.close();
  });
  beforeEach(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    conversation.messages = [];
    conversation.actions = [];
    conversation.onMessage = () => everyBlockReply();
    logs.length = 0;
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('answers url_verification with the challenge', async () => {
    const body = JSON.stringify({
      token: 't',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const res = await postSlack(url, { body, contentType: 'application/json' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('acks a slash command before searching, then answers privately through response_url', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    conversation.onMessage = async () => {
      await gate;
      return everyBlockReply();
    };
    const responses = captureResponses('/commands/1234/5678');
    const res = await postSlack(url, slashCommand('lunch club near <@U999|kim> Kentish Town &amp; step-free'));
    // The HTTP answer arrived while the conversation was still held: the ack does not wait for the search.
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(responses).toHaveLength(0);
    release();
    await waitFor(() => responses.length === 1, 'the response_url post');
    const posted = responses[0] as { response_type: string; text: string; blocks: { type: string }[] };
    expect(posted.response_type).toBe('ephemeral');
    expect(posted.text).toBe('Lunch clubs in Kentish Town: 2 results');
    expect(posted.blocks.map((b) => b.type)).toContain('header');
    // Ephemeral results offer "Post to channel".
    expect(JSON.stringify(posted.blocks)).toContain(ACTION.postToChannel);
    expect(conversation.messages[0]).toMatchObject({
      platform: 'slack',
      userId: 'U2147483697',
      channelRef: 'C2147483705',
      isDirect: false,
      isCoordinator: false,
      text: 'lunch club near Kentish Town & step-free',
    });
  });

  it('shows help for an empty command', async () => {
    const responses = captureResponses('/commands/1234/5678');
    expect((await postSlack(url, slashCommand(''))).status).toBe(200);
    await waitFor(() => responses.length === 1, 'help');
    expect(conversation.actions[0]?.action).toBe(ACTION.help);
    expect(conversation.messages).toHaveLength(0);
  });

  it('refuses forged, stale and malformed requests with 401 and runs nothing', async () => {
    const post = slashCommand('lunch');
    const forged = await postSlack(url, {
      ...post,
      signature: signSlack(post.body, Math.floor(Date.now() / 1000), 'not-the-secret'),
    });
    expect(forged.status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postSlack(url, { ...post, timestamp: stale, signature: signSlack(post.body, stale) })).status).toBe(
      401,
    );
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': post.contentType },
      body: post.body,
    });
    expect(unsigned.status).toBe(401);
    const tampered = await postSlack(url, {
      ...post,
      signature: signSlack(post.body, Math.floor(Date.now() / 1000)),
      body: `${post.body}x`,
    });
    expect(tampered.status).toBe(401);
    const broken = await postSlack(url, {
      body: 'payload=%7Bnot-json',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect((await fetch(url)).status).toBe(405);
    await new Promise((r) => setTimeout(r, 50));
    expect(conversation.messages).toHaveLength(0);
    expect(conversation.actions).toHaveLength(0);
  });

  it('passes buttons to the conversation and answers privately; book says it is not available yet', async () => {
    const responses = captureResponses('/actions/T0001/1/abc', 2);
    await postSlack(url, blockAction(`${ACTION.details}~0`, '{"id":"e1"}'));
    await postSlack(url, blockAction(`${ACTION.book}~1`, '{"id":"e2"}'));
    await waitFor(() => responses.length === 2, 'two responses');
    expect(conversation.actions.map((a) => [a.action, a.value])).toEqual([
      [ACTION.details, '{"id":"e1"}'],
      [ACTION.book, '{"id":"e2"}'],
    ]);
    const texts = responses.map((r) => (r as { text: string; response_type: string }).text);
    expect(texts).toContain('Booking is not available yet.');
    expect(responses.every((r) => (r as { response_type: string }).response_type === 'ephemeral')).toBe(true);
  });

  it('posts a result to the channel without the question', async () => {
    const responses = captureResponses('/actions/T0001/1/abc');
    await postSlack(url, blockAction(`${ACTION.postToChannel}~2`, '{"id":"e1"}'));
    await waitFor(() => responses.length === 1, 'post to channel');
    expect(responses[0]).toMatchObject({
      response_type: 'in_channel',
      replace_original: false,
      text: 'Kentish Town lunch club',
    });
  });

  it('turns what does not fit in one message into "Show N more", which shows the rest', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      title: `Result ${i + 1}`,
      lines: ['Somewhere'],
      buttons: [{ label: 'Details', action: ACTION.details, value: `{"id":"r${i}"}` }],
    }));
    conversation.onMessage = (): Reply => ({ fallbackText: '40 results', blocks: [{ type: 'list', items }] });
    const first = captureResponses('/commands/1234/5678');
    await postSlack(url, slashCommand('anything'));
    await waitFor(() => first.length === 1, 'first page');
    const blocks = (first[0] as { blocks: { type: string; accessory?: { action_id: string; value: string } }[] })
      .blocks;
    expect(blocks.length).toBeLessThanOrEqual(50);
    const more = blocks.at(-1)!;
    expect(more.accessory?.action_id).toMatch(/^slack\.overflow/);
    const shown = blocks.filter((b) => b.type === 'section').length - 1;
    const rest = captureResponses('/actions/T0001/1/abc');
    await postSlack(url, blockAction(more.accessory!.action_id, more.accessory!.value));
    await waitFor(() => rest.length === 1, 'the rest');
    const restText = JSON.stringify(rest[0]);
    expect(restText).toContain(`Result ${shown + 1}`);
    expect(restText).toContain('Result 40');
  });

  it('refuses digest management and entry editing to non-coordinators, politely', async () => {
    const responses = captureResponses('/actions/T0001/1/abc');
    await postSlack(url, blockAction(ACTION.subscribe, '{}'));
    await waitFor(() => responses.length === 1, 'refusal');
    expect((responses[0] as { text: string }).text).toMatch(/Only Signpost coordinators/);
    expect(conversation.actions).toHaveLength(0);

    const commandReplies = captureResponses('/commands/1234/5678');
    await postSlack(url, slashCommand('add'));
    await waitFor(() => commandReplies.length === 1, 'add refusal');
    expect((commandReplies[0] as { text: string }).text).toMatch(/Only Signpost coordinators/);
  });

  it('lets a coordinator add an entry through the modal, and edit it', async () => {
    const opened = captureApi('views.open', 1, { ok: true, view: { id: 'V1' } });
    await postSlack(url, slashCommand('add', { user_id: COORDINATOR }));
    await waitFor(() => opened.length === 1, 'views.open');
    const view = JSON.parse((opened[0] as { view: string }).view) as {
      callback_id: string;
      blocks: { block_id: string }[];
    };
    expect(view.callback_id).toBe(ENTRY_MODAL_CALLBACK);

    const submit = (values: Record<string, unknown>, user = COORDINATOR, metadata = '{}') =>
      interaction({
        type: 'view_submission',
        team: { id: 'T0001', domain: 'camden' },
        user: { id: user, username: 'coord', name: 'coord', team_id: 'T0001' },
        api_app_id: 'A123456',
        token: 't',
        trigger_id: '1.2.3',
        view: {
          id: 'V1',
          type: 'modal',
          callback_id: ENTRY_MODAL_CALLBACK,
          private_metadata: metadata,
          state: { values },
          hash: 'h',
        },
      });
    const v = (value: string) => ({ v: { type: 'plain_text_input', value } });
    const sel = (value: string) => ({ v: { type: 'static_select', selected_option: { value } } });

    // Problems go back beside their fields, in the HTTP answer.
    const bad = await postSlack(
      url,
      submit({ title: v('Hi'), kind: sel('activity'), postcode: v('nowhere'), costAmount: v('three') }),
    );
    expect(bad.status).toBe(200);
    const errors = (await bad.json()) as { response_action: string; errors: Record<string, string> };
    expect(errors.response_action).toBe('errors');
    expect(Object.keys(errors.errors).sort()).toEqual(['costAmount', 'postcode', 'title']);

    const dm = captureApi('chat.postMessage', 1, { ok: true, ts: '1.1' });
    const good = await postSlack(
      url,
      submit({
        title: v('Knitting circle'),
        kind: sel('activity'),
        description: v('Bring wool'),
        postcode: v('nw5 2ab'),
        ward: sel('Kentish Town South'),
        scheduleText: v('Thursdays 14:00–16:00'),
        free: { v: { type: 'checkboxes', selected_options: [{ value: 'free' }] } },
      }),
    );
    expect(good.status).toBe(200);
    await waitFor(() => dm.length === 1, 'the confirmation DM');
    expect((dm[0] as { channel: string; text: string }).channel).toBe(COORDINATOR);
    const saved = await listManualEntries(store, { text: 'knitting' });
    expect(saved).toHaveLength(1);

    // A non-coordinator's submission is refused even with a valid form.
    const refused = await postSlack(url, submit({ title: v('Sneaky entry'), kind: sel('activity') }, 'UOTHER'));
    expect(((await refused.json()) as { errors: Record<string, string> }).errors.title).toMatch(
      /Only Signpost coordinators/,
    );

    // Edit: the modal opens prefilled.
    const reopened = captureApi('views.open', 1, { ok: true });
    await postSlack(
      url,
      blockAction(SLACK_ACTION.editEntry, saved[0]!.externalId, { user: { id: COORDINATOR, name: 'coord' } }),
    );
    await waitFor(() => reopened.length === 1, 'edit views.open');
    const editView = JSON.parse((reopened[0] as { view: string }).view) as { private_metadata: string };
    expect(JSON.parse(editView.private_metadata)).toEqual({ externalId: saved[0]!.externalId });
    expect(JSON.stringify(editView)).toContain('Knitting circle');

    // The core's Edit buttons (typed "edit knitting" in a DM lists entries with them) open the same modal.
    const fromChooser = captureApi('views.open', 1, { ok: true });
    await postSlack(
      url,
      blockAction(ACTION.editEntry, saved[0]!.externalId, { user: { id: COORDINATOR, name: 'coord' } }),
    );
    await waitFor(() => fromChooser.length === 1, 'chooser views.open');
    expect(JSON.parse((fromChooser[0] as { view: string }).view).private_metadata).toBe(
      JSON.stringify({ externalId: saved[0]!.externalId }),
    );
    expect(conversation.actions).toHaveLength(0);
  });

  it('answers a mention in its thread, without the mention in the question', async () => {
    conversation.onMessage = () => ({ ...everyBlockReply(), ephemeral: false });
    const posted = captureApi('chat.postMessage', 1, { ok: true, ts: '2.2' });
    const res = await postSlack(
      url,
      eventCallback({
        type: 'app_mention',
        user: 'U1',
        text: '<@UBOT> dementia cafe this week',
        channel: 'C1',
        ts: '1700000000.000100',
      }),
    );
    expect(res.status).toBe(200);
    await waitFor(() => posted.length === 1, 'chat.postMessage');
    expect(posted[0]).toMatchObject({ channel: 'C1', thread_ts: '1700000000.000100' });
    expect(conversation.messages[0]).toMatchObject({ text: 'dementia cafe this week', isDirect: false });
    expect((posted[0] as { text: string }).text).toBe('Lunch clubs in Kentish Town: 2 results');
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('shows an answer the core marks private only to the person who mentioned it', async () => {
    const posted = captureApi('chat.postEphemeral', 1, { ok: true });
    await postSlack(
      url,
      eventCallback({
        type: 'app_mention',
        user: 'U1',
        text: '<@UBOT> share 1',
        channel: 'C1',
        ts: '1700000000.000300',
      }),
    );
    await waitFor(() => posted.length === 1, 'chat.postEphemeral');
    expect(posted[0]).toMatchObject({ channel: 'C1', user: 'U1' });
  });

  it('answers direct messages, ignores its own and other bots’ messages, and answers a retried event once', async () => {
    const posted = captureApi('chat.postMessage', 1, { ok: true, ts: '3.3' });
    const dm = eventCallback(
      { type: 'message', channel_type: 'im', user: 'U1', text: 'chair exercise NW5', channel: 'D1' },
      'EvSAME1',
    );
    await postSlack(url, dm);
    await postSlack(url, { ...dm, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    await postSlack(
      url,
      eventCallback({ type: 'message', channel_type: 'im', bot_id: 'B2', user: 'U2', text: 'hello', channel: 'D1' }),
    );
    await waitFor(() => posted.length === 1, 'the DM answer');
    await new Promise((r) => setTimeout(r, 100));
    expect(conversation.messages).toHaveLength(1);
    expect(conversation.messages[0]).toMatchObject({ isDirect: true, channelRef: 'D1' });
  });

  it('publishes the App Home with bookings and, for coordinators, their tools', async () => {
    const published = captureApi('views.publish', 1, { ok: true });
    await postSlack(url, eventCallback({ type: 'app_home_opened', user: COORDINATOR, channel: 'D9', tab: 'home' }));
    await waitFor(() => published.length === 1, 'views.publish');
    const view = JSON.parse((published[0] as { view: string }).view) as { type: string; blocks: object[] };
    expect(view.type).toBe('home');
    const text = JSON.stringify(view);
    expect(text).toContain('Your bookings');
    expect(text).toContain(SLACK_ACTION.addEntry);
    expect(conversation.actions[0]?.action).toBe(ACTION.myBookings);
  });

  it('retries Web API 429 (after Retry-After) and 5xx, then delivers', async () => {
    conversation.onMessage = () => ({ ...everyBlockReply(), ephemeral: false });
    const calls: number[] = [];
    nock(SLACK_API)
      .post('/api/chat.postMessage')
      .reply(() => (calls.push(429), [429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' }]))
      .post('/api/chat.postMessage')
      .reply(() => (calls.push(503), [503, 'unavailable']))
      .post('/api/chat.postMessage')
      .reply(() => (calls.push(200), [200, { ok: true, ts: '4.4' }]));
    await postSlack(
      url,
      eventCallback({ type: 'app_mention', user: 'U1', text: '<@UBOT> lunch', channel: 'C1', ts: '1700000000.000200' }),
    );
    await waitFor(() => calls.length === 3, 'three attempts', 8000);
    expect(calls).toEqual([429, 503, 200]);
    await new Promise((r) => setTimeout(r, 50));
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('apologises with a reference when a handler fails, and logs the same reference', async () => {
    conversation.onMessage = () => {
      throw new Error('database exploded at SecretPlace.ts:42');
    };
    const responses = captureResponses('/commands/1234/5678');
    await postSlack(url, slashCommand('lunch'));
    await waitFor(() => responses.length === 1, 'the apology');
    const text = (responses[0] as { text: string }).text;
    expect(text).toMatch(/Sorry, something went wrong/);
    expect(text).not.toMatch(/exploded|SecretPlace|at /);
    const reference = /reference ([0-9A-F]{8})/.exec(text)?.[1];
    const logged = logs.find((l) => l.level === 'error');
    expect(logged?.fields?.correlationId).toBe(reference);
  });

  it('uploads a calendar invite privately to the asker', async () => {
    conversation.onMessage = () => everyBlockReply({ attachment: true });
    const responses = captureResponses('/commands/1234/5678');
    captureApi('conversations.open', 1, { ok: true, channel: { id: 'D777' } });
    captureApi('files.getUploadURLExternal', 1, {
      ok: true,
      upload_url: 'https://files.slack.com/upload/v1/abc',
      file_id: 'F1',
    });
    nock('https://files.slack.com').post('/upload/v1/abc').reply(200, 'OK - 30');
    const completed = captureApi('files.completeUploadExternal', 1, { ok: true, files: [{ id: 'F1' }] });
    await postSlack(url, slashCommand('book mecc'));
    await waitFor(() => completed.length === 1, 'the upload', 8000);
    expect(JSON.stringify(responses[0])).toContain('session.ics');
    expect(completed[0]).toMatchObject({ channel_id: 'D777' });
  });
});
