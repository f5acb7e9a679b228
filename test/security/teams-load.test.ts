import type http from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationRefs } from '../../src/bots/teams/conversation-refs.ts';
import { createTeamsEndpoint, TEAMS_PATH } from '../../src/bots/teams/server.ts';
import { createHttpServer, listen } from '../../src/http-server.ts';
import { silentLogger } from '../../src/logger.ts';
import { type BotConnector, startBotConnector } from '../helpers/bot-connector.ts';
import { everyBlockReply, FakeConversation } from '../helpers/fake-conversation.ts';
import { teamsActivity } from '../helpers/teams-activities.ts';

describe('attack (or a busy morning): a burst of Teams messages at once', () => {
  let connector: BotConnector;
  let server: http.Server;
  let url: string;
  const conversation = new FakeConversation();
  let searching = 0;
  let most = 0;
  const started: string[] = [];

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    connector = await startBotConnector();
    const refs: ConversationRefs = {
      save: async () => {},
      get: async () => null,
      remove: async () => 0,
      removeTeam: async () => 0,
    };
    conversation.onMessage = async (m) => {
      started.push(m.text);
      searching++;
      most = Math.max(most, searching);
      await new Promise((r) => setTimeout(r, 5));
      searching--;
      return everyBlockReply();
    };
    const endpoint = createTeamsEndpoint({
      credentials: null,
      emulator: true,
      conversation,
      refs,
      logger: silentLogger,
    });
    server = createHttpServer(new Map([[TEAMS_PATH, endpoint.handler]]), silentLogger);
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}${TEAMS_PATH}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await connector.close();
    nock.enableNetConnect();
  });

  it('every one is answered, with at most two searched at once', async () => {
    const count = 30;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        // Sent one after another, each without waiting for the last to be answered.
        await new Promise((r) => setTimeout(r, i));
        const activity = teamsActivity('message-personal.json', connector.serviceUrl, {
          id: `burst-${i}`,
          text: `question ${i}`,
        });
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(activity),
        });
        statuses.push(res.status);
      }),
    );
    expect(statuses).toEqual(Array(count).fill(200));
    expect(most).toBeLessThanOrEqual(2);
    expect(started).toHaveLength(count);
    const replies = connector.messages().filter((m) => typeof m.activity.replyToId === 'string');
    expect(new Set(replies.map((m) => m.activity.replyToId))).toEqual(
      new Set(Array.from({ length: count }, (_, i) => `burst-${i}`)),
    );
  });
});
