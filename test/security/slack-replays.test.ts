import type http from 'node:http';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlackApp } from '../../src/bots/slack/slack-app.ts';
import { fixedClock } from '../../src/clock.ts';
import { openStore, type Store } from '../../src/db/open-store.ts';
import { silentLogger } from '../../src/logger.ts';
import { everyBlockReply, FakeConversation } from '../helpers/fake-conversation.ts';
import { eventCallback, postSlack, RESPONSE_URL_HOST, signSlack, slashCommand } from '../helpers/slack-request.ts';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/test-db.ts';
import { slackPorts, startSlackServer } from '../helpers/slack-server.ts';

describe.each(STORE_KINDS)(
  'attack: one signed Slack request replayed to two servers sharing a database (%s)',
  (kind) => {
    let store: TestStore;
    let second: Store;
    const servers: http.Server[] = [];
    const apps: SlackApp[] = [];
    const urls: string[] = [];
    // Both servers answer through the same stand-in for the conversation, so every run of either is counted here.
    const conversation = new FakeConversation();

    beforeAll(async () => {
      store = await openTestStore(kind);
      // PostgreSQL: a second connection pool on the same database, as a second server would have. PGlite is one
      // process's own database, so there the two apps share the store.
      second = kind === 'postgres' ? await openStore({ kind: 'postgres', url: store.url }) : store;
      for (const s of [store, second]) {
        const {
          slack: app,
          server,
          url,
        } = await startSlackServer({
          conversation,
          ...slackPorts(s),
          clock: fixedClock(new Date('2026-03-03T10:00:00Z')),
          logger: silentLogger,
          retryConfig: { retries: 0, factor: 1, minTimeout: 10, maxTimeout: 20 },
        });
        apps.push(app);
        servers.push(server);
        urls.push(url);
      }
    });
    afterAll(async () => {
      for (const s of servers) await new Promise((r) => s.close(r));
      if (second !== store) await second.close();
      await store.close();
      nock.cleanAll();
      nock.enableNetConnect();
    });
    beforeEach(() => {
      nock.cleanAll();
      nock.disableNetConnect();
      nock.enableNetConnect('127.0.0.1');
      nock(RESPONSE_URL_HOST).post(/.*/).times(10).reply(200, 'ok');
      nock('https://slack.com').post(/.*/).times(10).reply(200, { ok: true, ts: '1.1', channel: 'D1' });
      conversation.messages = [];
      conversation.onMessage = () => everyBlockReply();
    });
    const settle = async () => {
      for (const app of apps) await app.stop();
    };

    it('a slash command sent to both servers, and twice to one, runs once', async () => {
      const command = slashCommand('walking group');
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = signSlack(command.body, timestamp);
      const statuses = await Promise.all(
        [urls[0]!, urls[1]!, urls[1]!].map(
          async (url) => (await postSlack(url, { ...command, timestamp, signature })).status,
        ),
      );
      expect(statuses).toEqual([200, 200, 200]);
      await settle();
      expect(conversation.messages.map((m) => m.text)).toEqual(['walking group']);
    });

    it("Slack's retry of an event, newly signed and sent to the other server, runs once", async () => {
      const dm = eventCallback(
        { type: 'message', channel_type: 'im', user: 'U1', text: 'tai chi Holborn', channel: 'D1' },
        'EvREPLAY01',
      );
      const first = await postSlack(urls[0]!, { ...dm, timestamp: Math.floor(Date.now() / 1000) - 2 });
      const retry = await postSlack(urls[1]!, {
        ...dm,
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      });
      expect([first.status, retry.status]).toEqual([200, 200]);
      await settle();
      expect(conversation.messages.map((m) => m.text)).toEqual(['tai chi Holborn']);
      const kept = await store.sql.query<{ key: string }>(
        `SELECT key FROM slack_request_seen WHERE key = 'event:EvREPLAY01'`,
      );
      expect(kept.rows).toHaveLength(1);
    });

    it('a different request with the same text still runs: only the exact request (or event) is a repeat', async () => {
      await postSlack(urls[0]!, slashCommand('coffee morning', { trigger_id: '1.1.a' }));
      await postSlack(urls[1]!, slashCommand('coffee morning', { trigger_id: '1.1.b' }));
      await settle();
      expect(conversation.messages.map((m) => m.text)).toEqual(['coffee morning', 'coffee morning']);
    });

    it.runIf(kind === 'pglite')('an import holding the embedded database never holds up the ack', async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      // Another piece of work has the embedded store to itself until released (as a long import does).
      const busy = store.transaction(async (tx) => {
        await tx.query('SELECT 1');
        entered();
        await held;
      });
      await inside;
      // Answered while the database is still held: the release only comes after the ack.
      const res = await postSlack(urls[0]!, slashCommand('knit and natter'));
      expect(res.status).toBe(200);
      release();
      await busy;
      await settle();
      expect(conversation.messages.map((m) => m.text)).toEqual(['knit and natter']);
    });
  },
);
