import type http from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACTION } from '../../../src/bots/core/action-ids.ts';
import { DeliveryError } from '../../../src/bots/core/ports.ts';
import { createPrismaConversationRefs } from '../../../src/bots/teams/prisma-conversation-refs.ts';
import { createTeamsEndpoint, TEAMS_PATH, type TeamsEndpoint } from '../../../src/bots/teams/server.ts';
import { createTeamsNotifier } from '../../../src/bots/teams/teams-notifier.ts';
import { fixedClock } from '../../../src/clock.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type BotConnector, startBotConnector } from '../../helpers/bot-connector.ts';
import { createCaptureLogger } from '../../helpers/capture-logger.ts';
import { createFakeTeamsConversation, type FakeTeamsConversation } from '../../helpers/fake-teams-conversation.ts';
import { teamsActivity } from '../../helpers/teams-activities.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const PERSONAL = 'a:1pL6i0oY3C0K8oAj8L7ZJ8jYdxgTm0QoIqXbDq4eBdoTYnwnv2-uL6JgfVJ3F0fcmQ5pHz9UOfQl2rKn-q6bA4';
const CHANNEL = '19:6d97d816470f481dbcda38244b98689a@thread.skype';
const TEAM = '19:efa9296d959346209fea44151c742e73@thread.skype';
const GROUP = '19:meeting_NjZkOTg0ZTAtYzNhNy00ZGM2LWE4NzUtNGZmNTVmOWY0MTZh@thread.v2';

type Harness = { server: http.Server; url: string; endpoint: TeamsEndpoint };

async function startEndpoint(endpoint: TeamsEndpoint): Promise<Harness> {
  const server = createHttpServer(new Map([[TEAMS_PATH, endpoint.handler]]), silentLogger);
  const port = await listen(server, 0, '127.0.0.1');
  return { server, url: `http://127.0.0.1:${port}${TEAMS_PATH}`, endpoint };
}

function post(url: string, activity: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
}

