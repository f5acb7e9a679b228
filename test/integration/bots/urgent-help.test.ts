import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { seedDemo } from '../../../src/catalogue/demo/seed-demo.ts';
import { runCli } from '../../../src/cli/run-cli.ts';
import { fixedClock } from '../../../src/clock.ts';
import { loadConfig } from '../../../src/config.ts';
import { createHttpServer, listen } from '../../../src/http-server.ts';
import { silentLogger } from '../../../src/logger.ts';
import { type BotConnector, startBotConnector } from '../../helpers/bot-connector.ts';
import { cli } from '../../helpers/run-cli.ts';
import { teamsActivity } from '../../helpers/teams-activities.ts';
import { openTestStore, type TestStore } from '../../helpers/test-db.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const QUESTION = 'my client is feeling suicidal and very lonely, any befriending?';

describe('urgent help through the server (Teams endpoint)', () => {
  let connector: BotConnector;
  let store: TestStore;
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    connector = await startBotConnector();
    store = await openTestStore('pglite');
    await seedDemo(store, NOW);
    const config = { ...loadConfig({ DATABASE_URL: 'pglite:memory', TEAMS_EMULATOR: 'true' }), teams: null };
    const app = await createApp({ config, store, clock: fixedClock(NOW), logger: silentLogger });
    server = createHttpServer(app.routes, silentLogger);
    url = `http://127.0.0.1:${await listen(server, 0, '127.0.0.1')}/api/messages`;
  });
  afterAll(async () => {
    server.close();
    await connector.close();
    await store.close();
    nock.enableNetConnect();
  });

  const ask = async (text: string) => {
    connector.reset();
    const activity = teamsActivity('message-personal.json', connector.serviceUrl, { text });
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBe(200);
    const [message] = connector.messages();
    return (message!.activity.attachments as { content: { body: Record<string, unknown>[] } }[])[0]!.content;
  };

  it('puts the numbers to call in the first element of the card, then the listings', async () => {
    const card = await ask(QUESTION);
    const first = card.body[0]!;
    expect(first).toMatchObject({ type: 'Container', style: 'attention' });
    expect(JSON.stringify(first)).toContain('116 123');
    expect(JSON.stringify(card.body.slice(1)).toLowerCase()).toContain('befriend');

    const ordinary = await ask('befriending for a lonely man');
    expect(JSON.stringify(ordinary)).not.toContain('116 123');
  });
});

describe('urgent help in the terminal chat', () => {
  let url: string;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-urgent-chat-'));
    url = `pglite:${path.join(dir, 'db')}`;
    expect((await cli(url, 'seed-demo', '--now', NOW.toISOString())).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers first with the numbers to call', async () => {
    const stdin = new PassThrough();
    stdin.end(`${QUESTION}\n`);
    let stdout = '';
    const code = await runCli(['chat', '--now', NOW.toISOString()], {
      stdout: { write: (t) => void (stdout += t) },
      stderr: { write: () => {} },
      stdin,
      env: { DATABASE_URL: url },
      logger: silentLogger,
    });
    expect(code).toBe(0);
    const answer = stdout.split(/\n> .*\n/)[1]!;
    expect(answer).toMatch(/^\n!! If someone is at risk right now, get help first\n {3}999 /);
    expect(answer.indexOf('116 123')).toBeLessThan(answer.indexOf('1. '));
  });
});
