import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { createConversation } from '../../../src/bots/core/conversation.ts';
import { createSlackApp, type SlackApp } from '../../../src/bots/slack/slack-app.ts';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { createDatabaseSearch } from '../../../src/catalogue/search/database-search.ts';
import { fixedClock } from '../../../src/clock.ts';
import { silentLogger } from '../../../src/logger.ts';
import { slashCommand } from '../../helpers/slack-request.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';
import { slackPorts } from '../../helpers/slack-server.ts';

const NOW = new Date('2026-03-03T10:00:00Z');

type Json = Record<string, unknown>;

/**
 * Socket Mode against a local stand-in for Slack: its Web API (apps.connections.open hands out a WebSocket URL,
 * chat.postMessage records posts) and its WebSocket end, which says hello, sends envelopes and collects the acks.
 */
describe('Slack in Socket Mode', () => {
  let store: TestStore;
  let slack: SlackApp;
  let server: http.Server;
  let sockets: WebSocketServer;
  let base: string;
  let socket: WebSocket | undefined;
  const acks: Json[] = [];
  const apiCalls: { method: string; body: Json }[] = [];
  const responses: Json[] = [];
  let connectionsOpened = 0;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const type = req.headers['content-type'] ?? '';
        const body: Json = type.includes('json')
          ? JSON.parse(raw || '{}')
          : Object.fromEntries(new URLSearchParams(raw));
        const reply = (value: Json) =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
        if (req.url === '/respond') {
          responses.push(body);
          return reply({ ok: true });
        }
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
        apiCalls.push({ method, body });
        if (method === 'apps.connections.open') {
          connectionsOpened++;
          expect(req.headers.authorization).toBe('Bearer xapp-1-A111-test');
          return reply({ ok: true, url: `${base.replace('http', 'ws')}/link/?ticket=t${connectionsOpened}` });
        }
        if (method === 'auth.test') return reply({ ok: true, user_id: 'UBOT', bot_id: 'B0BOT', team_id: 'T0001' });
        if (method === 'chat.postMessage') return reply({ ok: true, channel: body.channel, ts: '1700000000.000200' });
        return reply({ ok: true });
      });
    });
    sockets = new WebSocketServer({ server });
    sockets.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (data) => acks.push(JSON.parse(String(data)) as Json));
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'applink-test' },
          connection_info: { app_id: 'A111' },
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    store = await openTestStore('pglite');
    await seedDemo(store, NOW);
    const clock = fixedClock(NOW);
    slack = createSlackApp({
      config: {
        botToken: 'xoxb-test',
        signingSecret: null,
        appToken: 'xapp-1-A111-test',
        apiUrl: `${base}/api/`,
        coordinatorUserIds: [],
        coordinatorUsergroup: null,
      },
      conversation: createConversation({ search: createDatabaseSearch(store), clock, logger: silentLogger }),
      ...slackPorts(store),
      clock,
      logger: silentLogger,
    });
    expect(slack.mode).toBe('socket');
    expect(slack.route).toBeUndefined();
    await slack.start();
  });
  afterAll(async () => {
    await slack.stop();
    sockets.close();
    await new Promise((r) => server.close(r));
    await store.close();
    nock.enableNetConnect();
  });

  const until = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    if (!done()) throw new Error(`timed out waiting for ${what}`);
  };

  it('opens the socket with the app token through the configured API URL', () => {
    expect(connectionsOpened).toBe(1);
    expect(socket).toBeDefined();
  });

  it('acks a slash command envelope at once and answers through its response_url', async () => {
    socket!.send(
      JSON.stringify({
        envelope_id: 'env-command-1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: Object.fromEntries(
          new URLSearchParams(slashCommand('lunch club in Kentish Town', { response_url: `${base}/respond` }).body),
        ),
      }),
    );
    await until('the ack', () => acks.some((a) => a.envelope_id === 'env-command-1'));
    await until('the answer', () => responses.length > 0);
    const answer = responses[0] as { response_type: string; blocks: { type: string; text?: { text?: string } }[] };
    expect(answer.response_type).toBe('ephemeral');
    expect(JSON.stringify(answer.blocks)).toMatch(/lunch/i);
  });

  it('answers a mention from an events envelope in the thread', async () => {
    socket!.send(
      JSON.stringify({
        envelope_id: 'env-event-1',
        type: 'events_api',
        accepts_response_payload: false,
        payload: {
          token: 'x',
          team_id: 'T0001',
          api_app_id: 'A111',
          type: 'event_callback',
          event_id: 'Ev0001',
          event_time: 1_700_000_000,
          authorizations: [{ team_id: 'T0001', user_id: 'UBOT', is_bot: true }],
          event: {
            type: 'app_mention',
            user: 'U2147483697',
            text: '<@UBOT> befriending in Camden Town',
            ts: '1700000000.000100',
            channel: 'C2147483705',
            event_ts: '1700000000.000100',
          },
        },
      }),
    );
    await until('the ack', () => acks.some((a) => a.envelope_id === 'env-event-1'));
    await until('the post', () => apiCalls.some((c) => c.method === 'chat.postMessage'));
    const post = apiCalls.find((c) => c.method === 'chat.postMessage')!.body;
    expect(post.channel).toBe('C2147483705');
    expect(post.thread_ts).toBe('1700000000.000100');
    expect(String(post.blocks ?? post.text)).toMatch(/befriend/i);
  });
});