function cardOf(activity: Record<string, unknown>): { body: Record<string, unknown>[]; version: string } {
  const attachments = activity.attachments as {
    contentType: string;
    content: { body: Record<string, unknown>[]; version: string };
  }[];
  expect(attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
  return attachments[0]!.content;
}

describe('Teams endpoint over HTTP with the real CloudAdapter (local Emulator mode)', () => {
  let connector: BotConnector;
  let store: TestStore;
  let conversation: FakeTeamsConversation;
  let harness: Harness;
  const logger = createCaptureLogger();

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    connector = await startBotConnector();
    store = await openTestStore('pglite');
    conversation = createFakeTeamsConversation();
    const refs = createPrismaConversationRefs(store, fixedClock(NOW));
    harness = await startEndpoint(
      createTeamsEndpoint({ credentials: null, emulator: true, conversation, refs, logger }),
    );
  });
  afterAll(async () => {
    harness.server.close();
    await connector.close();
    await store.close();
    nock.enableNetConnect();
  });
  beforeEach(() => {
    connector.reset();
    conversation.messages.length = 0;
    conversation.actions.length = 0;
    logger.lines.length = 0;
  });

  it('answers a personal chat with an Adaptive Card reply to the message, and stores the conversation', async () => {
    const res = await post(harness.url, teamsActivity('message-personal.json', connector.serviceUrl));
    expect(res.status).toBe(200);
    expect(conversation.messages).toEqual([
      expect.objectContaining({
        platform: 'teams',
        userId: '6b2a7c1e-3f0d-4a8e-9b52-1c4d5e6f7a80',
        channelRef: PERSONAL,
        text: 'lunch club near Kentish Town on Tuesday',
        isDirect: true,
      }),
    ]);
    const typing = connector.requests.filter((r) => (r.body as { type?: string }).type === 'typing');
    expect(typing).toHaveLength(1);
    const [reply] = connector.messages();
    expect(reply?.path).toBe(`/v3/conversations/${encodeURIComponent(PERSONAL)}/activities/1763899303000`);
    const card = cardOf(reply!.activity);
    expect(card.version).toBe('1.5');
    expect(JSON.stringify(card.body)).toContain('Results for lunch club near Kentish Town on Tuesday');
    expect(reply!.activity.summary).toBe('1 result for "lunch club near Kentish Town on Tuesday"');

    const row = await store.prisma.teamsConversationRef.findUnique({ where: { conversationId: PERSONAL } });
    expect(row).toMatchObject({
      kind: 'personal',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      serviceUrl: connector.serviceUrl,
    });
    expect(JSON.stringify(row?.reference)).not.toContain('Test Officer');
  });

  it('strips a channel @mention whose entity text differs from the message text, and replies in the thread', async () => {
    const res = await post(harness.url, teamsActivity('channel-mention.json', connector.serviceUrl));
    expect(res.status).toBe(200);
    expect(conversation.messages[0]).toMatchObject({
      text: 'dementia cafe this week',
      isDirect: false,
      channelRef: CHANNEL,
    });
    const [reply] = connector.messages();
    expect(decodeURIComponent(reply!.path)).toBe(
      `/v3/conversations/${CHANNEL};messageid=1763899510000/activities/1763899510000`,
    );
    const row = await store.prisma.teamsConversationRef.findUnique({ where: { conversationId: CHANNEL } });
    expect(row).toMatchObject({ kind: 'channel', teamId: TEAM, channelId: CHANNEL });
  });

  it('answers a group chat where the mention is in the middle of the sentence', async () => {
    await post(harness.url, teamsActivity('group-chat.json', connector.serviceUrl));
    expect(conversation.messages[0]).toMatchObject({
      text: 'Can find chair exercise for over 60s in Kilburn',
      isDirect: false,
      channelRef: GROUP,
    });
    expect(connector.messages()).toHaveLength(1);
  });

  it('turns a card submission into an action for the core', async () => {
    await post(harness.url, teamsActivity('card-submit.json', connector.serviceUrl));
    expect(conversation.messages).toHaveLength(0);
    expect(conversation.actions).toEqual([
      expect.objectContaining({ action: ACTION.details, value: 'entry-1', channelRef: PERSONAL }),
    ]);
    expect(JSON.stringify(cardOf(connector.messages()[0]!.activity).body)).toContain('Details for entry-1');
  });

  it('refuses a forged card submission without calling the core', async () => {
    await post(
      harness.url,
      teamsActivity('card-submit.json', connector.serviceUrl, { value: { action: 'admin.drop-tables', value: 'x' } }),
    );
    expect(conversation.actions).toHaveLength(0);
    expect(JSON.stringify(connector.messages()[0]!.activity)).toContain('That button is out of date');
  });

  it('says hello and remembers the team when the bot is added to a team (Microsoft docs sample)', async () => {
    await store.prisma.teamsConversationRef.deleteMany();
    const res = await post(
      harness.url,
      teamsActivity('msteams-docs_conversationUpdate_teamMemberAdded_bot-added-to-team.json', connector.serviceUrl),
    );
    expect(res.status).toBe(200);
    expect(conversation.actions[0]).toMatchObject({ action: ACTION.help });
    const [welcome] = connector.messages();
    expect(JSON.stringify(cardOf(welcome!.activity).body)).toContain('Signpost');
    const row = await store.prisma.teamsConversationRef.findUnique({ where: { conversationId: TEAM } });
    expect(row).toMatchObject({ kind: 'channel', teamId: TEAM, tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' });

    // A channel being created in that team needs nothing from the bot.
    connector.reset();
    await post(harness.url, teamsActivity('msteams-docs_conversationUpdate_channelCreated.json', connector.serviceUrl));
    expect(connector.requests).toHaveLength(0);

    // The bot removed from the team: every reference of the team goes.
    await post(harness.url, {
      ...teamsActivity('msteams-docs_conversationUpdate_teamMemberAdded_bot-added-to-team.json', connector.serviceUrl),
      membersAdded: undefined,
      membersRemoved: [{ id: '28:f5d48856-5b42-41a0-8c3a-c5f944b679b0' }],
      channelData: {
        team: { id: TEAM },
        eventType: 'teamMemberRemoved',
        tenant: { id: '72f988bf-86f1-41af-91ab-2d7cd011db47' },
      },
    });
    expect(await store.prisma.teamsConversationRef.count({ where: { teamId: TEAM } })).toBe(0);
  });

  it('stores a personal install from the Microsoft docs sample', async () => {
    const activity = teamsActivity(
      'msteams-docs_conversationUpdate_membersAdded_personal-install.json',
      connector.serviceUrl,
    );
    await post(harness.url, {
      ...activity,
      recipient: { id: '28:f5d48856-5b42-41a0-8c3a-c5f944b679b0', name: 'Signpost' },
    });
    const row = await store.prisma.teamsConversationRef.findUnique({ where: { conversationId: '***' } });
    expect(row).toMatchObject({ kind: 'personal', tenantId: '<TENANT ID>' });
    expect(connector.messages()).toHaveLength(1);
  });

  it('stores the chat on installationUpdate add and forgets it on remove, without posting', async () => {
    await post(harness.url, teamsActivity('installation-update-add.json', connector.serviceUrl));
    expect(await store.prisma.teamsConversationRef.findUnique({ where: { conversationId: GROUP } })).toMatchObject({
      kind: 'groupChat',
    });
    await post(harness.url, teamsActivity('installation-update-remove.json', connector.serviceUrl));
    expect(await store.prisma.teamsConversationRef.findUnique({ where: { conversationId: GROUP } })).toBeNull();
    expect(connector.messages()).toHaveLength(0);
  });

  it('apologises without a stack trace when the core fails, and logs a correlation id', async () => {
    const res = await post(
      harness.url,
      teamsActivity('message-personal.json', connector.serviceUrl, { text: 'please explode' }),
    );
    expect(res.status).toBe(200);
    const [apology] = connector.messages();
    const body = String(apology!.activity.text);
    expect(body).toMatch(/^Sorry, something went wrong on our side.*\(Reference [0-9a-f]{8}\)$/);
    expect(body).not.toMatch(/at |Error|07700/);
    const line = logger.lines.find((l) => l.level === 'error');
    expect(line?.msg).toBe('teams turn failed');
    expect(String(line?.fields?.correlationId)).toMatch(new RegExp(`^${body.match(/Reference ([0-9a-f]{8})/)![1]}`));
  });

  it('rejects what is not a Bot Framework activity', async () => {
    expect((await fetch(harness.url)).status).toBe(405);
    expect((await post(harness.url, { hello: 'world' })).status).toBe(400);
    expect(
      (await fetch(harness.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }))
        .status,
    ).toBe(400);
    expect(conversation.messages).toHaveLength(0);
  });

  describe('proactive sends (TeamsNotifier)', () => {
    const sleeps: number[] = [];
    const notifier = () =>
      createTeamsNotifier({
        adapter: harness.endpoint.adapter,
        appId: harness.endpoint.appId,
        refs: createPrismaConversationRefs(store, fixedClock(NOW)),
        logger: silentLogger,
        retry: { attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 },
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        random: () => 0.5,
      });
    const digest = { fallbackText: 'New this week', blocks: [{ type: 'heading' as const, text: 'New this week' }] };

    beforeEach(async () => {
      sleeps.length = 0;
      await post(harness.url, teamsActivity('message-personal.json', connector.serviceUrl));
      connector.reset();
    });

    it('posts a new message into the stored conversation', async () => {
      await notifier().post({ platform: 'teams', channelRef: PERSONAL }, digest);
      const [sent] = connector.messages();
      expect(sent?.path.startsWith(`/v3/conversations/${encodeURIComponent(PERSONAL)}/activities`)).toBe(true);
      expect(JSON.stringify(cardOf(sent!.activity).body)).toContain('New this week');
    });

    it('retries 429 (honouring Retry-After), 412, 502 and 504 with jittered back-off, then delivers', async () => {
      connector.respondWith(
        { status: 429, headers: { 'Retry-After': '2' } },
        { status: 412 },
        { status: 502 },
        { status: 504 },
      );
      await notifier().post({ platform: 'teams', channelRef: PERSONAL }, digest);
      expect(connector.requests).toHaveLength(5);
      expect(connector.messages()).toHaveLength(5);
      expect(sleeps).toEqual([2000, 150, 300, 600]);
    });

    it('gives up after the last attempt with a retryable DeliveryError carrying Retry-After', async () => {
      connector.respondWith(...Array.from({ length: 5 }, () => ({ status: 429, headers: { 'Retry-After': '30' } })));
      const error = await notifier()
        .post({ platform: 'teams', channelRef: PERSONAL }, digest)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({ retryable: true, retryAfterMs: 30_000 });
      expect(connector.requests).toHaveLength(5);
      expect(sleeps).toEqual([30_000, 30_000, 30_000, 30_000]);
    });

    it('forgets a conversation the bot was removed from (404) and does not retry', async () => {
      connector.respondWith({
        status: 404,
        body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } },
      });
      const error = await notifier()
        .post({ platform: 'teams', channelRef: PERSONAL }, digest)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'DeliveryError', retryable: false });
      expect(connector.requests).toHaveLength(1);
      expect(await store.prisma.teamsConversationRef.findUnique({ where: { conversationId: PERSONAL } })).toBeNull();
    });

    it('refuses a conversation it was never installed in', async () => {
      await expect(
        notifier().post({ platform: 'teams', channelRef: '19:unknown@thread.tacv2' }, digest),
      ).rejects.toMatchObject({
        name: 'DeliveryError',
        retryable: false,
      });
      expect(connector.requests).toHaveLength(0);
    });
  });
});

