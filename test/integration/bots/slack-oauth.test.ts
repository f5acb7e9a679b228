import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../src/app.ts';
import { text } from '../../../src/bots/core/reply.ts';
import { createPrismaInstallationStore } from '../../../src/bots/slack/prisma-installation-store.ts';
import {
  createSlackApp,
  SLACK_EVENTS_PATH,
  SLACK_INSTALL_PATH,
  SLACK_OAUTH_REDIRECT_PATH,
} from '../../../src/bots/slack/slack-app.ts';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { fixedClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { silentLogger } from '../../../src/logger.ts';
import { FakeConversation } from '../../helpers/fake-conversation.ts';
import { postSlack, TEST_SIGNING_SECRET } from '../../helpers/slack-request.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../../helpers/test-db.ts';
import { slackPorts } from '../../helpers/slack-server.ts';

const NOW = new Date('2026-03-03T10:00:00Z');
const CLIENT_ID = '1111111111.2222222222';
const CLIENT_SECRET = '0123456789abcdef0123456789abcdef';
const STATE_SECRET = 'a-long-random-state-secret-for-tests';
const STATE_COOKIE = 'slack-app-oauth-state';

type Json = Record<string, unknown>;

/** What Slack's oauth.v2.access returns for each code the stand-in knows (shaped like docs.slack.dev's examples). */
const GRANTS: Record<string, Json> = {
  'code-camden': {
    ok: true,
    access_token: 'xoxb-camden-token',
    token_type: 'bot',
    scope: 'app_mentions:read,chat:write,commands',
    bot_user_id: 'UBOTCAMDEN',
    app_id: 'A0SIGNPOST',
    team: { id: 'TCAMDEN', name: 'Camden <Council>' },
    enterprise: null,
    authed_user: { id: 'UINSTALLER1' },
    is_enterprise_install: false,
  },
  'code-islington': {
    ok: true,
    access_token: 'xoxb-islington-token',
    token_type: 'bot',
    scope: 'app_mentions:read,chat:write,commands',
    bot_user_id: 'UBOTISL',
    app_id: 'A0SIGNPOST',
    team: { id: 'TISLINGTON', name: 'Islington' },
    enterprise: null,
    authed_user: { id: 'UINSTALLER2' },
    is_enterprise_install: false,
  },
  'code-nhs-org': {
    ok: true,
    access_token: 'xoxb-nhs-org-token',
    token_type: 'bot',
    scope: 'app_mentions:read,chat:write,commands',
    bot_user_id: 'UBOTNHS',
    app_id: 'A0SIGNPOST',
    team: null,
    enterprise: { id: 'ENHSORG', name: 'NHS North Central London' },
    authed_user: { id: 'UINSTALLER3' },
    is_enterprise_install: true,
  },
};

/** A local stand-in for Slack's Web API: oauth.v2.access, auth.test and chat.postMessage, recording who called. */
async function startSlackStandIn() {
  const calls: { method: string; token: string | undefined; body: Json }[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const type = req.headers['content-type'] ?? '';
      const body: Json = type.includes('json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      calls.push({ method, token, body });
      const reply = (value: Json) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (method === 'oauth.v2.access') {
        const known =
          body.client_id === CLIENT_ID && body.client_secret === CLIENT_SECRET ? GRANTS[String(body.code)] : undefined;
        return reply(known ?? { ok: false, error: 'invalid_code' });
      }
      if (method === 'auth.test') {
        const grant = Object.values(GRANTS).find((g) => g.access_token === token);
        if (!grant) return reply({ ok: false, error: 'invalid_auth' });
        return reply({
          ok: true,
          user_id: grant.bot_user_id,
          bot_id: `B-${String(grant.bot_user_id)}`,
          url: 'https://nhs.enterprise.slack.com/',
        });
      }
      if (method === 'chat.postMessage') {
        // A person's DM channel exists only in their own workspace.
        if (body.channel === 'UISLINGTONSTAFF' && token !== 'xoxb-islington-token')
          return reply({ ok: false, error: 'channel_not_found' });
        return reply({ ok: true, channel: body.channel, ts: '1700000000.000200' });
      }
      return reply({ ok: true });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, calls, apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/` };
}

function mention(
  team: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean },
  eventId: string,
  text = 'lunch club in Kentish Town',
) {
  return {
    contentType: 'application/json',
    body: JSON.stringify({
      token: 'verification-token-unused',
      team_id: team.teamId,
      ...(team.enterpriseId ? { enterprise_id: team.enterpriseId } : {}),
      api_app_id: 'A0SIGNPOST',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      is_ext_shared_channel: false,
      authorizations: [
        {
          team_id: team.teamId ?? null,
          enterprise_id: team.enterpriseId ?? null,
          user_id: 'UBOT',
          is_bot: true,
          is_enterprise_install: team.isEnterpriseInstall ?? false,
        },
      ],
      event: {
        type: 'app_mention',
        user: 'U0STAFF',
        text: `<@UBOT> ${text}`,
        channel: 'C0SOCIAL',
        ts: '1700000000.000100',
        event_ts: '1700000000.000100',
      },
    }),
  };
}

function teamEvent(type: 'app_uninstalled' | 'tokens_revoked', teamId: string, eventId: string, enterpriseId?: string) {
  return {
    contentType: 'application/json',
    body: JSON.stringify({
      token: 'verification-token-unused',
      team_id: teamId,
      ...(enterpriseId
        ? {
            enterprise_id: enterpriseId,
            authorizations: [
              {
                team_id: null,
                enterprise_id: enterpriseId,
                user_id: 'UBOTNHS',
                is_bot: true,
                is_enterprise_install: true,
              },
            ],
          }
        : {}),
      api_app_id: 'A0SIGNPOST',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: type === 'app_uninstalled' ? { type } : { type, tokens: { bot: ['UBOTISL'] } },
    }),
  };
}

describe.each(STORE_KINDS)('Slack install to any number of workspaces (%s)', (kind) => {
  let store: TestStore;
  let app: App;
  let server: http.Server;
  let base: string;
  let slackApi: Awaited<ReturnType<typeof startSlackStandIn>>;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    slackApi = await startSlackStandIn();
    store = await openTestStore(kind);
    await seedDemo(store, NOW);
    const config = loadConfig({
      PUBLIC_URL: 'https://signpost.test',
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_STATE_SECRET: STATE_SECRET,
      SLACK_API_URL: slackApi.apiUrl,
      SLACK_COORDINATOR_USER_IDS: 'U0STAFF',
    });
    app = await createApp({ config, store, clock: fixedClock(NOW), logger: silentLogger });
    server = createHttpServer(app.routes, silentLogger);
    base = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await app.stop();
    await new Promise((r) => server.close(r));
    await new Promise((r) => slackApi.server.close(r));
    await store.close();
    nock.enableNetConnect();
  });

  const until = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!done()) throw new Error(`timed out waiting for ${what}`);
  };

  /** The browser's part: open the install page, keep its state cookie, come back from Slack with a code. */
  const install = async (code: string, tamper?: (state: string) => { state: string; cookie?: string }) => {
    const page = await fetch(`${base}${SLACK_INSTALL_PATH}`);
    expect(page.status).toBe(200);
    const cookie = page.headers.get('set-cookie') ?? '';
    const state = new RegExp(`${STATE_COOKIE}=([^;]+)`).exec(cookie)?.[1];
    expect(state).toBeTruthy();
    const html = await page.text();
    const link = /href="([^"]*slack\.com\/oauth\/v2\/authorize[^"]*)"/.exec(html)?.[1]?.replaceAll('&#38;', '&');
    expect(link).toBeDefined();
    const authorize = new URL(link!);
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(authorize.searchParams.get('state')).toBe(state);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`https://signpost.test${SLACK_OAUTH_REDIRECT_PATH}`);
    expect(authorize.searchParams.get('scope')?.split(',')).toContain('chat:write');
    const sent = tamper ? tamper(state!) : { state: state!, cookie: `${STATE_COOKIE}=${state}` };
    return fetch(`${base}${SLACK_OAUTH_REDIRECT_PATH}?code=${code}&state=${encodeURIComponent(sent.state)}`, {
      headers: sent.cookie ? { cookie: sent.cookie } : {},
    });
  };

  const installationRows = () => store.prisma.slackInstallation.findMany({ orderBy: { installKey: 'asc' } });
  /** The installed keys once `key` has gone (events are acknowledged before their listener runs). */
  const keysOnceGone = async (key: string) => {
    const deadline = Date.now() + 10_000;
    let keys = (await installationRows()).map((r) => r.installKey);
    while (keys.includes(key) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      keys = (await installationRows()).map((r) => r.installKey);
    }
    return keys;
  };

  it('installs a workspace: state checked, code exchanged through SLACK_API_URL, installation stored', async () => {
    const res = await install('code-camden');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Camden &#60;Council&#62;');
    expect(html).not.toContain('Camden <Council>');
    const exchange = slackApi.calls.find((c) => c.method === 'oauth.v2.access' && c.body.code === 'code-camden');
    expect(exchange?.body.redirect_uri).toBe(`https://signpost.test${SLACK_OAUTH_REDIRECT_PATH}`);
    const rows = await installationRows();
    expect(rows.map((r) => [r.installKey, r.teamId, r.isEnterpriseInstall, r.botUserId])).toEqual([
      ['TCAMDEN', 'TCAMDEN', false, 'UBOTCAMDEN'],
    ]);
  });

  it('refuses a wrong state, and a state without the browser cookie, storing nothing', async () => {
    const forged = await install('code-islington', () => ({
      state: 'forged-state',
      cookie: `${STATE_COOKIE}=forged-state`,
    }));
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/expired or was started in another browser/);
    const noCookie = await install('code-islington', (state) => ({ state }));
    expect(noCookie.status).toBe(400);
    expect(slackApi.calls.filter((c) => c.method === 'oauth.v2.access' && c.body.code === 'code-islington')).toEqual(
      [],
    );
    // A code Slack does not accept, and a cancelled install, store nothing either.
    const unknownCode = await install('code-unknown');
    expect(unknownCode.status).toBe(502);
    expect(await unknownCode.text()).toMatch(/Slack did not complete the installation/);
    const cancelled = await fetch(`${base}${SLACK_OAUTH_REDIRECT_PATH}?error=access_denied&state=x`);
    expect(cancelled.status).toBe(400);
    expect(await cancelled.text()).toMatch(/cancelled, so nothing has changed/);
    expect((await installationRows()).map((r) => r.installKey)).toEqual(['TCAMDEN']);
  });

  it('answers each workspace with its own token, and an org-wide Enterprise Grid install for its workspaces', async () => {
    expect((await install('code-islington')).status).toBe(200);
    expect((await install('code-nhs-org')).status).toBe(200);
    const rows = await installationRows();
    expect(rows.map((r) => [r.installKey, r.teamId, r.enterpriseId, r.isEnterpriseInstall])).toEqual([
      ['ENHSORG', null, 'ENHSORG', true],
      ['TCAMDEN', 'TCAMDEN', null, false],
      ['TISLINGTON', 'TISLINGTON', null, false],
    ]);

    const answered = (token: string) =>
      slackApi.calls.some((c) => c.method === 'chat.postMessage' && c.token === token);
    for (const [team, token, id] of [
      [{ teamId: 'TISLINGTON' }, 'xoxb-islington-token', 'EvIsl1'],
      [{ teamId: 'TCAMDEN' }, 'xoxb-camden-token', 'EvCam1'],
      [{ teamId: 'TNHSTRUST', enterpriseId: 'ENHSORG', isEnterpriseInstall: true }, 'xoxb-nhs-org-token', 'EvNhs1'],
    ] as const) {
      const res = await postSlack(`${base}${SLACK_EVENTS_PATH}`, mention(team, id));
      expect(res.status).toBe(200);
      await until(`the answer with ${token}`, () => answered(token));
    }
    const posts = slackApi.calls.filter((c) => c.method === 'chat.postMessage');
    expect(posts.every((p) => p.body.channel === 'C0SOCIAL')).toBe(true);
    expect(JSON.stringify(posts[0]!.body)).toMatch(/lunch/i);

    // The App Home is published with the token of the workspace it was opened in.
    const home = JSON.parse(mention({ teamId: 'TISLINGTON' }, 'EvHome1').body) as Record<string, unknown>;
    home.event = {
      type: 'app_home_opened',
      user: 'U0STAFF',
      channel: 'D0HOME',
      tab: 'home',
      event_ts: '1700000000.000300',
    };
    expect(
      (await postSlack(`${base}${SLACK_EVENTS_PATH}`, { contentType: 'application/json', body: JSON.stringify(home) }))
        .status,
    ).toBe(200);
    await until('the App Home', () => slackApi.calls.some((c) => c.method === 'views.publish'));
    expect(slackApi.calls.filter((c) => c.method === 'views.publish').map((c) => c.token)).toEqual([
      'xoxb-islington-token',
    ]);
  });

  it('records the workspace of a digest set up from Slack, for its deliveries', async () => {
    const before = slackApi.calls.length;
    await postSlack(
      `${base}${SLACK_EVENTS_PATH}`,
      mention(
        { teamId: 'TNHSTRUST', enterpriseId: 'ENHSORG', isEnterpriseInstall: true },
        'EvSub1',
        'subscribe weekly mon 09:00',
      ),
    );
    await until('the confirmation', () => slackApi.calls.slice(before).some((c) => c.method === 'chat.postMessage'));
    const subs = await store.sql.query<{ workspace: string | null; channel_ref: string }>(
      `SELECT workspace, channel_ref FROM digest_subscription`,
    );
    expect(subs.rows).toEqual([{ workspace: 'ENHSORG', channel_ref: 'C0SOCIAL' }]);
  });

  it("sends proactive messages (digests) with the token of the delivery's workspace", async () => {
    const slack = createSlackApp({
      config: {
        botToken: null,
        oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, stateSecret: STATE_SECRET },
        signingSecret: TEST_SIGNING_SECRET,
        appToken: null,
        apiUrl: slackApi.apiUrl,
        coordinatorUserIds: [],
        coordinatorUsergroup: null,
      },
      conversation: new FakeConversation(),
      ...slackPorts(store),
      clock: fixedClock(NOW),
      logger: silentLogger,
      installations: createPrismaInstallationStore(store.prisma, fixedClock(NOW)),
    });
    const before = slackApi.calls.length;
    await slack.notifier.post(
      { platform: 'slack', channelRef: 'C0DIGEST', workspace: 'TISLINGTON' },
      { fallbackText: 'Digest', blocks: [text('New this week')] },
    );
    await slack.notifier.post(
      { platform: 'slack', channelRef: 'C0DIGEST', workspace: 'ENHSORG' },
      { fallbackText: 'Digest', blocks: [text('New this week')] },
    );
    const posts = slackApi.calls.slice(before).filter((c) => c.method === 'chat.postMessage');
    expect(posts.map((p) => [p.token, p.body.channel])).toEqual([
      ['xoxb-islington-token', 'C0DIGEST'],
      ['xoxb-nhs-org-token', 'C0DIGEST'],
    ]);
    await expect(
      slack.notifier.post(
        { platform: 'slack', channelRef: 'C0DIGEST', workspace: 'TNOWHERE' },
        { fallbackText: 'Digest', blocks: [text('x')] },
      ),
    ).rejects.toMatchObject({ name: 'DeliveryError', retryable: false });

    // A booking reminder names a person, not a workspace: each installation is tried until one knows them.
    const mark = slackApi.calls.length;
    await slack.notifier.post(
      { platform: 'slack', channelRef: 'UISLINGTONSTAFF' },
      { fallbackText: 'Reminder', blocks: [text('Your course is tomorrow')] },
    );
    const tried = slackApi.calls
      .slice(mark)
      .filter((c) => c.method === 'chat.postMessage')
      .map((c) => c.token);
    expect(tried).toEqual(['xoxb-camden-token', 'xoxb-islington-token']);
    await expect(
      slack.notifier.post(
        { platform: 'slack', channelRef: 'UISLINGTONSTAFF', workspace: 'TCAMDEN' },
        { fallbackText: 'Reminder', blocks: [text('x')] },
      ),
    ).rejects.toMatchObject({
      name: 'DeliveryError',
      retryable: false,
      message: expect.stringMatching(/channel_not_found/),
    });
  });

  it('removes a workspace on app_uninstalled and on tokens_revoked; its events are then not answered', async () => {
    const res = await postSlack(`${base}${SLACK_EVENTS_PATH}`, teamEvent('app_uninstalled', 'TCAMDEN', 'EvUninstall1'));
    expect(res.status).toBe(200);
    expect(await keysOnceGone('TCAMDEN')).toEqual(['ENHSORG', 'TISLINGTON']);

    await postSlack(`${base}${SLACK_EVENTS_PATH}`, teamEvent('tokens_revoked', 'TISLINGTON', 'EvRevoke1'));
    expect(await keysOnceGone('TISLINGTON')).toEqual(['ENHSORG']);

    const before = slackApi.calls.filter((c) => c.method === 'chat.postMessage').length;
    const refused = await postSlack(`${base}${SLACK_EVENTS_PATH}`, mention({ teamId: 'TCAMDEN' }, 'EvCam2'));
    expect(refused.status).toBe(200);
    // An event whose workspace is not installed is acknowledged and not answered; a later one from an installed org is.
    await postSlack(
      `${base}${SLACK_EVENTS_PATH}`,
      mention({ teamId: 'TNHSTRUST', enterpriseId: 'ENHSORG', isEnterpriseInstall: true }, 'EvNhs2'),
    );
    await until('the org answer', () => slackApi.calls.filter((c) => c.method === 'chat.postMessage').length > before);
    const after = slackApi.calls.filter((c) => c.method === 'chat.postMessage').slice(before);
    expect(after.map((c) => c.token)).toEqual(['xoxb-nhs-org-token']);

    // Uninstalled from the whole Enterprise Grid organisation: its one installation goes.
    await postSlack(
      `${base}${SLACK_EVENTS_PATH}`,
      teamEvent('app_uninstalled', 'TNHSTRUST', 'EvUninstallOrg', 'ENHSORG'),
    );
    expect(await keysOnceGone('ENHSORG')).toEqual([]);
  });

  it('refuses unsigned events before anything is looked up', async () => {
    const res = await postSlack(`${base}${SLACK_EVENTS_PATH}`, {
      ...mention({ teamId: 'ENHSORG' }, 'EvForged'),
      signature: 'v0=forged',
    });
    expect(res.status).toBe(401);
  });
});
