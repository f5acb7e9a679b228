import type http from 'node:http';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { SLACK_EVENTS_PATH } from '../../../src/bots/slack/slack-app.ts';
import { SLACK_ACTION } from '../../../src/bots/slack/slack-action-ids.ts';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { listingPageUrl } from '../../../src/catalogue/pages/listing-url.ts';
import { createDatabaseSearch } from '../../../src/catalogue/search/database-search.ts';
import { fixedClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { silentLogger } from '../../../src/logger.ts';
import {
  blockAction,
  eventCallback,
  interaction,
  postSlack,
  RESPONSE_URL_HOST,
  slashCommand,
  TEST_SIGNING_SECRET,
} from '../../helpers/slack-request.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const PUBLIC_URL = 'https://signpost.camden.test';
const SLACK_API = 'https://slack.test';

type Block = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { action_id?: string; value?: string; url?: string; text?: unknown }[];
  accessory?: { action_id: string; value: string };
};
type Posted = {
  response_type?: string;
  replace_original?: boolean;
  delete_original?: boolean;
  text?: string;
  blocks?: Block[];
};
type Unfurl = {
  channel?: string;
  ts?: string;
  unfurl_id?: string;
  source?: string;
  unfurls: string | Record<string, { blocks: Block[] }>;
};

async function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}; pending: ${nock.pendingMocks().join(', ')}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const urlsOf = (blocks: Block[]) =>
  blocks
    .flatMap((b) => b.elements ?? [])
    .map((e) => e.url)
    .filter((u): u is string => !!u);
const textOf = (blocks: Block[]) => JSON.stringify(blocks);