describe('Teams endpoint with Microsoft app credentials', () => {
  let harness: Harness;
  let connector: BotConnector;
  const conversation = createFakeTeamsConversation();

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    connector = await startBotConnector();
    const refs = {
      save: async () => {
        throw new Error('must not run');
      },
      get: async () => null,
      remove: async () => 0,
      removeTeam: async () => 0,
    };
    harness = await startEndpoint(
      createTeamsEndpoint({
        credentials: {
          appId: '00000000-0000-0000-0000-0000000000aa',
          appPassword: 'not-a-real-secret',
          appType: 'MultiTenant',
        },
        conversation,
        refs,
        logger: silentLogger,
      }),
    );
  });
  afterAll(async () => {
    harness.server.close();
    await connector.close();
    nock.enableNetConnect();
  });

  it('answers 401 to a request without a valid token, and nothing runs', async () => {
    const activity = teamsActivity('message-personal.json', connector.serviceUrl);
    expect((await post(harness.url, activity)).status).toBe(401);
    expect((await post(harness.url, activity, { authorization: 'Bearer not.a.jwt' })).status).toBe(401);
    expect(conversation.messages).toHaveLength(0);
    expect(connector.requests).toHaveLength(0);
  });
});

describe('Teams coordinators', () => {
  it('marks users named in TEAMS_COORDINATOR_IDS as coordinators, and nobody else', async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    const connector = await startBotConnector();
    const store = await openTestStore('pglite');
    const conversation = createFakeTeamsConversation();
    const refs = createPrismaConversationRefs(store, fixedClock(NOW));
    const coordinators = new Set(['6b2a7c1e-3f0d-4a8e-9b52-1c4d5e6f7a80']);
    const harness = await startEndpoint(
      createTeamsEndpoint({
        credentials: null,
        emulator: true,
        conversation,
        refs,
        logger: silentLogger,
        coordinators,
      }),
    );
    try {
      await post(harness.url, teamsActivity('message-personal.json', connector.serviceUrl));
      expect(conversation.messages[0]).toMatchObject({ isCoordinator: true });
      const other = teamsActivity('message-personal.json', connector.serviceUrl) as { from: { aadObjectId?: string } };
      other.from.aadObjectId = '00000000-0000-4000-8000-000000000099';
      await post(harness.url, other);
      expect(conversation.messages[1]).toMatchObject({ isCoordinator: false });
    } finally {
      harness.server.close();
      await connector.close();
      await store.close();
      nock.enableNetConnect();
    }
  });
});
