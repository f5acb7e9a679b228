import type http from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/bots/core/ports.ts';
import type { ConversationRefs, TeamsConversationRecord } from '../../src/bots/teams/conversation-refs.ts';
import { createTeamsEndpoint, TEAMS_PATH, type TeamsEndpoint } from '../../src/bots/teams/server.ts';
import { createServiceUrlPolicy } from '../../src/bots/teams/service-urls.ts';
import { createTeamsNotifier } from '../../src/bots/teams/teams-notifier.ts';
import { createHttpServer, listen } from '../../src/http-server.ts';
import { silentLogger } from '../../src/logger.ts';
import { type BotConnector, startBotConnector } from '../helpers/bot-connector.ts';
import { createFakeTeamsConversation } from '../helpers/fake-teams-conversation.ts';
import { teamsActivity } from '../helpers/teams-activities.ts';

/** Conversation references kept in memory, recording every save. */
function memoryRefs(): ConversationRefs & { saved: TeamsConversationRecord[] } {
  const byId = new Map<string, TeamsConversationRecord>();
  const saved: TeamsConversationRecord[] = [];
  return {
    saved,
    save: async (r) => {
      saved.push(r);
      byId.set(r.conversationId, r);
    },
    get: async (id) => byId.get(id) ?? null,
    remove: async (id) => (byId.delete(id) ? 1 : 0),
    removeTeam: async () => 0,
  };
}

async function start(endpoint: TeamsEndpoint): Promise<{ server: http.Server; url: string }> {
  const server = createHttpServer(new Map([[TEAMS_PATH, endpoint.handler]]), silentLogger);
  return { server, url: `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${TEAMS_PATH}` };
}

const post = (url: string, activity: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });

describe('attack: a page or proxy on the same host drives the bot without credentials', () => {
  let connector: BotConnector;
  const servers: http.Server[] = [];
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    connector = await startBotConnector();
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await connector.close();
    nock.enableNetConnect();
  });

  it('without MicrosoftAppId and without TEAMS_EMULATOR, /api/messages answers 401 even from loopback', async () => {
    const conversation = createFakeTeamsConversation();
    const refs = memoryRefs();
    const endpoint = createTeamsEndpoint({ credentials: null, conversation, refs, logger: silentLogger });
    const { server, url } = await start(endpoint);
    servers.push(server);
    expect((await post(url, teamsActivity('message-personal.json', connector.serviceUrl))).status).toBe(401);
    expect(conversation.messages).toHaveLength(0);
    expect(refs.saved).toHaveLength(0);
    expect(connector.requests).toHaveLength(0);
    expect(endpoint.banner.join(' ')).toMatch(/answers 401/);
  });

  it('in Emulator mode: proxied requests, non-JSON bodies (a browser form) and foreign service URLs get nowhere', async () => {
    const conversation = createFakeTeamsConversation();
    const refs = memoryRefs();
    const endpoint = createTeamsEndpoint({
      credentials: null,
      emulator: true,
      conversation,
      refs,
      logger: silentLogger,
    });
    const { server, url } = await start(endpoint);
    servers.push(server);
    expect(endpoint.banner.join(' ')).toMatch(/TEAMS_EMULATOR=true.*directly\s+from this machine/s);
    const activity = teamsActivity('message-personal.json', connector.serviceUrl);
    expect((await post(url, activity, { 'x-forwarded-for': '203.0.113.9' })).status).toBe(401);
    expect((await post(url, activity, { forwarded: 'for=203.0.113.9' })).status).toBe(401);
    const form = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(activity),
    });
    expect(form.status).toBe(415);
    expect(conversation.messages).toHaveLength(0);
    // A reference is never stored from an activity whose serviceUrl is not the Emulator's.
    connector.reset();
    await post(url, { ...activity, serviceUrl: 'https://evil.example/' });
    expect(refs.saved).toHaveLength(0);
    // The Emulator itself still works.
    expect((await post(url, activity)).status).toBe(200);
    expect(refs.saved).toHaveLength(1);
  });

  it('a channel message that does not @mention the bot is ignored', async () => {
    const conversation = createFakeTeamsConversation();
    const endpoint = createTeamsEndpoint({
      credentials: null,
      emulator: true,
      conversation,
      refs: memoryRefs(),
      logger: silentLogger,
    });
    const { server, url } = await start(endpoint);
    servers.push(server);
    connector.reset();
    const channel = teamsActivity('channel-mention.json', connector.serviceUrl);
    const unmentioned = { ...channel, text: 'dementia cafe this week', entities: [] };
    expect((await post(url, unmentioned)).status).toBe(200);
    expect(conversation.messages).toHaveLength(0);
    expect(connector.messages()).toHaveLength(0);
    await post(url, channel);
    expect(conversation.messages.map((m) => m.text)).toEqual(['dementia cafe this week']);
  });
});

describe('attack: a stored reference that points the bot elsewhere', () => {
  it('with credentials, proactive posts go only to Bot Framework service URLs', async () => {
    const policy = createServiceUrlPolicy({ emulator: false, extraHosts: ['*.teams.camden.example'] });
    expect(policy('https://smba.trafficmanager.net/uk/')).toBe(true);
    expect(policy('https://europe.webchat.botframework.com/')).toBe(true);
    expect(policy('https://bot.teams.camden.example/')).toBe(true);
    for (const bad of [
      'https://evil.example/',
      'http://smba.trafficmanager.net/uk/',
      'https://smba.trafficmanager.net.evil.example/',
      'https://user:pw@smba.trafficmanager.net/',
      'https://botframework.com.evil.example/',
      'not a url',
      undefined,
    ]) {
      expect(policy(bad)).toBe(false);
    }
    const refs = memoryRefs();
    await refs.save({
      conversationId: 'c1',
      serviceUrl: 'https://evil.example/',
      kind: 'personal',
      reference: { serviceUrl: 'https://evil.example/' },
    } as TeamsConversationRecord);
    let calls = 0;
    const notifier = createTeamsNotifier({
      adapter: { continueConversationAsync: async () => void calls++ },
      appId: 'app',
      refs,
      logger: silentLogger,
      serviceUrlAllowed: policy,
    });
    await expect(
      notifier.post({ platform: 'teams', channelRef: 'c1' }, { fallbackText: 'x', blocks: [] }),
    ).rejects.toBeInstanceOf(DeliveryError);
    expect(calls).toBe(0);
  });
});