describe('listings shared into any Slack conversation (real Bolt receiver, signed requests, the app as npm start builds it)', () => {
  let store: TestStore;
  let server: http.Server;
  let url: string;
  const search = () => createDatabaseSearch(store);

  beforeAll(async () => {
    store = await openTestStore('pglite');
    await seedDemo(store, NOW);
    const config = loadConfig({
      DATABASE_URL: 'pglite:memory',
      PUBLIC_URL,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: `${SLACK_API}/api/`,
    });
    const app = await createApp({ config, store, clock: fixedClock(NOW), logger: silentLogger });
    server = createHttpServer(app.routes, silentLogger);
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${SLACK_EVENTS_PATH}`;
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    nock.enableNetConnect();
    await new Promise((r) => server.close(r));
    await store.close();
  });

  /** Slack's Web API stand-in: auth.test for Bolt's authorisation, and chat.unfurl captured. */
  const slackApi = () => {
    const unfurls: Unfurl[] = [];
    nock(SLACK_API)
      .persist()
      .post('/api/auth.test')
      .reply(200, { ok: true, user_id: 'UBOT', bot_id: 'B0BOT', team_id: 'T0001' });
    nock(SLACK_API)
      .persist()
      .post('/api/chat.unfurl', (body) => (unfurls.push(body as Unfurl), true))
      .reply(200, { ok: true });
    return unfurls;
  };
  const unfurlsOf = (call: Unfurl): Record<string, { blocks: Block[] }> =>
    typeof call.unfurls === 'string' ? JSON.parse(call.unfurls) : call.unfurls;

  /** Every body posted to a response_url path, in order. */
  const responses = (path: string) => {
    const bodies: Posted[] = [];
    nock(RESPONSE_URL_HOST)
      .persist()
      .post(path, (b) => (bodies.push(b as Posted), true))
      .reply(200, 'ok');
    return bodies;
  };

  it('unfurls a link to a listing page with its card through chat.unfurl, and leaves other links alone', async () => {
    const unfurls = slackApi();
    const listing = (await search().search({ text: 'lunch club', now: NOW, limit: 1 })).results[0]!;
    const link = listingPageUrl(PUBLIC_URL, listing.id);
    const other = `${PUBLIC_URL}/feeds/catalogue.ics`;
    const res = await postSlack(
      url,
      eventCallback({
        type: 'link_shared',
        channel: 'C2147483705',
        is_bot_user_member: true,
        user: 'U2147483697',
        message_ts: '1700000123.000200',
        unfurl_id: 'C2147483705.1700000123.000200.abc',
        source: 'conversations_history',
        links: [
          { domain: 'signpost.camden.test', url: link },
          { domain: 'signpost.camden.test', url: other },
        ],
      }),
    );
    expect(res.status).toBe(200);
    await waitFor(() => unfurls.length === 1, 'chat.unfurl');
    const call = unfurls[0]!;
    expect(call).toMatchObject({ unfurl_id: 'C2147483705.1700000123.000200.abc', source: 'conversations_history' });
    const byUrl = unfurlsOf(call);
    expect(Object.keys(byUrl)).toEqual([link]);
    const blocks = byUrl[link]!.blocks;
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: listing.title } });
    expect(urlsOf(blocks)).toEqual([link]);
    expect(blocks.length).toBeLessThanOrEqual(6);
  });

  it('unfurls by channel and message when the event has no unfurl id, and not at all for a listing that has gone', async () => {
    const unfurls = slackApi();
    const [open, gone] = (await search().search({ text: 'exercise', now: NOW, limit: 2 })).results;
    await store.sql.query(`UPDATE service SET status = 'closed' WHERE id = $1`, [gone!.id]);
    await postSlack(
      url,
      eventCallback({
        type: 'link_shared',
        channel: 'C2147483705',
        user: 'U2147483697',
        message_ts: '1700000124.000300',
        links: [{ domain: 'signpost.camden.test', url: listingPageUrl(PUBLIC_URL, gone!.id) }],
      }),
    );
    await postSlack(
      url,
      eventCallback({
        type: 'link_shared',
        channel: 'C2147483705',
        user: 'U2147483697',
        message_ts: '1700000125.000400',
        links: [{ domain: 'signpost.camden.test', url: `${listingPageUrl(PUBLIC_URL, open!.id)}#when` }],
      }),
    );
    await waitFor(() => unfurls.length === 1, 'chat.unfurl');
    expect(unfurls[0]).toMatchObject({ channel: 'C2147483705', ts: '1700000125.000400' });
    expect(Object.keys(unfurlsOf(unfurls[0]!))).toEqual([`${listingPageUrl(PUBLIC_URL, open!.id)}#when`]);
  });

  it('escapes catalogue text in an unfurl as every Slack answer does', async () => {
    const unfurls = slackApi();
    const listing = (await search().search({ text: 'knit and natter', now: NOW, limit: 1 })).results[0]!;
    await store.sql.query(`UPDATE service SET name = $2, fees_description = $3 WHERE id = $1`, [
      listing.id,
      'Zebrafinch <!channel> lunch <https://evil.example|Camden Council>',
      '*£0* _today_',
    ]);
    await postSlack(
      url,
      eventCallback({
        type: 'link_shared',
        channel: 'C2147483705',
        user: 'U2147483697',
        message_ts: '1700000126.000500',
        links: [{ domain: 'signpost.camden.test', url: listingPageUrl(PUBLIC_URL, listing.id) }],
      }),
    );
    await waitFor(() => unfurls.length === 1, 'chat.unfurl');
    const blocks = unfurlsOf(unfurls[0]!)[listingPageUrl(PUBLIC_URL, listing.id)]!.blocks;
    // The title goes in a header (plain text: no mentions or links); mrkdwn text has look-alikes for its markup.
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    const mrkdwn = JSON.stringify(blocks.slice(1));
    expect(mrkdwn).not.toContain('<!channel>');
    expect(mrkdwn).not.toContain('<https://evil.example');
    expect(mrkdwn).not.toContain('*£0*');
    expect(mrkdwn).toContain('∗£0∗ ˍtodayˍ');

    // The pick list of /signpost share shows the title in mrkdwn, escaped.
    const commandAnswers = responses('/commands/1234/5678');
    await postSlack(url, slashCommand('share zebrafinch'));
    await waitFor(() => commandAnswers.length === 1, 'the pick list');
    const pick = commandAnswers[0]!.blocks!.find((b) => b.accessory && JSON.parse(b.accessory.value).id === listing.id);
    expect(pick?.text?.text).toContain('Zebrafinch &lt;!channel&gt; lunch &lt;https://evil.example|Camden Council&gt;');
    expect(urlsOf(blocks)).toEqual([listingPageUrl(PUBLIC_URL, listing.id)]);
  });

  it('/signpost share: a private pick list, then the chosen listing posted in-channel without the words, counted as shared', async () => {
    slackApi();
    const words = 'lunch club kentish town';
    const expected = (await search().search({ text: words, now: NOW, limit: 5 })).results;
    const commandAnswers = responses('/commands/1234/5678');
    expect((await postSlack(url, slashCommand(`share ${words}`))).status).toBe(200);
    await waitFor(() => commandAnswers.length === 1, 'the pick list');
    const list = commandAnswers[0]!;
    expect(list.response_type).toBe('ephemeral');
    const picks = list.blocks!.filter((b) => b.accessory?.action_id === SLACK_ACTION.sharePost);
    expect(picks.map((b) => JSON.parse(b.accessory!.value).id)).toEqual(expected.map((r) => r.id));

    const chosen = expected[1]!;
    const before = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM result_event WHERE entry_id = $1 AND kind = 'shared'`,
      [chosen.id],
    );
    const clickAnswers = responses('/actions/T0001/1/abc');
    const click = blockAction(SLACK_ACTION.sharePost, picks[1]!.accessory!.value);
    expect((await postSlack(url, click)).status).toBe(200);
    await waitFor(() => clickAnswers.length === 2, 'the post and the removal of the pick list');
    const [posted, removed] = clickAnswers;
    expect(posted!.response_type).toBe('in_channel');
    expect(posted!.blocks![0]).toMatchObject({ type: 'header', text: { text: chosen.title } });
    expect(urlsOf(posted!.blocks!)).toEqual([listingPageUrl(PUBLIC_URL, chosen.id)]);
    expect(`${posted!.text} ${textOf(posted!.blocks!)}`.toLowerCase()).not.toContain(words);
    expect(removed).toEqual({ delete_original: true });
    const after = await store.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM result_event WHERE entry_id = $1 AND kind = 'shared'`,
      [chosen.id],
    );
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n + 1);
  });

  it('/signpost share without words says how; a forged or stale choice posts nothing', async () => {
    slackApi();
    const commandAnswers = responses('/commands/1234/5678');
    await postSlack(url, slashCommand('share'));
    await waitFor(() => commandAnswers.length === 1, 'the usage line');
    expect(commandAnswers[0]!.text).toContain('/signpost share lunch club kentish town');

    const clickAnswers = responses('/actions/T0001/1/abc');
    await postSlack(url, blockAction(SLACK_ACTION.sharePost, '{"id":"00000000-0000-4000-8000-000000000000"}'));
    await postSlack(url, blockAction(SLACK_ACTION.sharePost, 'not json'));
    await waitFor(() => clickAnswers.length === 2, 'two refusals');
    for (const answer of clickAnswers) expect(answer.response_type).toBe('ephemeral');
    expect(clickAnswers.map((a) => a.text).sort()).toEqual([
      'That button is out of date. Please share again.',
      'That listing is no longer listed, so it was not posted.',
    ]);
  });

  it('/signpost share 2 is still the share-with-resident of the last answer, not a search for "2"', async () => {
    slackApi();
    const commandAnswers = responses('/commands/1234/5678');
    await postSlack(url, slashCommand('lunch club'));
    await waitFor(() => commandAnswers.length === 1, 'the answer');
    await postSlack(url, slashCommand('share 2'));
    await waitFor(() => commandAnswers.length === 2, 'the share text');
    const shared = commandAnswers[1]!;
    expect(shared.response_type).toBe('ephemeral');
    expect(shared.blocks!.some((b) => b.accessory?.action_id === SLACK_ACTION.sharePost)).toBe(false);
    const second = (await search().search({ text: 'lunch club', now: NOW, limit: 5 })).results[1]!;
    expect(textOf(shared.blocks!)).toContain(second.title.slice(0, 20));
  });

  it("the message shortcut offers the listings a colleague's message asks about, privately, for that conversation", async () => {
    slackApi();
    const text = 'Does anyone know a <https://example.org|dementia cafe> near <#C0123|kentish-town>?';
    const expected = (
      await search().search({ text: 'Does anyone know a dementia cafe near #kentish-town?', now: NOW, limit: 5 })
    ).results;
    const answers = responses('/shortcuts/T0001/9/xyz');
    const post = interaction({
      type: 'message_action',
      callback_id: 'signpost_share_listing',
      trigger_id: '13345224609.738474920.8088930838d88f008e0',
      response_url: `${RESPONSE_URL_HOST}/shortcuts/T0001/9/xyz`,
      message_ts: '1700000200.000100',
      message: { type: 'message', user: 'U0COLLEAGUE', ts: '1700000200.000100', text },
      user: { id: 'U2147483697', name: 'sam', team_id: 'T0001' },
      channel: { id: 'C2147483705', name: 'social-prescribing' },
      team: { id: 'T0001', domain: 'camden' },
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      action_ts: '1700000201.000200',
    });
    expect((await postSlack(url, post)).status).toBe(200);
    await waitFor(() => answers.length === 1, 'the pick list');
    expect(answers[0]!.response_type).toBe('ephemeral');
    const ids = answers[0]!
      .blocks!.filter((b) => b.accessory?.action_id === SLACK_ACTION.sharePost)
      .map((b) => JSON.parse(b.accessory!.value).id);
    expect(ids).toEqual(expected.map((r) => r.id));
  });

  it('refuses an unsigned link_shared event', async () => {
    const unfurls = slackApi();
    const post = eventCallback({
      type: 'link_shared',
      channel: 'C1',
      user: 'U1',
      message_ts: '1.2',
      links: [{ domain: 'signpost.camden.test', url: `${PUBLIC_URL}/l/x` }],
    });
    const res = await postSlack(url, { ...post, signature: 'v0=0000' });
    expect(res.status).toBe(401);
    expect(unfurls).toEqual([]);
  });
});
